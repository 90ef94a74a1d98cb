// Creditworthiness: AHP weights, the settlement credit update, credit-priority allocation.
//   build/release/bench/credit_bench
#include <evmarket/allocation/credit_priority.hpp>
#include <evmarket/credit/ahp.hpp>
#include <evmarket/credit/creditworthiness.hpp>

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

namespace {

using namespace evmarket;

// A random matrix on the Saaty scale: realistic judgments, typically inconsistent for n > 3.
pairwise_matrix saaty_matrix(std::size_t n) {
  std::mt19937_64 rng(n);
  const double scale[] = {1. / 9, 1. / 7, 1. / 5, 1. / 3, 1, 3, 5, 7, 9};
  std::uniform_int_distribution<int> pick(0, 8);
  std::vector<double> upper(n * (n - 1) / 2);
  for (double& a : upper) a = scale[pick(rng)];
  return pairwise_matrix::from_upper_triangle(n, upper);
}

void BM_ahp_eigenvector(benchmark::State& state) {
  const pairwise_matrix m = saaty_matrix(static_cast<std::size_t>(state.range(0)));
  const analytic_hierarchy<> ahp;
  for (auto _ : state) {
    ahp_result result = ahp.evaluate(m);  // weights and consistency (two eigenvector solves)
    benchmark::DoNotOptimize(result.weights.data());
  }
}
BENCHMARK(BM_ahp_eigenvector)->Arg(3)->Arg(9)->Arg(15);

void BM_ahp_priorities_only(benchmark::State& state) {
  const pairwise_matrix m = saaty_matrix(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    std::vector<double> w = priorities(m, principal_eigenvector{});
    benchmark::DoNotOptimize(w.data());
  }
}
BENCHMARK(BM_ahp_priorities_only)->Arg(3)->Arg(9)->Arg(15);

void BM_ahp_geometric_mean(benchmark::State& state) {
  const pairwise_matrix m = saaty_matrix(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    std::vector<double> w = priorities(m, geometric_mean{});
    benchmark::DoNotOptimize(w.data());
  }
}
BENCHMARK(BM_ahp_geometric_mean)->Arg(3)->Arg(9)->Arg(15);

// 10^6 settled reservations over 10^5 users (ten each), settled as one batch.
void BM_credit_update(benchmark::State& state) {
  const auto records = static_cast<std::size_t>(state.range(0));
  const std::size_t users = records / 10;
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<std::int64_t> wh(5'000, 60'000);
  std::vector<settled_reservation> batch(records);
  for (std::size_t k = 0; k < records; ++k) {
    const user_id user{rng() % users};
    const reservation booked{
        user, station_id{rng() % 50}, {0, static_cast<std::int32_t>(rng() % 48)}, watt_hours(wh(rng))};
    batch[k] = {
        booked,
        {user, rng() % 4 ? booked.station : station_id{rng() % 50},
         rng() % 4 ? booked.period : trading_period{0, static_cast<std::int32_t>(rng() % 48)}, watt_hours(wh(rng))}};
  }
  user_credit_book<> book;
  for (std::size_t u = 0; u < users; ++u) book.enrol(user_id{u}, 5.0);
  for (auto _ : state) {
    book.settle_all(batch);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_credit_update)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

std::vector<station_request> random_stations(std::size_t n) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> demand_w(1'000, 350'000);  // 1 kW .. 350 kW
  std::uniform_real_distribution<double> credit(1.0, 300.0);
  std::vector<station_request> requests(n);
  for (std::size_t i = 0; i < n; ++i) requests[i] = {station_id{i}, watts(demand_w(rng)), credit(rng)};
  return requests;
}

template <class Rule>
void run_allocation(benchmark::State& state) {
  const auto requests = random_stations(static_cast<std::size_t>(state.range(0)));
  std::int64_t total = 0;
  for (const auto& r : requests) total += r.demand.base();
  const power capacity = watts(total / 10 * 7);  // 70 % of the demand fits
  const Rule rule;
  for (auto _ : state) {
    allocation result = rule.allocate(capacity, requests);
    benchmark::DoNotOptimize(result.quotas.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_inverse_credit_curtailment(benchmark::State& state) { run_allocation<inverse_credit_curtailment>(state); }
BENCHMARK(BM_inverse_credit_curtailment)->RangeMultiplier(10)->Range(1'000, 1'000'000)->Unit(benchmark::kMillisecond);

void BM_strict_credit_priority(benchmark::State& state) { run_allocation<strict_credit_priority>(state); }
BENCHMARK(BM_strict_credit_priority)->RangeMultiplier(10)->Range(1'000, 1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
