#pragma once
/// @file
/// libsodium adapters for the ledger concepts (link evmarket::sodium): SHA-256, BLAKE2b-256,
/// Ed25519, HMAC-SHA256 and XChaCha20-Poly1305.

#include <evmarket/core/error.hpp>
#include <evmarket/ledger/concepts.hpp>

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

EVMARKET_BEGIN_NAMESPACE
namespace sodium {

/// libsodium could not be initialised or refused an operation it should not refuse.
class sodium_error : public error {
public:
  using error::error;
};

namespace detail {
/// sodium_init() once per process (it is thread-safe and idempotent).
inline void ensure_initialized() {
  static const int status = ::sodium_init();
  if (status < 0) throw sodium_error("sodium_init failed");
}
}  // namespace detail

/// SHA-256 (FIPS 180-4).
struct sha256 {
  /// The algorithm id written into blocks.
  static constexpr algorithm_id algorithm = algorithms::sha256;
  /// Bytes in a digest.
  static constexpr std::size_t digest_size = crypto_hash_sha256_BYTES;
  /// Incremental hashing state.
  struct state {
    /// libsodium's state.
    crypto_hash_sha256_state inner;
  };
  /// The digest of `data`.
  [[nodiscard]] digest hash(byte_view data) const {
    digest out = digest::zeros(digest_size);
    ::crypto_hash_sha256(out.data(), data.data(), data.size());
    return out;
  }
  /// A fresh incremental state.
  [[nodiscard]] state begin() const {
    state s;
    ::crypto_hash_sha256_init(&s.inner);
    return s;
  }
  /// Feeds `data` into `s`.
  void update(state& s, byte_view data) const { ::crypto_hash_sha256_update(&s.inner, data.data(), data.size()); }
  /// The digest of everything fed into `s`.
  [[nodiscard]] digest finish(state& s) const {
    digest out = digest::zeros(digest_size);
    ::crypto_hash_sha256_final(&s.inner, out.data());
    return out;
  }
};

/// BLAKE2b with a 32-byte digest, unkeyed (RFC 7693).
struct blake2b_256 {
  /// The algorithm id written into blocks.
  static constexpr algorithm_id algorithm = algorithms::blake2b_256;
  /// Bytes in a digest.
  static constexpr std::size_t digest_size = 32;
  /// Incremental hashing state.
  struct state {
    /// libsodium's state.
    crypto_generichash_state inner;
  };
  /// The digest of `data`.
  [[nodiscard]] digest hash(byte_view data) const {
    digest out = digest::zeros(digest_size);
    ::crypto_generichash(out.data(), digest_size, data.data(), data.size(), nullptr, 0);
    return out;
  }
  /// A fresh incremental state.
  [[nodiscard]] state begin() const {
    state s;
    ::crypto_generichash_init(&s.inner, nullptr, 0, digest_size);
    return s;
  }
  /// Feeds `data` into `s`.
  void update(state& s, byte_view data) const { ::crypto_generichash_update(&s.inner, data.data(), data.size()); }
  /// The digest of everything fed into `s`.
  [[nodiscard]] digest finish(state& s) const {
    digest out = digest::zeros(digest_size);
    ::crypto_generichash_final(&s.inner, out.data(), digest_size);
    return out;
  }
};

/// An Ed25519 private key (RFC 8032); wiped from memory when destroyed.
class ed25519_signer {
public:
  /// The algorithm id written into blocks.
  static constexpr algorithm_id algorithm = algorithms::ed25519;

  /// The key pair derived from a 32-byte seed (RFC 8032's "secret key").
  [[nodiscard]] static ed25519_signer from_seed(byte_view seed) {
    evmarket::detail::require(seed.size() == crypto_sign_SEEDBYTES, "seed.size", seed.size(), "must be 32 bytes");
    detail::ensure_initialized();
    ed25519_signer signer;
    ::crypto_sign_seed_keypair(signer.public_key_.data(), signer.secret_key_.data(), seed.data());
    return signer;
  }
  /// A fresh key pair from the operating system's random generator.
  [[nodiscard]] static ed25519_signer generate() {
    detail::ensure_initialized();
    ed25519_signer signer;
    ::crypto_sign_keypair(signer.public_key_.data(), signer.secret_key_.data());
    return signer;
  }

  ///@{
  /// Copies the key pair.
  ed25519_signer(const ed25519_signer&) = default;
  ed25519_signer& operator=(const ed25519_signer&) = default;
  ///@}
  ~ed25519_signer() { ::sodium_memzero(secret_key_.data(), secret_key_.size()); }

  /// The 32-byte public key.
  [[nodiscard]] byte_view public_key() const noexcept { return public_key_; }
  /// The 64-byte signature of `message`.
  [[nodiscard]] bytes sign(byte_view message) const {
    bytes signature(crypto_sign_BYTES);
    ::crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), secret_key_.data());
    return signature;
  }

private:
  ed25519_signer() = default;
  std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> public_key_{};
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> secret_key_{};
};

/// Ed25519 verification: false for a wrong-sized key or signature, never an exception.
struct ed25519_verifier {
  /// The algorithm id this verifier checks.
  static constexpr algorithm_id algorithm = algorithms::ed25519;
  /// True when `signature` is a valid signature of `message` under `public_key`.
  [[nodiscard]] bool verify(byte_view public_key, byte_view message, byte_view signature) const {
    if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) return false;
    detail::ensure_initialized();
    return ::crypto_sign_verify_detached(signature.data(), message.data(), message.size(), public_key.data()) == 0;
  }
};

