// Paper 004's coalition market session: one hourly round for 200 prosumers (100 buyers x 100
// sellers, every pair passing the feeder, so the nucleolus is of a 100 x 100 coalition), and the
// paper's day (21 participants, 24 rounds) with and without the SMES unit. No ledger.
//   build/release/bench/market_coalition_session_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <evmarket/market/coalition_scenario.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace evmarket;

// One round of `half` buyers and `half` sellers on a wide feeder (every trade passes).
void BM_coalition_round(benchmark::State& state) {
  const auto half = static_cast<std::size_t>(state.range(0));
  std::vector<feeder_line> lines;
  for (bus_index b = 1; b <= 2 * half + 1; ++b) lines.push_back({0, b, kilowatts(1'000)});
  smes unit({kilowatt_hours(500), kilowatts(100), 900'000, kilowatt_hours(100), tokens_per_kwh(0.4),
             tokens_per_kwh(0.9)});
  coalition_market_session<> session({}, radial_feeder(2 * half + 2, lines, kilowatts(100'000)), unit);
  std::mt19937_64 rng(2026);
  std::vector<participant_id> ids;
  std::vector<buyer_quote> buys;
  std::vector<seller_quote> sells;
  for (std::size_t k = 0; k < 2 * half; ++k) {
    std::string name = "prosumer ";
    name += std::to_string(k);
    ids.push_back(session.enrol_prosumer(name));
    session.security().place(ids.back(), static_cast<bus_index>(k + 1));
  }
  session.security().place(session.storage_account(), static_cast<bus_index>(2 * half + 1));
  const auto draw = [&](std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(high - low + 1));
  };
  for (std::size_t k = 0; k < half; ++k) {
    buys.push_back({watt_hours(draw(2'000, 12'000)), micro_tokens_per_kwh(draw(800'000, 1'300'000)), 1, 0.15,
                    static_cast<double>(draw(0, 30)) / 10});
    seller_quote s;
    s.kind = k % 3 == 0 ? seller_kind::pv : seller_kind::ev;
    s.offer = watt_hours(draw(2'000, 12'000));
    s.reserve = micro_tokens_per_kwh(draw(250'000, 700'000));
    s.p_0 = 0.3;
    s.eta = 0.95;
    s.lambda_kwh_per_km = 0.15;
    s.distance_km = static_cast<double>(draw(0, 30)) / 10;
    s.k_pv = 0.05;
    sells.push_back(s);
  }
  std::int64_t hour = 0;
  std::size_t pairs = 0;
  for (auto _ : state) {
    const market_time start = market_time::at(hour / 24, static_cast<std::int32_t>(hour % 24), 0);
    ++hour;
    session.clock().set(start);
    session.open_round();
    for (std::size_t k = 0; k < half; ++k) {
      session.submit_buy(ids[k], buys[k]);
      session.submit_sell(ids[half + k], sells[k]);
    }
    session.clock().set(start.plus(40 * 60));
    pairs = session.clear().payoffs.size() / 2;
    session.clock().set(start.plus(50 * 60));
    benchmark::DoNotOptimize(session.settle().balances.size());
  }
  state.counters["coalition_pairs"] = static_cast<double>(pairs);
}
BENCHMARK(BM_coalition_round)->Arg(10)->Arg(100)->Unit(benchmark::kMillisecond);

void BM_paper004_day_with_smes(benchmark::State& state) {
  const paper004_day day = make_paper004_day(4);
  for (auto _ : state) {
    auto session = run_paper004_day(day, smes(day.storage));
    benchmark::DoNotOptimize(session.totals().secure);
  }
}
BENCHMARK(BM_paper004_day_with_smes)->Unit(benchmark::kMillisecond);

void BM_paper004_day_without_smes(benchmark::State& state) {
  const paper004_day day = make_paper004_day(4);
  for (auto _ : state) {
    auto session = run_paper004_day(day, no_storage{});
    benchmark::DoNotOptimize(session.totals().secure);
  }
}
BENCHMARK(BM_paper004_day_without_smes)->Unit(benchmark::kMillisecond);

}  // namespace
