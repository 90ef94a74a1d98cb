#pragma once
/// @file
/// Umbrella header of the evmarket::clp component (links COIN-OR Clp, EPL-2.0): the LP-based
/// mechanisms with no GPL code. Name the backend: `nucleolus<clp_backend>(game)`.

#include <evmarket/evmarket.hpp>

#include <evmarket/coalition/lp/backend.hpp>
#include <evmarket/coalition/lp/clp.hpp>
#include <evmarket/coalition/nucleolus.hpp>
#include <evmarket/market/coalition_lp_nucleolus.hpp>
