// GLPK and COIN-OR Clp side by side on the same games (the certified nucleolus).
//   build/release/bench/nucleolus_backends_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <evmarket/clp.hpp>
#include <evmarket/lp.hpp>

#include "../nucleolus_bench_support.hpp"

namespace {
using evmarket::clp_backend;
using evmarket::glpk_backend;
using namespace nucleolus_bench;
BENCHMARK(random_games<glpk_backend>)->Name("glpk/random_game")->Arg(12)->Arg(16)->Arg(20)->Arg(22)->Unit(benchmark::kMillisecond);
BENCHMARK(random_games<clp_backend>)->Name("clp/random_game")->Arg(12)->Arg(16)->Arg(20)->Arg(22)->Unit(benchmark::kMillisecond);
BENCHMARK(many_stage_games<glpk_backend>)->Name("glpk/many_stages")->Arg(12)->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(many_stage_games<clp_backend>)->Name("clp/many_stages")->Arg(12)->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(assignment_games<glpk_backend>)->Name("glpk/assignment_game")->Arg(50)->Arg(100)->Unit(benchmark::kMillisecond);
BENCHMARK(assignment_games<clp_backend>)->Name("clp/assignment_game")->Arg(50)->Arg(100)->Unit(benchmark::kMillisecond);
}  // namespace
