// Paper 004's benefit functions eq. (1)-(4) and the weight matrix Q of eq. (5).
#include <evmarket/matching/b_matching.hpp>
#include <evmarket/matching/benefit.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

using namespace evmarket;

// The paper prints the formulas but no numeric example; the expected figures below are the
// formulas worked by hand for round parameter values.

TEST_CASE("eq. (1): SMES earns the price and pays upkeep on the absolute power") {
  // Discharging 50 kW for 1 h at 0.8 Token/kWh, upkeep 0.05 Token/kWh: 40 - 2.5.
  CHECK(smes_revenue({.C_ep = 0.8, .P_sm = 50, .k_sm = 0.05, .delta_t = 1}) == doctest::Approx(37.5));
  // Charging 20 kW for half an hour: pays 0.8 * 10 and still the upkeep 0.05 * 10.
  CHECK(smes_revenue({.C_ep = 0.8, .P_sm = -20, .k_sm = 0.05, .delta_t = 0.5}) == doctest::Approx(-8.5));
  CHECK(smes_revenue({.C_ep = 0.8, .P_sm = 0, .k_sm = 0.05, .delta_t = 1}) == 0.0);
}

TEST_CASE("eq. (2): a charging EV pays for the energy and for the drive to the charging point") {
  // 30 kWh at 0.6 plus 0.15 kWh/km over 12 km at 0.6: -(18 + 1.08).
  CHECK(charging_ev_revenue({.p_v2v = 0.6, .Q_ij = 30, .lambda_i = 0.15, .D_ip = 12}) == doctest::Approx(-19.08));
  CHECK(charging_ev_revenue({.p_v2v = 0.6, .Q_ij = 0, .lambda_i = 0.15, .D_ip = 0}) == 0.0);
}

TEST_CASE("eq. (3): a discharging EV earns the V2V price less its charging cost, drive and wear") {
  // 0.6 * 20 - 0.5 * 20 / 0.9 - 0.5 * 0.2 * 5 - 1.5 = 12 - 11.111 - 0.5 - 1.5.
  CHECK(discharging_ev_revenue(
            {.p_v2v = 0.6, .Q_ij = 20, .p_0 = 0.5, .eta = 0.9, .lambda_j = 0.2, .D_jp = 5, .B_j = 1.5}) ==
        doctest::Approx(12.0 - 100.0 / 9.0 - 0.5 - 1.5));
}

TEST_CASE("eq. (4): rooftop PV earns the price less maintenance on its output") {
  CHECK(pv_revenue({.C_ep = 0.8, .P_pv = 10, .k_pv = 0.1, .delta_t = 2}) == doctest::Approx(14.0));
}

TEST_CASE("the formulas reject invalid terms by name") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  try {
    (void)pv_revenue({.C_ep = 0.8, .P_pv = -1, .k_pv = 0.1, .delta_t = 1});
    FAIL("negative output accepted");
  } catch (const bad_input& e) {
    CHECK(e.field() == "P_pv");
  }
  CHECK_THROWS_AS(smes_revenue({.C_ep = nan, .P_sm = 1, .k_sm = 0, .delta_t = 1}), bad_input);
  CHECK_THROWS_AS(
      discharging_ev_revenue({.p_v2v = 1, .Q_ij = 1, .p_0 = 1, .eta = 0, .lambda_j = 0, .D_jp = 0, .B_j = 0}),
      bad_input);
  CHECK_THROWS_AS(
      discharging_ev_revenue({.p_v2v = 1, .Q_ij = 1, .p_0 = 1, .eta = 1.2, .lambda_j = 0, .D_jp = 0, .B_j = 0}),
      bad_input);
  CHECK_THROWS_AS(charging_ev_revenue({.p_v2v = 1, .Q_ij = 1, .lambda_i = 0.1, .D_ip = -2}), bad_input);
}

