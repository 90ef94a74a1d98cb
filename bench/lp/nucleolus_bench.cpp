// The certified nucleolus on random games and on assignment games.
//   build/release/bench/lp/nucleolus_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
// Random games as in the peer comparison: v({i}) = 0, v(S) uniform in 1..100|S| for
// |S| >= 2, v(N) uniform in 100(n-2)..100n. Assignment games: gains uniform in 0..100.
// Every iteration computes the nucleolus, its exact form and Kohlberg's certificate; a failed
// certificate aborts the benchmark.
#include <evmarket/lp.hpp>

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

namespace {

evmarket::tu_game<double> random_game(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::size_t count = std::size_t{1} << n;
  std::vector<double> values(count, 0.0);
  for (std::size_t s = 1; s + 1 < count; ++s) {
    const auto size = static_cast<std::int64_t>(std::popcount(s));
    if (size >= 2) values[s] = static_cast<double>(std::uniform_int_distribution<std::int64_t>(1, 100 * size)(rng));
  }
  const auto players = static_cast<std::int64_t>(n);
  values[count - 1] = static_cast<double>(std::uniform_int_distribution<std::int64_t>(100 * (players - 2), 100 * players)(rng));
  return evmarket::tu_game<double>::from_table(n, std::move(values));
}

evmarket::assignment_game<double> random_assignment(std::size_t size, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> gain(0, 100);
  std::vector<std::vector<double>> gains(size, std::vector<double>(size));
  for (auto& row : gains)
    for (auto& g : row) g = gain(rng);
  return evmarket::assignment_game<double>(std::move(gains));
}

// Times the nucleolus of `game`, stopping with an error if any run is not certified; records the
// number of stages and returns the last result for further counters.
template <class Game>
evmarket::nucleolus_result run_certified(benchmark::State& state, const Game& game) {
  evmarket::nucleolus_result last;
  for (auto _ : state) {
    last = evmarket::nucleolus(game);
    if (!last.certified()) {
      state.SkipWithError(("certificate failed: " + last.certificate.reason).c_str());
      break;
    }
    benchmark::DoNotOptimize(last.allocation.data());
  }
  state.counters["stages"] = static_cast<double>(last.stages);
  return last;
}

void BM_nucleolus_random_game(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto game = random_game(n, 2024 + n);
  const auto last = run_certified(state, game);
  state.counters["lp_solves"] = static_cast<double>(last.lp_solves);
  state.counters["rows"] = static_cast<double>(last.rows_generated);
}
BENCHMARK(BM_nucleolus_random_game)->Arg(10)->Arg(14)->Arg(16)->Arg(18)->Arg(20)->Unit(benchmark::kMillisecond);

void BM_nucleolus_assignment_game(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const auto game = random_assignment(size, 7 + size);
  const auto last = run_certified(state, game);
  state.counters["lp_solves"] = static_cast<double>(last.lp_solves);
}
BENCHMARK(BM_nucleolus_assignment_game)->Arg(50)->Arg(100)->Unit(benchmark::kMillisecond);

}  // namespace

namespace {

// Games whose values grow with the square of the coalition size: the sequence takes many stages
// (the random games settle in one to three).
void BM_nucleolus_many_stages(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(n);
  std::vector<double> values(std::size_t{1} << n, 0.0);
  for (std::size_t s = 1; s < values.size(); ++s) {
    const auto size = static_cast<std::int64_t>(std::popcount(s));
    values[s] = static_cast<double>(std::uniform_int_distribution<std::int64_t>(0, 10 * size * size)(rng));
  }
  const auto game = evmarket::tu_game<double>::from_table(n, std::move(values));
  run_certified(state, game);
}
BENCHMARK(BM_nucleolus_many_stages)->Arg(12)->Arg(16)->Arg(20)->Unit(benchmark::kMillisecond);

}  // namespace
