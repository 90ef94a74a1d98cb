#pragma once
/// @file
/// Canonical encoding: one deterministic byte string per record, so the same record hashes the
/// same on every platform. Fixed-width little-endian integers, u32 length prefixes, and an
/// envelope {u16 type tag, u16 format version, u32 body length, body}. Each record type plugs in
/// by specialising `record_traits`; decoding untrusted bytes throws `decode_error`, never crashes.
///
/// The ledger knows no mechanism: this header encodes the core vocabulary (ids, quantities,
/// periods, the `trade` every mechanism produces). The encodings of mechanism types (requests,
/// allocations, orders, reservations, session records) live with the layer that puts them on a
/// ledger, `market/records.hpp`.

#include <evmarket/core/error.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/trade.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/ledger/concepts.hpp>

#include <bit>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

EVMARKET_BEGIN_NAMESPACE

/// Bytes that are not a valid encoding: truncated, an oversized length, an unknown tag or
/// version, trailing bytes, or a value outside its type's range.
class decode_error : public error {
public:
  /// Bytes that do not decode: what was wrong, and at which byte offset.
  decode_error(std::string_view problem, std::size_t offset)
      : error("cannot decode ledger bytes at offset " + std::to_string(offset) + ": " + std::string(problem)),
        offset_(offset) {}
  /// Where in the input the problem was found.
  [[nodiscard]] std::size_t offset() const noexcept { return offset_; }

private:
  std::size_t offset_;
};

/// Appends canonical fields to a growing byte string.
class encoder {
public:
  ///@{
  /// Fixed-width integers, little-endian; signed ones in two's complement.
  void u8(std::uint8_t value) { buffer_.push_back(value); }
  void u16(std::uint16_t value) { little_endian(value, 2); }
  void u32(std::uint32_t value) { little_endian(value, 4); }
  void u64(std::uint64_t value) { little_endian(value, 8); }
  void i32(std::int32_t value) { u32(static_cast<std::uint32_t>(value)); }
  void i64(std::int64_t value) { u64(static_cast<std::uint64_t>(value)); }
  ///@}
  /// A double as its IEEE-754 bits, with -0 written as +0 and every NaN as one quiet NaN, so
  /// equal values encode equally.
  void real(double value) {
    if (value == 0.0) value = 0.0;
    if (std::isnan(value)) value = std::numeric_limits<double>::quiet_NaN();
    u64(std::bit_cast<std::uint64_t>(value));
  }
  /// A u32 length, then the bytes.
  void blob(byte_view value) {
    length(value.size(), "blob");
    raw(value);
  }
  /// A u32 length, then the UTF-8 bytes.
  void text(std::string_view value) { blob(as_bytes(value)); }
  /// Bytes with no length prefix (fixed-size fields).
  void raw(byte_view value) { buffer_.insert(buffer_.end(), value.begin(), value.end()); }
  /// An element count, checked to fit the u32 field.
  void length(std::size_t count, std::string_view field) {
    detail::require(count <= std::numeric_limits<std::uint32_t>::max(), field, count,
                    "is longer than a canonical encoding allows (2^32 - 1)");
    u32(static_cast<std::uint32_t>(count));
  }

  ///@{
  /// An identifier as u64, a quantity as its i64 base units, a period as i64 day and i32 slot.
  template <class Tag>
  void id(identifier<Tag> value) { u64(value.value); }
  template <class Tag>
  void amount(quantity<Tag> value) { i64(value.base()); }
  void period(const trading_period& value) {
    i64(value.day);
    i32(value.slot);
  }
  ///@}

  /// The bytes written so far.
  [[nodiscard]] const bytes& buffer() const& noexcept { return buffer_; }
  /// Moves the bytes out.
  [[nodiscard]] bytes take() && noexcept { return std::move(buffer_); }
  /// Reserves space for `size` more bytes.
  void reserve(std::size_t size) { buffer_.reserve(buffer_.size() + size); }

private:
  void little_endian(std::uint64_t value, int width) {
    for (int i = 0; i < width; ++i) buffer_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
  }
  bytes buffer_;
};

/// Reads canonical fields from untrusted bytes; every read checks the bytes remaining first.
class decoder {
public:
  /// Reads `input` from its start (the bytes must outlive the decoder).
  explicit decoder(byte_view input) noexcept : input_(input) {}

