// Paper 004 (Li, Chen, Zhou), section III.C: P2P trading prices from the nucleolus of the
// prosumers' cooperative game (eq. 9-11). The paper prints no numeric table for this step, so
// this example prices a small coalition of its kind and proves the result instead: Kohlberg's
// criterion certifies the nucleolus exactly, and the general sequential LP over all 2^6
// coalitions must agree with the assignment-game fast path. Exits 1 if anything disagrees.
//
// Three charging EVs (buyers) and three sellers (two rooftop PV systems, one discharging EV).
// A pair's joint gain over buying from the grid, in Tokens, follows eq. (2)-(4):
//   gain(i, j) = Q_i * (grid price - seller's cost per kWh) - buyer's travel cost,
// and the trade's price p follows from the buyer's share x_i = Q_i * (grid price - p) - travel.
#include <evmarket/lp.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

int main() {
  using namespace evmarket;
  using Q = exact_rational;
  struct buyer {
    const char* name;
    Q energy_kwh, travel_cost;
  };
  struct seller {
    const char* name;
    Q cost_per_kwh;  // PV: maintenance k_pv; EV: p0 / eta plus battery wear
  };
  const Q grid_price(1);  // Token/kWh
  const std::vector<buyer> buyers{{"EV1", 20, 4}, {"EV2", 30, 6}, {"EV3", 10, 2}};
  const std::vector<seller> sellers{{"PV1", Q(3, 10)}, {"EV4", Q(60, 100)}, {"PV2", Q(35, 100)}};

  std::vector<std::vector<Q>> gains(buyers.size(), std::vector<Q>(sellers.size()));
  for (std::size_t i = 0; i < buyers.size(); ++i)
    for (std::size_t j = 0; j < sellers.size(); ++j)
      gains[i][j] = buyers[i].energy_kwh * (grid_price - sellers[j].cost_per_kwh) - buyers[i].travel_cost;
  const assignment_game<Q> market(gains);
  const nucleolus_result result = nucleolus(market);

  std::printf("Paper 004: nucleolus pricing of a P2P coalition (3 buyers, 3 sellers)\n\n");
  std::printf("joint gains (Token)   ");
  for (const auto& s : sellers) std::printf("%8s", s.name);
  std::printf("\n");
  for (std::size_t i = 0; i < buyers.size(); ++i) {
    std::printf("  %-19s", buyers[i].name);
    for (std::size_t j = 0; j < sellers.size(); ++j) std::printf("%8.2f", static_cast<double>(gains[i][j]));
    std::printf("\n");
  }
  std::printf("\nv(N) = %s Token (best matching)\n\n", market.grand_value().str().c_str());

  int failures = 0;
  std::printf("%-6s %-6s %10s %10s %14s\n", "buyer", "seller", "buyer gets", "seller gets", "price Token/kWh");
  const auto match = market.optimal_matching();
  const std::size_t m = buyers.size();
  for (std::size_t i = 0; i < m; ++i) {
    if (match[i] == static_cast<std::size_t>(-1)) continue;
    const std::size_t j = match[i];
    const Q& xb = result.exact_allocation.at(i);
    const Q& xs = result.exact_allocation.at(m + j);
    const Q price = grid_price - (xb + buyers[i].travel_cost) / buyers[i].energy_kwh;
    // The seller's share must be what that price pays it: Q * (p - cost).
    const Q seller_share = buyers[i].energy_kwh * (price - sellers[j].cost_per_kwh);
    const bool consistent = seller_share == xs && price >= sellers[j].cost_per_kwh && price <= grid_price;
    failures += consistent ? 0 : 1;
    std::printf("%-6s %-6s %10.4f %10.4f %14.6f  %s (exact %s)\n", buyers[i].name, sellers[j].name, static_cast<double>(xb),
                static_cast<double>(xs), static_cast<double>(price), consistent ? "ok" : "INCONSISTENT", price.str().c_str());
  }
  for (std::size_t p = 0; p < market.players(); ++p) {
    const bool matched = p < m ? match[p] != static_cast<std::size_t>(-1)
                               : std::find(match.begin(), match.end(), p - m) != match.end();
    if (!matched) std::printf("%s trades with no one and gets %s\n", p < m ? buyers[p].name : sellers[p - m].name,
                              result.exact_allocation[p].str().c_str());
  }

  std::printf("\ncertificate (Kohlberg, exact): %s", result.certified() ? "holds" : "FAILS");
  if (!result.certified()) std::printf(" - %s", result.certificate.reason.c_str());
  std::printf("\nLP stages %zu, LP solves %zu, least-core value epsilon = %s\n", result.stages, result.lp_solves,
              result.exact_levels.empty() ? "?" : result.exact_levels.front().str().c_str());
  failures += result.certified() ? 0 : 1;

  // Independent route: the general sequential LP over all 2^6 coalitions.
  const tu_game<Q> table = market.to_game();
  const auto general = nucleolus(tu_game<Q>::from_function(table.players(), [&](coalition s) { return table.value(s); }));
  const bool agree = general.certified() && general.exact_allocation == result.exact_allocation;
  std::printf("general sequential LP over all coalitions: %s\n", agree ? "agrees" : "DISAGREES");
  failures += agree ? 0 : 1;
  std::printf("%s\n", failures == 0 ? "Prices certified." : "Pricing NOT certified.");
  return failures == 0 ? 0 : 1;
}
