// The security check of market/network.hpp: check-and-reserve on a 1,000-bus radial feeder (a
// trunk with laterals, depth up to about 60), trades between random participants, most passing.
//   build/release/bench/market_network_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <evmarket/market/network.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

namespace {

using namespace evmarket;

// A feeder like a distribution operator's: a trunk of `trunk` buses from the transformer, and
// laterals of a few buses hanging from trunk buses; 2,000 participants spread over the buses.
radial_feeder realistic_feeder(std::size_t buses, std::size_t trunk, std::mt19937_64& random) {
  std::vector<feeder_line> lines;
  for (bus_index bus = 1; bus < buses; ++bus) {
    bus_index parent = 0;
    if (bus < trunk)
      parent = bus - 1;
    else if (bus % 4 != 0)
      parent = bus - 1;  // continue the lateral
    else
      parent = static_cast<bus_index>(random() % trunk);  // start a lateral on the trunk
    lines.push_back({parent, bus, kilowatts(60)});
  }
  radial_feeder feeder(buses, lines, kilowatts(2'000));
  for (std::uint64_t p = 1; p <= 2'000; ++p) feeder.place(participant_id{p}, static_cast<bus_index>(random() % buses));
  return feeder;
}

void BM_check_and_reserve(benchmark::State& state) {
  std::mt19937_64 random(3);
  radial_feeder feeder = realistic_feeder(1'000, 60, random);
  // Prepared trades: random pairs, 0.1-3 kW against 60 kW lines, so some are refused; the feeder
  // is emptied whenever 5,000 are held.
  std::vector<std::pair<participant_id, participant_id>> pairs;
  std::vector<power> flows;
  for (int i = 0; i < 1 << 16; ++i) {
    pairs.push_back({participant_id{1 + random() % 2'000}, participant_id{1 + random() % 2'000}});
    flows.push_back(watts(100 + static_cast<std::int64_t>(random() % 2'900)));
  }
  std::size_t at = 0, held = 0, passed = 0;
  for (auto _ : state) {
    const auto& [seller, buyer] = pairs[at & 0xFFFF];
    const security_verdict verdict = feeder.check_and_reserve(seller, buyer, flows[at & 0xFFFF]);
    ++at;
    passed += verdict.passed;
    if (verdict.passed && ++held == 5'000) {  // a new period (its cost is counted too)
      feeder.release_all();
      held = 0;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["passed"] = benchmark::Counter(static_cast<double>(passed) / static_cast<double>(at));
}
BENCHMARK(BM_check_and_reserve);

}  // namespace
