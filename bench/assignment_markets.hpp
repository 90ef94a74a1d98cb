#pragma once
// Random square assignment markets shared by the assignment-nucleolus benchmarks.
#include <evmarket/coalition/game.hpp>

#include <random>
#include <vector>

namespace evmarket_bench {

/// A size x size market whose gains are drawn from `distribution` by a generator seeded with `seed`.
template <class Distribution>
evmarket::assignment_game<double> random_market(std::size_t size, std::uint64_t seed, Distribution distribution) {
  std::mt19937_64 rng(seed);
  std::vector<std::vector<double>> gains(size, std::vector<double>(size));
  for (auto& row : gains)
    for (auto& g : row) g = static_cast<double>(distribution(rng));
  return evmarket::assignment_game<double>(std::move(gains));
}

/// Gains uniform in 0..100, seeded as bench/lp/nucleolus_bench.cpp seeds its assignment games.
inline evmarket::assignment_game<double> integer_market(std::size_t size) {
  return random_market(size, 7 + size, std::uniform_int_distribution<int>(0, 100));
}

/// Gains uniform in [0, 1) as doubles: binary fractions with numerators of up to 53 bits.
inline evmarket::assignment_game<double> real_market(std::size_t size) {
  return random_market(size, 11 + size, std::uniform_real_distribution<double>(0.0, 1.0));
}

}  // namespace evmarket_bench
