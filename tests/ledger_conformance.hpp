#pragma once
// The conformance suite every crypto adapter of the ledger passes: known-answer vectors from
// the standards (FIPS 180-4, FIPS 202, RFC 7693, RFC 8032, RFC 4231, RFC 6962's Certificate
// Transparency test tree, McGrew-Viega GCM test cases), concept behaviour (streaming equals
// one-shot, malformed input is "false", never a crash) and a full chain round trip.
#include <evmarket/ledger/chain.hpp>
#include <evmarket/ledger/concepts.hpp>
#include <evmarket/ledger/merkle.hpp>
#include <evmarket/ledger/participants.hpp>
#include <evmarket/ledger/sealed.hpp>

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace ledger_conformance {

using namespace evmarket;

inline bytes hex(std::string_view text) {
  bytes out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
  return out;
}
inline bytes text(std::string_view s) { return bytes(as_bytes(s).begin(), as_bytes(s).end()); }
inline bytes to_bytes(byte_view v) { return bytes(v.begin(), v.end()); }

// Streaming in random pieces must give the one-shot digest.
template <Hasher H>
void check_streaming(const H& hasher) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 50; ++round) {
    bytes message(rng() % 300);
    for (auto& b : message) b = static_cast<std::uint8_t>(rng());
    auto state = hasher.begin();
    std::size_t at = 0;
    while (at < message.size()) {
      const std::size_t piece = std::min<std::size_t>(message.size() - at, rng() % 70);
      hasher.update(state, byte_view(message).subspan(at, piece));
      at += piece;
    }
    CHECK(hasher.finish(state) == hasher.hash(message));
  }
}

template <Hasher H>
void check_known_answers(const H& hasher, std::string_view empty_hex, std::string_view abc_hex) {
  CHECK(to_bytes(hasher.hash(byte_view{})) == hex(empty_hex));
  CHECK(to_bytes(hasher.hash(text("abc"))) == hex(abc_hex));
  CHECK(hasher.hash(text("abc")).size() == H::digest_size);
  check_streaming(hasher);
}

