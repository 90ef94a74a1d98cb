// Cross-verification: a chain written with one adapter verifies with the other wherever the
// algorithms match (SHA-256 and Ed25519 in both libsodium and OpenSSL), and so do MACs and
// trade confirmations. Store bytes written by one are read back by the other.
#include <evmarket/ledger/authenticated.hpp>
#include <evmarket/ledger/chain.hpp>
#include <evmarket/ledger/openssl.hpp>
#include <evmarket/ledger/participants.hpp>
#include <evmarket/ledger/sodium.hpp>
#include <evmarket/market/records.hpp>  // station_request's encoding, used as a sample record

#include <doctest/doctest.h>

#include <random>
#include <vector>

using namespace evmarket;

namespace {

bytes to_bytes(byte_view v) { return bytes(v.begin(), v.end()); }

std::vector<bytes> random_records(std::mt19937_64& rng, std::size_t count) {
  std::vector<bytes> records(count);
  for (auto& r : records) {
    r.resize(1 + rng() % 90);
    for (auto& b : r) b = static_cast<std::uint8_t>(rng());
  }
  return records;
}

template <Hasher HW, Signer SW, Hasher HR, Verifier VR>
void write_then_verify(const SW& writer_key) {
  std::mt19937_64 rng(11);
  chain<HW, VR> written({}, {}, {to_bytes(writer_key.public_key())});
  for (int height = 0; height < 6; ++height)
    written.append(writer_key, random_records(rng, static_cast<std::size_t>(height * 3)), height);
  // Ship the blocks as bytes, verify with the other library.
  std::vector<bytes> shipped;
  for (const block& b : written.blocks()) shipped.push_back(encode_block(b));
  const std::vector<bytes> authorities{to_bytes(writer_key.public_key())};
  CHECK(verify_encoded_blocks(HR{}, VR{}, std::span<const bytes>(shipped), authorities).ok());
  chain<HR, VR> reread({}, {}, authorities);
  for (const bytes& raw : shipped) reread.append(decode_block(raw));
  CHECK(reread.verify().ok());
  for (std::uint64_t h = 0; h < reread.size(); ++h) {
    CHECK(reread.at(h).header.hash == written.at(h).header.hash);
    if (!reread.at(h).records.empty()) CHECK(reread.verify_inclusion(h, reread.at(h).records[0], written.prove(h, 0)));
  }
  shipped[3][40] ^= 1;
  const chain_verification v = verify_encoded_blocks(HR{}, VR{}, std::span<const bytes>(shipped), authorities);
  CHECK(v.height == 3);
}

}  // namespace

TEST_CASE("a chain written with libsodium verifies with OpenSSL") {
  write_then_verify<sodium::sha256, sodium::ed25519_signer, openssl::sha256, openssl::ed25519_verifier>(
      sodium::ed25519_signer::from_seed(bytes(32, 9)));
}

TEST_CASE("a chain written with OpenSSL verifies with libsodium") {
  write_then_verify<openssl::sha256, openssl::ed25519_signer, sodium::sha256, sodium::ed25519_verifier>(
      openssl::ed25519_signer::from_seed(bytes(32, 10)));
}

TEST_CASE("both libraries produce identical keys, signatures, digests and MAC tags") {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 40; ++round) {
    bytes seed(32);
    for (auto& b : seed) b = static_cast<std::uint8_t>(rng());
    bytes message(rng() % 200);
    for (auto& b : message) b = static_cast<std::uint8_t>(rng());
    const auto a = sodium::ed25519_signer::from_seed(seed);
    const auto b = openssl::ed25519_signer::from_seed(seed);
    CHECK(to_bytes(a.public_key()) == to_bytes(b.public_key()));
    CHECK(a.sign(message) == b.sign(message));  // Ed25519 is deterministic
    CHECK(openssl::ed25519_verifier{}.verify(a.public_key(), message, a.sign(message)));
    CHECK(sodium::ed25519_verifier{}.verify(b.public_key(), message, b.sign(message)));
    CHECK(sodium::sha256{}.hash(message) == openssl::sha256{}.hash(message));
    const sodium::hmac_sha256 mac_a(seed);
    const openssl::hmac_sha256 mac_b(seed);
    CHECK(mac_a.tag(message) == mac_b.tag(message));
    CHECK(mac_b.verify(message, mac_a.tag(message)));
  }
}

TEST_CASE("a trade confirmed with libsodium keys is accepted by an OpenSSL checker") {
  const auto buyer = sodium::ed25519_signer::from_seed(bytes(32, 1));
  const auto seller = openssl::ed25519_signer::from_seed(bytes(32, 2));
  participant_registry registry;
  registry.enroll(participant_id{1}, to_bytes(buyer.public_key()));
  registry.enroll(participant_id{2}, to_bytes(seller.public_key()));
  const trade deal = priced_trade(order_id{5}, order_id{6}, participant_id{1}, participant_id{2}, watt_hours(1'000),
                                  micro_tokens_per_kwh(900'000), micro_tokens_per_kwh(900'000));
  const confirmed_trade t{
      deal, {1, 2}, 1, 1, sign_confirmation(buyer, deal, {1, 2}, 1, 1), sign_confirmation(seller, deal, {1, 2}, 1, 1)};
  confirmation_checker<openssl::ed25519_verifier> by_openssl(registry);
  confirmation_checker<sodium::ed25519_verifier> by_sodium(registry);
  CHECK(by_openssl.accept(t) == confirmation_status::accepted);
  CHECK(by_sodium.accept(t) == confirmation_status::accepted);
  CHECK(by_openssl.accept(t) == confirmation_status::replayed);
}

TEST_CASE("a record authenticated with libsodium's HMAC verifies with OpenSSL's") {
  const bytes key(32, 0x5A);
  const station_request reading{station_id{2}, kilowatts(11), 1.0};
  const authenticated_record message = authenticate(sodium::hmac_sha256(key), reading);
  CHECK(verify_authenticated<station_request>(openssl::hmac_sha256(key), message).has_value());
  authenticated_record altered = message;
  altered.record.back() ^= 1;
  CHECK_FALSE(verify_authenticated<station_request>(openssl::hmac_sha256(key), altered).has_value());
}
