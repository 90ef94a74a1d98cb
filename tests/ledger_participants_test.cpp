// Market access, multi-signature trade confirmation, sealed records and traceability, with
// test-only crypto.
#include "ledger_toy_crypto.hpp"

#include <evmarket/market/records.hpp>  // station_request's encoding, used as a sample record
#include <evmarket/ledger/authenticated.hpp>
#include <evmarket/ledger/participants.hpp>
#include <evmarket/ledger/sealed.hpp>
#include <evmarket/ledger/trace.hpp>

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <vector>

using namespace evmarket;

namespace {

struct market {
  std::map<participant_id, toy::signer> keys;
  std::map<participant_id, std::uint64_t> next_sequence;
  participant_registry registry;

  explicit market(int participants) {
    for (int i = 1; i <= participants; ++i) {
      const participant_id id{static_cast<std::uint64_t>(i)};
      keys.emplace(id, toy::signer(static_cast<std::uint8_t>(i)));
      const byte_view key = keys.at(id).public_key();
      registry.enroll(id, bytes(key.begin(), key.end()));
    }
  }
  // Both parties confirm the trade with their next sequence numbers.
  confirmed_trade confirm(const trade& deal, trading_period period) {
    const std::uint64_t b = ++next_sequence[deal.buyer];
    const std::uint64_t s = ++next_sequence[deal.seller];
    return {deal, period, b, s, sign_confirmation(keys.at(deal.buyer), deal, period, b, s),
            sign_confirmation(keys.at(deal.seller), deal, period, b, s)};
  }
};

trade deal(std::uint64_t buyer, std::uint64_t seller, std::int64_t wh, std::int64_t micro_per_kwh) {
  static std::uint64_t order = 0;
  order += 2;
  return priced_trade(order_id{order}, order_id{order + 1}, participant_id{buyer}, participant_id{seller},
                      watt_hours(wh), micro_tokens_per_kwh(micro_per_kwh), micro_tokens_per_kwh(micro_per_kwh));
}

}  // namespace

TEST_CASE("the registry admits each participant once, with a key") {
  participant_registry registry;
  registry.enroll(participant_id{1}, bytes{1, 2});
  CHECK(registry.contains(participant_id{1}));
  CHECK(registry.key_of(participant_id{2}) == std::nullopt);
  CHECK_THROWS_AS(registry.enroll(participant_id{1}, bytes{3}), bad_input);
  CHECK_THROWS_AS(registry.enroll(participant_id{2}, bytes{}), bad_input);
  CHECK(registry.size() == 1);
}