  ///@{
  /// Fixed-width little-endian integers (the encoder's counterparts).
  std::uint8_t u8() { return static_cast<std::uint8_t>(little_endian(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(little_endian(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(little_endian(4)); }
  std::uint64_t u64() { return little_endian(8); }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  ///@}
  /// A double; rejects the encodings `encoder::real` never writes (-0, non-canonical NaN).
  double real() {
    const std::size_t at = offset_;
    const std::uint64_t bits = u64();
    const double value = std::bit_cast<double>(bits);
    if ((value == 0.0 && bits != 0) ||
        (std::isnan(value) && bits != std::bit_cast<std::uint64_t>(std::numeric_limits<double>::quiet_NaN())))
      throw decode_error("non-canonical floating-point value", at);
    return value;
  }
  /// A length-prefixed byte string.
  bytes blob() {
    const std::size_t size = length(1);
    const byte_view value = raw(size);
    return bytes(value.begin(), value.end());
  }
  /// A length-prefixed string.
  std::string text() {
    const std::size_t size = length(1);
    const byte_view value = raw(size);
    return std::string(reinterpret_cast<const char*>(value.data()), value.size());
  }
  /// `size` bytes, viewed in place.
  byte_view raw(std::size_t size) {
    need(size);
    const byte_view value = input_.subspan(offset_, size);
    offset_ += size;
    return value;
  }
  /// A u32 count of elements that each take at least `min_element_size` bytes; a count the
  /// remaining input cannot hold is refused before anything is allocated for it.
  std::size_t length(std::size_t min_element_size) {
    const std::size_t at = offset_;
    const std::size_t count = u32();
    if (min_element_size > 0 && count > remaining() / min_element_size)
      throw decode_error("length " + std::to_string(count) + " exceeds the bytes that follow", at);
    return count;
  }

  ///@{
  /// An identifier, a quantity and a period (a negative slot is refused).
  template <class Id>
  Id id() { return Id{u64()}; }
  template <class Quantity>
  Quantity amount() { return Quantity::from_base(i64()); }
  trading_period period() {
    trading_period value;
    value.day = i64();
    const std::size_t at = offset_;
    value.slot = i32();
    if (value.slot < 0) throw decode_error("negative trading period slot", at);
    return value;
  }
  ///@}

  /// Bytes read so far.
  [[nodiscard]] std::size_t offset() const noexcept { return offset_; }
  /// Bytes not yet read.
  [[nodiscard]] std::size_t remaining() const noexcept { return input_.size() - offset_; }
  /// Refuses trailing bytes: a canonical encoding has exactly one length.
  void expect_end() const {
    if (remaining() != 0) throw decode_error(std::to_string(remaining()) + " trailing bytes", offset_);
  }
  /// Throws decode_error at the current offset.
  [[noreturn]] void fail(std::string_view problem) const { throw decode_error(problem, offset_); }

private:
  void need(std::size_t size) const {
    if (size > remaining())
      throw decode_error("truncated: " + std::to_string(size) + " bytes needed, " + std::to_string(remaining()) +
                             " left",
                         offset_);
  }
  std::uint64_t little_endian(std::size_t width) {
    need(width);
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) value |= static_cast<std::uint64_t>(input_[offset_ + i]) << (8 * i);
    offset_ += width;
    return value;
  }
  byte_view input_;
  std::size_t offset_ = 0;
};

/// The customization point: specialise for each record type with
///   static constexpr std::uint16_t tag;      // unique per type (see record_tags)
///   static constexpr std::uint16_t version;  // the format written; bump on any change
///   static constexpr std::string_view name;
///   static void encode(encoder&, const T&);
///   static T decode(decoder&, std::uint16_t format);  // every format from 1 to `version`
template <class T>
struct record_traits;

/// Record: a type with a canonical encoding (a complete `record_traits` specialisation).
template <class T>
concept Record = requires(encoder& out, decoder& in, const T& record, std::uint16_t version) {
  { record_traits<T>::tag } -> std::convertible_to<std::uint16_t>;
  { record_traits<T>::version } -> std::convertible_to<std::uint16_t>;
  { record_traits<T>::name } -> std::convertible_to<std::string_view>;
  record_traits<T>::encode(out, record);
  { record_traits<T>::decode(in, version) } -> std::same_as<T>;
};

/// Type tags, by component, so tags never collide: 0x01xx allocation, 0x02xx auction, 0x03xx
/// clearing, 0x04xx credit, 0x05xx settlement and sessions, 0x0Fxx the ledger's own records,
/// 0x8000 and up user-defined.
namespace record_tags {
inline constexpr std::uint16_t trade = 0x0201;
inline constexpr std::uint16_t confirmed_trade = 0x0F01;
inline constexpr std::uint16_t sealed_record = 0x0F02;
inline constexpr std::uint16_t authenticated_record = 0x0F03;
inline constexpr std::uint16_t user_defined = 0x8000;
}  // namespace record_tags

/// An envelope read without decoding its body: enough to route or filter records by type.
struct record_view {
  /// The record's type tag.
  std::uint16_t tag = 0;
  /// Its format version.
  std::uint16_t version = 0;
  /// Its encoded body (a view into the input).
  byte_view body;
};

/// Size of the envelope that precedes every record body.
inline constexpr std::size_t record_envelope_size = 8;

/// Writes `record` in its envelope onto `out` (records nest this way inside other records).
template <Record T>
void encode_into(encoder& out, const T& record) {
  using traits = record_traits<T>;
  static_assert(traits::version > 0, "record_traits<T>::version must be at least 1");
  encoder body;
  traits::encode(body, record);
  out.u16(traits::tag);
  out.u16(traits::version);
  out.blob(body.buffer());
}

/// The canonical bytes of `record`: envelope and body.
template <Record T>
[[nodiscard]] bytes encode_record(const T& record) {
  encoder out;
  encode_into(out, record);
  return std::move(out).take();
}

/// Reads one envelope from `in`, leaving the decoder after its body.
inline record_view read_envelope(decoder& in) {
  record_view view;
  view.tag = in.u16();
  view.version = in.u16();
  const std::size_t size = in.length(1);
  view.body = in.raw(size);
  return view;
}

/// The envelope of a whole encoded record (exactly one, no trailing bytes).
[[nodiscard]] inline record_view peek_record(byte_view encoded) {
  decoder in(encoded);
  const record_view view = read_envelope(in);
  in.expect_end();
  return view;
}

/// Reads one record of type T in its envelope from `in`.
template <Record T>
T decode_from(decoder& in) {
  using traits = record_traits<T>;
  const std::size_t at = in.offset();
  const record_view view = read_envelope(in);
  if (view.tag != traits::tag)
    throw decode_error("record tag " + std::to_string(view.tag) + " is not " + std::string(traits::name), at);
  if (view.version == 0 || view.version > traits::version)
    throw decode_error("unsupported " + std::string(traits::name) + " format version " + std::to_string(view.version),
                       at + 2);
  decoder body(view.body);
  try {
    T record = traits::decode(body, view.version);
    body.expect_end();
    return record;
  } catch (const decode_error& e) {
    // Report offsets relative to the outer input, where the caller can find them.
    throw decode_error(e.what(), at + record_envelope_size + e.offset());
  } catch (const bad_input& e) {
    // A record's own constructor refused a decoded value: still just undecodable bytes.
    throw decode_error(e.what(), at + record_envelope_size);
  }
}

/// Decodes a whole encoded record of type T (exactly one, no trailing bytes).
template <Record T>
[[nodiscard]] T decode_record(byte_view encoded) {
  decoder in(encoded);
  T record = decode_from<T>(in);
  in.expect_end();
  return record;
}

/// True when `encoded` is an envelope of type T (without decoding the body).
template <Record T>
[[nodiscard]] bool holds_record(byte_view encoded) noexcept {
  return encoded.size() >= 2 && (encoded[0] | (encoded[1] << 8)) == record_traits<T>::tag;
}

namespace detail {
/// Whether T is an identifier, a quantity: the kinds the field table below maps by template.
template <class T>
inline constexpr bool is_identifier = false;
template <class Tag>
inline constexpr bool is_identifier<identifier<Tag>> = true;
template <class T>
inline constexpr bool is_quantity = false;
template <class Tag>
inline constexpr bool is_quantity<quantity<Tag>> = true;
/// Always false, but only once instantiated: lets the table's last branch reject a type.
template <class>
inline constexpr bool no_field_form = false;

/// Writes one field of a `record_fields` record in the canonical form of its type. This is the
/// whole type-to-bytes table for such records, so encode and decode cannot drift apart.
template <class Field>
void encode_field(encoder& out, const Field& value) {
  if constexpr (std::is_same_v<Field, std::uint16_t>)
    out.u16(value);
  else if constexpr (std::is_same_v<Field, std::uint64_t>)
    out.u64(value);
  else if constexpr (std::is_same_v<Field, double>)
    out.real(value);
  else if constexpr (std::is_same_v<Field, bytes>)
    out.blob(value);
  else if constexpr (std::is_same_v<Field, trading_period>)
    out.period(value);
  else if constexpr (is_identifier<Field>)
    out.id(value);
  else if constexpr (is_quantity<Field>)
    out.amount(value);
  else if constexpr (Record<Field>)
    encode_into(out, value);  // a nested record, in its own envelope
  else
    static_assert(no_field_form<Field>, "no canonical form for this field type: write encode/decode by hand");
}

/// Reads one field written by encode_field (the same table, read side).
template <class Field>
void decode_field(decoder& in, Field& value) {
  if constexpr (std::is_same_v<Field, std::uint16_t>)
    value = in.u16();
  else if constexpr (std::is_same_v<Field, std::uint64_t>)
    value = in.u64();
  else if constexpr (std::is_same_v<Field, double>)
    value = in.real();
  else if constexpr (std::is_same_v<Field, bytes>)
    value = in.blob();
  else if constexpr (std::is_same_v<Field, trading_period>)
    value = in.period();
  else if constexpr (is_identifier<Field>)
    value = in.id<Field>();
  else if constexpr (is_quantity<Field>)
    value = in.amount<Field>();
  else if constexpr (Record<Field>)
    value = decode_from<Field>(in);
  else
    static_assert(no_field_form<Field>, "no canonical form for this field type: write encode/decode by hand");
}

/// A `record_traits` base for records that are nothing but their fields: each of `Fields` (a
/// pointer to a member of T) in the order listed, by encode_field/decode_field. Only for
/// records with a single format and no checks beyond the fields' own; others encode by hand.
template <class T, auto... Fields>
struct record_fields {
  static void encode(encoder& out, const T& record) { (encode_field(out, record.*Fields), ...); }
  static T decode(decoder& in, std::uint16_t) {
    T record;
    (decode_field(in, record.*Fields), ...);  // a comma fold: the fields are read in order
    return record;
  }
};
}  // namespace detail

// --- The core record: a trade -----------------------------------------------------------------------

/// side: one byte, 0 buy, 1 sell.
namespace detail {
inline void encode_side(encoder& out, side value) { out.u8(value == side::buy ? 0 : 1); }
inline side decode_side(decoder& in) {
  const std::uint8_t value = in.u8();
  if (value > 1) in.fail("side must be 0 (buy) or 1 (sell)");
  return value == 0 ? side::buy : side::sell;
}
}  // namespace detail

/// trade: buy order, sell order, buyer, seller (u64), quantity (i64 Wh), buyer's and seller's
/// prices (i64 micro-Token/kWh), and (format 2) the amounts the buyer paid and the seller
/// received (i64 micro-Token). Format 1 carried no amounts: reading it derives them by the money
/// rule every 0.1 mechanism used (trade_amount), the only reading that matches what was paid.
template <>
struct record_traits<trade> {
  static constexpr std::uint16_t tag = record_tags::trade;
  static constexpr std::uint16_t version = 2;
  static constexpr std::string_view name = "trade";
  using prices = detail::record_fields<trade, &trade::buy_order, &trade::sell_order, &trade::buyer, &trade::seller,
                                       &trade::quantity, &trade::buyer_price, &trade::seller_price>;
  static void encode(encoder& out, const trade& t) {
    prices::encode(out, t);
    out.amount(t.buyer_paid);
    out.amount(t.seller_received);
  }
  static trade decode(decoder& in, std::uint16_t format) {
    trade t = prices::decode(in, format);
    if (format == 1) return priced_trade(t.buy_order, t.sell_order, t.buyer, t.seller, t.quantity, t.buyer_price,
                                         t.seller_price);
    t.buyer_paid = in.amount<money>();
    t.seller_received = in.amount<money>();
    return t;
  }
};

EVMARKET_END_NAMESPACE