TEST_CASE("Q[i, j] = R_i + R_j for each kind of seller, with the traded energy min(demand, offer)") {
  const p2p_interval market{.p_v2v = 0.6, .C_ep = 0.8, .delta_t = 1};
  const std::vector<charging_ev> buyers{{.lambda_i = 0.15, .demand = 30}, {.lambda_i = 0.2, .demand = 8}};
  const std::vector<prosumer_seller> sellers{
      discharging_ev{.p_0 = 0.5, .eta = 0.9, .lambda_j = 0.2, .B_j = 1.5, .offer = 20},
      rooftop_pv{.k_pv = 0.1, .P_pv = 10},
      smes_unit{.k_sm = 0.05, .P_sm = 50},
  };
  Eigen::MatrixXd D_ip(2, 3), D_jp(2, 3);
  D_ip << 12, 3, 7, 4, 9, 1;
  D_jp << 5, 0, 0, 6, 0, 0;
  const auto Q = prosumer_weights(market, buyers, sellers, D_ip, D_jp);
  REQUIRE(Q.rows() == 2);
  REQUIRE(Q.cols() == 3);
  // Buyer 0 with the EV: Q_ij = 20; the payment 0.6 * 20 cancels between the two.
  CHECK(Q(0, 0) == doctest::Approx(-(0.6 * 0.15 * 12) - 0.5 * 20 / 0.9 - 0.5 * 0.2 * 5 - 1.5));
  // Buyer 0 with PV: Q_ij = min(30, 10) = 10 at C_ep; PV pays upkeep on 10 kWh.
  CHECK(Q(0, 1) == doctest::Approx(-(0.8 * 10 + 0.8 * 0.15 * 3) + (0.8 * 10 - 0.1 * 10)));
  // Buyer 0 with SMES: Q_ij = 30 (SMES offers 50).
  CHECK(Q(0, 2) == doctest::Approx(-(0.8 * 30 + 0.8 * 0.15 * 7) + (0.8 * 30 - 0.05 * 30)));
  // Buyer 1 wants 8 kWh from everyone.
  CHECK(Q(1, 0) == doctest::Approx(-(0.6 * 0.2 * 4) - 0.5 * 8 / 0.9 - 0.5 * 0.2 * 6 - 1.5));
  CHECK(Q(1, 1) == doctest::Approx(-(0.8 * 0.2 * 9) - 0.1 * 8));
  CHECK(Q(1, 2) == doctest::Approx(-(0.8 * 0.2 * 1) - 0.05 * 8));
}

TEST_CASE("a constant added to Q changes no matching, because eq. (7) fixes the number of pairs") {
  const p2p_interval market{.p_v2v = 0.6, .C_ep = 0.8, .delta_t = 1};
  std::vector<charging_ev> buyers;
  for (int i = 0; i < 6; ++i) buyers.push_back({.lambda_i = 0.1 + 0.02 * i, .demand = 5.0 + 3 * i});
  const std::vector<prosumer_seller> sellers{
      discharging_ev{.p_0 = 0.5, .eta = 0.92, .lambda_j = 0.18, .B_j = 1.0, .offer = 15},
      rooftop_pv{.k_pv = 0.1, .P_pv = 12}, smes_unit{.k_sm = 0.05, .P_sm = 40}};
  Eigen::MatrixXd D_ip(6, 3), D_jp(6, 3);
  for (Eigen::Index i = 0; i < 6; ++i)
    for (Eigen::Index j = 0; j < 3; ++j) {
      D_ip(i, j) = static_cast<double>((7 * i + 3 * j) % 11 + 1);
      D_jp(i, j) = static_cast<double>((5 * i + 2 * j) % 7 + 1);
    }
  const auto Q = prosumer_weights(market, buyers, sellers, D_ip, D_jp);
  const std::vector<int> L{1, 2, 2}, La{1, 2, 1, 2, 1, 1};
  const auto plain = solve_b_matching(Q, L, La, objective::maximise);
  const auto shifted = solve_b_matching((Q.array() + 100.0).matrix(), L, La, objective::maximise);
  REQUIRE(plain.optimal());
  REQUIRE(shifted.optimal());
  CHECK(plain.pairs == shifted.pairs);
  CHECK(shifted.value == doctest::Approx(plain.value + 100.0 * 5));
}

