#pragma once
/// @file
/// Paper 004's prosumer benefit functions, eq. (1)-(4), and the weight matrix Q of its matching
/// (eq. 5): Q[i, j] = R_i + R_j for buyer i (a charging EV) and seller j (a discharging EV, a
/// rooftop PV system or the SMES unit). Parameters carry the paper's symbols so each formula can
/// be read against the paper. Units: prices in Token/kWh, energy in kWh, power in kW, time in
/// hours, distances in km, consumption per km in kWh/km, costs in Token.
///
/// These are real-valued weights for an optimisation, not money changing hands (settlement uses
/// core/units.hpp), so they are doubles.

#include <evmarket/core/error.hpp>
#include <evmarket/detail/matching_scalar.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// Eq. (1), the SMES unit: R_sm = C_ep P_sm dt - k_sm |P_sm| dt.
struct smes_revenue_terms {
  double C_ep;     ///< electricity price, Token/kWh
  double P_sm;     ///< charge/discharge power, kW: > 0 discharging (selling), < 0 charging
  double k_sm;     ///< operation and maintenance cost coefficient, Token/kWh
  double delta_t;  ///< length of the trading interval, h
};

/// Eq. (2), a charging EV (the buyer): R_cv = -(p_v2v Q_ij + p_v2v lambda_i D_ip).
struct charging_ev_revenue_terms {
  double p_v2v;     ///< price of the V2V trade, Token/kWh
  double Q_ij;      ///< energy traded between the charging vehicle i and the supplier j, kWh
  double lambda_i;  ///< consumption of the charging vehicle, kWh/km
  double D_ip;      ///< distance of the charging vehicle to the charging point P, km
};

/// Eq. (3), a discharging EV (a seller): R_dv = p_v2v Q_ij - p_0 Q_ij / eta - p_0 lambda_j D_jp - B_j.
struct discharging_ev_revenue_terms {
  double p_v2v;     ///< price of the V2V trade, Token/kWh
  double Q_ij;      ///< energy traded, kWh
  double p_0;       ///< the EV's own charging price, Token/kWh
  double eta;       ///< efficiency of the power transfer, in (0, 1]
  double lambda_j;  ///< consumption of the discharging vehicle, kWh/km
  double D_jp;      ///< distance of the discharging vehicle to the charging point P, km
  double B_j;       ///< battery depreciation cost of the trade, Token
};

/// Eq. (4), rooftop PV (a seller): R_pv = C_ep P_pv dt - k_pv P_pv dt.
struct pv_revenue_terms {
  double C_ep;     ///< electricity price, Token/kWh
  double P_pv;     ///< PV output power, kW
  double k_pv;     ///< maintenance cost coefficient, Token/kWh
  double delta_t;  ///< length of the trading interval, h
};

namespace detail {

inline void require_nonnegative(double value, std::string_view field) {
  require(std::isfinite(value), field, value, "must be a finite number");
  require(value >= 0, field, value, "must not be negative");
}

}  // namespace detail

/// Eq. (1). Throws bad_input on a non-finite term, negative price, cost or interval.
[[nodiscard]] inline double smes_revenue(const smes_revenue_terms& t) {
  detail::require_nonnegative(t.C_ep, "C_ep");
  detail::require_finite(t.P_sm, "P_sm");
  detail::require_nonnegative(t.k_sm, "k_sm");
  detail::require_nonnegative(t.delta_t, "delta_t");
  return t.C_ep * t.P_sm * t.delta_t - t.k_sm * std::fabs(t.P_sm) * t.delta_t;
}

/// Eq. (2). Throws bad_input on a non-finite or negative term.
[[nodiscard]] inline double charging_ev_revenue(const charging_ev_revenue_terms& t) {
  detail::require_nonnegative(t.p_v2v, "p_v2v");
  detail::require_nonnegative(t.Q_ij, "Q_ij");
  detail::require_nonnegative(t.lambda_i, "lambda_i");
  detail::require_nonnegative(t.D_ip, "D_ip");
  return -(t.p_v2v * t.Q_ij + t.p_v2v * t.lambda_i * t.D_ip);
}

