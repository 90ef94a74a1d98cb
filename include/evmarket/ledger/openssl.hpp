#pragma once
/// @file
/// OpenSSL 3 adapters for the ledger concepts (link evmarket::openssl), all through the EVP
/// interfaces: SHA-256, SHA3-256, Ed25519, HMAC-SHA256 and AES-256-GCM.

#include <evmarket/core/error.hpp>
#include <evmarket/ledger/concepts.hpp>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#if !defined(OPENSSL_VERSION_MAJOR) || OPENSSL_VERSION_MAJOR < 3
#error "evmarket/ledger/openssl.hpp needs OpenSSL 3 (EVP_MAC, EVP_MD_fetch)"
#endif

EVMARKET_BEGIN_NAMESPACE
namespace openssl {

/// OpenSSL refused an operation (the message carries OpenSSL's own error text).
class openssl_error : public error {
public:
  /// `operation` failed; the message carries OpenSSL's error text.
  explicit openssl_error(const std::string& operation) : error(operation + " failed: " + last_error()) {}

private:
  static std::string last_error() {
    const unsigned long code = ::ERR_get_error();
    ::ERR_clear_error();
    if (code == 0) return "no OpenSSL error recorded";
    char text[256];
    ::ERR_error_string_n(code, text, sizeof text);
    return text;
  }
};

namespace detail {
struct md_ctx_free {
  void operator()(EVP_MD_CTX* p) const noexcept { ::EVP_MD_CTX_free(p); }
};
struct pkey_free {
  void operator()(EVP_PKEY* p) const noexcept { ::EVP_PKEY_free(p); }
};
struct mac_ctx_free {
  void operator()(EVP_MAC_CTX* p) const noexcept { ::EVP_MAC_CTX_free(p); }
};
struct cipher_ctx_free {
  void operator()(EVP_CIPHER_CTX* p) const noexcept { ::EVP_CIPHER_CTX_free(p); }
};
using md_ctx = std::unique_ptr<EVP_MD_CTX, md_ctx_free>;
using pkey = std::unique_ptr<EVP_PKEY, pkey_free>;
using mac_ctx = std::unique_ptr<EVP_MAC_CTX, mac_ctx_free>;
using cipher_ctx = std::unique_ptr<EVP_CIPHER_CTX, cipher_ctx_free>;

inline void check(int status, const char* operation) {
  if (status != 1) throw openssl_error(operation);
}

/// Fetches a digest once per process: implicit fetching on every call would dominate short hashes.
inline const EVP_MD* fetch_md(const char* name) {
  EVP_MD* md = ::EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) throw openssl_error(std::string("EVP_MD_fetch(") + name + ")");
  return md;
}

/// A hasher over one fetched EVP digest; `Md` returns the digest's handle, fetched once.
template <algorithm_id Id, std::size_t Size, const EVP_MD* (*Md)()>
struct evp_hasher {
  static constexpr algorithm_id algorithm = Id;
  static constexpr std::size_t digest_size = Size;
  /// A digest context in progress (move-only).
  using state = md_ctx;

  [[nodiscard]] digest hash(byte_view data) const {
    digest out = digest::zeros(digest_size);
    unsigned int written = 0;
    check(::EVP_Digest(data.data(), data.size(), out.data(), &written, Md(), nullptr), "EVP_Digest");
    return out;
  }
  [[nodiscard]] state begin() const {
    state s(::EVP_MD_CTX_new());
    if (!s) throw openssl_error("EVP_MD_CTX_new");
    check(::EVP_DigestInit_ex2(s.get(), Md(), nullptr), "EVP_DigestInit_ex2");
    return s;
  }
  void update(state& s, byte_view data) const {
    check(::EVP_DigestUpdate(s.get(), data.data(), data.size()), "EVP_DigestUpdate");
  }
  [[nodiscard]] digest finish(state& s) const {
    digest out = digest::zeros(digest_size);
    unsigned int written = 0;
    check(::EVP_DigestFinal_ex(s.get(), out.data(), &written), "EVP_DigestFinal_ex");
    return out;
  }
};

inline const EVP_MD* sha256_md() {
  static const EVP_MD* md = fetch_md("SHA2-256");
  return md;
}
inline const EVP_MD* sha3_256_md() {
  static const EVP_MD* md = fetch_md("SHA3-256");
  return md;
}
}  // namespace detail

