// Allocation of a capacity margin over many stations.
//   build/release/bench/allocation_bench
#include <evmarket/allocation/proportional.hpp>

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

namespace {

std::vector<evmarket::station_request> random_requests(std::size_t n) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> demand_w(1'000, 350'000);  // 1 kW .. 350 kW
  std::vector<evmarket::station_request> requests(n);
  for (std::size_t i = 0; i < n; ++i) requests[i] = {evmarket::station_id{i}, evmarket::watts(demand_w(rng)), 1.0};
  return requests;
}

void BM_proportional_allocation(benchmark::State& state) {
  const auto requests = random_requests(static_cast<std::size_t>(state.range(0)));
  std::int64_t total = 0;
  for (const auto& r : requests) total += r.demand.base();
  const evmarket::power capacity = evmarket::watts(total / 10 * 7);  // 70 % satisfaction
  const evmarket::proportional_allocation rule;
  for (auto _ : state) {
    auto result = rule.allocate(capacity, requests);
    benchmark::DoNotOptimize(result.quotas.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_proportional_allocation)->RangeMultiplier(10)->Range(1'000, 1'000'000)->Unit(benchmark::kMicrosecond);

// The same with the result's storage reused from period to period (allocate_into).
void BM_proportional_allocation_reused(benchmark::State& state) {
  const auto requests = random_requests(static_cast<std::size_t>(state.range(0)));
  std::int64_t total = 0;
  for (const auto& r : requests) total += r.demand.base();
  const evmarket::power capacity = evmarket::watts(total / 10 * 7);
  const evmarket::proportional_allocation rule;
  evmarket::allocation result;
  for (auto _ : state) {
    rule.allocate_into(capacity, requests, result);
    benchmark::DoNotOptimize(result.quotas.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_proportional_allocation_reused)
    ->RangeMultiplier(10)
    ->Range(1'000, 1'000'000)
    ->Unit(benchmark::kMicrosecond);

// The same with the demands in their own array (the layout a caller with very many stations keeps).
void BM_proportional_allocation_demands(benchmark::State& state) {
  const auto requests = random_requests(static_cast<std::size_t>(state.range(0)));
  std::vector<evmarket::power> demands(requests.size());
  std::int64_t total = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    demands[i] = requests[i].demand;
    total += demands[i].base();
  }
  const evmarket::power capacity = evmarket::watts(total / 10 * 7);
  const evmarket::proportional_allocation rule;
  evmarket::allocation result;
  for (auto _ : state) {
    rule.allocate_into(capacity, std::span<const evmarket::power>(demands), result);
    benchmark::DoNotOptimize(result.quotas.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_proportional_allocation_demands)
    ->RangeMultiplier(10)
    ->Range(1'000, 1'000'000)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
