// Paper 003's quota market session for many stations (allocation + call auction + settlement)
// with no ledger, beside the same period computed by calling the components by hand.
//   build/release/bench/market_session_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include "market_session_support.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace {

using namespace evmarket;

void BM_quota_session_period(benchmark::State& state) {
  quota_market_session<> session;
  evmarket_bench::run_session_periods(state, session);
}
BENCHMARK(BM_quota_session_period)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);

void BM_quota_period_by_hand(benchmark::State& state) {
  quota_market_session<> session;  // issues the station ids, and computes the reference report
  std::vector<station_id> stations;
  for (std::int64_t i = 0; i < state.range(0); ++i)
    stations.push_back(session.enrol_station(evmarket_bench::station_name(i)));
  quota_period_input input = evmarket_bench::paper003_period(stations, {0, 37});
  evmarket_bench::by_hand hand;
  hand.operator_account = session.operator_account();
  quota_period_report report;
  hand.run(input, report);
  const quota_period_report reference = session.run_period(input);
  if (!(report.settlement.transfers == reference.settlement.transfers &&
        report.clearing.trades == reference.clearing.trades))
    state.SkipWithError("the by-hand period does not reproduce the session's report");
  std::int64_t day = 0;
  for (auto _ : state) {
    input.delivery = {day++, 37};
    hand.run(input, report);
    benchmark::DoNotOptimize(report.settlement.operator_income);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_quota_period_by_hand)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
