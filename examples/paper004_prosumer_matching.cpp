// Paper 004 (Li, Chen, Zhou): matching prosumers in an EV peer-to-peer market with SMES.
//
// A scenario like the paper's simulation (section IV): 15 EV users (10 charging, 5 discharging),
// 5 rooftop PV users and 1 SMES unit, one hourly trading interval. Prices, demands and distances
// are drawn from a fixed seed (the paper publishes none). The weights Q[i, j] = R_i + R_j come
// from eq. (1)-(4); the matching maximises eq. (5) under eq. (6)-(8), and also in its one-to-one
// form (each buyer and seller at most once, Kuhn-Munkres). Both answers are checked here against
// their dual potentials (LP optimality certificates); the program exits non-zero if a check fails.
#include <evmarket/matching/b_matching.hpp>
#include <evmarket/matching/benefit.hpp>
#include <evmarket/matching/hungarian.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace evmarket;

namespace {

// Uniform in [lo, hi) from the raw 64-bit engine, whose output the standard fixes, so the
// scenario is the same with every standard library.
struct seeded {
  std::mt19937_64 engine{2021};
  double uniform(double lo, double hi) { return lo + (hi - lo) * static_cast<double>(engine() >> 11) * 0x1.0p-53; }
  int integer(int lo, int hi) { return lo + static_cast<int>(engine() % static_cast<std::uint64_t>(hi - lo + 1)); }
};

int failures = 0;
void expect(bool condition, const std::string& what) {
  if (!condition) {
    std::printf("CHECK FAILED: %s\n", what.c_str());
    ++failures;
  }
}

std::string seller_name(const prosumer_seller& s, std::size_t j) {
  if (std::holds_alternative<discharging_ev>(s)) return "EV-d" + std::to_string(j + 1);
  if (std::holds_alternative<rooftop_pv>(s)) return "PV" + std::to_string(j - 4);
  return "SMES";
}

}  // namespace

