// Games and the certified timing loop shared by the nucleolus benchmarks (bench/lp, bench/clp,
// bench/lp_cross). Random games as in the peer comparison: v({i}) = 0, v(S) uniform in
// 1..100|S| for |S| >= 2, v(N) uniform in 100(n-2)..100n. Assignment games: gains uniform in 0..100.
// Every iteration computes the nucleolus, its exact form and Kohlberg's certificate; a failed
// certificate stops the benchmark with an error.
#pragma once

#include <evmarket/coalition/nucleolus.hpp>

#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <random>
#include <vector>

namespace nucleolus_bench {

inline evmarket::tu_game<double> random_game(std::size_t n, std::uint64_t seed) {
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

// Games whose values grow with the square of the coalition size: the sequence takes many stages
// (the random games settle in one to three).
inline evmarket::tu_game<double> many_stage_game(std::size_t n) {
  std::mt19937_64 rng(n);
  std::vector<double> values(std::size_t{1} << n, 0.0);
  for (std::size_t s = 1; s < values.size(); ++s) {
    const auto size = static_cast<std::int64_t>(std::popcount(s));
    values[s] = static_cast<double>(std::uniform_int_distribution<std::int64_t>(0, 10 * size * size)(rng));
  }
  return evmarket::tu_game<double>::from_table(n, std::move(values));
}

inline evmarket::assignment_game<double> random_assignment(std::size_t size, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> gain(0, 100);
  std::vector<std::vector<double>> gains(size, std::vector<double>(size));
  for (auto& row : gains)
    for (auto& g : row) g = gain(rng);
  return evmarket::assignment_game<double>(std::move(gains));
}

// Times the nucleolus of `game` on Backend, stopping with an error if any run is not certified;
// reports the stages, LP solves, rows generated and the process's peak resident memory.
template <class Backend, class Game>
void run_certified(benchmark::State& state, const Game& game) {
  evmarket::nucleolus_result last;
  for (auto _ : state) {
    last = evmarket::nucleolus<Backend>(game);
    if (!last.certified()) {
      state.SkipWithError(("certificate failed: " + last.certificate.reason).c_str());
      break;
    }
    benchmark::DoNotOptimize(last.allocation.data());
  }
  state.counters["stages"] = static_cast<double>(last.stages);
  state.counters["lp_solves"] = static_cast<double>(last.lp_solves);
  state.counters["rows"] = static_cast<double>(last.rows_generated);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_MiB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}

template <class Backend>
void random_games(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  run_certified<Backend>(state, random_game(n, 2024 + n));
}
template <class Backend>
void many_stage_games(benchmark::State& state) {
  run_certified<Backend>(state, many_stage_game(static_cast<std::size_t>(state.range(0))));
}
template <class Backend>
void assignment_games(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  run_certified<Backend>(state, random_assignment(size, 7 + size));
}

}  // namespace nucleolus_bench
