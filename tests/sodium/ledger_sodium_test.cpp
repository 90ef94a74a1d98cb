// The libsodium adapters pass the ledger's conformance suite.
#include "../ledger_conformance.hpp"

#include <evmarket/market/records.hpp>  // station_request's encoding, used as a sample record
#include <evmarket/ledger/sodium.hpp>

using namespace evmarket;
using ledger_conformance::hex;
using ledger_conformance::text;

TEST_CASE("sodium::sha256 matches FIPS 180-4 and the Certificate Transparency test tree") {
  ledger_conformance::check_sha256(sodium::sha256{});
}

TEST_CASE("sodium::blake2b_256 matches RFC 7693 BLAKE2b with a 32-byte digest") {
  ledger_conformance::check_known_answers(sodium::blake2b_256{},
                                   "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8",
                                   "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

TEST_CASE("sodium Ed25519 matches RFC 8032 tests 1 and 2") {
  ledger_conformance::check_ed25519([](const bytes& seed) { return sodium::ed25519_signer::from_seed(seed); },
                             sodium::ed25519_verifier{});
  const auto a = sodium::ed25519_signer::generate();
  const auto b = sodium::ed25519_signer::generate();
  CHECK_FALSE(ledger_conformance::to_bytes(a.public_key()) == ledger_conformance::to_bytes(b.public_key()));
  CHECK(sodium::ed25519_verifier{}.verify(a.public_key(), text("m"), a.sign(text("m"))));
  CHECK_FALSE(sodium::ed25519_verifier{}.verify(b.public_key(), text("m"), a.sign(text("m"))));
  CHECK_THROWS_AS(sodium::ed25519_signer::from_seed(bytes(31)), bad_input);
}

TEST_CASE("sodium::hmac_sha256 matches RFC 4231 and compares in constant time") {
  ledger_conformance::check_hmac_sha256([](const bytes& key) { return sodium::hmac_sha256(key); });
  CHECK_THROWS_AS(sodium::hmac_sha256(bytes{}), bad_input);
}

TEST_CASE("sodium::xchacha20_poly1305 seals and refuses every alteration") {
  const sodium::xchacha20_poly1305 aead(bytes(32, 7));
  const sodium::xchacha20_poly1305 other(bytes(32, 8));
  ledger_conformance::check_aead(aead, other);
  CHECK(sodium::xchacha20_poly1305::random_nonce().size() == 24);
  CHECK_THROWS_AS(sodium::xchacha20_poly1305(bytes(16)), bad_input);
  // Sealed ledger records: the chain verifies without the key.
  const station_request reservation{station_id{3}, kilowatts(11), 0.8};
  const sealed_record sealed = seal_record(aead, sodium::xchacha20_poly1305::random_nonce(), reservation);
  const auto opened = open_record<station_request>(aead, sealed);
  REQUIRE(opened.has_value());
  CHECK(opened->demand == reservation.demand);
  CHECK_FALSE(open_record<station_request>(other, sealed).has_value());
}

TEST_CASE("a libsodium chain verifies, and every tampering is found at its block") {
  const auto platform = sodium::ed25519_signer::from_seed(bytes(32, 1));
  const auto buyer = sodium::ed25519_signer::from_seed(bytes(32, 2));
  const auto seller = sodium::ed25519_signer::from_seed(bytes(32, 3));
  ledger_conformance::check_chain(sodium::sha256{}, platform, buyer, seller, sodium::ed25519_verifier{});
  ledger_conformance::check_chain(sodium::blake2b_256{}, platform, buyer, seller, sodium::ed25519_verifier{});
}