/// Eq. (3). Throws bad_input on a non-finite or negative term, or eta outside (0, 1].
[[nodiscard]] inline double discharging_ev_revenue(const discharging_ev_revenue_terms& t) {
  detail::require_nonnegative(t.p_v2v, "p_v2v");
  detail::require_nonnegative(t.Q_ij, "Q_ij");
  detail::require_nonnegative(t.p_0, "p_0");
  detail::require_finite(t.eta, "eta");
  detail::require(t.eta > 0 && t.eta <= 1, "eta", t.eta, "must be an efficiency in (0, 1]");
  detail::require_nonnegative(t.lambda_j, "lambda_j");
  detail::require_nonnegative(t.D_jp, "D_jp");
  detail::require_nonnegative(t.B_j, "B_j");
  return t.p_v2v * t.Q_ij - t.p_0 * t.Q_ij / t.eta - t.p_0 * t.lambda_j * t.D_jp - t.B_j;
}

/// Eq. (4). Throws bad_input on a non-finite or negative term.
[[nodiscard]] inline double pv_revenue(const pv_revenue_terms& t) {
  detail::require_nonnegative(t.C_ep, "C_ep");
  detail::require_nonnegative(t.P_pv, "P_pv");
  detail::require_nonnegative(t.k_pv, "k_pv");
  detail::require_nonnegative(t.delta_t, "delta_t");
  return t.C_ep * t.P_pv * t.delta_t - t.k_pv * t.P_pv * t.delta_t;
}

/// Market-wide terms of one trading interval.
struct p2p_interval {
  double p_v2v;    ///< V2V price, Token/kWh
  double C_ep;     ///< price of electricity from PV and SMES, Token/kWh
  double delta_t;  ///< interval length, h (the paper quotes every hour)
};

/// A charging EV (a buyer, eq. 2).
struct charging_ev {
  double lambda_i;  ///< consumption, kWh/km
  double demand;    ///< energy it wants this interval, kWh
};
/// A discharging EV (a seller, eq. 3).
struct discharging_ev {
  double p_0;       ///< its own charging price, Token/kWh
  double eta;       ///< transfer efficiency, (0, 1]
  double lambda_j;  ///< consumption, kWh/km
  double B_j;       ///< battery depreciation per trade, Token
  double offer;     ///< energy it can give this interval, kWh
};
/// A rooftop PV system (a seller, eq. 4).
struct rooftop_pv {
  double k_pv;  ///< maintenance cost coefficient, Token/kWh
  double P_pv;  ///< output power available to trade, kW
};
/// The SMES unit (a seller when discharging, eq. 1).
struct smes_unit {
  double k_sm;  ///< operation and maintenance cost coefficient, Token/kWh
  double P_sm;  ///< discharge power available to trade, kW (> 0)
};
/// Any seller of paper 004.
using prosumer_seller = std::variant<discharging_ev, rooftop_pv, smes_unit>;

namespace detail {

// Validates every participant up front so an error names the participant, not just the symbol.
inline void validate_prosumers(std::span<const charging_ev> buyers, std::span<const prosumer_seller> sellers) {
  for (std::size_t i = 0; i < buyers.size(); ++i) {
    require_nonnegative(buyers[i].lambda_i, element_field("buyers", i, "lambda_i"));
    require_nonnegative(buyers[i].demand, element_field("buyers", i, "demand"));
  }
  for (std::size_t j = 0; j < sellers.size(); ++j)
    std::visit(
        [&](const auto& s) {
          using S = std::decay_t<decltype(s)>;
          if constexpr (std::is_same_v<S, discharging_ev>) {
            require_nonnegative(s.p_0, element_field("sellers", j, "p_0"));
            require(std::isfinite(s.eta) && s.eta > 0 && s.eta <= 1, element_field("sellers", j, "eta"), s.eta,
                    "must be an efficiency in (0, 1]");
            require_nonnegative(s.lambda_j, element_field("sellers", j, "lambda_j"));
            require_nonnegative(s.B_j, element_field("sellers", j, "B_j"));
            require_nonnegative(s.offer, element_field("sellers", j, "offer"));
          } else if constexpr (std::is_same_v<S, rooftop_pv>) {
            require_nonnegative(s.k_pv, element_field("sellers", j, "k_pv"));
            require_nonnegative(s.P_pv, element_field("sellers", j, "P_pv"));
          } else {
            require_nonnegative(s.k_sm, element_field("sellers", j, "k_sm"));
            require_nonnegative(s.P_sm, element_field("sellers", j, "P_sm"));
          }
        },
        sellers[j]);
}

}  // namespace detail