/// SHA-256 (FIPS 180-4).
using sha256 = detail::evp_hasher<algorithms::sha256, 32, &detail::sha256_md>;
/// SHA3-256 (FIPS 202).
using sha3_256 = detail::evp_hasher<algorithms::sha3_256, 32, &detail::sha3_256_md>;

/// An Ed25519 private key (RFC 8032), held by OpenSSL.
class ed25519_signer {
public:
  /// The algorithm id written into blocks.
  static constexpr algorithm_id algorithm = algorithms::ed25519;

  /// The key pair derived from a 32-byte seed (RFC 8032's "secret key").
  [[nodiscard]] static ed25519_signer from_seed(byte_view seed) {
    evmarket::detail::require(seed.size() == 32, "seed.size", seed.size(), "must be 32 bytes");
    detail::pkey key(::EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
    if (!key) throw openssl_error("EVP_PKEY_new_raw_private_key");
    return ed25519_signer(std::move(key));
  }
  /// A fresh key pair from OpenSSL's random generator.
  [[nodiscard]] static ed25519_signer generate() {
    std::array<std::uint8_t, 32> seed{};
    detail::check(::RAND_bytes(seed.data(), static_cast<int>(seed.size())), "RAND_bytes");
    ed25519_signer signer = from_seed(seed);
    ::OPENSSL_cleanse(seed.data(), seed.size());
    return signer;
  }

  /// The 32-byte public key.
  [[nodiscard]] byte_view public_key() const noexcept { return public_key_; }
  /// The 64-byte signature of `message`.
  [[nodiscard]] bytes sign(byte_view message) const {
    detail::md_ctx ctx(::EVP_MD_CTX_new());
    if (!ctx) throw openssl_error("EVP_MD_CTX_new");
    detail::check(::EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()), "EVP_DigestSignInit");
    bytes signature(64);
    std::size_t length = signature.size();
    detail::check(::EVP_DigestSign(ctx.get(), signature.data(), &length, message.data(), message.size()),
                  "EVP_DigestSign");
    signature.resize(length);
    return signature;
  }

private:
  explicit ed25519_signer(detail::pkey key) : key_(std::move(key)) {
    std::size_t length = public_key_.size();
    detail::check(::EVP_PKEY_get_raw_public_key(key_.get(), public_key_.data(), &length),
                  "EVP_PKEY_get_raw_public_key");
  }
  std::shared_ptr<EVP_PKEY> key_;
  std::array<std::uint8_t, 32> public_key_{};
};

/// Ed25519 verification: false for a wrong-sized or invalid key or signature, never an exception.
struct ed25519_verifier {
  /// The algorithm id this verifier checks.
  static constexpr algorithm_id algorithm = algorithms::ed25519;
  /// True when `signature` is a valid signature of `message` under `public_key`.
  [[nodiscard]] bool verify(byte_view public_key, byte_view message, byte_view signature) const {
    if (public_key.size() != 32 || signature.size() != 64) return false;
    detail::pkey key(::EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()));
    detail::md_ctx ctx(::EVP_MD_CTX_new());
    const bool ok = key && ctx && ::EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
                    ::EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size()) == 1;
    ::ERR_clear_error();  // a failed verification leaves errors queued that mean nothing here
    return ok;
  }
};

/// HMAC-SHA256 (RFC 2104) through EVP_MAC; tags compared with CRYPTO_memcmp.
class hmac_sha256 {
public:
  /// The algorithm id written into records.
  static constexpr algorithm_id algorithm = algorithms::hmac_sha256;
  /// Bytes in a tag.
  static constexpr std::size_t tag_size = 32;

