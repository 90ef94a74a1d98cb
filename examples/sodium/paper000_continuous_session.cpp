// Paper 000 (Xue et al.) as an evening of the continuous market session: charging-right orders
// meet in a continuous double auction, what stays unmatched moves to the reputation-ranged P2P
// phase, every trade passes the feeder's security check, P2P trades are signed by both parties
// with Ed25519, congestion fees go to the operator, and each period is a block of a BLAKE2b/Ed25519
// chain. Paper 000 prints no numeric table; what it states is checked: its timeline, and that
// without changed offers (and without trades the check voids) the P2P market has no volume.
// Prints the period report, then the ledger's verification. Exits 1 if a check fails.
#include <evmarket/evmarket.hpp>
#include <evmarket/ledger/sodium.hpp>

#include "ledger_check.hpp"

#include <array>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace evmarket;

namespace {

using sink_type = chain_ledger_sink<sodium::blake2b_256, sodium::ed25519_verifier, sodium::ed25519_signer>;
constexpr std::size_t node_count = 20, bus_count = 12, periods = 4, orders_per_period = 60;

int failures = 0;
const char* mark(bool same) {
  failures += same ? 0 : 1;
  return same ? "ok" : "MISMATCH";
}

// The evening's feeder: bus b hangs from a bus before it; limits 20-60 kW.
std::vector<feeder_line> evening_feeder() {
  std::mt19937_64 rng(2026);
  std::vector<feeder_line> lines;
  for (bus_index b = 1; b < bus_count; ++b)
    lines.push_back({static_cast<bus_index>(std::uniform_int_distribution<bus_index>(0, b - 1)(rng)), b,
                     kilowatts(std::uniform_int_distribution<int>(20, 60)(rng))});
  return lines;
}

struct order_line {
  std::size_t node;
  side order_side;
  price limit;
  energy quantity;
};
// The same seeded orders for every run: a station buys or sells 1-12 kWh at 15-30 Token/kWh.
std::vector<std::vector<order_line>> evening_orders() {
  std::mt19937_64 rng(37);
  std::vector<std::vector<order_line>> evening(periods);
  for (auto& period : evening)
    for (std::size_t k = 0; k < orders_per_period; ++k)
      period.push_back({std::uniform_int_distribution<std::size_t>(0, node_count - 1)(rng),
                        std::bernoulli_distribution(0.5)(rng) ? side::buy : side::sell,
                        tokens_per_kwh(std::uniform_int_distribution<int>(15, 30)(rng)),
                        kilowatt_hours(std::uniform_int_distribution<int>(1, 12)(rng))});
  return evening;
}

// Runs the evening's periods (18:30 to 20:30) through `session`: each period's trading, and
// the settlement of the period that ended, in the clock's order. Returns the period reports.
template <class Session>
std::vector<continuous_period_report> run_evening(Session& session, const std::vector<sodium::ed25519_signer>& keys,
                                                  std::vector<participant_id>& nodes) {
  for (std::size_t i = 0; i < node_count; ++i) {
    const auto key = keys[i].public_key();
    nodes.push_back(session.enrol_node("station " + std::to_string(i + 1), bytes(key.begin(), key.end()),
                                       5.0 + static_cast<double>(i % 10) / 2.0));
    if constexpr (requires { session.network().place(nodes.back(), bus_index{}); })
      session.network().place(nodes.back(), static_cast<bus_index>(1 + (i * 7) % (bus_count - 1)));
  }
  const std::vector<std::vector<order_line>> evening = evening_orders();
  std::vector<continuous_period_report> reports;
  std::map<std::size_t, std::map<participant_id, energy>> traded;
  const auto settle = [&](std::size_t k) {
    std::vector<delivery_reading> readings;
    for (const auto& [node, q] : traded[k]) readings.push_back({node, q});  // every station delivers its trades
    reports.push_back(session.settle(trading_period{0, static_cast<std::int32_t>(37 + k)}, readings));
  };
  for (std::size_t k = 0; k < periods; ++k) {
    const trading_period delivery{0, static_cast<std::int32_t>(37 + k)};
    const auto go = [&](int minute) {
      session.clock().set(market_time::at(0, 18, 0).plus((30 * static_cast<std::int64_t>(k) + minute) * 60));
    };
    go(0);
    if (k >= 2) settle(k - 2);
    go(7);
    for (const order_line& o : evening[k])
      static_cast<void>(session.submit_order(delivery, nodes[o.node], o.order_side, o.limit, o.quantity));
    go(10);
    static_cast<void>(session.close_window(delivery));
    go(15);
    for (;;) {
      const p2p_round round = session.run_round(delivery);
      if (round.quiet()) break;
      for (confirmed_trade t : round.proposals) {
        const auto& buyer = keys[t.deal.buyer.value - 1];
        const auto& seller = keys[t.deal.seller.value - 1];
        t.buyer_signature = sign_confirmation(buyer, t.deal, t.period, t.buyer_sequence, t.seller_sequence);
        t.seller_signature = sign_confirmation(seller, t.deal, t.period, t.buyer_sequence, t.seller_sequence);
        static_cast<void>(session.confirm(t));
      }
    }
    go(25);
    static_cast<void>(session.settle_fees(delivery));
    for (const trade& t : session.trades(delivery)) {
      traded[k][t.buyer] += t.quantity;
      traded[k][t.seller] += t.quantity;
    }
  }
  for (std::size_t k = periods - 2; k < periods; ++k) {
    session.clock().set(market_time::at(0, 19, 0).plus(static_cast<std::int64_t>(30 * k) * 60));
    settle(k);
  }
  return reports;
}

}  // namespace

