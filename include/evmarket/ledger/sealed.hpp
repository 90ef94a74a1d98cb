#pragma once
/// @file
/// Confidential records (paper 000's authentication-encryption scheme; paper 001 keeps
/// reservation details off the public record): a record's payload sealed with an Aead. The
/// sealed record is itself a record, so a block holding it hashes, signs and verifies without
/// the key; only key holders can open it.

#include <evmarket/ledger/concepts.hpp>
#include <evmarket/ledger/encoding.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

EVMARKET_BEGIN_NAMESPACE

/// An encrypted record: which Aead, which record type is inside, the nonce and ciphertext || tag.
struct sealed_record {
  /// The Aead's algorithm id.
  algorithm_id algorithm = 0;
  /// The type tag of the record inside (public, so a sealed record can be routed unopened).
  std::uint16_t inner_tag = 0;
  /// The nonce it was sealed with.
  bytes nonce;
  /// The ciphertext followed by the tag.
  bytes ciphertext;

  /// Member-wise equality.
  friend bool operator==(const sealed_record&, const sealed_record&) = default;
};

namespace detail {
/// Binds the algorithm and the inner type to the ciphertext: relabelling either makes open fail.
inline bytes sealed_associated_data(algorithm_id algorithm, std::uint16_t inner_tag, byte_view context) {
  encoder out;
  out.u8(0x04);
  out.u16(algorithm);
  out.u16(inner_tag);
  out.blob(context);
  return std::move(out).take();
}
}  // namespace detail

/// Seals `record` under `aead` with a fresh `nonce` (never reuse a nonce under one key).
/// `context` is optional public data bound to the ciphertext (e.g. the trading period's bytes);
/// the same context must be given to open_record.
template <Aead A, Record T>
[[nodiscard]] sealed_record seal_record(const A& aead, byte_view nonce, const T& record, byte_view context = {}) {
  detail::require(nonce.size() == A::nonce_size, "nonce.size", nonce.size(), "must equal the Aead's nonce_size");
  sealed_record sealed;
  sealed.algorithm = A::algorithm;
  sealed.inner_tag = record_traits<T>::tag;
  sealed.nonce.assign(nonce.begin(), nonce.end());
  sealed.ciphertext = aead.seal(nonce, encode_record(record),
                                detail::sealed_associated_data(sealed.algorithm, sealed.inner_tag, context));
  return sealed;
}

/// Opens a sealed record of type T; nothing when the key, nonce, context, algorithm or type is
/// wrong or any byte was altered. Throws decode_error only if authentic plaintext does not decode.
template <Record T, Aead A>
[[nodiscard]] std::optional<T> open_record(const A& aead, const sealed_record& sealed, byte_view context = {}) {
  if (sealed.algorithm != A::algorithm || sealed.inner_tag != record_traits<T>::tag ||
      sealed.nonce.size() != A::nonce_size)
    return std::nullopt;
  const std::optional<bytes> plain = aead.open(
      sealed.nonce, sealed.ciphertext, detail::sealed_associated_data(sealed.algorithm, sealed.inner_tag, context));
  if (!plain) return std::nullopt;
  return decode_record<T>(*plain);
}

/// sealed_record: algorithm u16, inner tag u16, nonce and ciphertext (length-prefixed).
template <>
struct record_traits<sealed_record>
    : detail::record_fields<sealed_record, &sealed_record::algorithm, &sealed_record::inner_tag, &sealed_record::nonce,
                            &sealed_record::ciphertext> {
  ///@{
  /// The record's type tag, format version and name (see record_traits).
  static constexpr std::uint16_t tag = record_tags::sealed_record;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "sealed_record";
  ///@}
};

EVMARKET_END_NAMESPACE