TEST_CASE("the weight builder names the participant or entry at fault") {
  const p2p_interval market{.p_v2v = 0.6, .C_ep = 0.8, .delta_t = 1};
  const std::vector<charging_ev> buyers{{.lambda_i = 0.15, .demand = 30}};
  std::vector<prosumer_seller> sellers{rooftop_pv{.k_pv = 0.1, .P_pv = 10},
                                       discharging_ev{.p_0 = 0.5, .eta = 1.5, .lambda_j = 0.2, .B_j = 1, .offer = 1}};
  Eigen::MatrixXd D = Eigen::MatrixXd::Ones(1, 2);
  try {
    (void)prosumer_weights(market, buyers, sellers, D, D);
    FAIL("eta > 1 accepted");
  } catch (const bad_input& e) {
    CHECK(e.field() == "sellers[1].eta");
  }
  sellers[1] = smes_unit{.k_sm = 0.05, .P_sm = 10};
  D(0, 1) = -1;
  try {
    (void)prosumer_weights(market, buyers, sellers, D, Eigen::MatrixXd::Ones(1, 2));
    FAIL("negative distance accepted");
  } catch (const bad_input& e) {
    CHECK(e.field() == "D_ip(0, 1)");
  }
  CHECK_THROWS_AS(prosumer_weights(market, buyers, sellers, Eigen::MatrixXd::Ones(2, 2), Eigen::MatrixXd::Ones(1, 2)),
                  bad_input);
}

TEST_CASE("even_split_trades spreads each side's energy over its pairs") {
  const std::vector<charging_ev> buyers{{.lambda_i = 0.15, .demand = 30}, {.lambda_i = 0.2, .demand = 8}};
  const std::vector<prosumer_seller> sellers{
      discharging_ev{.p_0 = 0.5, .eta = 0.9, .lambda_j = 0.2, .B_j = 1.5, .offer = 20},
      rooftop_pv{.k_pv = 0.1, .P_pv = 10},
      smes_unit{.k_sm = 0.05, .P_sm = 50},
  };
  const std::vector<int> L{1, 2, 3}, La{3, 1};
  const Eigen::MatrixXd traded = even_split_trades(buyers, sellers, 0.5, L, La);
  // Buyer 0 wants 30 / 3 = 10 kWh per pair; per pair the EV offers 20, the PV 10 kW * 0.5 h / 2
  // = 2.5 and the SMES 50 kW * 0.5 h / 3 kWh.
  CHECK(traded(0, 0) == doctest::Approx(10.0));
  CHECK(traded(0, 1) == doctest::Approx(2.5));
  CHECK(traded(0, 2) == doctest::Approx(25.0 / 3.0));
  CHECK(traded(1, 0) == doctest::Approx(8.0));
  CHECK(traded(1, 1) == doctest::Approx(2.5));
  CHECK(traded(1, 2) == doctest::Approx(8.0));  // its whole demand is below the SMES share
  CHECK_THROWS_AS(even_split_trades(buyers, sellers, 0.5, std::vector<int>{1, 0, 3}, La), bad_input);
  CHECK_THROWS_AS(even_split_trades(buyers, sellers, 0.5, L, std::vector<int>{1}), bad_input);

  // The explicit-trade overload uses exactly the energies given.
  const p2p_interval market{.p_v2v = 0.6, .C_ep = 0.8, .delta_t = 0.5};
  const Eigen::MatrixXd D = Eigen::MatrixXd::Constant(2, 3, 2.0);
  const auto Q = prosumer_weights(market, buyers, sellers, D, D, traded);
  CHECK(Q(0, 1) == doctest::Approx(-(0.8 * 0.15 * 2.0) - 0.1 * 2.5));
  CHECK(Q(1, 0) == doctest::Approx(-(0.6 * 0.2 * 2.0) - 0.5 * 8 / 0.9 - 0.5 * 0.2 * 2.0 - 1.5));
}