/// Energy a seller can deliver in one interval, kWh.
[[nodiscard]] inline double seller_offer(const prosumer_seller& seller, double delta_t) {
  return std::visit(
      [&](const auto& s) -> double {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, discharging_ev>)
          return s.offer;
        else if constexpr (std::is_same_v<S, rooftop_pv>)
          return s.P_pv * delta_t;
        else
          return s.P_sm * delta_t;
      },
      seller);
}

/// Builds paper 004's weight matrix Q (buyers x sellers, row-major, ready for solve_b_matching
/// with objective::maximise) from the energy each pair would trade, traded(i, j) (the paper's
/// Q_ij, kWh): Q[i, j] = R_i + R_j with
///   R_i: eq. (2) at the pair's price (p_v2v with an EV seller, C_ep with PV or SMES) and D_ip(i, j);
///   R_j: eq. (3) with D_jp(i, j) for an EV, eq. (4) or eq. (1) at the power Q_ij / delta_t that
///        the pair draws from PV or SMES.
/// The paper leaves the baseline of its "relative" income unstated; these are eq. (1)-(4) as
/// printed, so the payment between the two cancels and Q[i, j] is the pair's net surplus (often
/// negative). Eq. (7) fixes the number of pairs, so adding one constant to every Q[i, j] (to make
/// them positive, as the paper's text has them) changes no matching.
/// D_ip: distance of charging EV i to the trading point of seller j; D_jp: distance of seller j
/// (when an EV) to that point; all three matrices m x n. Throws bad_input naming any invalid term.
[[nodiscard]] inline Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> prosumer_weights(
    const p2p_interval& market, std::span<const charging_ev> buyers, std::span<const prosumer_seller> sellers,
    const Eigen::Ref<const Eigen::MatrixXd>& D_ip, const Eigen::Ref<const Eigen::MatrixXd>& D_jp,
    const Eigen::Ref<const Eigen::MatrixXd>& traded) {
  const auto m = static_cast<Eigen::Index>(buyers.size());
  const auto n = static_cast<Eigen::Index>(sellers.size());
  const auto shape = [&](const Eigen::Ref<const Eigen::MatrixXd>& d, const char* field) {
    detail::require(d.rows() == m && d.cols() == n, field, std::to_string(d.rows()) + " x " + std::to_string(d.cols()),
                    "must be buyers x sellers (" + std::to_string(m) + " x " + std::to_string(n) + ")");
  };
  shape(D_ip, "D_ip");
  shape(D_jp, "D_jp");
  shape(traded, "traded");
  detail::require_nonnegative(market.p_v2v, "p_v2v");
  detail::require_nonnegative(market.C_ep, "C_ep");
  detail::require_nonnegative(market.delta_t, "delta_t");
  detail::require(market.delta_t > 0, "delta_t", market.delta_t, "must be positive");
  detail::validate_prosumers(buyers, sellers);
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      detail::require_nonnegative(D_ip(i, j), detail::matrix_entry_field("D_ip", i, j));
      detail::require_nonnegative(D_jp(i, j), detail::matrix_entry_field("D_jp", i, j));
      detail::require_nonnegative(traded(i, j), detail::matrix_entry_field("traded", i, j));
    }
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> Q(m, n);
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      const charging_ev& buyer = buyers[static_cast<std::size_t>(i)];
      const prosumer_seller& seller = sellers[static_cast<std::size_t>(j)];
      const double Q_ij = traded(i, j);
      const bool v2v = std::holds_alternative<discharging_ev>(seller);
      const double R_i = charging_ev_revenue(
          {.p_v2v = v2v ? market.p_v2v : market.C_ep, .Q_ij = Q_ij, .lambda_i = buyer.lambda_i, .D_ip = D_ip(i, j)});
      const double R_j = std::visit(
          [&](const auto& s) -> double {
            using S = std::decay_t<decltype(s)>;
            if constexpr (std::is_same_v<S, discharging_ev>)
              return discharging_ev_revenue({.p_v2v = market.p_v2v,
                                             .Q_ij = Q_ij,
                                             .p_0 = s.p_0,
                                             .eta = s.eta,
                                             .lambda_j = s.lambda_j,
                                             .D_jp = D_jp(i, j),
                                             .B_j = s.B_j});
            else if constexpr (std::is_same_v<S, rooftop_pv>)
              return pv_revenue(
                  {.C_ep = market.C_ep, .P_pv = Q_ij / market.delta_t, .k_pv = s.k_pv, .delta_t = market.delta_t});
            else
              return smes_revenue(
                  {.C_ep = market.C_ep, .P_sm = Q_ij / market.delta_t, .k_sm = s.k_sm, .delta_t = market.delta_t});
          },
          seller);
      Q(i, j) = R_i + R_j;
    }
  return Q;
}

