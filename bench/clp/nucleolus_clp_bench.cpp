// The certified nucleolus on COIN-OR Clp, up to the largest tabulated game (25 players).
//   build/release/bench/clp/nucleolus_clp_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <evmarket/clp.hpp>

#include "../nucleolus_bench_support.hpp"

namespace {
using evmarket::clp_backend;
using namespace nucleolus_bench;
BENCHMARK(random_games<clp_backend>)->Name("random_game")->DenseRange(10, 20, 2)->Arg(22)->Arg(24)->Arg(25)->Unit(benchmark::kMillisecond);
BENCHMARK(assignment_games<clp_backend>)->Name("assignment_game")->Arg(50)->Arg(100)->Unit(benchmark::kMillisecond);
}  // namespace
