// Paper 001's trading flow on a ledger, with libsodium: market access generates a key pair per
// registered participant; both parties sign each matched charging-right trade; only trades with
// both signatures are packed into a block; the chain verifies; a tampered record is detected;
// the settlement totals are traced from what verifies. Exits non-zero if any check fails.
#include <evmarket/evmarket.hpp>
#include <evmarket/ledger/sodium.hpp>

#include <cstdio>
#include <map>
#include <vector>

using namespace evmarket;

namespace {
int failures = 0;
void expect(bool ok, const char* what) {
  std::printf("  %-62s %s\n", what, ok ? "ok" : "FAILED");
  if (!ok) ++failures;
}
bytes copy_of(byte_view v) { return bytes(v.begin(), v.end()); }
}  // namespace

int main() {
  // Market access: the DPN operator (which packs blocks) and three charging stations register;
  // the platform generates a key pair for each.
  const auto operator_key = sodium::ed25519_signer::generate();
  std::map<participant_id, sodium::ed25519_signer> keys;
  participant_registry registry;
  for (std::uint64_t id = 1; id <= 3; ++id) {
    keys.emplace(participant_id{id}, sodium::ed25519_signer::generate());
    registry.enroll(participant_id{id}, copy_of(keys.at(participant_id{id}).public_key()));
  }
  std::printf("registered %zu stations\n", registry.size());

  // Matched charging-right trades for period 37 (18:30-19:00): seller, buyer, kWh, Token/kWh.
  const trading_period period{0, 37};
  struct match {
    std::uint64_t buyer, seller;
    double kwh, price;
  };
  const match matches[] = {{1, 2, 12.0, 1.10}, {3, 2, 6.0, 1.08}, {1, 3, 4.5, 1.12}};
  std::map<participant_id, std::uint64_t> sequence;
  confirmation_checker<sodium::ed25519_verifier> checker(registry);
  std::vector<bytes> records;
  std::uint64_t order = 100;
  for (const match& m : matches) {
    const trade deal =
        priced_trade(order_id{order}, order_id{order + 1}, participant_id{m.buyer}, participant_id{m.seller},
                     kilowatt_hours(m.kwh), tokens_per_kwh(m.price), tokens_per_kwh(m.price));
    order += 2;
    const std::uint64_t b = ++sequence[deal.buyer];
    const std::uint64_t s = ++sequence[deal.seller];
    const confirmed_trade confirmed{deal,
                                    period,
                                    b,
                                    s,
                                    sign_confirmation(keys.at(deal.buyer), deal, period, b, s),
                                    sign_confirmation(keys.at(deal.seller), deal, period, b, s)};
    if (checker.accept(confirmed) == confirmation_status::accepted) records.push_back(encode_record(confirmed));
  }
  std::printf("both parties signed %zu of %zu matched trades\n", records.size(), std::size(matches));
  expect(records.size() == std::size(matches), "every matched trade carries both signatures");

  // A trade signed by the buyer alone is refused before it reaches a block.
  const trade one_sided = priced_trade(order_id{200}, order_id{201}, participant_id{2}, participant_id{3},
                                       kilowatt_hours(1.0), tokens_per_kwh(1.0), tokens_per_kwh(1.0));
  const confirmed_trade unsigned_by_seller{
      one_sided, period, 3, 3, sign_confirmation(keys.at(participant_id{2}), one_sided, period, 3, 3), {}};
  expect(checker.accept(unsigned_by_seller) == confirmation_status::bad_seller_signature,
         "a trade without the seller's signature is refused");

  // The operator packs the period's trades into a block (paper 001's settlement step).
  chain<sodium::sha256, sodium::ed25519_verifier> ledger({}, {}, {copy_of(operator_key.public_key())});
  ledger.append(operator_key, {}, 0);
  ledger.append(operator_key, records, 1'140);
  expect(ledger.verify().ok(), "the chain verifies");

  const ledger_trace<sodium::sha256, sodium::ed25519_verifier> trace(ledger, registry);
  const trade_totals station1 = trace.totals(participant_id{1}, period);
  std::printf("station 1 bought %.3f kWh for %.6f Token; station 2 sold %.3f kWh for %.6f Token\n",
              station1.bought.display(), station1.paid.display(),
              trace.totals(participant_id{2}, period).sold.display(),
              trace.totals(participant_id{2}, period).received.display());
  // 12 kWh x 1.10 + 4.5 kWh x 1.12 = 13.2 + 5.04 Token.
  expect(station1.bought == kilowatt_hours(16.5) && station1.paid == tokens(18.24), "station 1's totals trace exactly");
  expect(trace.totals(participant_id{2}, period).received == tokens(19.68), "station 2's totals trace exactly");

  // Someone edits a recorded quantity after the fact.
  std::vector<block> tampered(ledger.blocks().begin(), ledger.blocks().end());
  tampered[1].records[0][40] ^= 0x01;
  const chain_verification v = verify_blocks(sodium::sha256{}, sodium::ed25519_verifier{},
                                             std::span<const block>(tampered), ledger.authorities());
  std::printf("tampered chain: %s\n", v.message().c_str());
  expect(!v.ok() && v.height == 1, "the tampered record is detected in block 1");
  return failures == 0 ? 0 : 1;
}
