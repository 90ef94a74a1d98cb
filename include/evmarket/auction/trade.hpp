#pragma once
/// @file
/// The double auctions' output record. `trade` and `side` are core vocabulary (core/trade.hpp),
/// shared by every mechanism that moves energy for money; this header is kept so that auction
/// code can include what it uses from its own area.

#include <evmarket/core/trade.hpp>