int main() {
  std::vector<sodium::ed25519_signer> keys;
  for (std::size_t i = 0; i < node_count; ++i) {
    std::array<std::uint8_t, 32> seed{};
    seed[0] = static_cast<std::uint8_t>(i + 1);
    keys.push_back(sodium::ed25519_signer::from_seed(seed));
  }
  const std::vector<feeder_line> lines = evening_feeder();
  radial_feeder feeder(bus_count, lines, kilowatts(400));
  for (std::size_t l = 0; l < lines.size(); ++l)
    if (lines[l].limit < kilowatts(35))
      feeder.post_congestion_fee(l, tokens_per_kwh(0.5));  // lines it expects to congest

  using session_type =
      continuous_market_session<sodium::ed25519_verifier, radial_feeder, quantile_levels, own_level_and_above,
                                price_concession, conformance_reputation, sink_type>;
  session_type session(feeder, session_setup(), {}, {}, {}, {}, {}, sink_type(sodium::ed25519_signer::generate()));
  std::vector<participant_id> nodes;
  const std::vector<continuous_period_report> reports = run_evening(session, keys, nodes);

  std::printf("Paper 000 through the continuous market session (%s, %s, %s, %s)\n\n",
              std::string(radial_feeder::name).c_str(), std::string(quantile_levels::name).c_str(),
              std::string(own_level_and_above::name).c_str(), std::string(price_concession::name).c_str());
  const phase_schedule s = session.setup().schedule;
  std::printf("Timeline (minutes of the trading period)  paper 000      session\n");
  const auto window = [&](const char* what, phase_window paper, phase_window got) {
    const bool same = paper.start_minute == got.start_minute && paper.end_minute == got.end_minute;
    std::printf("  %-38s 18:%02d-18:%02d    18:%02d-18:%02d  %s\n", what, paper.start_minute, paper.end_minute,
                got.start_minute, got.end_minute, mark(same));
  };
  window("quotation (continuous window)", {7, 10}, s.bidding);
  window("clearing (the window closes)", {10, 15}, s.clearing);
  window("P2P transactions", {15, 25}, s.peer_to_peer);
  window("fee settlement", {25, 30}, s.fee_settlement);

  std::printf("\n%-11s %10s %7s %7s %10s %7s %7s %7s %10s\n", "delivery", "window kWh", "trades", "voided", "P2P kWh",
              "trades", "voided", "rounds", "fees Tk");
  continuous_period_report total;
  for (const continuous_period_report& r : reports) {
    const int minute = r.delivery.slot * 30;
    std::printf("%02d:%02d-%02d:%02d %10.1f %7llu %7llu %10.1f %7llu %7llu %7llu %10.2f\n", minute / 60, minute % 60,
                (minute + 30) / 60, (minute + 30) % 60, r.window_volume.display(),
                static_cast<unsigned long long>(r.window_trades), static_cast<unsigned long long>(r.window_voided),
                r.p2p_volume.display(), static_cast<unsigned long long>(r.p2p_trades),
                static_cast<unsigned long long>(r.p2p_voided), static_cast<unsigned long long>(r.rounds),
                r.fees.display());
    total.window_volume += r.window_volume;
    total.p2p_volume += r.p2p_volume;
    total.fees += r.fees;
  }
  money sum = session.operator_balance();
  for (const auto& [node, m] : session.balances()) sum += m;
  std::printf("traded %.1f kWh in the windows, %.1f kWh P2P; the operator collected %.2f Token of congestion fees\n",
              total.window_volume.display(), total.p2p_volume.display(), total.fees.display());
  std::printf("money: stations + operator = %lld micro-Token  %s\n", static_cast<long long>(sum.base()),
              mark(sum.is_zero() && session.operator_balance() == total.fees));

  // Paper 000: "If the buyer and the seller do not change the offer ..., there will be no volume
  // in the P2P market": the same orders with nodes that never adjust and no trade voided.
  using still_session = continuous_market_session<sodium::ed25519_verifier, always_secure, quantile_levels,
                                                  own_level_and_above, no_adjustment>;
  still_session still{always_secure()};
  std::vector<participant_id> still_nodes;
  energy still_p2p = energy::zero();
  for (const continuous_period_report& r : run_evening(still, keys, still_nodes)) still_p2p += r.p2p_volume;
  std::printf("no changed offers, no check refusals: P2P volume  paper 0 kWh  session %.1f kWh  %s\n\n",
              still_p2p.display(), mark(still_p2p.is_zero()));

  const example::ledger_check ledger = example::check_ledger<sodium::blake2b_256>(session.sink(), 0, 0, 10);
  example::print_ledger_check(ledger);
  failures += ledger.ok() ? 0 : 1;

  std::printf("\n%s\n", failures == 0 ? "Paper 000's timeline and P2P claim reproduced through the session; the "
                                        "ledger verifies."
                                      : "Paper 000 NOT reproduced through the session.");
  return failures == 0 ? 0 : 1;
}
