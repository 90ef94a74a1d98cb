#pragma once
/// @file
/// Umbrella header of the evmarket::lp component (links GLPK, GPL-3): the LP-based mechanisms.

#include <evmarket/evmarket.hpp>

#include <evmarket/coalition/lp/backend.hpp>
#include <evmarket/coalition/lp/glpk.hpp>
#include <evmarket/coalition/nucleolus.hpp>
