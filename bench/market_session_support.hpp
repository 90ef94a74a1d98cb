#pragma once
// A paper 003 period for many stations, and the same period computed by calling the components by
// hand: what the session benchmarks run (core and libsodium).
#include <evmarket/evmarket.hpp>

#include <benchmark/benchmark.h>

#include <string>

#include <random>
#include <vector>

namespace evmarket_bench {

using namespace evmarket;

// `stations` stations; demand 10-60 kW against a margin of 80 % of it; every station orders (half
// buy, half sell) and draws about its quota.
inline quota_period_input paper003_period(const std::vector<station_id>& stations, trading_period delivery) {
  std::mt19937_64 random(7);
  quota_period_input input{delivery, power::zero(), {}};
  std::int64_t total = 0;
  for (std::size_t i = 0; i < stations.size(); ++i) {
    quota_station_input s;
    s.station = stations[i];
    s.demand = watts(10'000 + static_cast<std::int64_t>(random() % 50'000));
    total += s.demand.base();
    s.deposit = tokens(20'000);
    s.order_side = i % 2 == 0 ? side::buy : side::sell;
    s.order_quantity = watt_hours(100 + static_cast<std::int64_t>(random() % 4'000));
    s.order_limit = micro_tokens_per_kwh(10'000'000 + static_cast<std::int64_t>(random() % 30'000'000));
    s.metered = watt_hours(4'000 + static_cast<std::int64_t>(random() % 20'000));
    input.stations.push_back(s);
  }
  input.margin = watts(total / 10 * 8);
  return input;
}

// Enrols `count` stations in `session` and drives prepared periods through it, every other day's
// evening, reusing the report's storage: what both session benchmarks time.
template <class Session>
void run_session_periods(benchmark::State& state, Session& session) {
  std::vector<station_id> stations;
  for (std::int64_t i = 0; i < state.range(0); ++i) stations.push_back(session.enrol_station("S" + std::to_string(i)));
  quota_period_input input = paper003_period(stations, {0, 37});
  quota_period_report report;
  std::int64_t day = 0;
  for (auto _ : state) {
    input.delivery = {day++, 37};
    session.run_period_into(input, report);
    benchmark::DoNotOptimize(report.settlement.operator_income);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// The period by hand: beta allocation, the call auction, and each station's settlement line from
// the same policies the session uses.
struct by_hand {
  proportional_allocation allocation_rule;
  call_auction<midpoint_per_match> auction;
  time_of_use_tariff fees;
  over_consumption_penalty penalties;
  std::vector<station_request> requests;
  std::vector<call_order> bids, offers;
  std::vector<std::size_t> bid_owner, offer_owner;
  std::vector<energy> quota_energy, bought, sold;

  money run(const quota_period_input& input, std::int32_t start_minute) {
    const std::size_t n = input.stations.size();
    requests.clear();
    for (const quota_station_input& s : input.stations) requests.push_back({s.station, s.demand, 0.0});
    const allocation quotas = allocation_rule.allocate(input.margin, requests);
    quota_energy.assign(n, energy::zero());
    bought.assign(n, energy::zero());
    sold.assign(n, energy::zero());
    bids.clear();
    offers.clear();
    bid_owner.clear();
    offer_owner.clear();
    id_issuer<order_id> ids;
    for (std::size_t i = 0; i < n; ++i) {
      const quota_station_input& s = input.stations[i];
      quota_energy[i] = energy_over(quotas.quotas[i], 30, rounding::down);
      if (s.order_side == side::sell && s.order_quantity > quota_energy[i]) continue;
      (s.order_side == side::buy ? bids : offers).push_back({ids.next(), s.station, s.order_quantity, s.order_limit});
      (s.order_side == side::buy ? bid_owner : offer_owner).push_back(i);
    }
    const call_auction_result result = auction.clear(bids, offers);
    for (std::size_t b = 0; b < bids.size(); ++b) bought[bid_owner[b]] = result.bid_outcomes[b].traded;
    for (std::size_t o = 0; o < offers.size(); ++o) sold[offer_owner[o]] = result.offer_outcomes[o].traded;
    const price rate = fees.rate_at(start_minute);
    money operator_income = result.buyers_paid - result.sellers_received;
    for (std::size_t i = 0; i < n; ++i) {
      const quota_station_input& s = input.stations[i];
      const energy final_quota = quota_energy[i] + bought[i] - sold[i];
      settlement_line line;
      line.deposit = s.deposit;
      line.fee = cost(rate, s.metered, rounding::up);
      line.penalty = penalties.penalty({std::max(energy::zero(), s.metered - final_quota), rate});
      line.auction_payment = trade_amount(s.order_limit, bought[i]);  // stands in for the carried amounts
      detail::close_settlement_line(line);
      operator_income += line.fee + line.penalty - line.unpaid;
    }
    return operator_income;
  }
};

}  // namespace evmarket_bench
