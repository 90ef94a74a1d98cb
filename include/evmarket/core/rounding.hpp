#pragma once
/// @file
/// How a conversion or a division rounds: every lossy step in evmarket names one of these.

#include <evmarket/config.hpp>

EVMARKET_BEGIN_NAMESPACE

/// Rounding direction for exact-integer conversions and divisions.
enum class rounding {
  down,          ///< toward negative infinity (floor): amounts paid out, quotas granted
  up,            ///< toward positive infinity (ceiling): amounts charged
  toward_zero,   ///< truncation
  nearest,       ///< to nearest, halves away from zero (what printed tables use)
  nearest_even,  ///< to nearest, halves to even (banker's rounding)
};

EVMARKET_END_NAMESPACE