TEST_CASE("a trade counts only when both registered parties signed it, in sequence") {
  market m(3);
  confirmation_checker<toy::verifier> checker(m.registry);
  const trading_period period{0, 37};
  const confirmed_trade first = m.confirm(deal(1, 2, 5'000, 1'100'000), period);
  const confirmed_trade second = m.confirm(deal(1, 3, 2'000, 1'050'000), period);
  CHECK(checker.check(second) == confirmation_status::out_of_order);  // buyer's 1 is missing
  CHECK(checker.accept(first) == confirmation_status::accepted);
  CHECK(checker.last_sequence(participant_id{1}) == 1);
  CHECK(checker.accept(first) == confirmation_status::replayed);
  CHECK(checker.accept(second) == confirmation_status::accepted);
  CHECK(checker.last_sequence(participant_id{1}) == 2);
  CHECK(checker.last_sequence(participant_id{3}) == 1);

  const confirmed_trade next = m.confirm(deal(2, 3, 1'000, 1'000'000), period);
  SUBCASE("one signature is not enough") {
    confirmed_trade only_seller = next;
    only_seller.buyer_signature.clear();
    CHECK(checker.accept(only_seller) == confirmation_status::bad_buyer_signature);
    confirmed_trade only_buyer = next;
    only_buyer.seller_signature = only_buyer.buyer_signature;
    CHECK(checker.accept(only_buyer) == confirmation_status::bad_seller_signature);
  }
  SUBCASE("a signature over a different record fails") {
    confirmed_trade altered = next;
    altered.deal.quantity = watt_hours(9'000);
    CHECK(checker.accept(altered) == confirmation_status::bad_buyer_signature);
    confirmed_trade other_period = next;
    other_period.period = {0, 38};
    CHECK(checker.accept(other_period) == confirmation_status::bad_buyer_signature);
    confirmed_trade other_sequence = next;
    other_sequence.seller_sequence += 1;  // the signatures cover the sequence numbers
    CHECK(checker.accept(other_sequence) == confirmation_status::bad_buyer_signature);
  }
  SUBCASE("an unregistered key is refused") {
    const toy::signer stranger(99);
    trade t = deal(2, 99, 1'000, 1'000'000);
    confirmed_trade forged{t, period, 1, 1, sign_confirmation(m.keys.at(participant_id{2}), t, period, 1, 1),
                           sign_confirmation(stranger, t, period, 1, 1)};
    CHECK(checker.accept(forged) == confirmation_status::unknown_seller);
    std::swap(forged.deal.buyer, forged.deal.seller);
    CHECK(checker.accept(forged) == confirmation_status::unknown_buyer);
    const trade self = deal(2, 2, 1'000, 1'000'000);
    CHECK(checker.accept({self, period, 1, 1, {}, {}}) == confirmation_status::self_trade);
  }
  CHECK(checker.last_sequence(participant_id{2}) == 1);  // refusals changed nothing
  CHECK(checker.accept(next) == confirmation_status::accepted);
}

TEST_CASE("a sealed record hides its payload yet hashes and verifies; only the key opens it") {
  const toy::aead key(7);
  const toy::aead wrong_key(8);
  const station_request reservation{station_id{4}, kilowatts(22), 0.9};
  const bytes nonce{1, 2, 3, 4, 5, 6, 7, 8};
  const bytes context{0xAA};
  const sealed_record sealed = seal_record(key, nonce, reservation, context);
  CHECK(sealed.inner_tag == record_tags::station_request);
  const std::optional<station_request> opened = open_record<station_request>(key, sealed, context);
  REQUIRE(opened.has_value());
  CHECK(opened->station == reservation.station);
  CHECK(opened->demand == reservation.demand);
  CHECK_FALSE(open_record<station_request>(wrong_key, sealed, context).has_value());
  CHECK_FALSE(open_record<station_request>(key, sealed, bytes{0xAB}).has_value());
  CHECK_FALSE(open_record<trade>(key, sealed, context).has_value());  // another type
  sealed_record relabelled = sealed;
  relabelled.inner_tag = record_tags::trade;
  CHECK_FALSE(open_record<trade>(key, relabelled, context).has_value());
  for (std::size_t i = 0; i < sealed.ciphertext.size(); ++i) {
    sealed_record tampered = sealed;
    tampered.ciphertext[i] ^= 0x10;
    CHECK_FALSE(open_record<station_request>(key, tampered, context).has_value());
  }
  CHECK_THROWS_AS(seal_record(key, bytes{1, 2}, reservation), bad_input);

  // In a chain, the sealed record's bytes are what is hashed and signed.
  chain<toy::hasher, toy::verifier> c;
  const toy::signer platform(50);
  c.append(platform, {encode_record(sealed)}, 1);
  CHECK(c.verify().ok());
  const sealed_record stored = decode_record<sealed_record>(c.at(0).records[0]);
  CHECK(stored == sealed);
  CHECK(open_record<station_request>(key, stored, context).has_value());
}

TEST_CASE("an authenticated record opens only with its key, context and exact bytes") {
  const toy::mac pile_key(3);
  const toy::mac other_key(4);
  const station_request reading{station_id{9}, kilowatts(7.4), 1.0};
  const bytes pile{0x09};
  const authenticated_record message = authenticate(pile_key, reading, pile);
  CHECK(message.algorithm == toy::mac::algorithm);
  CHECK(message.record == encode_record(reading));  // readable, only authenticated
  const auto opened = verify_authenticated<station_request>(pile_key, message, pile);
  REQUIRE(opened.has_value());
  CHECK(opened->demand == reading.demand);
  CHECK_FALSE(verify_authenticated<station_request>(other_key, message, pile).has_value());
  CHECK_FALSE(verify_authenticated<station_request>(pile_key, message, bytes{0x08}).has_value());
  CHECK_FALSE(verify_authenticated<trade>(pile_key, message, pile).has_value());  // authentic, other type
  for (std::size_t i = 0; i < message.record.size(); ++i) {
    authenticated_record altered = message;
    altered.record[i] ^= 0x01;
    CHECK_FALSE(verify_authenticated<station_request>(pile_key, altered, pile).has_value());
  }
  for (std::size_t i = 0; i < message.tag.size(); ++i) {
    authenticated_record altered = message;
    altered.tag[i] ^= 0x01;
    CHECK_FALSE(verify_authenticated<station_request>(pile_key, altered, pile).has_value());
  }
  authenticated_record relabelled = message;
  relabelled.algorithm = algorithms::hmac_sha256;
  CHECK_FALSE(verify_authenticated<station_request>(pile_key, relabelled, pile).has_value());
  CHECK(decode_record<authenticated_record>(encode_record(message)) == message);
}

TEST_CASE("trace totals energy and money per participant and period, from verified records only") {
  market m(4);
  chain<toy::hasher, toy::verifier> c;
  const toy::signer platform(60);
  const trading_period p1{0, 36};
  const trading_period p2{0, 37};
  // Independent bookkeeping of what should be counted.
  std::map<std::pair<participant_id, trading_period>, trade_totals> expected;
  const auto book = [&](const confirmed_trade& t) {
    auto& buyer = expected[{t.deal.buyer, t.period}];
    auto& seller = expected[{t.deal.seller, t.period}];
    // price (micro-Token/kWh) x energy (Wh) / 1000 to the nearest micro-Token, halves to even:
    // the amount the trade carries, which both sides' totals must show unchanged.
    const std::int64_t product = t.deal.buyer_price.base() * t.deal.quantity.base();
    const std::int64_t whole = product / 1000, rest = product % 1000;
    const money amount = micro_tokens(rest > 500 || (rest == 500 && whole % 2 == 1) ? whole + 1 : whole);
    REQUIRE(t.deal.buyer_paid == amount);
    buyer.bought += t.deal.quantity;
    buyer.paid += amount;
    seller.sold += t.deal.quantity;
    seller.received += amount;
  };

  const confirmed_trade t1 = m.confirm(deal(1, 2, 5'001, 1'100'001), p1);
  const confirmed_trade t2 = m.confirm(deal(3, 2, 2'000, 1'050'000), p1);
  const confirmed_trade t3 = m.confirm(deal(1, 4, 7'500, 990'000), p2);
  const station_request request{station_id{1}, kilowatts(7), 1.0};
  c.append(platform, {encode_record(t1), encode_record(request), encode_record(t2)}, 10);
  book(t1);
  book(t2);
  // A replayed confirmation and one with a forged signature reach a block, but do not count.
  confirmed_trade forged = m.confirm(deal(4, 3, 1'000, 1'000'000), p2);
  forged.seller_signature = forged.buyer_signature;
  c.append(platform, {encode_record(t3), encode_record(t1), encode_record(forged), bytes{1, 2, 3}}, 20);
  book(t3);

  const ledger_trace<toy::hasher, toy::verifier> index(c, m.registry);
  CHECK(index.verification().ok());
  CHECK(index.trades().size() == 3);
  CHECK(index.records_of_type(record_tags::station_request) == std::vector<record_location>{{0, 1, 0x0101}});
  CHECK(index.records_of_type(record_tags::confirmed_trade).size() == 5);
  REQUIRE(index.untrusted().size() == 3);
  CHECK(index.untrusted()[0].reason == "replayed");
  CHECK(index.untrusted()[1].reason == "bad seller signature");
  CHECK(index.untrusted()[2].where == record_location{1, 3, 0});
  CHECK(index.trades_of(participant_id{2}).size() == 2);
  CHECK(index.trades_of(participant_id{4}).size() == 1);
  CHECK(index.trades_in(p2).size() == 1);
  CHECK(index.trades_in(p2)[0].where == record_location{1, 0, record_tags::confirmed_trade});
  CHECK(index.all_totals() == expected);
  // 1.100001 Token/kWh x 5.001 kWh = 5.501105001 Token: the trade carries 5.501105 (nearest), and
  // so do both parties' totals (the trace reads the amount, it does not recompute it).
  CHECK(index.totals(participant_id{1}, p1).paid == micro_tokens(5'501'105));
  CHECK(index.totals(participant_id{2}, p1).received == micro_tokens(5'501'105) + micro_tokens(2'100'000));
  CHECK(index.totals(participant_id{2}, p1).sold == watt_hours(7'001));
  CHECK(index.totals(participant_id{3}, p2) == trade_totals{});

  // Once a block fails to verify, nothing from it on is trusted, even records that would pass.
  std::vector<block> blocks(c.blocks().begin(), c.blocks().end());
  blocks[1].records.push_back(encode_record(m.confirm(deal(3, 2, 9'999, 1'050'000), p2)));
  const ledger_trace<toy::hasher, toy::verifier> partial(toy::hasher{}, toy::verifier{}, blocks, m.registry);
  CHECK(partial.verification().height == 1);
  CHECK(partial.verification().fault == block_fault::bad_merkle_root);
  CHECK(partial.trades().size() == 2);
  CHECK(partial.totals(participant_id{1}, p2) == trade_totals{});
  CHECK(partial.totals(participant_id{3}, p1) == expected[{participant_id{3}, p1}]);
}
