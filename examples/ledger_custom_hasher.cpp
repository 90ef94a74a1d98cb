// A ledger without any crypto library: the user supplies their own Hasher (a compact SHA-256
// written from FIPS 180-4) and a symmetric Signer/Verifier pair built on HMAC (paper 000
// protects integrity and authenticity with HMAC; a permissioned platform that holds every key
// can use it in place of public-key signatures). The chain, Merkle proofs and tamper detection
// are evmarket's; only the primitives are the user's. Exits non-zero if any check fails.
#include <evmarket/evmarket.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace user {

using evmarket::byte_view;
using evmarket::bytes;
using evmarket::digest;

// SHA-256, FIPS 180-4 section 6.2.
class sha256 {
public:
  static constexpr evmarket::algorithm_id algorithm = evmarket::algorithms::sha256;  // bit-exact SHA-256
  static constexpr std::size_t digest_size = 32;
  struct state {
    std::array<std::uint32_t, 8> h{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    std::array<std::uint8_t, 64> block{};
    std::size_t used = 0;
    std::uint64_t length = 0;
  };
  [[nodiscard]] state begin() const { return {}; }
  void update(state& s, byte_view data) const {
    for (std::uint8_t byte : data) {
      s.block[s.used++] = byte;
      if (s.used == 64) {
        compress(s);
        s.used = 0;
      }
    }
    s.length += data.size();
  }
  [[nodiscard]] digest finish(state& s) const {
    const std::uint64_t bits = s.length * 8;
    const std::uint8_t one[1] = {0x80};
    const std::uint8_t zero[1] = {0};
    update(s, one);
    while (s.used != 56) update(s, zero);
    std::uint8_t length_bytes[8];
    for (int i = 0; i < 8; ++i) length_bytes[i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
    update(s, length_bytes);
    digest out = digest::zeros(digest_size);
    for (std::size_t i = 0; i < 8; ++i)
      for (std::size_t j = 0; j < 4; ++j) out.data()[4 * i + j] = static_cast<std::uint8_t>(s.h[i] >> (24 - 8 * j));
    return out;
  }
  [[nodiscard]] digest hash(byte_view data) const {
    state s = begin();
    update(s, data);
    return finish(s);
  }

private:
  static std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
  static void compress(state& s) {
    static constexpr std::uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    std::uint32_t w[64];
    for (std::size_t t = 0; t < 16; ++t)
      w[t] = static_cast<std::uint32_t>(s.block[4 * t]) << 24 | static_cast<std::uint32_t>(s.block[4 * t + 1]) << 16 |
             static_cast<std::uint32_t>(s.block[4 * t + 2]) << 8 | static_cast<std::uint32_t>(s.block[4 * t + 3]);
    for (int t = 16; t < 64; ++t) {
      const std::uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
      const std::uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    std::array<std::uint32_t, 8> v = s.h;
    for (int t = 0; t < 64; ++t) {
      const std::uint32_t t1 = v[7] + (rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25)) +
                               ((v[4] & v[5]) ^ (~v[4] & v[6])) + k[t] + w[t];
      const std::uint32_t t2 = (rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22)) +
                               ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
      v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
    }
    for (std::size_t i = 0; i < 8; ++i) s.h[i] += v[i];
  }
};

// HMAC-SHA256 (RFC 2104) over the user's own hash.
inline digest hmac(byte_view key, byte_view message) {
  std::array<std::uint8_t, 64> inner{}, outer{};
  std::copy(key.begin(), key.end(), inner.begin());  // keys here are 32 bytes, under the block size
  outer = inner;
  for (auto& b : inner) b ^= 0x36;
  for (auto& b : outer) b ^= 0x5c;
  const sha256 h;
  auto s = h.begin();
  h.update(s, inner);
  h.update(s, message);
  const digest inner_hash = h.finish(s);
  auto t = h.begin();
  h.update(t, outer);
  h.update(t, inner_hash);
  return h.finish(t);
}

// A platform-held HMAC key: its "public key" is a key id (the SHA-256 of the key).
class hmac_signer {
public:
  static constexpr evmarket::algorithm_id algorithm = evmarket::algorithms::user_defined + 0x10;
  explicit hmac_signer(bytes key) : key_(std::move(key)) {
    const digest id = sha256{}.hash(key_);
    id_.assign(id.view().begin(), id.view().end());
  }
  [[nodiscard]] byte_view public_key() const { return id_; }
  [[nodiscard]] bytes sign(byte_view message) const {
    const digest tag = hmac(key_, message);
    return bytes(tag.view().begin(), tag.view().end());
  }

private:
  bytes key_;
  bytes id_;
};

// Verifies against the platform's key table, comparing tags in constant time.
class hmac_verifier {
public:
  static constexpr evmarket::algorithm_id algorithm = hmac_signer::algorithm;
  void add(const bytes& key) {
    const digest id = sha256{}.hash(key);
    keys_[bytes(id.view().begin(), id.view().end())] = key;
  }
  [[nodiscard]] bool verify(byte_view key_id, byte_view message, byte_view signature) const {
    const auto found = keys_.find(bytes(key_id.begin(), key_id.end()));
    return found != keys_.end() && evmarket::constant_time_equal(hmac(found->second, message), signature);
  }

private:
  std::map<bytes, bytes> keys_;
};

}  // namespace user

