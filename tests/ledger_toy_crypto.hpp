#pragma once
// Test-only stand-ins for a crypto library: deterministic, dependency-free and NOT secure. They
// let the ledger's crypto-free parts (encoding, Merkle trees, chains, the store) be tested
// without libsodium or OpenSSL, and show that any type satisfying the concepts plugs in.
#include <evmarket/ledger/concepts.hpp>

#include <array>
#include <cstdint>
#include <optional>

namespace toy {

using evmarket::byte_view;
using evmarket::bytes;
using evmarket::digest;

// Four FNV-1a lanes with different seeds, finished by a mixer: 32 bytes of "hash".
struct hasher {
  static constexpr evmarket::algorithm_id algorithm = evmarket::algorithms::user_defined + 1;
  static constexpr std::size_t digest_size = 32;
  struct state {
    std::array<std::uint64_t, 4> lanes{0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL, 0x9e3779b97f4a7c15ULL,
                                       0xc2b2ae3d27d4eb4fULL};
    std::uint64_t length = 0;
  };
  [[nodiscard]] state begin() const { return {}; }
  void update(state& s, byte_view data) const {
    for (std::uint8_t b : data) {
      for (std::size_t lane = 0; lane < 4; ++lane) {
        s.lanes[lane] ^= static_cast<std::uint64_t>(b) + lane;
        s.lanes[lane] *= 0x100000001b3ULL;
      }
      ++s.length;
    }
  }
  [[nodiscard]] digest finish(state& s) const {
    digest out = digest::zeros(digest_size);
    for (std::size_t lane = 0; lane < 4; ++lane) {
      std::uint64_t x = s.lanes[lane] ^ (s.length * 0x9e3779b97f4a7c15ULL) ^ s.lanes[(lane + 1) % 4];
      x ^= x >> 33;
      x *= 0xff51afd7ed558ccdULL;
      x ^= x >> 33;
      for (std::size_t i = 0; i < 8; ++i) out.data()[lane * 8 + i] = static_cast<std::uint8_t>(x >> (8 * i));
    }
    return out;
  }
  [[nodiscard]] digest hash(byte_view data) const {
    state s = begin();
    update(s, data);
    return finish(s);
  }
};

// A "signature" is the toy hash of key || message, and the public key is the secret itself:
// anyone can forge, but a changed message, key or signature is still detected.
class signer {
public:
  static constexpr evmarket::algorithm_id algorithm = evmarket::algorithms::user_defined + 2;
  explicit signer(std::uint8_t seed) { key_.assign(16, seed); }
  [[nodiscard]] byte_view public_key() const { return key_; }
  [[nodiscard]] bytes sign(byte_view message) const { return compute(key_, message); }
  static bytes compute(byte_view key, byte_view message) {
    hasher h;
    auto s = h.begin();
    h.update(s, key);
    h.update(s, message);
    const digest d = h.finish(s);
    return bytes(d.view().begin(), d.view().end());
  }

private:
  bytes key_;
};

struct verifier {
  static constexpr evmarket::algorithm_id algorithm = signer::algorithm;
  [[nodiscard]] bool verify(byte_view public_key, byte_view message, byte_view signature) const {
    if (public_key.size() != 16) return false;
    return evmarket::constant_time_equal(signer::compute(public_key, message), signature);
  }
};

// A toy AEAD: XOR with a key stream from the toy hash, tag = toy hash of everything.
class aead {
public:
  static constexpr evmarket::algorithm_id algorithm = evmarket::algorithms::user_defined + 3;
  static constexpr std::size_t nonce_size = 8;
  static constexpr std::size_t tag_size = 32;
  explicit aead(std::uint8_t key) : key_(key) {}
  [[nodiscard]] bytes seal(byte_view nonce, byte_view plain, byte_view associated) const {
    bytes out(plain.begin(), plain.end());
    stream(nonce, out);
    const digest t = tag(nonce, out, associated);
    out.insert(out.end(), t.view().begin(), t.view().end());
    return out;
  }
  [[nodiscard]] std::optional<bytes> open(byte_view nonce, byte_view sealed, byte_view associated) const {
    if (sealed.size() < tag_size) return std::nullopt;
    bytes body(sealed.begin(), sealed.end() - tag_size);
    if (!evmarket::constant_time_equal(tag(nonce, body, associated), sealed.last(tag_size))) return std::nullopt;
    stream(nonce, body);
    return body;
  }

private:
  void stream(byte_view nonce, bytes& data) const {
    for (std::size_t i = 0; i < data.size(); ++i) {
      const std::uint8_t block[3] = {key_, static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8)};
      hasher h;
      auto s = h.begin();
      h.update(s, nonce);
      h.update(s, block);
      data[i] ^= h.finish(s).data()[0];
    }
  }
  [[nodiscard]] digest tag(byte_view nonce, byte_view body, byte_view associated) const {
    hasher h;
    auto s = h.begin();
    const std::uint8_t k[1] = {key_};
    h.update(s, k);
    h.update(s, nonce);
    h.update(s, associated);
    h.update(s, body);
    return h.finish(s);
  }
  std::uint8_t key_;
};

// A toy MAC: the toy hash of key || message, compared in constant time.
class mac {
public:
  static constexpr evmarket::algorithm_id algorithm = evmarket::algorithms::user_defined + 4;
  static constexpr std::size_t tag_size = 32;
  explicit mac(std::uint8_t key) : key_(8, key) {}
  [[nodiscard]] digest tag(byte_view message) const { return digest::from(signer::compute(key_, message)); }
  [[nodiscard]] bool verify(byte_view message, byte_view t) const {
    return evmarket::constant_time_equal(tag(message), t);
  }

private:
  bytes key_;
};

static_assert(evmarket::Hasher<hasher>);
static_assert(evmarket::Mac<mac>);
static_assert(evmarket::Signer<signer>);
static_assert(evmarket::Verifier<verifier>);
static_assert(evmarket::Aead<aead>);

}  // namespace toy
