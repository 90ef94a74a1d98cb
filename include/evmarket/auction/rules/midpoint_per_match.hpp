#pragma once
/// @file
/// Paper 003's Algorithm 1 exactly: each matched pair trades at the midpoint of its bid and offer.

#include <evmarket/auction/call_auction.hpp>

EVMARKET_BEGIN_NAMESPACE

/// Every match of Algorithm 1 trades at (bid + offer) / 2, rounded to the nearest
/// micro-Token/kWh (halves to even). Budget balanced and individually rational; not truthful
/// (a buyer gains by shading its bid).
struct midpoint_per_match {
  /// The rule's name, for reports.
  static constexpr std::string_view name = "midpoint per match";

  /// Prices the market's matches into `out` as the rule above says (the builder enforces the invariants).
  void apply(const call_market& market, clearing_builder& out) const {
    for (const call_market::match& m : market.matches()) {
      const price p = midpoint(market.bid(m.bid_rank).limit, market.offer(m.offer_rank).limit, rounding::nearest_even);
      out.record(m.bid_rank, m.offer_rank, m.quantity, p, p);
    }
  }
};

static_assert(PricingRule<midpoint_per_match>);

EVMARKET_END_NAMESPACE
