#pragma once
/// @file
/// The ledger's whole interface to cryptography: a handful of concepts. evmarket hashes, signs,
/// authenticates and seals its records only through these, so a platform plugs in the crypto
/// library (or hardware module, or real chain) it already trusts; the libsodium and OpenSSL
/// adapters are two such plug-ins, and a test-only toy hasher is a third.

#include <evmarket/core/error.hpp>

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// An owned byte string (a signature, a public key, an encoded record).
using bytes = std::vector<std::uint8_t>;
/// A read-only view of bytes.
using byte_view = std::span<const std::uint8_t>;

/// The bytes of a string literal or text, without its terminator.
[[nodiscard]] inline byte_view as_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

/// A digest of up to 64 bytes held by value, so hashing a leaf never allocates.
class digest {
public:
  /// Largest digest any algorithm may produce (SHA-512, BLAKE2b-512).
  static constexpr std::size_t capacity = 64;

  constexpr digest() noexcept = default;
  /// A digest of `size` zero bytes (the previous hash of a genesis block).
  [[nodiscard]] static digest zeros(std::size_t size) {
    detail::require(size <= capacity, "digest.size", size, "must not exceed 64 bytes");
    digest d;
    d.size_ = static_cast<std::uint8_t>(size);
    return d;
  }
  /// A digest holding a copy of `value` (at most 64 bytes).
  [[nodiscard]] static digest from(byte_view value) {
    digest d = zeros(value.size());
    std::copy(value.begin(), value.end(), d.bytes_.begin());
    return d;
  }

  /// Number of bytes (the algorithm's digest size).
  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
  /// The bytes.
  [[nodiscard]] constexpr const std::uint8_t* data() const noexcept { return bytes_.data(); }
  /// Writable storage of size() bytes, for an adapter's output.
  [[nodiscard]] constexpr std::uint8_t* data() noexcept { return bytes_.data(); }
  ///@{
  /// The bytes as a view (also an implicit conversion, so a digest can be hashed or signed).
  [[nodiscard]] constexpr byte_view view() const noexcept { return {bytes_.data(), size_}; }
  [[nodiscard]] constexpr operator byte_view() const noexcept { return view(); }
  ///@}

  /// Digests are public values: comparing them need not be constant-time (MAC tags are not
  /// digests; Mac::verify compares those).
  friend constexpr bool operator==(const digest& a, const digest& b) noexcept {
    return a.size_ == b.size_ && std::equal(a.bytes_.begin(), a.bytes_.begin() + a.size_, b.bytes_.begin());
  }

private:
  std::array<std::uint8_t, capacity> bytes_{};
  std::uint8_t size_ = 0;
};

/// Identifies an algorithm inside a block header, so a verifier refuses a chain it cannot check
/// instead of misreading it. Ids below 0x8000 are evmarket's; user algorithms take 0x8000 and up.
using algorithm_id = std::uint16_t;

/// The algorithm ids evmarket assigns. Two adapters that give an algorithm the same id must agree
/// bit for bit (the conformance suite checks it), so a chain written with one verifies with the other.
namespace algorithms {
/// SHA-256 (FIPS 180-4).
inline constexpr algorithm_id sha256 = 0x0001;
/// SHA3-256 (FIPS 202).
inline constexpr algorithm_id sha3_256 = 0x0002;
/// BLAKE2b with a 32-byte digest (RFC 7693).
inline constexpr algorithm_id blake2b_256 = 0x0003;
/// Ed25519 signatures (RFC 8032).
inline constexpr algorithm_id ed25519 = 0x0101;
/// HMAC-SHA-256 (RFC 2104).
inline constexpr algorithm_id hmac_sha256 = 0x0201;
/// XChaCha20-Poly1305 authenticated encryption.
inline constexpr algorithm_id xchacha20_poly1305 = 0x0301;
/// AES-256-GCM authenticated encryption.
inline constexpr algorithm_id aes256_gcm = 0x0302;
/// First id free for user-defined algorithms.
inline constexpr algorithm_id user_defined = 0x8000;
}  // namespace algorithms

/// Hasher: a collision-resistant hash, one-shot and streaming (Merkle nodes are hashed as
/// prefix || left || right without copying them together). `state` may be move-only.
template <class H>
concept Hasher = std::copy_constructible<H> &&
    requires(const H& hasher, typename H::state& state, byte_view data) {
      { H::algorithm } -> std::convertible_to<algorithm_id>;
      { H::digest_size } -> std::convertible_to<std::size_t>;
      { hasher.hash(data) } -> std::same_as<digest>;
      { hasher.begin() } -> std::same_as<typename H::state>;
      { hasher.update(state, data) } -> std::same_as<void>;
      { hasher.finish(state) } -> std::same_as<digest>;
    } && (H::digest_size > 0 && H::digest_size <= digest::capacity);

/// Signer: holds a private key and signs whole messages. Whole-message signing (not
/// hash-then-sign) because Ed25519 in OpenSSL signs only whole messages.
template <class S>
concept Signer = requires(const S& signer, byte_view message) {
  { S::algorithm } -> std::convertible_to<algorithm_id>;
  { signer.public_key() } -> std::convertible_to<byte_view>;
  { signer.sign(message) } -> std::same_as<bytes>;
};

/// Verifier: checks a signature under a public key. Malformed keys or signatures are simply
/// "does not verify" (false), never an exception, because they arrive from untrusted parties.
template <class V>
concept Verifier = std::copy_constructible<V> &&
    requires(const V& verifier, byte_view public_key, byte_view message, byte_view signature) {
      { V::algorithm } -> std::convertible_to<algorithm_id>;
      { verifier.verify(public_key, message, signature) } -> std::same_as<bool>;
    };

/// Mac: a keyed message authentication code (paper 000's HMAC). `verify` must compare tags in
/// constant time (the library's own compare, never `==` or memcmp), or a forger learns the tag
/// byte by byte from timing.
template <class M>
concept Mac = requires(const M& mac, byte_view message, byte_view tag) {
  { M::algorithm } -> std::convertible_to<algorithm_id>;
  { M::tag_size } -> std::convertible_to<std::size_t>;
  { mac.tag(message) } -> std::same_as<digest>;
  { mac.verify(message, tag) } -> std::same_as<bool>;
};

/// Aead: authenticated encryption with associated data (paper 000's authentication-encryption
/// scheme). `seal` returns ciphertext || tag; `open` returns nothing when anything was altered.
/// The caller supplies the nonce and must never reuse one under the same key.
template <class A>
concept Aead = requires(const A& aead, byte_view nonce, byte_view plaintext, byte_view associated) {
  { A::algorithm } -> std::convertible_to<algorithm_id>;
  { A::nonce_size } -> std::convertible_to<std::size_t>;
  { A::tag_size } -> std::convertible_to<std::size_t>;
  { aead.seal(nonce, plaintext, associated) } -> std::same_as<bytes>;
  { aead.open(nonce, plaintext, associated) } -> std::same_as<std::optional<bytes>>;
};

/// Compares two byte strings in time that depends only on their lengths: for adapters and user
/// types without a library compare of their own.
[[nodiscard]] inline bool constant_time_equal(byte_view a, byte_view b) noexcept {
  if (a.size() != b.size()) return false;
  volatile std::uint8_t difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) difference = static_cast<std::uint8_t>(difference | (a[i] ^ b[i]));
  return difference == 0;
}

EVMARKET_END_NAMESPACE