/// HMAC-SHA256 (RFC 2104) with a key of any length; tags compared with sodium_memcmp.
class hmac_sha256 {
public:
  /// The algorithm id written into records.
  static constexpr algorithm_id algorithm = algorithms::hmac_sha256;
  /// Bytes in a tag.
  static constexpr std::size_t tag_size = crypto_auth_hmacsha256_BYTES;

  /// A MAC keyed with `key` (not empty; the copy of the key is wiped on destruction).
  explicit hmac_sha256(byte_view key) : key_(key.begin(), key.end()) {
    evmarket::detail::require(!key.empty(), "key", "<empty>", "must not be empty");
    detail::ensure_initialized();
  }
  ///@{
  /// Copies the key.
  hmac_sha256(const hmac_sha256&) = default;
  hmac_sha256& operator=(const hmac_sha256&) = default;
  ///@}
  ~hmac_sha256() { ::sodium_memzero(key_.data(), key_.size()); }

  /// The tag of `message`.
  [[nodiscard]] digest tag(byte_view message) const {
    crypto_auth_hmacsha256_state state;
    ::crypto_auth_hmacsha256_init(&state, key_.data(), key_.size());
    ::crypto_auth_hmacsha256_update(&state, message.data(), message.size());
    digest out = digest::zeros(tag_size);
    ::crypto_auth_hmacsha256_final(&state, out.data());
    ::sodium_memzero(&state, sizeof state);
    return out;
  }
  /// True when `tag_bytes` is the tag of `message`.
  [[nodiscard]] bool verify(byte_view message, byte_view tag_bytes) const {
    if (tag_bytes.size() != tag_size) return false;
    const digest expected = tag(message);
    return ::sodium_memcmp(expected.data(), tag_bytes.data(), tag_size) == 0;
  }

private:
  bytes key_;
};

/// XChaCha20-Poly1305 (IETF construction): 32-byte key, 24-byte nonces that may be random.
class xchacha20_poly1305 {
public:
  /// The algorithm id written into sealed records.
  static constexpr algorithm_id algorithm = algorithms::xchacha20_poly1305;
  /// Bytes in a key.
  static constexpr std::size_t key_size = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
  /// Bytes in a nonce.
  static constexpr std::size_t nonce_size = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  /// Bytes in a tag.
  static constexpr std::size_t tag_size = crypto_aead_xchacha20poly1305_ietf_ABYTES;

  /// An AEAD keyed with `key` (key_size bytes; the copy is wiped on destruction).
  explicit xchacha20_poly1305(byte_view key) {
    evmarket::detail::require(key.size() == key_size, "key.size", key.size(), "must be 32 bytes");
    detail::ensure_initialized();
    std::copy(key.begin(), key.end(), key_.begin());
  }
  ///@{
  /// Copies the key.
  xchacha20_poly1305(const xchacha20_poly1305&) = default;
  xchacha20_poly1305& operator=(const xchacha20_poly1305&) = default;
  ///@}
  ~xchacha20_poly1305() { ::sodium_memzero(key_.data(), key_.size()); }

  /// A random nonce (192 bits: collisions are negligible, so random nonces are safe).
  [[nodiscard]] static bytes random_nonce() {
    detail::ensure_initialized();
    bytes nonce(nonce_size);
    ::randombytes_buf(nonce.data(), nonce.size());
    return nonce;
  }

  /// `plaintext` encrypted under `nonce` and authenticated with `associated`: ciphertext || tag.
  [[nodiscard]] bytes seal(byte_view nonce, byte_view plaintext, byte_view associated) const {
    evmarket::detail::require(nonce.size() == nonce_size, "nonce.size", nonce.size(), "must be 24 bytes");
    bytes out(plaintext.size() + tag_size);
    unsigned long long written = 0;
    ::crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &written, plaintext.data(), plaintext.size(),
                                                 associated.data(), associated.size(), nullptr, nonce.data(),
                                                 key_.data());
    out.resize(static_cast<std::size_t>(written));
    return out;
  }
  /// The plaintext, or nothing when the ciphertext, the tag or `associated` was altered.
  [[nodiscard]] std::optional<bytes> open(byte_view nonce, byte_view sealed, byte_view associated) const {
    if (nonce.size() != nonce_size || sealed.size() < tag_size) return std::nullopt;
    bytes out(sealed.size() - tag_size);
    unsigned long long written = 0;
    if (::crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &written, nullptr, sealed.data(), sealed.size(),
                                                     associated.data(), associated.size(), nonce.data(),
                                                     key_.data()) != 0)
      return std::nullopt;
    out.resize(static_cast<std::size_t>(written));
    return out;
  }

private:
  std::array<std::uint8_t, key_size> key_{};
};

static_assert(Hasher<sha256> && Hasher<blake2b_256>);
static_assert(Signer<ed25519_signer> && Verifier<ed25519_verifier>);
static_assert(Mac<hmac_sha256> && Aead<xchacha20_poly1305>);

}  // namespace sodium
EVMARKET_END_NAMESPACE
