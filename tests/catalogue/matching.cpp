// Catalogue rows for matching/: the assignment solver, capacitated b-matching and paper 004's
// benefit functions.
#include "catalogue.hpp"

#include <cstring>
#include <limits>
#include <tuple>

namespace {

using namespace evmarket;
using evmarket_catalogue::section;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

using dmatrix = Eigen::MatrixXd;

/// A matrix as bytes, so that NaN entries compare equal to themselves.
template <class Matrix>
std::vector<unsigned char> bits(const Matrix& m) {
  std::vector<unsigned char> out(static_cast<std::size_t>(m.size()) * sizeof(typename Matrix::Scalar) + 16);
  const auto rows = m.rows(), cols = m.cols();
  std::memcpy(out.data(), &rows, sizeof rows);
  std::memcpy(out.data() + 8, &cols, sizeof cols);
  for (Eigen::Index k = 0; k < m.size(); ++k) {
    const auto value = m(k / cols, k % cols);
    std::memcpy(out.data() + 16 + static_cast<std::size_t>(k) * sizeof value, &value, sizeof value);
  }
  return out;
}

dmatrix with_entry(Eigen::Index rows, Eigen::Index cols, Eigen::Index i, Eigen::Index j, double value) {
  dmatrix m = dmatrix::Constant(rows, cols, 1.0);
  m(i, j) = value;
  return m;
}

void assignment_rows(section& s) {
  const auto weights = [](dmatrix m) { return [m] { return m; }; };
  const auto snap = [](const dmatrix& m) { return bits(m); };
  const auto solve = [](objective sense) { return [sense](dmatrix& m) { (void)solve_assignment(m, sense); }; };
  const std::string e = "solve_assignment";
  s.on<bad_input>(e, "NaN weight", "weights(1, 2)", "NaN", weights(with_entry(3, 3, 1, 2, nan)),
                  solve(objective::minimise), snap, "weights");
  s.on<bad_input>(e, "-infinity when minimising", "weights(0, 1)", "-inf", weights(with_entry(2, 2, 0, 1, -inf)),
                  solve(objective::minimise), snap, "weights");
  s.on<bad_input>(e, "+infinity when maximising", "weights(1, 0)", "+inf", weights(with_entry(2, 2, 1, 0, inf)),
                  solve(objective::maximise), snap, "weights");
  s.on<bad_input>(e, "overflow: magnitude 1e301", "weights(0, 0)", "1.0000000000000001e+301",
                  weights(with_entry(2, 2, 0, 0, 1e301)), solve(objective::minimise), snap, "weights");
  s.on<bad_input>(e, "NaN in a tall matrix (solved transposed)", "weights(2, 0)", "NaN",
                  weights(with_entry(3, 2, 2, 0, nan)), solve(objective::minimise), snap, "weights");
  s.on<bad_input>(e, "overflow: -1e305 in a wide matrix", "weights(0, 3)", "-9.9999999999999994e+304",
                  weights(with_entry(2, 4, 0, 3, -1e305)), solve(objective::maximise), snap, "weights");
  s.call<bad_input>(e, "NaN float weight", "weights(0, 1)", "NaN", [] {
    Eigen::MatrixXf m = Eigen::MatrixXf::Ones(2, 2);
    m(0, 1) = std::numeric_limits<float>::quiet_NaN();
    (void)solve_assignment(m);
  });
  s.call<overflow_error>(e, "overflow: int64 value beyond 2^63", "assignment value", "leaves the 64-bit range", [] {
    const std::int64_t big = std::int64_t{1} << 62;
    Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic> w(3, 3);
    w << big + 1, big + 2, big + 3, big + 2, big + 4, big + 6, big + 3, big + 6, big + 9;
    (void)solve_assignment(w);
  });
  s.call<bad_input>(e, "mismatched sizes: mask 2 x 3 for weights 2 x 2", "allowed", "2 x 3", [] {
    const dmatrix w = dmatrix::Ones(2, 2);
    const Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic> mask =
        Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic>::Constant(2, 3, true);
    (void)solve_assignment(w, mask);
  });
  s.call<bad_input>(e, "NaN on an allowed pair under a mask", "weights(1, 1)", "NaN", [] {
    const dmatrix w = with_entry(2, 2, 1, 1, nan);
    const Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic> mask =
        Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic>::Constant(2, 2, true);
    (void)solve_assignment(w, mask);
  });
}

struct b_problem {
  dmatrix weights;
  std::vector<int> seller_demand;
  std::vector<int> buyer_capacity;
};

void b_matching_rows(section& s) {
  const auto problem = [](dmatrix w, std::vector<int> L, std::vector<int> La) {
    return [w, L, La] { return b_problem{w, L, La}; };
  };
  const auto snap = [](const b_problem& p) { return std::tuple(bits(p.weights), p.seller_demand, p.buyer_capacity); };
  const auto solve = [](objective sense) {
    return [sense](b_problem& p) { (void)solve_b_matching(p.weights, p.seller_demand, p.buyer_capacity, sense); };
  };
  const dmatrix w = dmatrix::Ones(3, 2);  // 3 buyers x 2 sellers
  const std::string e = "solve_b_matching";
  s.on<bad_input>(e, "mismatched sizes: one seller demand for two sellers", "seller_demand", "1 entries",
                  problem(w, {1}, {1, 1, 1}), solve(objective::maximise), snap, "arguments");
  s.on<bad_input>(e, "mismatched sizes: two buyer capacities for three buyers", "buyer_capacity", "2 entries",
                  problem(w, {1, 1}, {1, 1}), solve(objective::maximise), snap, "arguments");
  s.on<bad_input>(e, "negative seller demand", "seller_demand[1]", "-1", problem(w, {1, -1}, {1, 1, 1}),
                  solve(objective::maximise), snap, "arguments");
  s.on<bad_input>(e, "negative buyer capacity", "buyer_capacity[2]", "-3", problem(w, {1, 1}, {1, 1, -3}),
                  solve(objective::maximise), snap, "arguments");
  s.on<bad_input>(e, "NaN weight", "weights(2, 1)", "NaN", problem(with_entry(3, 2, 2, 1, nan), {1, 1}, {1, 1, 1}),
                  solve(objective::maximise), snap, "arguments");
  s.on<bad_input>(e, "+infinity when maximising", "weights(0, 0)", "+inf",
                  problem(with_entry(3, 2, 0, 0, inf), {1, 1}, {1, 1, 1}), solve(objective::maximise), snap,
                  "arguments");
  s.on<bad_input>(e, "overflow: magnitude 1e302", "weights(1, 0)", "1.0000000000000001e+302",
                  problem(with_entry(3, 2, 1, 0, 1e302), {1, 1}, {1, 1, 1}), solve(objective::minimise), snap,
                  "arguments");
  s.call<bad_input>(e, "mismatched sizes: mask 3 x 3 for weights 3 x 2", "allowed", "3 x 3", [] {
    const dmatrix weights = dmatrix::Ones(3, 2);
    const Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic> mask =
        Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic>::Constant(3, 3, true);
    (void)solve_b_matching(weights, mask, std::vector<int>{1, 1}, std::vector<int>{1, 1, 1});
  });
}

void benefit_rows(section& s) {
  s.call<bad_input>("smes_revenue", "NaN price", "C_ep", "NaN",
                    [] { (void)smes_revenue({.C_ep = nan, .P_sm = 1, .k_sm = 0, .delta_t = 1}); });
  s.call<bad_input>("smes_revenue", "infinite power", "P_sm", "+inf",
                    [] { (void)smes_revenue({.C_ep = 1, .P_sm = inf, .k_sm = 0, .delta_t = 1}); });
  s.call<bad_input>("smes_revenue", "negative cost coefficient", "k_sm", "-1",
                    [] { (void)smes_revenue({.C_ep = 1, .P_sm = 1, .k_sm = -1, .delta_t = 1}); });
  s.call<bad_input>("smes_revenue", "negative interval", "delta_t", "-1",
                    [] { (void)smes_revenue({.C_ep = 1, .P_sm = 1, .k_sm = 0, .delta_t = -1}); });
  s.call<bad_input>("charging_ev_revenue", "negative price", "p_v2v", "-1",
                    [] { (void)charging_ev_revenue({.p_v2v = -1, .Q_ij = 1, .lambda_i = 0.1, .D_ip = 2}); });
  s.call<bad_input>("charging_ev_revenue", "NaN energy", "Q_ij", "NaN",
                    [] { (void)charging_ev_revenue({.p_v2v = 1, .Q_ij = nan, .lambda_i = 0.1, .D_ip = 2}); });
  s.call<bad_input>("charging_ev_revenue", "negative distance", "D_ip", "-2",
                    [] { (void)charging_ev_revenue({.p_v2v = 1, .Q_ij = 1, .lambda_i = 0.1, .D_ip = -2}); });
  s.call<bad_input>("charging_ev_revenue", "infinite consumption", "lambda_i", "+inf",
                    [] { (void)charging_ev_revenue({.p_v2v = 1, .Q_ij = 1, .lambda_i = inf, .D_ip = 2}); });
  const auto discharging = [](double eta, double p_0, double B_j) {
    return discharging_ev_revenue_terms{
        .p_v2v = 1, .Q_ij = 1, .p_0 = p_0, .eta = eta, .lambda_j = 0.1, .D_jp = 1, .B_j = B_j};
  };
  s.call<bad_input>("discharging_ev_revenue", "zero efficiency", "eta", "0",
                    [=] { (void)discharging_ev_revenue(discharging(0, 1, 0)); });
  s.call<bad_input>("discharging_ev_revenue", "efficiency 1.5", "eta", "1.5",
                    [=] { (void)discharging_ev_revenue(discharging(1.5, 1, 0)); });
  s.call<bad_input>("discharging_ev_revenue", "NaN efficiency", "eta", "NaN",
                    [=] { (void)discharging_ev_revenue(discharging(nan, 1, 0)); });
  s.call<bad_input>("discharging_ev_revenue", "negative own price", "p_0", "-0.5",
                    [=] { (void)discharging_ev_revenue(discharging(0.9, -0.5, 0)); });
  s.call<bad_input>("discharging_ev_revenue", "negative depreciation", "B_j", "-1",
                    [=] { (void)discharging_ev_revenue(discharging(0.9, 1, -1)); });
  s.call<bad_input>("pv_revenue", "negative PV power", "P_pv", "-3",
                    [] { (void)pv_revenue({.C_ep = 1, .P_pv = -3, .k_pv = 0, .delta_t = 1}); });
  s.call<bad_input>("pv_revenue", "NaN maintenance cost", "k_pv", "NaN",
                    [] { (void)pv_revenue({.C_ep = 1, .P_pv = 3, .k_pv = nan, .delta_t = 1}); });

  struct market_input {
    p2p_interval market{1.0, 0.8, 1.0};
    std::vector<charging_ev> buyers{{0.1, 5}, {0.2, 3}};
    std::vector<prosumer_seller> sellers{discharging_ev{0.5, 0.9, 0.1, 0.2, 4}, rooftop_pv{0.05, 6}};
    dmatrix D_ip = dmatrix::Ones(2, 2), D_jp = dmatrix::Ones(2, 2), traded = dmatrix::Ones(2, 2);
  };
  const auto input = [](auto change) {
    return [change] {
      market_input m;
      change(m);
      return m;
    };
  };
  const auto weights = [](market_input& m) {
    (void)prosumer_weights(m.market, m.buyers, m.sellers, m.D_ip, m.D_jp, m.traded);
  };
  const auto snap = [](const market_input& m) { return std::tuple(bits(m.D_ip), bits(m.D_jp), bits(m.traded)); };
  const std::string pw = "prosumer_weights";
  s.on<bad_input>(pw, "mismatched sizes: D_ip 2 x 1", "D_ip", "2 x 1",
                  input([](market_input& m) { m.D_ip = dmatrix::Ones(2, 1); }), weights, snap, "arguments");
  s.on<bad_input>(pw, "mismatched sizes: traded 3 x 2", "traded", "3 x 2",
                  input([](market_input& m) { m.traded = dmatrix::Ones(3, 2); }), weights, snap, "arguments");
  s.on<bad_input>(pw, "negative V2V price", "p_v2v", "-1", input([](market_input& m) { m.market.p_v2v = -1; }),
                  weights, snap, "arguments");
  s.on<bad_input>(pw, "zero interval", "delta_t", "0", input([](market_input& m) { m.market.delta_t = 0; }), weights,
                  snap, "arguments");
  s.on<bad_input>(pw, "NaN buyer consumption", "buyers[1].lambda_i", "NaN",
                  input([](market_input& m) { m.buyers[1].lambda_i = nan; }), weights, snap, "arguments");
  s.on<bad_input>(pw, "seller efficiency above 1", "sellers[0].eta", "1.2",
                  input([](market_input& m) { std::get<discharging_ev>(m.sellers[0]).eta = 1.2; }), weights, snap,
                  "arguments");
  s.on<bad_input>(pw, "negative PV output", "sellers[1].P_pv", "-6",
                  input([](market_input& m) { std::get<rooftop_pv>(m.sellers[1]).P_pv = -6; }), weights, snap,
                  "arguments");
  s.on<bad_input>(pw, "negative distance entry", "D_jp(1, 0)", "-1",
                  input([](market_input& m) { m.D_jp(1, 0) = -1; }), weights, snap, "arguments");
  s.on<bad_input>(pw, "NaN traded entry", "traded(0, 1)", "NaN", input([](market_input& m) { m.traded(0, 1) = nan; }),
                  weights, snap, "arguments");
  s.on<bad_input>(pw, "negative SMES power", "sellers[1].P_sm", "-2",
                  input([](market_input& m) { m.sellers[1] = smes_unit{0.01, -2}; }), weights, snap, "arguments");

  const std::vector<charging_ev> buyers{{0.1, 5}, {0.2, 3}};
  const std::vector<prosumer_seller> sellers{rooftop_pv{0.05, 6}, smes_unit{0.01, 4}};
  const std::string split = "even_split_trades";
  s.call<bad_input>(split, "mismatched sizes: three seller counts", "seller_demand", "3 entries",
                    [=] { (void)even_split_trades(buyers, sellers, 0.5, std::vector<int>{1, 0, 3}, std::vector<int>{1, 1}); });
  s.call<bad_input>(split, "mismatched sizes: one buyer count", "buyer_capacity", "1 entries",
                    [=] { (void)even_split_trades(buyers, sellers, 0.5, std::vector<int>{1, 1}, std::vector<int>{1}); });
  s.call<bad_input>(split, "zero seller count", "seller_demand[1]", "0",
                    [=] { (void)even_split_trades(buyers, sellers, 0.5, std::vector<int>{1, 0}, std::vector<int>{1, 1}); });
  s.call<bad_input>(split, "zero buyer count", "buyer_capacity[0]", "0",
                    [=] { (void)even_split_trades(buyers, sellers, 0.5, std::vector<int>{1, 1}, std::vector<int>{0, 1}); });
  s.call<bad_input>(split, "zero interval", "delta_t", "0",
                    [=] { (void)even_split_trades(buyers, sellers, 0, std::vector<int>{1, 1}, std::vector<int>{1, 1}); });
  s.call<bad_input>(split, "NaN buyer demand", "buyers[0].demand", "NaN", [=] {
    std::vector<charging_ev> bad = buyers;
    bad[0].demand = nan;
    (void)even_split_trades(bad, sellers, 0.5, std::vector<int>{1, 1}, std::vector<int>{1, 1});
  });
}

const bool registered = evmarket_catalogue::add_section(60, "matching", [](section& s) {
  assignment_rows(s);
  b_matching_rows(s);
  benefit_rows(s);
});

}  // namespace