static_assert(evmarket::Hasher<user::sha256>, "user::sha256 must provide algorithm, digest_size, hash, begin/update/finish");
static_assert(evmarket::Signer<user::hmac_signer> && evmarket::Verifier<user::hmac_verifier>);

namespace {
int failures = 0;
void expect(bool ok, const char* what) {
  std::printf("%-58s %s\n", what, ok ? "ok" : "FAILED");
  if (!ok) ++failures;
}
std::string hex(evmarket::byte_view v) {
  std::string s;
  char b[3];
  for (std::uint8_t x : v) {
    std::snprintf(b, sizeof b, "%02x", x);
    s += b;
  }
  return s;
}
}  // namespace

int main() {
  using namespace evmarket;
  const user::sha256 hasher;
  const std::string abc = hex(hasher.hash(as_bytes("abc")));
  std::printf("SHA-256(\"abc\") = %s\n", abc.c_str());
  expect(abc == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "user SHA-256 matches FIPS 180-4");
  // RFC 4231 test 2 exercises the user's HMAC.
  const std::string jefe = hex(user::hmac(as_bytes("Jefe"), as_bytes("what do ya want for nothing?")));
  expect(jefe == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "user HMAC-SHA256 matches RFC 4231");

  const bytes platform_key(32, 0x42);
  const user::hmac_signer platform(platform_key);
  user::hmac_verifier verifier;
  verifier.add(platform_key);

  chain<user::sha256, user::hmac_verifier> ledger(hasher, verifier);
  const trade t1 = priced_trade(order_id{1}, order_id{2}, participant_id{1}, participant_id{2}, kilowatt_hours(5.0),
                                tokens_per_kwh(1.10), tokens_per_kwh(1.10));
  const trade t2 = priced_trade(order_id{3}, order_id{4}, participant_id{3}, participant_id{2}, kilowatt_hours(2.5),
                                tokens_per_kwh(1.05), tokens_per_kwh(1.05));
  ledger.append(platform, {encode_record(t1)}, 1'000);
  ledger.append(platform, {encode_record(t1), encode_record(t2)}, 2'000);
  std::printf("chain of %llu blocks, tip %s\n", static_cast<unsigned long long>(ledger.size()),
              hex(ledger.tip_hash()).substr(0, 16).c_str());
  expect(ledger.verify().ok(), "the chain verifies");
  expect(ledger.verify_inclusion(1, encode_record(t2), ledger.prove(1, 1)), "t2 is proven to be in block 1");

  std::vector<block> tampered(ledger.blocks().begin(), ledger.blocks().end());
  tampered[1].records[1][20] ^= 1;  // change t2's quantity
  const chain_verification v = verify_blocks(hasher, verifier, std::span<const block>(tampered));
  std::printf("after tampering: %s\n", v.message().c_str());
  expect(v.height == 1 && v.fault == block_fault::bad_merkle_root, "tampering is detected at block 1");

  const user::hmac_signer intruder(bytes(32, 0x66));
  bool refused = false;
  try {
    ledger.append(intruder, {encode_record(t2)}, 3'000);
  } catch (const block_rejected& e) {
    refused = e.fault() == block_fault::bad_signature;
  }
  expect(refused, "a block from an unknown key is refused");
  return failures == 0 ? 0 : 1;
}
