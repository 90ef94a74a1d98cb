// Paper 000's continuous market session at scale: one trading period with 10^4 orders in the
// continuous window, then the P2P phase (quotation rounds until one is quiet, every proposal
// signed by both parties and confirmed), fee settlement and the reputation update; 1,000 nodes
// on a 200-bus radial feeder whose thinner lines congest. No ledger. Target: under 50 ms a period.
//   build/release/bench/market_continuous_session_bench --benchmark_repetitions=3
//   --benchmark_report_aggregates_only=true
#include <evmarket/evmarket.hpp>

#include <benchmark/benchmark.h>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace evmarket;

// A keyed checksum standing in for a signature scheme (not secure): the bench measures the
// session, not the participants' cryptography.
struct checksum_signer {
  static constexpr algorithm_id algorithm = algorithms::user_defined + 7;
  bytes key;
  [[nodiscard]] static bytes digest_of(byte_view key, byte_view message) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const byte_view part : {key, message})
      for (const std::uint8_t b : part) h = (h ^ b) * 0x100000001b3ULL;
    bytes out(8);
    for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(h >> (8 * i));
    return out;
  }
  [[nodiscard]] byte_view public_key() const { return key; }
  [[nodiscard]] bytes sign(byte_view message) const { return digest_of(key, message); }
};
struct checksum_verifier {
  static constexpr algorithm_id algorithm = checksum_signer::algorithm;
  [[nodiscard]] bool verify(byte_view key, byte_view message, byte_view signature) const {
    const bytes expected = checksum_signer::digest_of(key, message);
    return std::equal(expected.begin(), expected.end(), signature.begin(), signature.end());
  }
};

struct order_line {
  std::size_t node;
  side order_side;
  price limit;
  energy quantity;
};

void BM_continuous_session_period(benchmark::State& state) {
  const auto orders = static_cast<std::size_t>(state.range(0));
  constexpr std::size_t nodes = 1'000, buses = 200;
  std::mt19937_64 rng(2026);
  std::vector<feeder_line> lines;
  for (bus_index b = 1; b < buses; ++b)
    lines.push_back({static_cast<bus_index>(std::uniform_int_distribution<bus_index>(b > 8 ? b - 8 : 0, b - 1)(rng)), b,
                     kilowatts(std::uniform_int_distribution<int>(150, 2'000)(rng))});
  radial_feeder feeder(buses, lines, kilowatts(50'000));
  for (std::size_t l = 0; l < lines.size(); ++l)
    if (lines[l].limit < kilowatts(400)) feeder.post_congestion_fee(l, tokens_per_kwh(0.5));
  continuous_market_session<checksum_verifier> session(std::move(feeder));
  std::vector<participant_id> ids;
  std::vector<checksum_signer> keys;
  for (std::size_t i = 0; i < nodes; ++i) {
    keys.push_back({bytes{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8), 0x5a}});
    ids.push_back(session.enrol_node("node " + std::to_string(i), keys.back().key,
                                     static_cast<double>(std::uniform_int_distribution<int>(0, 100)(rng)) / 10.0));
    session.network().place(ids.back(), std::uniform_int_distribution<bus_index>(1, buses - 1)(rng));
  }
  std::vector<order_line> book;
  for (std::size_t k = 0; k < orders; ++k)
    book.push_back({std::uniform_int_distribution<std::size_t>(0, nodes - 1)(rng),
                    std::bernoulli_distribution(0.5)(rng) ? side::buy : side::sell,
                    tokens_per_kwh(std::uniform_int_distribution<int>(15, 30)(rng)),
                    kilowatt_hours(std::uniform_int_distribution<int>(1, 12)(rng))});

  std::int64_t day = 0;
  continuous_period_report report;
  for (auto _ : state) {
    const trading_period delivery{day, 37};
    const auto go = [&](int hour, int minute) { session.clock().set(market_time::at(day, hour, minute)); };
    go(18, 7);
    for (const order_line& o : book) session.submit_order(delivery, ids[o.node], o.order_side, o.limit, o.quantity);
    go(18, 10);
    session.close_window(delivery);
    go(18, 15);
    for (;;) {
      const p2p_round& round = session.run_round(delivery);
      if (round.quiet()) break;
      const std::vector<confirmed_trade> proposals = round.proposals;
      for (confirmed_trade t : proposals) {
        t.buyer_signature =
            sign_confirmation(keys[t.deal.buyer.value - 1], t.deal, t.period, t.buyer_sequence, t.seller_sequence);
        t.seller_signature =
            sign_confirmation(keys[t.deal.seller.value - 1], t.deal, t.period, t.buyer_sequence, t.seller_sequence);
        benchmark::DoNotOptimize(session.confirm(t));
      }
    }
    go(18, 25);
    session.settle_fees(delivery);
    std::vector<delivery_reading> readings;
    std::vector<bool> seen(nodes + 1);
    for (const trade& t : session.trades(delivery))
      for (const participant_id p : {t.buyer, t.seller})
        if (!seen[p.value]) {
          seen[p.value] = true;
          readings.push_back({p, watt_hours(0)});
        }
    std::map<participant_id, energy> delivered;
    for (const trade& t : session.trades(delivery)) {
      delivered[t.buyer] += t.quantity;
      delivered[t.seller] += t.quantity;
    }
    for (delivery_reading& r : readings) r.delivered = delivered[r.node];
    go(19, 0);
    report = session.settle(delivery, readings);
    ++day;
  }
  state.counters["window_kWh"] = report.window_volume.display();
  state.counters["p2p_kWh"] = report.p2p_volume.display();
  state.counters["window_voided"] = static_cast<double>(report.window_voided);
  state.counters["p2p_voided"] = static_cast<double>(report.p2p_voided);
  state.counters["rounds"] = static_cast<double>(report.rounds);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_continuous_session_period)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