int main() {
  seeded rng;
  const p2p_interval market{.p_v2v = rng.uniform(0.55, 0.75), .C_ep = rng.uniform(0.7, 0.9), .delta_t = 1.0};

  std::vector<charging_ev> buyers;
  for (int i = 0; i < 10; ++i) buyers.push_back({.lambda_i = rng.uniform(0.12, 0.22), .demand = rng.uniform(5, 30)});
  std::vector<prosumer_seller> sellers;
  for (int j = 0; j < 5; ++j)
    sellers.push_back(discharging_ev{.p_0 = rng.uniform(0.3, 0.5),
                                     .eta = rng.uniform(0.88, 0.95),
                                     .lambda_j = rng.uniform(0.12, 0.22),
                                     .B_j = rng.uniform(0.5, 2.0),
                                     .offer = rng.uniform(8, 25)});
  for (int j = 0; j < 5; ++j)
    sellers.push_back(rooftop_pv{.k_pv = rng.uniform(0.05, 0.15), .P_pv = rng.uniform(5, 20)});
  sellers.push_back(smes_unit{.k_sm = rng.uniform(0.02, 0.06), .P_sm = 60});

  const auto m = static_cast<Eigen::Index>(buyers.size());
  const auto n = static_cast<Eigen::Index>(sellers.size());
  Eigen::MatrixXd D_ip(m, n), D_jp(m, n);
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      D_ip(i, j) = rng.uniform(0.5, 15);
      D_jp(i, j) =
          std::holds_alternative<discharging_ev>(sellers[static_cast<std::size_t>(j)]) ? rng.uniform(0.5, 15) : 0.0;
    }
  std::printf("Paper 004: P2P matching of 10 charging EVs with 5 discharging EVs, 5 PV and 1 SMES\n");
  std::printf("p_v2v = %.3f Token/kWh, C_ep = %.3f Token/kWh, interval 1 h\n\n", market.p_v2v, market.C_ep);

  // Eq. (7)-(8): every EV seller serves 1 buyer, PV 2, SMES 3; buyers take up to 1-3 sellers.
  std::vector<int> L;
  for (Eigen::Index j = 0; j < n; ++j) L.push_back(j < 5 ? 1 : (j < 10 ? 2 : 3));
  std::vector<int> La;
  for (Eigen::Index i = 0; i < m; ++i) La.push_back(rng.integer(1, 3));
  // Each participant spreads its energy over its pairs, so no demand is counted twice.
  const Eigen::MatrixXd traded = even_split_trades(buyers, sellers, market.delta_t, L, La);
  const auto Q = prosumer_weights(market, buyers, sellers, D_ip, D_jp, traded);

  const auto many = solve_b_matching(Q, L, La, objective::maximise);
  expect(many.optimal(), "the capacitated market is feasible");
  if (!many.optimal()) return 1;
  std::printf("Capacitated matching, eq. (5)-(8) (sigma = sum Q[i,j] T[i,j] = %.4f):\n", many.value);
  std::printf("  %-8s %-6s %8s %10s\n", "seller", "buyer", "Q_ij kWh", "Q[i,j]");
  std::vector<int> per_seller(static_cast<std::size_t>(n), 0), per_buyer(static_cast<std::size_t>(m), 0);
  std::vector<std::vector<bool>> matched(static_cast<std::size_t>(m), std::vector<bool>(static_cast<std::size_t>(n)));
  double sigma = 0;
  for (const matched_pair& p : many.pairs) {
    const auto j = static_cast<std::size_t>(p.seller), i = static_cast<std::size_t>(p.buyer);
    std::printf("  %-8s EV-c%-2zu %8.2f %10.4f\n", seller_name(sellers[j], j).c_str(), i + 1, traded(p.buyer, p.seller),
                Q(p.buyer, p.seller));
    expect(!matched[i][j], "eq. (6): a pair trades at most once");
    matched[i][j] = true;
    ++per_seller[j];
    ++per_buyer[i];
    sigma += Q(p.buyer, p.seller);
  }
  for (std::size_t j = 0; j < static_cast<std::size_t>(n); ++j) expect(per_seller[j] == L[j], "eq. (7) for a seller");
  for (std::size_t i = 0; i < static_cast<std::size_t>(m); ++i) expect(per_buyer[i] <= La[i], "eq. (8) for a buyer");
  expect(std::fabs(sigma - many.value) < 1e-9, "sigma is the sum of the matched weights");

  // Optimality certificate of the capacitated matching (see b_matching.hpp): with reduced weight
  // r = Q - seller_potential - buyer_potential, matched pairs have r >= 0 and unmatched r <= 0,
  // buyer potentials are >= 0 and positive only on full buyers, and the dual bound equals sigma.
  const double tol = 1e-9;
  double dual = 0;
  for (std::size_t j = 0; j < static_cast<std::size_t>(n); ++j) dual += L[j] * many.seller_potential[j];
  for (std::size_t i = 0; i < static_cast<std::size_t>(m); ++i) {
    dual += La[i] * many.buyer_potential[i];
    expect(many.buyer_potential[i] >= -tol, "buyer potential sign");
    if (many.buyer_potential[i] > tol) expect(per_buyer[i] == La[i], "a priced buyer is full");
    for (std::size_t j = 0; j < static_cast<std::size_t>(n); ++j) {
      const double r = Q(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) - many.seller_potential[j] -
                       many.buyer_potential[i];
      if (r > tol) expect(matched[i][j], "a pair with positive reduced weight is matched");
      if (r < -tol) expect(!matched[i][j], "a pair with negative reduced weight is not");
      dual += std::max(0.0, r);
    }
  }
  expect(std::fabs(dual - many.value) < 1e-9, "dual bound equals sigma (optimality)");
  std::printf("  dual bound %.4f = sigma: optimal\n\n", dual);

  // The one-to-one form the paper's Kuhn-Munkres solves: each buyer with one seller, trading
  // min(demand, offer).
  const auto Q1 = prosumer_weights(market, buyers, sellers, D_ip, D_jp);
  const auto one = solve_assignment(Q1, objective::maximise);
  expect(one.optimal(), "the one-to-one matching exists");
  if (!one.optimal()) return 1;
  std::printf("One-to-one matching, Kuhn-Munkres (sigma = %.4f):\n", one.value);
  double dual_one = 0;
  for (Eigen::Index i = 0; i < m; ++i) {
    const auto j = one.column_of_row[static_cast<std::size_t>(i)];
    std::printf("  EV-c%-2td <- %-8s Q[i,j] = %9.4f\n", i + 1,
                seller_name(sellers[static_cast<std::size_t>(j)], static_cast<std::size_t>(j)).c_str(), Q1(i, j));
    dual_one += one.u[static_cast<std::size_t>(i)];
    for (Eigen::Index k = 0; k < n; ++k) {
      const double slack = one.u[static_cast<std::size_t>(i)] + one.v[static_cast<std::size_t>(k)] - Q1(i, k);
      expect(slack >= -tol, "u + v >= Q on every pair");
      if (k == j) expect(std::fabs(slack) <= tol, "u + v == Q on matched pairs");
    }
  }
  for (Eigen::Index k = 0; k < n; ++k) {
    dual_one += one.v[static_cast<std::size_t>(k)];
    expect(one.v[static_cast<std::size_t>(k)] >= -tol, "seller potentials >= 0");
    if (one.row_of_column[static_cast<std::size_t>(k)] < 0)
      expect(one.v[static_cast<std::size_t>(k)] == 0, "idle seller potential 0");
  }
  expect(std::fabs(dual_one - one.value) < 1e-9, "u + v sums to sigma (optimality)");
  std::printf("  sum u + sum v = %.4f = sigma: optimal\n", dual_one);

  if (failures != 0) {
    std::printf("\n%d check(s) failed\n", failures);
    return 1;
  }
  std::printf("\nall checks passed\n");
  return 0;
}