  /// A MAC keyed with `key` (not empty; the copy of the key is wiped on destruction).
  explicit hmac_sha256(byte_view key) : key_(key.begin(), key.end()) {
    evmarket::detail::require(!key.empty(), "key", "<empty>", "must not be empty");
  }
  ///@{
  /// Copies the key.
  hmac_sha256(const hmac_sha256&) = default;
  hmac_sha256& operator=(const hmac_sha256&) = default;
  ///@}
  ~hmac_sha256() { ::OPENSSL_cleanse(key_.data(), key_.size()); }

  /// The tag of `message`.
  [[nodiscard]] digest tag(byte_view message) const {
    detail::mac_ctx ctx(::EVP_MAC_CTX_new(mac()));
    if (!ctx) throw openssl_error("EVP_MAC_CTX_new");
    char digest_name[] = "SHA2-256";
    const OSSL_PARAM params[] = {
        ::OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        ::OSSL_PARAM_construct_end(),
    };
    detail::check(::EVP_MAC_init(ctx.get(), key_.data(), key_.size(), params), "EVP_MAC_init");
    detail::check(::EVP_MAC_update(ctx.get(), message.data(), message.size()), "EVP_MAC_update");
    digest out = digest::zeros(tag_size);
    std::size_t written = 0;
    detail::check(::EVP_MAC_final(ctx.get(), out.data(), &written, tag_size), "EVP_MAC_final");
    return out;
  }
  /// True when `tag_bytes` is the tag of `message`.
  [[nodiscard]] bool verify(byte_view message, byte_view tag_bytes) const {
    if (tag_bytes.size() != tag_size) return false;
    const digest expected = tag(message);
    return ::CRYPTO_memcmp(expected.data(), tag_bytes.data(), tag_size) == 0;
  }

private:
  static EVP_MAC* mac() {
    static EVP_MAC* fetched = [] {
      EVP_MAC* m = ::EVP_MAC_fetch(nullptr, "HMAC", nullptr);
      if (m == nullptr) throw openssl_error("EVP_MAC_fetch(HMAC)");
      return m;
    }();
    return fetched;
  }
  bytes key_;
};

/// AES-256-GCM with 12-byte nonces and 16-byte tags (NIST SP 800-38D). Random nonces are safe
/// only for a limited number of messages per key (2^32); prefer a counter.
class aes256_gcm {
public:
  /// The algorithm id written into sealed records.
  static constexpr algorithm_id algorithm = algorithms::aes256_gcm;
  /// Bytes in a key.
  static constexpr std::size_t key_size = 32;
  /// Bytes in a nonce.
  static constexpr std::size_t nonce_size = 12;
  /// Bytes in a tag.
  static constexpr std::size_t tag_size = 16;

  /// An AEAD keyed with `key` (key_size bytes; the copy is wiped on destruction).
  explicit aes256_gcm(byte_view key) {
    evmarket::detail::require(key.size() == key_size, "key.size", key.size(), "must be 32 bytes");
    std::copy(key.begin(), key.end(), key_.begin());
  }
  ///@{
  /// Copies the key.
  aes256_gcm(const aes256_gcm&) = default;
  aes256_gcm& operator=(const aes256_gcm&) = default;
  ///@}
  ~aes256_gcm() { ::OPENSSL_cleanse(key_.data(), key_.size()); }

