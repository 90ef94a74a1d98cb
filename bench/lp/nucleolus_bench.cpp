// The certified nucleolus on GLPK, up to the largest tabulated game (25 players).
//   build/release/bench/lp/nucleolus_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
// peak_MiB is the process's peak resident memory so far: run one size alone
// (--benchmark_filter=random_game/25) to read that size's own peak.
#include <evmarket/lp.hpp>

#include "../nucleolus_bench_support.hpp"

namespace {
using evmarket::glpk_backend;
using namespace nucleolus_bench;
BENCHMARK(random_games<glpk_backend>)->Name("random_game")->DenseRange(10, 20, 2)->Arg(22)->Arg(24)->Arg(25)->Unit(benchmark::kMillisecond);
BENCHMARK(assignment_games<glpk_backend>)->Name("assignment_game")->Arg(50)->Arg(100)->Unit(benchmark::kMillisecond);
BENCHMARK(many_stage_games<glpk_backend>)->Name("many_stages")->Arg(12)->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond);
}  // namespace