/// The energy pair (i, j) trades when each side spreads its energy evenly over its pairs:
/// min(demand_i / L^a[i], offer_j / L[j]), kWh. Without the split (every count 1) a buyer matched
/// with several sellers would be credited its whole demand once per seller.
[[nodiscard]] inline Eigen::MatrixXd even_split_trades(std::span<const charging_ev> buyers,
                                                       std::span<const prosumer_seller> sellers, double delta_t,
                                                       std::span<const int> seller_demand,
                                                       std::span<const int> buyer_capacity) {
  detail::require(seller_demand.size() == sellers.size(), "seller_demand",
                  std::to_string(seller_demand.size()) + " entries", "needs one entry per seller");
  detail::require(buyer_capacity.size() == buyers.size(), "buyer_capacity",
                  std::to_string(buyer_capacity.size()) + " entries", "needs one entry per buyer");
  detail::require_nonnegative(delta_t, "delta_t");
  detail::require(delta_t > 0, "delta_t", delta_t, "must be positive");
  detail::validate_prosumers(buyers, sellers);
  Eigen::MatrixXd traded(static_cast<Eigen::Index>(buyers.size()), static_cast<Eigen::Index>(sellers.size()));
  for (std::size_t i = 0; i < buyers.size(); ++i) {
    detail::require(buyer_capacity[i] > 0, detail::element_field("buyer_capacity", i), buyer_capacity[i],
                    "must be positive to split a demand");
    for (std::size_t j = 0; j < sellers.size(); ++j) {
      detail::require(seller_demand[j] > 0, detail::element_field("seller_demand", j), seller_demand[j],
                      "must be positive to split an offer");
      traded(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          std::min(buyers[i].demand / buyer_capacity[i], seller_offer(sellers[j], delta_t) / seller_demand[j]);
    }
  }
  return traded;
}

/// prosumer_weights with every pair trading min(buyer demand, seller offer): one trade per
/// participant, as in the one-to-one (Kuhn-Munkres) form of the matching.
[[nodiscard]] inline Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> prosumer_weights(
    const p2p_interval& market, std::span<const charging_ev> buyers, std::span<const prosumer_seller> sellers,
    const Eigen::Ref<const Eigen::MatrixXd>& D_ip, const Eigen::Ref<const Eigen::MatrixXd>& D_jp) {
  const std::vector<int> ones_sellers(sellers.size(), 1), ones_buyers(buyers.size(), 1);
  return prosumer_weights(market, buyers, sellers, D_ip, D_jp,
                          even_split_trades(buyers, sellers, market.delta_t, ones_sellers, ones_buyers));
}

EVMARKET_END_NAMESPACE
