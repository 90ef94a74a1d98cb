// Paper 002's curve-priced market session: one period of N orders (40 % market-price orders on the
// Bancor curve, 60 % limit orders in the book, 1,000 participants), then every trader's meter
// reading and the settlement, with no ledger. The curve in double arithmetic and as the on-chain
// twin (256-bit contract arithmetic).
//   build/release/bench/market_curve_session_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <evmarket/market/curve_market.hpp>

#include <benchmark/benchmark.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace evmarket;

struct planned_order {
  std::size_t owner;
  side order_side;
  bool market;
  std::int64_t limit_permille;  // of the curve's spot price at submission
  energy quantity;
};

std::vector<planned_order> plan(std::size_t orders, std::size_t participants) {
  std::mt19937_64 rng(2002);
  std::uniform_int_distribution<std::size_t> who(0, participants - 1);
  std::uniform_int_distribution<int> coin(0, 99);
  std::uniform_int_distribution<std::int64_t> permille(850, 1150);
  std::uniform_int_distribution<std::int64_t> wh(500, 20'000);
  std::vector<planned_order> out;
  for (std::size_t i = 0; i < orders; ++i)
    out.push_back({who(rng), coin(rng) < 50 ? side::buy : side::sell, coin(rng) < 40, permille(rng), watt_hours(wh(rng))});
  return out;
}

template <class Curve>
void run_periods(benchmark::State& state, Curve curve) {
  const std::size_t participants = 1'000;
  curve_market_session<Curve> session(std::move(curve), catalogue_price_deviation(tokens_per_kwh(0.8)));
  std::vector<participant_id> people;
  for (std::size_t i = 0; i < participants; ++i) people.push_back(session.enrol("p" + std::to_string(i)));
  const std::vector<planned_order> orders = plan(static_cast<std::size_t>(state.range(0)), participants);
  std::int64_t day = 0;
  std::size_t trades = 0;
  for (auto _ : state) {
    const trading_period delivery{day++, 37};
    session.clock().set(market_time::at(delivery.day, 18, 0));
    const std::size_t before = session.trades().size();
    std::uint64_t id = 1;
    for (const planned_order& o : orders) {
      const order_id oid{id++};
      const participant_id owner = people[o.owner];
      const price limit = micro_tokens_per_kwh(session.spot_price().base() * o.limit_permille / 1000);
      const curve_order_result r =
          session.submit(delivery, o.market ? market_order(oid, owner, o.order_side, o.quantity)
                                            : limit_order(oid, owner, o.order_side, limit, o.quantity));
      benchmark::DoNotOptimize(r.filled);
    }
    session.clock().set(market_time::at(delivery.day, 19, 0));
    std::map<participant_id, energy> contracted;
    for (std::size_t i = before; i < session.trades().size(); ++i) {
      const trade& d = session.trades()[i].deal;
      if (d.buyer != session.pool()) contracted[d.buyer] += d.quantity;
      if (d.seller != session.pool()) contracted[d.seller] -= d.quantity;
    }
    for (const auto& [who, net] : contracted) session.meter(delivery, who, net + watt_hours(100));
    const curve_period_report report = session.settle(delivery);
    benchmark::DoNotOptimize(report.spot_price);
    trades = session.trades().size() - before;
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["trades"] = static_cast<double>(trades);
}

void BM_curve_session_period_double(benchmark::State& state) {
  run_periods(state, bancor_pricing<>(kilowatt_hours(1'000'000), tokens(250'000), 0.5));
}
BENCHMARK(BM_curve_session_period_double)->Arg(10'000)->Unit(benchmark::kMillisecond);

void BM_curve_session_period_evm(benchmark::State& state) {
  run_periods(state, bancor_evm_pricing(kilowatt_hours(1'000'000), tokens(250'000), 500'000));
}
BENCHMARK(BM_curve_session_period_evm)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
