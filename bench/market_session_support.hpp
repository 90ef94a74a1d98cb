#pragma once
// A paper 003 period for many stations, and the same period computed by calling the components by
// hand: what the session benchmarks run (core and libsodium).
#include <evmarket/evmarket.hpp>

#include <benchmark/benchmark.h>

#include <limits>
#include <random>
#include <string>
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

// A station's name for enrolment, built without the temporary that trips GCC 12's -Wrestrict.
inline std::string station_name(std::int64_t i) {
  std::string name = std::to_string(i);
  name.insert(name.begin(), 'S');
  return name;
}

// Enrols `count` stations in `session` and drives prepared periods through it, every day's
// evening, reusing the report's storage: what both session benchmarks time.
template <class Session>
void run_session_periods(benchmark::State& state, Session& session) {
  std::vector<station_id> stations;
  for (std::int64_t i = 0; i < state.range(0); ++i) stations.push_back(session.enrol_station(station_name(i)));
  quota_period_input input = paper003_period(stations, {0, 37});
  quota_period_report report;
  std::int64_t day = 0;
  // One period before timing, as the by-hand benchmark runs its check: both are timed warm.
  input.delivery = {day++, 37};
  session.run_period_into(input, report);
  for (auto _ : state) {
    input.delivery = {day++, 37};
    session.run_period_into(input, report);
    benchmark::DoNotOptimize(report.settlement.operator_income);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// The same period by hand: the components and policies the session composes, called directly on
// the same inputs, producing the same report (demand and order outcomes with the deposit and quota
// checks, the allocation, the clearing, settlement lines and transfers). What it leaves out is
// what only the session does: phase and replay checks, the roster, the period bookkeeping.
struct by_hand {
  trading_calendar calendar{48};
  proportional_allocation allocation_rule;
  call_auction<midpoint_per_match> auction;
  time_of_use_tariff fees;
  over_consumption_penalty penalties;
  participant_id operator_account;
  std::vector<station_request> requests;
  std::vector<std::size_t> accepted;  // input index of each accepted demand
  std::vector<call_order> bids, offers;
  std::vector<std::uint32_t> order_of;  // per accepted demand: its index among bids or offers
  std::vector<side> order_side;
  std::vector<energy> quota_energy;
  std::vector<money> worst_fee;

  void run(const quota_period_input& input, quota_period_report& report) {
    const std::int32_t start_minute = calendar.start_minute(input.delivery);
    const std::int32_t minutes = calendar.period_minutes();
    take_demands(input, start_minute, minutes, report);
    allocation_rule.allocate_into(input.margin, requests, report.quotas);
    take_orders(input, minutes, report);
    report.clearing = auction.clear(bids, offers);
    settle(input, start_minute, minutes, report);
  }

 private:
  void take_demands(const quota_period_input& input, std::int32_t start_minute, std::int32_t minutes,
                    quota_period_report& report) {
    requests.clear();
    accepted.clear();
    worst_fee.clear();
    report.demands.clear();
    for (std::size_t i = 0; i < input.stations.size(); ++i) {
      const quota_station_input& s = input.stations[i];
      const tariff_basis basis{input.delivery, start_minute, minutes, s.demand, {}, {1, 1}, {}, {}};
      const money worst = fees.worst_case(basis);
      report.demands.push_back(
          {s.deposit < worst ? demand_status::deposit_insufficient : demand_status::accepted, worst});
      if (s.deposit < worst) continue;
      requests.push_back({s.station, s.demand, 1.0});
      accepted.push_back(i);
      worst_fee.push_back(worst);
    }
  }

  void take_orders(const quota_period_input& input, std::int32_t minutes, quota_period_report& report) {
    quota_energy.resize(accepted.size());
    order_of.assign(accepted.size(), std::numeric_limits<std::uint32_t>::max());
    order_side.resize(accepted.size());
    bids.clear();
    offers.clear();
    report.orders.clear();
    const bool held = report.quotas.curtailed();
    for (std::size_t a = 0; a < accepted.size(); ++a) {
      const quota_station_input& s = input.stations[accepted[a]];
      quota_energy[a] = energy_over(report.quotas.quotas[a], minutes, rounding::down);
      if (!s.order_quantity.is_positive()) continue;
      quota_order_status status = quota_order_status::accepted;
      if (!held)
        status = quota_order_status::auction_not_held;
      else if (s.order_side == side::sell && s.order_quantity > quota_energy[a])
        status = quota_order_status::exceeds_quota;
      else if (s.order_side == side::buy && s.deposit < worst_fee[a] + trade_amount(s.order_limit, s.order_quantity))
        status = quota_order_status::deposit_insufficient;
      if (status != quota_order_status::accepted) {
        report.orders.push_back({status, {}});
        continue;
      }
      const call_order order{order_ids.next(), s.station, s.order_quantity, s.order_limit};
      std::vector<call_order>& orders = s.order_side == side::buy ? bids : offers;
      order_of[a] = static_cast<std::uint32_t>(orders.size());
      order_side[a] = s.order_side;
      orders.push_back(order);
      report.orders.push_back({status, order.id});
    }
  }

  void settle(const quota_period_input& input, std::int32_t start_minute, std::int32_t minutes,
              quota_period_report& report) {
    period_settlement& result = report.settlement;
    result.lines.clear();
    result.transfers.clear();
    result.delivery = input.delivery;
    result.auction_surplus = report.clearing.buyers_paid - report.clearing.sellers_received;
    const price rate = fees.rate_at(start_minute);
    for (std::size_t a = 0; a < accepted.size(); ++a) {
      const quota_station_input& s = input.stations[accepted[a]];
      // The station's trade, read from its order's outcome in the clearing.
      const bool buyer = order_side[a] == side::buy;
      const auto& outcomes = buyer ? report.clearing.bid_outcomes : report.clearing.offer_outcomes;
      const order_outcome traded = order_of[a] < outcomes.size() ? outcomes[order_of[a]] : order_outcome{};
      const energy final_quota = buyer ? quota_energy[a] + traded.traded : quota_energy[a] - traded.traded;
      const energy over_consumption = std::max(energy::zero(), s.metered - final_quota);
      // Built whole, as the session builds its lines (a default-constructed line assigned field
      // by field costs a tenth more here).
      settlement_line line{.delivery = input.delivery,
                           .station = s.station,
                           .deposit = s.deposit,
                           .fee = fees.charge({input.delivery, start_minute, minutes, s.demand,
                                               report.quotas.quotas[a], report.quotas.satisfaction, final_quota,
                                               s.metered}),
                           .penalty = penalties.penalty({over_consumption, rate}),
                           .auction_payment = buyer ? traded.amount : -traded.amount,
                           .unpaid = money::zero(),
                           .withdrawn = money::zero(),
                           .initial_quota = quota_energy[a],
                           .final_quota = final_quota,
                           .metered = s.metered,
                           .over_consumption = over_consumption};
      detail::close_settlement_line(line);
      result.lines.push_back(line);
    }
    detail::record_transfers(result, operator_account);
  }

  id_issuer<order_id> order_ids;
};

}  // namespace evmarket_bench
