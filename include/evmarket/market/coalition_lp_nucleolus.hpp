#pragma once
/// @file
/// The LP path as session D's NucleolusSolver: the assignment game's nucleolus by sequential LPs
/// over its essential coalitions (coalition/nucleolus.hpp), finished and returned exactly. The
/// backend is the caller's choice (lp::glpk_backend in evmarket::lp, GPL-3; lp::clp_backend in
/// evmarket::clp, EPL-2.0): this header includes no solver, and coalition_market.hpp does not
/// include it, so the permissive core never depends on an LP solver. Its allocations equal the
/// default exact_assignment_nucleolus's (tests/lp/market_coalition_lp_test.cpp).

#include <evmarket/coalition/game.hpp>
#include <evmarket/coalition/lp/backend.hpp>
#include <evmarket/coalition/nucleolus.hpp>
#include <evmarket/core/error.hpp>
#include <evmarket/market/coalition_market.hpp>

#include <string_view>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// NucleolusSolver by sequential LP on `Backend`, with the exact finish (solver_failure when the
/// exact finish or, with `certify`, Kohlberg's criterion fails).
template <LpBackend Backend>
struct lp_assignment_nucleolus {
  /// The policy's name, for reports.
  static constexpr std::string_view name = "assignment-game nucleolus by sequential LP";
  /// Prove each result with Kohlberg's criterion.
  bool certify = true;

  /// The nucleolus allocation of `game` (buyers, then sellers).
  [[nodiscard]] std::vector<exact_rational> solve(const assignment_game<double>& game) const {
    nucleolus_options options;
    options.certify = certify;
    nucleolus_result result = nucleolus<Backend>(game, options);
    if (result.exact_allocation.empty())
      throw solver_failure("lp_assignment_nucleolus: the exact finish of the LP solution failed");
    if (certify && !result.certified())
      throw solver_failure("lp_assignment_nucleolus: Kohlberg's criterion refused the LP solution");
    return std::move(result.exact_allocation);
  }
};

EVMARKET_END_NAMESPACE
