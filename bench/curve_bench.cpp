// Bancor purchase return: the on-chain twin (256-bit fixed point), the exact curve in
// bin_float50, and the curve in double. Each call prices a different trade so that nothing is
// hoisted out of the loop.
//   build/release/bench/curve_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <evmarket/curve/bancor.hpp>
#include <evmarket/curve/bancor_evm.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

namespace {

constexpr std::size_t trade_count = 1024;

// Deposits of 0.01 to 100 reserve tokens against a reserve of 250 (the whitepaper's curve).
std::vector<double> random_deposits() {
  std::mt19937_64 rng(2026);
  std::uniform_real_distribution<double> exponent(-2.0, 2.0);
  std::vector<double> deposits(trade_count);
  for (double& d : deposits) d = std::pow(10.0, exponent(rng));
  return deposits;
}

void BM_purchase_return_evm(benchmark::State& state) {
  namespace evm = evmarket::bancor_evm;
  std::vector<evmarket::uint256> deposits;
  for (double d : random_deposits()) deposits.push_back(evm::to_base_units(d));
  const evmarket::uint256 supply = evm::to_base_units(1000.0), balance = evm::to_base_units(250.0);
  std::size_t i = 0;
  for (auto _ : state) {
    auto result = evm::try_purchase_target_amount(supply, balance, 500000, deposits[i++ % trade_count]);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_purchase_return_evm);

template <class Number>
void BM_purchase_return_curve(benchmark::State& state) {
  std::vector<Number> deposits;
  for (double d : random_deposits()) deposits.push_back(Number(d));
  const evmarket::bancor_curve<Number> curve(Number(1000), Number(250), Number(0.5));
  std::size_t i = 0;
  for (auto _ : state) {
    Number tokens = curve.purchase_return(deposits[i++ % trade_count]);
    benchmark::DoNotOptimize(tokens);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_purchase_return_curve<evmarket::bin_float50>)->Name("BM_purchase_return_bin_float50");
BENCHMARK(BM_purchase_return_curve<double>)->Name("BM_purchase_return_double");

void BM_purchase_return_exact_mode(benchmark::State& state) {
  using exact = evmarket::bin_float50;
  std::vector<exact> deposits;
  for (double d : random_deposits()) deposits.push_back(exact(d));
  const evmarket::bancor_curve<exact, evmarket::directed_rounding<exact>> curve(exact(1000), exact(250), exact("0.5"));
  std::size_t i = 0;
  for (auto _ : state) {
    exact tokens = curve.purchase_return(deposits[i++ % trade_count]);
    benchmark::DoNotOptimize(tokens);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_purchase_return_exact_mode);

}  // namespace
