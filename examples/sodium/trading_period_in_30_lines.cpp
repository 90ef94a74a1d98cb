// README's "a trading period in 30 lines": a quota market session composed with non-default
// policies (credit-priority allocation, McAfee's truthful pricing, a libsodium chain sink),
// driven through one period. Exits non-zero if the period does not settle and verify.
#include <evmarket/evmarket.hpp>
#include <evmarket/ledger/sodium.hpp>

#include <cstdio>
#include <utility>

int main() {
  using namespace evmarket;
  using ledger = chain_ledger_sink<sodium::blake2b_256, sodium::ed25519_verifier, sodium::ed25519_signer>;
  quota_market_session<strict_credit_priority, mcafee, time_of_use_tariff, over_consumption_penalty, ledger> market{
      session_setup(), strict_credit_priority(), mcafee(), time_of_use_tariff(), over_consumption_penalty(),
      ledger(sodium::ed25519_signer::generate())};
  const station_id a = market.enrol_station("A"), b = market.enrol_station("B"), c = market.enrol_station("C"),
                   d = market.enrol_station("D");
  const trading_period evening{0, 37};  // 18:30-19:00, traded from 18:00
  market.clock().set(market_time::at(0, 18, 0));
  market.broadcast_margin(evening, kilowatts(130));
  for (auto [station, credit] : {std::pair{a, 90.9}, {b, 165.3}, {c, 256.7}, {d, 233.2}})  // paper 001's credits
    static_cast<void>(market.submit_demand(evening, station, kilowatts(40), tokens(5'000), credit));
  market.clock().set(market_time::at(0, 18, 5));
  static_cast<void>(market.pre_allocate(evening));  // strict priority: C, D, B 40 kW each, A the 10 kW left
  market.clock().set(market_time::at(0, 18, 7));
  static_cast<void>(market.submit_order(evening, a, side::buy, kilowatt_hours(8), tokens_per_kwh(40)));
  static_cast<void>(market.submit_order(evening, b, side::buy, kilowatt_hours(4), tokens_per_kwh(30)));
  static_cast<void>(market.submit_order(evening, c, side::sell, kilowatt_hours(6), tokens_per_kwh(10)));
  static_cast<void>(market.submit_order(evening, d, side::sell, kilowatt_hours(6), tokens_per_kwh(20)));
  market.clock().set(market_time::at(0, 18, 10));
  const call_auction_result cleared = market.clear(evening);
  market.clock().set(market_time::at(0, 18, 45));
  for (station_id s : {a, b, c, d}) market.record_metering(evening, s, kilowatt_hours(13));
  market.clock().set(market_time::at(0, 19, 0));
  const period_settlement settled = market.settle(evening);
  for (const settlement_line& line : settled.lines)
    std::printf("%s: fee %.2f, auction %+.2f, penalty %.2f, withdraws %.2f Token\n",
                market.roster().name(line.station).c_str(), line.fee.display(), line.auction_payment.display(),
                line.penalty.display(), line.withdrawn.display());
  std::printf("%zu trades, operator receives %.2f Token, ledger: %s\n", cleared.trades.size(),
              settled.operator_income.display(), market.sink().verify().message().c_str());
  return settled.escrow_balance().is_zero() && market.sink().verify().ok() ? 0 : 1;
}
