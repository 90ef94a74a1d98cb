// Dense assignment (Jonker-Volgenant) and paper 004's capacitated matching.
//   build/release/bench/matching_bench
// Side by side with scipy.optimize.linear_sum_assignment: bench/compare_hungarian_scipy.py.
#include <evmarket/matching/b_matching.hpp>
#include <evmarket/matching/hungarian.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

namespace {

using row_major = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Uniform [0, 1) doubles from the raw engine (identical with every standard library).
row_major uniform_matrix(Eigen::Index rows, Eigen::Index cols, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  row_major w(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) w(i, j) = static_cast<double>(engine() >> 11) * 0x1.0p-53;
  return w;
}

void BM_assignment_dense(benchmark::State& state) {
  const row_major w = uniform_matrix(state.range(0), state.range(1), 42);
  for (auto _ : state) {
    auto result = evmarket::solve_assignment(w);
    benchmark::DoNotOptimize(result.value);
  }
}
BENCHMARK(BM_assignment_dense)
    ->Args({100, 100})
    ->Args({500, 500})
    ->Args({1000, 1000})
    ->Args({2000, 2000})
    ->Args({4000, 4000})
    ->Args({1000, 4000})
    ->Unit(benchmark::kMillisecond);

// Integer weights: the exact (128-bit potential) path, for comparison with the double one.
void BM_assignment_dense_int64(benchmark::State& state) {
  const Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> w =
      (uniform_matrix(state.range(0), state.range(0), 42) * 1e9).cast<std::int64_t>();
  for (auto _ : state) {
    auto result = evmarket::solve_assignment(w);
    benchmark::DoNotOptimize(result.value);
  }
}
BENCHMARK(BM_assignment_dense_int64)->Arg(1000)->Unit(benchmark::kMillisecond);

// Paper 004's shape at scale: 2000 buyers x 500 sellers, dense, L = 3, L^a in 1..3.
void BM_b_matching_dense(benchmark::State& state) {
  const Eigen::Index buyers = 2000, sellers = 500;
  const row_major w = uniform_matrix(buyers, sellers, 7);
  std::mt19937_64 engine(11);
  const std::vector<int> demand(static_cast<std::size_t>(sellers), 3);
  std::vector<int> capacity(static_cast<std::size_t>(buyers));
  for (auto& c : capacity) c = 1 + static_cast<int>(engine() % 3);
  const auto sense = state.range(0) == 0 ? evmarket::objective::minimise : evmarket::objective::maximise;
  for (auto _ : state) {
    auto result = evmarket::solve_b_matching(w, demand, capacity, sense);
    benchmark::DoNotOptimize(result.value);
  }
}
BENCHMARK(BM_b_matching_dense)->ArgName("maximise")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
