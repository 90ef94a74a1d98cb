// The OpenSSL 3 adapters pass the ledger's conformance suite.
#include "../ledger_conformance.hpp"

#include <evmarket/market/records.hpp>  // station_request's encoding, used as a sample record
#include <evmarket/ledger/openssl.hpp>

using namespace evmarket;
using ledger_conformance::hex;
using ledger_conformance::text;

TEST_CASE("openssl::sha256 matches FIPS 180-4 and the Certificate Transparency test tree") {
  ledger_conformance::check_sha256(openssl::sha256{});
}

TEST_CASE("openssl::sha3_256 matches FIPS 202") {
  ledger_conformance::check_known_answers(openssl::sha3_256{},
                                   "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
                                   "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
}

TEST_CASE("openssl Ed25519 matches RFC 8032 tests 1 and 2") {
  ledger_conformance::check_ed25519([](const bytes& seed) { return openssl::ed25519_signer::from_seed(seed); },
                             openssl::ed25519_verifier{});
  const auto a = openssl::ed25519_signer::generate();
  const auto b = openssl::ed25519_signer::generate();
  CHECK_FALSE(ledger_conformance::to_bytes(a.public_key()) == ledger_conformance::to_bytes(b.public_key()));
  CHECK(openssl::ed25519_verifier{}.verify(a.public_key(), text("m"), a.sign(text("m"))));
  CHECK_FALSE(openssl::ed25519_verifier{}.verify(b.public_key(), text("m"), a.sign(text("m"))));
  CHECK_THROWS_AS(openssl::ed25519_signer::from_seed(bytes(33)), bad_input);
}

TEST_CASE("openssl::hmac_sha256 matches RFC 4231 and compares in constant time") {
  ledger_conformance::check_hmac_sha256([](const bytes& key) { return openssl::hmac_sha256(key); });
  CHECK_THROWS_AS(openssl::hmac_sha256(bytes{}), bad_input);
}

TEST_CASE("openssl::aes256_gcm matches the GCM test cases and refuses every alteration") {
  // McGrew-Viega GCM test cases 13 and 14 (256-bit zero key, 96-bit zero IV).
  const openssl::aes256_gcm zero_key(bytes(32, 0));
  CHECK(zero_key.seal(bytes(12, 0), bytes{}, bytes{}) == hex("530f8afbc74536b9a963b4f1c4cb738b"));
  CHECK(zero_key.seal(bytes(12, 0), bytes(16, 0), bytes{}) ==
        hex("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919"));
  const openssl::aes256_gcm aead(bytes(32, 7));
  const openssl::aes256_gcm other(bytes(32, 8));
  ledger_conformance::check_aead(aead, other);
  CHECK_THROWS_AS(openssl::aes256_gcm(bytes(16)), bad_input);
  const station_request reservation{station_id{3}, kilowatts(11), 0.8};
  const sealed_record sealed = seal_record(aead, bytes(12, 1), reservation);
  CHECK(open_record<station_request>(aead, sealed).has_value());
  CHECK_FALSE(open_record<station_request>(other, sealed).has_value());
}

TEST_CASE("an OpenSSL chain verifies, and every tampering is found at its block") {
  const auto platform = openssl::ed25519_signer::from_seed(bytes(32, 1));
  const auto buyer = openssl::ed25519_signer::from_seed(bytes(32, 2));
  const auto seller = openssl::ed25519_signer::from_seed(bytes(32, 3));
  ledger_conformance::check_chain(openssl::sha256{}, platform, buyer, seller, openssl::ed25519_verifier{});
  ledger_conformance::check_chain(openssl::sha3_256{}, platform, buyer, seller, openssl::ed25519_verifier{});
}
