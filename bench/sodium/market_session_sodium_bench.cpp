// Paper 003's quota market session for many stations with every state change on a libsodium
// ledger (BLAKE2b or SHA-256 Merkle roots, one Ed25519 block signature per period).
//   build/release/bench/market_session_sodium_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include "../market_session_support.hpp"

#include <evmarket/ledger/sodium.hpp>

#include <benchmark/benchmark.h>

#include <string>

namespace {

using namespace evmarket;

template <class Hasher>
void BM_quota_session_period_on_chain(benchmark::State& state) {
  using sink = chain_ledger_sink<Hasher, sodium::ed25519_verifier, sodium::ed25519_signer>;
  quota_market_session<proportional_allocation, midpoint_per_match, time_of_use_tariff, over_consumption_penalty, sink>
      session{session_setup(), {}, {}, {}, over_consumption_penalty(), sink(sodium::ed25519_signer::generate())};
  evmarket_bench::run_session_periods(state, session);
  state.counters["records/period"] =
      static_cast<double>(session.sink().ledger().blocks().back().records.size());
}
BENCHMARK(BM_quota_session_period_on_chain<sodium::blake2b_256>)->Arg(10'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_quota_session_period_on_chain<sodium::sha256>)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
