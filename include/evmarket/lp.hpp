#pragma once
/// @file
/// Umbrella header of the evmarket::lp component (links GLPK, GPL-3): the LP-based mechanisms,
/// with GLPK as the default backend, so `nucleolus(game)` means `nucleolus<glpk_backend>(game)`.
/// The permissive alternative is <evmarket/clp.hpp> (COIN-OR Clp, EPL-2.0).

#include <evmarket/evmarket.hpp>

#include <evmarket/coalition/lp/backend.hpp>
#include <evmarket/coalition/lp/glpk.hpp>
#include <evmarket/coalition/nucleolus.hpp>
#include <evmarket/market/coalition_lp_nucleolus.hpp>

EVMARKET_BEGIN_NAMESPACE

// These overloads only take part when no backend is named: with nucleolus<B>(game), B would
// have to be a GameValue for them, which no backend is.

/// The nucleolus on GLPK (see coalition/nucleolus.hpp).
template <GameValue Value>
[[nodiscard]] nucleolus_result nucleolus(const tu_game<Value>& game, const nucleolus_options& options = {}) {
  return nucleolus<glpk_backend>(game, options);
}
/// The prenucleolus on GLPK.
template <GameValue Value>
[[nodiscard]] nucleolus_result prenucleolus(const tu_game<Value>& game, const nucleolus_options& options = {}) {
  return prenucleolus<glpk_backend>(game, options);
}
/// The nucleolus of an assignment game on GLPK.
template <GameValue Value>
[[nodiscard]] nucleolus_result nucleolus(const assignment_game<Value>& game, const nucleolus_options& options = {}) {
  return nucleolus<glpk_backend>(game, options);
}
/// The least core on GLPK.
template <GameValue Value>
[[nodiscard]] least_core_result least_core(const tu_game<Value>& game, const nucleolus_options& options = {}) {
  return least_core<glpk_backend>(game, options);
}

EVMARKET_END_NAMESPACE
