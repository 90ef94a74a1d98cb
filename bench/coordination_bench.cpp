// Price-signal coordination: single-period clearing of many bid curves, and the day-ahead
// dual-price solve of a large fleet to a 1 % gap.
//   build/release/bench/coordination_bench
#include <evmarket/coordination/bid_curve.hpp>
#include <evmarket/coordination/dual_price.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace {

using namespace evmarket;

std::vector<bid_curve> random_curves(std::size_t n) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> cap_w(3'000, 22'000);
  std::uniform_int_distribution<std::int64_t> saturation(50'000, 2'000'000);  // 0.05 .. 2 Token/kWh
  std::vector<bid_curve> curves;
  curves.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t cap = cap_w(rng);
    const std::int64_t floor = i % 10 == 0 ? cap / 2 : 0;  // one in ten near departure: a must-charge floor
    curves.push_back(bid_curve::linear(watts(cap), watts(floor), micro_tokens_per_kwh(saturation(rng))));
  }
  return curves;
}

void BM_clear_bid_curves(benchmark::State& state) {
  const auto curves = random_curves(static_cast<std::size_t>(state.range(0)));
  std::int64_t caps = 0;
  for (const auto& c : curves) caps += c.cap().base();
  const power margin = watts(caps / 10 * 6);  // 60 % of the demand at price zero fits
  for (auto _ : state) {
    auto result = clear_bid_curves(curves, margin);
    benchmark::DoNotOptimize(result.powers.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_clear_bid_curves)->RangeMultiplier(10)->Range(1'000, 1'000'000)->Unit(benchmark::kMillisecond);

// A congested working day: EVs arrive in the morning, the margin is tight around midday.
coordination_problem fleet_day(std::size_t evs) {
  std::mt19937_64 rng(7);
  coordination_problem problem;
  const double scale = static_cast<double>(evs) / 1000.0;
  for (int t = 0; t < 48; ++t) {
    problem.energy_price.push_back(tokens_per_kwh(0.18 + 0.08 * std::sin((t - 14) * 3.14159 / 24)));
    const double base = 1800 + 900 * std::sin((t - 20) * 3.14159 / 24);  // kW of other load per 1000 EVs
    problem.capacity.push_back(kilowatts(scale * (3600 - base)));
  }
  std::normal_distribution<double> arrival(17, 3), stay(16, 4);
  std::uniform_real_distribution<double> need(4, 30), weight(0.02, 0.5);
  const double powers[] = {7.4, 11, 22};
  for (std::size_t i = 0; i < evs; ++i) {
    ev_charging_request ev;
    ev.arrival = std::clamp(static_cast<std::int32_t>(std::lround(arrival(rng))), 0, 40);
    ev.departure = std::clamp(ev.arrival + static_cast<std::int32_t>(std::lround(stay(rng))), ev.arrival + 4, 48);
    ev.max_power = kilowatts(powers[i % 3]);
    const double most = ev.max_power.display() * 0.5 * (ev.departure - ev.arrival) * 0.8;
    ev.needed = kilowatt_hours(std::min(need(rng), most));
    ev.discomfort = weight(rng);
    problem.evs.push_back(ev);
  }
  return problem;
}

void BM_day_ahead_dual_price(benchmark::State& state) {
  const coordination_problem problem = fleet_day(static_cast<std::size_t>(state.range(0)));
  dual_price_options options;
  options.target_gap = 0.01;
  std::int32_t iterations = 0, congested = 0;
  double gap = 0.0;
  for (auto _ : state) {
    auto plan = solve_day_ahead(problem, options);
    iterations = plan.iterations;
    gap = plan.certificate.relative_gap();
    congested = static_cast<std::int32_t>(std::count_if(plan.congestion_price.begin(), plan.congestion_price.end(),
                                                        [](double lambda) { return lambda > 0.0; }));
    if (plan.status != coordination_status::within_gap) state.SkipWithError("the 1 % gap was not reached");
    benchmark::DoNotOptimize(plan.schedule.data());
  }
  state.counters["iterations"] = iterations;
  state.counters["gap"] = gap;
  state.counters["congested_periods"] = congested;
}
BENCHMARK(BM_day_ahead_dual_price)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