// FIPS 180-4 examples, and Certificate Transparency's test tree (RFC 6962 hashing).
template <Hasher H>
void check_sha256(const H& hasher) {
  static_assert(H::algorithm == algorithms::sha256);
  check_known_answers(hasher, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_bytes(hasher.hash(text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))) ==
        hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
  const std::vector<bytes> leaves{{},
                                  hex("00"),
                                  hex("10"),
                                  hex("2021"),
                                  hex("3031"),
                                  hex("40414243"),
                                  hex("5051525354555657"),
                                  hex("606162636465666768696a6b6c6d6e6f")};
  const auto root_of = [&](std::size_t n) {
    return to_bytes(merkle_root(hasher, std::span<const bytes>(leaves).first(n)));
  };
  CHECK(root_of(1) == hex("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"));
  CHECK(root_of(2) == hex("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"));
  CHECK(root_of(3) == hex("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"));
  CHECK(root_of(5) == hex("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"));
  CHECK(root_of(7) == hex("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"));
  CHECK(root_of(8) == hex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"));
}

// RFC 8032 section 7.1, tests 1 and 2. `from_seed` builds the adapter's signer.
template <class MakeSigner, Verifier V>
void check_ed25519(MakeSigner from_seed, const V& verifier) {
  struct vector {
    const char *seed, *public_key, *message, *signature;
  };
  const vector vectors[] = {
      {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe2"
       "4655141438e7a100b"},
      {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302ae"
       "eb00d291612bb0c00"},
  };
  for (const vector& v : vectors) {
    const auto signer = from_seed(hex(v.seed));
    static_assert(decltype(signer)::algorithm == algorithms::ed25519);
    CHECK(to_bytes(signer.public_key()) == hex(v.public_key));
    const bytes message = hex(v.message);
    CHECK(signer.sign(message) == hex(v.signature));
    CHECK(verifier.verify(hex(v.public_key), message, hex(v.signature)));
    bytes other = message;
    other.push_back(0);
    CHECK_FALSE(verifier.verify(hex(v.public_key), other, hex(v.signature)));
    for (std::size_t i = 0; i < 64; i += 7) {
      bytes bad = hex(v.signature);
      bad[i] ^= 0x01;
      CHECK_FALSE(verifier.verify(hex(v.public_key), message, bad));
    }
    // Malformed keys and signatures are "does not verify", never an exception.
    CHECK_FALSE(verifier.verify(bytes(31, 1), message, hex(v.signature)));
    CHECK_FALSE(verifier.verify(hex(v.public_key), message, bytes(63, 1)));
    CHECK_FALSE(verifier.verify(bytes{}, message, bytes{}));
    CHECK_FALSE(verifier.verify(bytes(32, 0xFF), message, hex(v.signature)));
  }
}

// RFC 4231 test cases 1 and 2. `make` builds the adapter's MAC from a key.
template <class MakeMac>
void check_hmac_sha256(MakeMac make) {
  const auto mac1 = make(bytes(20, 0x0b));
  static_assert(decltype(mac1)::algorithm == algorithms::hmac_sha256);
  const bytes tag1 = to_bytes(mac1.tag(text("Hi There")));
  CHECK(tag1 == hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
  const auto mac2 = make(text("Jefe"));
  CHECK(to_bytes(mac2.tag(text("what do ya want for nothing?"))) ==
        hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
  CHECK(mac1.verify(text("Hi There"), tag1));
  CHECK_FALSE(mac2.verify(text("Hi There"), tag1));
  CHECK_FALSE(mac1.verify(text("Hi there"), tag1));
  for (std::size_t i = 0; i < tag1.size(); ++i) {
    bytes bad = tag1;
    bad[i] ^= 0x80;
    CHECK_FALSE(mac1.verify(text("Hi There"), bad));
  }
  CHECK_FALSE(mac1.verify(text("Hi There"), byte_view(tag1).first(16)));  // a truncated tag
  CHECK_FALSE(mac1.verify(text("Hi There"), bytes{}));
}

// Any AEAD: round trip, and every alteration refused.
template <Aead A>
void check_aead(const A& aead, const A& other_key) {
  std::mt19937_64 rng(5);
  bytes nonce(A::nonce_size);
  for (auto& b : nonce) b = static_cast<std::uint8_t>(rng());
  for (std::size_t size : {0U, 1U, 15U, 16U, 17U, 100U}) {
    bytes plain(size);
    for (auto& b : plain) b = static_cast<std::uint8_t>(rng());
    const bytes ad = text("period 37");
    const bytes sealed = aead.seal(nonce, plain, ad);
    CHECK(sealed.size() == size + A::tag_size);
    REQUIRE(aead.open(nonce, sealed, ad).has_value());
    CHECK(*aead.open(nonce, sealed, ad) == plain);
    CHECK_FALSE(other_key.open(nonce, sealed, ad).has_value());
    CHECK_FALSE(aead.open(nonce, sealed, text("period 38")).has_value());
    bytes other_nonce = nonce;
    other_nonce[0] ^= 1;
    CHECK_FALSE(aead.open(other_nonce, sealed, ad).has_value());
    for (std::size_t i = 0; i < sealed.size(); ++i) {
      bytes bad = sealed;
      bad[i] ^= 0x04;
      CHECK_FALSE(aead.open(nonce, bad, ad).has_value());
    }
    CHECK_FALSE(aead.open(nonce, byte_view(sealed).first(A::tag_size - 1), ad).has_value());
    CHECK_FALSE(aead.open(byte_view(nonce).first(A::nonce_size - 1), sealed, ad).has_value());
  }
}

// A chain built, verified, tampered with and re-verified with real crypto; two parties confirm a
// trade; a sealed record rides along.
template <Hasher H, class SignerT, Verifier V>
void check_chain(const H& hasher, const SignerT& platform, const SignerT& buyer, const SignerT& seller,
                 const V& verifier) {
  participant_registry registry;
  registry.enroll(participant_id{1}, to_bytes(buyer.public_key()));
  registry.enroll(participant_id{2}, to_bytes(seller.public_key()));
  const trade deal = priced_trade(order_id{1}, order_id{2}, participant_id{1}, participant_id{2}, watt_hours(5'000),
                                  micro_tokens_per_kwh(1'000'000), micro_tokens_per_kwh(1'000'000));
  const trading_period period{0, 37};
  const confirmed_trade confirmed{
      deal, period, 1, 1, sign_confirmation(buyer, deal, period, 1, 1), sign_confirmation(seller, deal, period, 1, 1)};
  confirmation_checker<V> checker(registry, verifier);
  CHECK(checker.check(confirmed) == confirmation_status::accepted);

  chain<H, V> c(hasher, verifier, {to_bytes(platform.public_key())});
  c.append(platform, {encode_record(deal)}, 1);
  c.append(platform, {encode_record(confirmed), encode_record(deal), encode_record(deal)}, 2);
  REQUIRE(c.verify().ok());
  CHECK(c.at(1).header.hash.size() == H::digest_size);
  const inclusion_proof proof = c.prove(1, 0);
  CHECK(c.verify_inclusion(1, c.at(1).records[0], proof));

  std::vector<bytes> encoded;
  for (const block& b : c.blocks()) encoded.push_back(encode_block(b));
  for (std::size_t height = 0; height < encoded.size(); ++height)
    for (std::size_t at = 0; at < encoded[height].size(); at += 3) {
      std::vector<bytes> tampered = encoded;
      tampered[height][at] ^= 0x20;
      const chain_verification v =
          verify_encoded_blocks(hasher, verifier, std::span<const bytes>(tampered), c.authorities());
      CAPTURE(at);
      CHECK(v.height == height);
      CHECK_FALSE(v.ok());
    }
  CHECK_THROWS_AS(c.append(buyer, {}, 3), block_rejected);  // not an authorised block signer
}

}  // namespace ledger_conformance
