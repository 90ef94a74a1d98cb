#pragma once
/// @file
/// Records carrying a MAC tag (paper 000: HMAC guarantees the integrity and authenticity of the
/// messages between a charging pile and the platform). Cheaper than a signature where both ends
/// share a key; a chain records it like any other record.

#include <evmarket/ledger/concepts.hpp>
#include <evmarket/ledger/encoding.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

EVMARKET_BEGIN_NAMESPACE

/// An encoded record and the MAC tag over it.
struct authenticated_record {
  /// The Mac's algorithm id.
  algorithm_id algorithm = 0;
  /// The canonical bytes of the record (readable by anyone; only authenticity is added).
  bytes record;
  /// The MAC tag over `record`.
  bytes tag;

  /// Member-wise equality.
  friend bool operator==(const authenticated_record&, const authenticated_record&) = default;
};

namespace detail {
/// What the tag covers: a 0x05 domain byte, the algorithm, the context and the record.
inline bytes mac_input(algorithm_id algorithm, byte_view context, byte_view record) {
  encoder out;
  out.u8(0x05);
  out.u16(algorithm);
  out.blob(context);
  out.raw(record);
  return std::move(out).take();
}
}  // namespace detail

/// Tags `record` with `mac`. `context` is optional public data bound to the tag (e.g. the
/// sending pile's id); the same context must be given to verify.
template <Mac M, Record T>
[[nodiscard]] authenticated_record authenticate(const M& mac, const T& record, byte_view context = {}) {
  authenticated_record result;
  result.algorithm = M::algorithm;
  result.record = encode_record(record);
  const digest tag = mac.tag(detail::mac_input(result.algorithm, context, result.record));
  result.tag.assign(tag.view().begin(), tag.view().end());
  return result;
}

/// The record, when its tag verifies (compared in constant time by the Mac) and it decodes as a
/// T; nothing otherwise.
template <Record T, Mac M>
[[nodiscard]] std::optional<T> verify_authenticated(const M& mac, const authenticated_record& message,
                                                    byte_view context = {}) {
  if (message.algorithm != M::algorithm) return std::nullopt;
  if (!mac.verify(detail::mac_input(message.algorithm, context, message.record), message.tag)) return std::nullopt;
  try {
    return decode_record<T>(message.record);
  } catch (const decode_error&) {
    return std::nullopt;  // authentic bytes of another record type
  }
}

/// authenticated_record: algorithm u16, record and tag (length-prefixed).
template <>
struct record_traits<authenticated_record>
    : detail::record_fields<authenticated_record, &authenticated_record::algorithm, &authenticated_record::record,
                            &authenticated_record::tag> {
  ///@{
  /// The record's type tag, format version and name (see record_traits).
  static constexpr std::uint16_t tag = record_tags::authenticated_record;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "authenticated_record";
  ///@}
};

EVMARKET_END_NAMESPACE
