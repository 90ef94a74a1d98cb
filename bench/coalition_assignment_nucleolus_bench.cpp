// The assignment game's nucleolus without an LP (coalition/assignment_nucleolus.hpp), exact and
// certified, on square markets with gains uniform in 0..100 (the LP benchmark's markets,
// bench/lp/nucleolus_bench.cpp) and in [0, 1) as doubles (binary fractions with 53-bit numerators).
//   build/release/bench/coalition_assignment_nucleolus_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
// Every iteration computes the allocation in exact rationals and Kohlberg's certificate; a failed
// certificate stops the benchmark with an error.
#include <evmarket/coalition/assignment_nucleolus.hpp>

#include "assignment_markets.hpp"

#include <benchmark/benchmark.h>

namespace {

void run_certified(benchmark::State& state, const evmarket::assignment_game<double>& game, bool certify) {
  evmarket::assignment_nucleolus_result last;
  for (auto _ : state) {
    last = evmarket::assignment_nucleolus(game, {.certify = certify});
    if (certify && !last.certified()) {
      state.SkipWithError(("certificate failed: " + last.certificate.reason).c_str());
      break;
    }
    benchmark::DoNotOptimize(last.allocation.data());
  }
  state.counters["stages"] = static_cast<double>(last.stages());
}

// The markets of BM_nucleolus_assignment_game in bench/lp/nucleolus_bench.cpp.
void BM_assignment_nucleolus_integer(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  run_certified(state, evmarket_bench::integer_market(size), true);
}
BENCHMARK(BM_assignment_nucleolus_integer)->Arg(50)->Arg(100)->Arg(300)->Unit(benchmark::kMillisecond);

void BM_assignment_nucleolus_real(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  run_certified(state, evmarket_bench::real_market(size), true);
}
BENCHMARK(BM_assignment_nucleolus_real)->Arg(100)->Arg(300)->Unit(benchmark::kMillisecond);

// The computation alone, without the certificate.
void BM_assignment_nucleolus_uncertified(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  run_certified(state, evmarket_bench::integer_market(size), false);
}
BENCHMARK(BM_assignment_nucleolus_uncertified)->Arg(100)->Arg(300)->Unit(benchmark::kMillisecond);

}  // namespace