  /// `plaintext` encrypted under `nonce` and authenticated with `associated`: ciphertext || tag.
  [[nodiscard]] bytes seal(byte_view nonce, byte_view plaintext, byte_view associated) const {
    evmarket::detail::require(nonce.size() == nonce_size, "nonce.size", nonce.size(), "must be 12 bytes");
    evmarket::detail::require(plaintext.size() < static_cast<std::size_t>(std::numeric_limits<int>::max()) &&
                                  associated.size() < static_cast<std::size_t>(std::numeric_limits<int>::max()),
                              "plaintext.size", plaintext.size(), "is too large for one EVP call");
    detail::cipher_ctx ctx(::EVP_CIPHER_CTX_new());
    if (!ctx) throw openssl_error("EVP_CIPHER_CTX_new");
    detail::check(::EVP_EncryptInit_ex2(ctx.get(), cipher(), key_.data(), nonce.data(), nullptr), "EVP_EncryptInit_ex2");
    int length = 0;
    if (!associated.empty())
      detail::check(::EVP_EncryptUpdate(ctx.get(), nullptr, &length, associated.data(), static_cast<int>(associated.size())),
                    "EVP_EncryptUpdate(aad)");
    bytes out(plaintext.size() + tag_size);
    int written = 0;
    if (!plaintext.empty())
      detail::check(::EVP_EncryptUpdate(ctx.get(), out.data(), &written, plaintext.data(), static_cast<int>(plaintext.size())),
                    "EVP_EncryptUpdate");
    int final_length = 0;
    detail::check(::EVP_EncryptFinal_ex(ctx.get(), out.data() + written, &final_length), "EVP_EncryptFinal_ex");
    detail::check(::EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(tag_size),
                                        out.data() + plaintext.size()),
                  "EVP_CTRL_AEAD_GET_TAG");
    return out;
  }
  /// The plaintext, or nothing when the ciphertext, the tag or `associated` was altered.
  [[nodiscard]] std::optional<bytes> open(byte_view nonce, byte_view sealed, byte_view associated) const {
    if (nonce.size() != nonce_size || sealed.size() < tag_size ||
        sealed.size() >= static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
        associated.size() >= static_cast<std::size_t>(std::numeric_limits<int>::max()))
      return std::nullopt;
    detail::cipher_ctx ctx(::EVP_CIPHER_CTX_new());
    if (!ctx) throw openssl_error("EVP_CIPHER_CTX_new");
    detail::check(::EVP_DecryptInit_ex2(ctx.get(), cipher(), key_.data(), nonce.data(), nullptr), "EVP_DecryptInit_ex2");
    int length = 0;
    if (!associated.empty())
      detail::check(::EVP_DecryptUpdate(ctx.get(), nullptr, &length, associated.data(), static_cast<int>(associated.size())),
                    "EVP_DecryptUpdate(aad)");
    const std::size_t body = sealed.size() - tag_size;
    bytes out(body);
    int written = 0;
    if (body > 0)
      detail::check(::EVP_DecryptUpdate(ctx.get(), out.data(), &written, sealed.data(), static_cast<int>(body)),
                    "EVP_DecryptUpdate");
    std::array<std::uint8_t, tag_size> tag{};
    std::copy(sealed.begin() + static_cast<std::ptrdiff_t>(body), sealed.end(), tag.begin());
    detail::check(::EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag_size), tag.data()),
                  "EVP_CTRL_AEAD_SET_TAG");
    int final_length = 0;
    // The tag is checked here (in constant time, by OpenSSL); a mismatch is "not authentic".
    if (::EVP_DecryptFinal_ex(ctx.get(), out.data() + written, &final_length) != 1) {
      ::ERR_clear_error();
      ::OPENSSL_cleanse(out.data(), out.size());
      return std::nullopt;
    }
    return out;
  }

private:
  static const EVP_CIPHER* cipher() {
    static const EVP_CIPHER* fetched = [] {
      EVP_CIPHER* c = ::EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
      if (c == nullptr) throw openssl_error("EVP_CIPHER_fetch(AES-256-GCM)");
      return c;
    }();
    return fetched;
  }
  std::array<std::uint8_t, key_size> key_{};
};

static_assert(Hasher<sha256> && Hasher<sha3_256>);
static_assert(Signer<ed25519_signer> && Verifier<ed25519_verifier>);
static_assert(Mac<hmac_sha256> && Aead<aes256_gcm>);

}  // namespace openssl
EVMARKET_END_NAMESPACE
