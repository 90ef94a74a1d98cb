// The assignment game's nucleolus two ways on the same markets (gains uniform in 0..100, the
// seeds of bench/lp/nucleolus_bench.cpp): the sequential LP on GLPK (coalition/nucleolus.hpp) and
// the exact combinatorial algorithm (coalition/assignment_nucleolus.hpp). Both certified; the
// first iteration also checks that they agree exactly.
//   build/release/bench/lp/assignment_nucleolus_compare_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <evmarket/lp.hpp>

#include "../assignment_markets.hpp"

#include <benchmark/benchmark.h>

namespace {

template <class Solve>
void run(benchmark::State& state, Solve solve) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const auto game = evmarket_bench::integer_market(size);
  const auto reference = evmarket::assignment_nucleolus(game);
  for (auto _ : state) {
    const auto result = solve(game);
    if (!result.certified() || result.exact_allocation != reference.exact_allocation) {
      state.SkipWithError("not certified, or the two methods disagree");
      break;
    }
    benchmark::DoNotOptimize(result.allocation.data());
  }
}

void BM_assignment_nucleolus_lp(benchmark::State& state) {
  run(state, [](const auto& game) { return evmarket::nucleolus(game); });
}
BENCHMARK(BM_assignment_nucleolus_lp)->Arg(50)->Arg(100)->Unit(benchmark::kMillisecond);

void BM_assignment_nucleolus_combinatorial(benchmark::State& state) {
  run(state, [](const auto& game) { return evmarket::assignment_nucleolus(game); });
}
BENCHMARK(BM_assignment_nucleolus_combinatorial)->Arg(50)->Arg(100)->Unit(benchmark::kMillisecond);

}  // namespace
