#pragma once
/// @file
/// Fixture: a ledger header that includes a mechanism (the layering check must refuse it).
#include <evmarket/core/units.hpp>
#include <evmarket/auction/call_auction.hpp>
