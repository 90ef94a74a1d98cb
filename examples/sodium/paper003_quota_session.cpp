// Paper 003 (Ping et al.) as one trading period of the quota market session: the operator's
// margin, the stations' demands and deposits, beta pre-allocation (Table II), the quota auction
// (Table III), settlement (Table IV), every step on a ledger signed with Ed25519 and committed by
// BLAKE2b Merkle roots. Prints the paper's tables beside the session's figures with a match mark,
// then the ledger's verification. Exits 1 if a figure disagrees.
#include <evmarket/evmarket.hpp>
#include <evmarket/ledger/sodium.hpp>

#include "ledger_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

using namespace evmarket;

namespace {

struct row {
  const char* name;
  double demand_kw;
  double printed_quota_kw;                // Table II
  double bid_kwh, offer_kwh, unit_price;  // Table III
  double printed_fee, printed_payment;    // Table IV
};
// Table IV's rows B and C are misprints (the papers' README): the clearing gives 149.5 and -151.8.
const std::vector<row> paper{
    {"A", 36, 29.82, 0, 3.2, 25, 3339.32, 0},      {"B", 48, 39.75, 6.5, 0, 24, 4452.43, 73.6},
    {"C", 42, 34.78, 0, 9.8, 22, 3895.88, -225.4}, {"D", 66, 54.66, 10.9, 0, 26, 6122.09, 250.7},
    {"E", 30, 24.85, 3.2, 0, 28, 2782.77, 73.6},   {"F", 66, 54.66, 0, 7.2, 19, 6122.09, -165.6},
    {"G", 54, 44.72, 5.4, 0, 20, 5008.98, 0},      {"H", 48, 39.75, 0, 6.8, 16, 4452.43, -156.4}};

int mismatches = 0;
const char* mark(bool same, bool misprint = false) {
  if (misprint) return same ? "ok" : "misprint";
  mismatches += same ? 0 : 1;
  return same ? "ok" : "MISMATCH";
}
bool same_cents(double a, double b) { return std::llround(a * 100) == std::llround(b * 100); }

}  // namespace

int main() {
  using sink_type = chain_ledger_sink<sodium::blake2b_256, sodium::ed25519_verifier, sodium::ed25519_signer>;
  // Table IV's reading: a uniform price (k = 1/2 of the marginal pair) and a fee of the initial
  // quota at 112 Token/kWh; every other policy is the paper's default.
  quota_market_session<proportional_allocation, uniform_price<>, initial_quota_fee, over_consumption_penalty, sink_type>
      session{session_setup(), proportional_allocation(), uniform_price<>(), initial_quota_fee(),
              over_consumption_penalty(), sink_type(sodium::ed25519_signer::generate())};
  std::map<std::string, station_id> id;
  for (const row& r : paper) id[r.name] = session.enrol_station(r.name);

  const trading_period delivery{0, 37};  // 18:30-19:00, traded in 18:00-18:30
  const auto at = [](int h, int m) { return market_time::at(0, h, m); };
  session.clock().set(at(18, 0));
  session.broadcast_margin(delivery, kilowatts(323));  // the text's 343 kW contradicts its Table II
  for (const row& r : paper)
    static_cast<void>(session.submit_demand(delivery, id[r.name], kilowatts(r.demand_kw), tokens(10'000)));
  session.clock().set(at(18, 5));
  const allocation quotas = session.pre_allocate(delivery);
  session.clock().set(at(18, 7));
  for (const row& r : paper)
    static_cast<void>(session.submit_order(delivery, id[r.name], r.bid_kwh > 0 ? side::buy : side::sell,
                                           kilowatt_hours(r.bid_kwh > 0 ? r.bid_kwh : r.offer_kwh),
                                           tokens_per_kwh(r.unit_price)));
  session.clock().set(at(18, 10));
  const call_auction_result clearing = session.clear(delivery);
  session.clock().set(at(18, 30));
  std::map<participant_id, energy> drawn;  // every station draws exactly its final quota
  for (std::size_t i = 0; i < paper.size(); ++i)
    drawn[id[paper[i].name]] = energy_over(quotas.quotas[i], 30, rounding::down);
  for (const trade& t : clearing.trades) {
    drawn[t.buyer] += t.quantity;
    drawn[t.seller] -= t.quantity;
  }
  for (const auto& [station, energy_drawn] : drawn) session.record_metering(delivery, station, energy_drawn);
  session.clock().set(at(19, 0));
  const period_settlement settled = session.settle(delivery);

  std::printf("Paper 003 through the quota market session (%s, %s)\n\n", std::string(uniform_price<>::name).c_str(),
              std::string(initial_quota_fee::name).c_str());
  std::printf("Table II: margin 323 kW, demand %.0f kW, beta = %.5f\n", quotas.total_demand.display(),
              quotas.satisfaction.value());
  std::printf("%-8s %10s %12s %12s %12s\n", "station", "demand kW", "paper kW", "session kW", "");
  for (std::size_t i = 0; i < paper.size(); ++i) {
    const double share = quotas.satisfaction.share_of(kilowatts(paper[i].demand_kw));
    std::printf("%-8s %10.0f %12.2f %12.2f %12s\n", paper[i].name, paper[i].demand_kw, paper[i].printed_quota_kw, share,
                mark(same_cents(share, paper[i].printed_quota_kw)));
  }
  std::printf("\nTable IV: settlement (Token; minus is an income)\n");
  std::printf("%-8s %12s %12s %6s %12s %12s %9s %12s\n", "station", "paper fee", "session fee", "", "paper auction",
              "session", "", "withdrawn");
  for (const settlement_line& line : settled.lines) {
    const std::string name = session.roster().name(line.station);
    const row& r = *std::find_if(paper.begin(), paper.end(), [&](const row& x) { return name == x.name; });
    const bool misprint = name == "B" || name == "C";
    std::printf("%-8s %12.2f %12.2f %6s %12.1f %12.1f %9s %12.2f\n", r.name, r.printed_fee, line.fee.display(),
                mark(same_cents(line.fee.display(), r.printed_fee)), r.printed_payment, line.auction_payment.display(),
                mark(line.auction_payment == tokens(r.printed_payment), misprint), line.withdrawn.display());
  }
  money operator_in = settled.operator_income;
  std::printf("operator receives %.2f Token; escrow balance after settlement %.2f Token\n", operator_in.display(),
              settled.escrow_balance().display());
  mismatches += settled.escrow_balance().is_zero() ? 0 : 1;
  std::printf("(rows B and C of Table IV are misprints: energy in its printed column is not conserved)\n\n");

  const example::ledger_check ledger = example::check_ledger<sodium::blake2b_256>(session.sink(), 0, 3, 10);
  example::print_ledger_check(ledger);
  mismatches += ledger.ok() ? 0 : 1;

  std::printf("\n%s\n", mismatches == 0 ? "Tables II and IV reproduced through the session; the ledger verifies."
                                        : "Paper 003 NOT reproduced through the session.");
  return mismatches == 0 ? 0 : 1;
}
