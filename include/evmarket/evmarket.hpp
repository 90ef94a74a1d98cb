#pragma once
/// @file
/// Umbrella header: every component of the permissive core. Components with their own
/// dependency (evmarket::lp, the ledger adapters) have umbrella headers of their own.

#include <evmarket/config.hpp>
#include <evmarket/version.hpp>

#include <evmarket/core/error.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/rounding.hpp>
#include <evmarket/core/units.hpp>

#include <evmarket/allocation/allocation.hpp>
#include <evmarket/allocation/proportional.hpp>

#include <evmarket/auction/trade.hpp>
