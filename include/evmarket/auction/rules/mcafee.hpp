#pragma once
/// @file
/// McAfee's dominant-strategy double auction (1992), applied per order.

#include <evmarket/auction/call_auction.hpp>
#include <evmarket/detail/call_auction_rationing.hpp>

EVMARKET_BEGIN_NAMESPACE

/// McAfee (1992) per order. Let the bid and offer of Algorithm 1's last match be the marginal
/// orders, and b', s' the best bid and offer it leaves wholly unfilled. When Algorithm 1 fills
/// both marginal orders completely (so b' and s' are the next units in line, as in McAfee's
/// one-unit setting), the candidate price is p = (b' + s') / 2 (rounded to the nearest
/// micro-Token/kWh, halves to even); if p lies between the marginal offer's and the marginal
/// bid's limits, every accepted order trades its full quantity at p: the efficient volume,
/// budget balanced. Otherwise the rule is trade reduction per order (trade_reduction.hpp): the
/// marginal bid and offer are excluded whole, buyers pay the marginal bid, sellers receive the
/// marginal offer, the longer side is rationed in proportion to quantity, and the auctioneer
/// keeps the difference. A marginal order that is filled only in part always leads to the
/// reduction: otherwise a trader could price part of its own quantity out of the match to move
/// the margin in its favour (the deviation-grid test finds such cases).
///
/// With one-unit orders this is McAfee's mechanism exactly. With divisible orders the price
/// branch needs the cumulative quantities to meet exactly at the margin, so the reduction is
/// the usual case.
///
/// Properties (one order per trader, a flat value per kWh up to its quantity): truthful in the
/// limit price, individually rational, never in deficit. Quantities are taken as reported (not
/// strategy-proof in quantity).
struct mcafee {
  /// The rule's name, for reports.
  static constexpr std::string_view name = "McAfee";

  /// Prices the market's matches into `out` as the rule above says (the builder enforces the invariants).
  void apply(const call_market& market, clearing_builder& out) const {
    const std::size_t k = market.matched_bids(), l = market.matched_offers();
    if (k == 0) return;
    const auto proportional = [&](detail::trading_side s, energy volume) {
      return detail::ration_proportionally(market, s, volume);
    };
    const price marginal_bid = market.bid(k - 1).limit, marginal_offer = market.offer(l - 1).limit;
    const bool marginal_orders_filled = market.bid_fill(k - 1) == market.bid(k - 1).quantity &&
                                        market.offer_fill(l - 1) == market.offer(l - 1).quantity;
    if (marginal_orders_filled && k < market.bid_count() && l < market.offer_count()) {
      const price p = midpoint(market.bid(k).limit, market.offer(l).limit, rounding::nearest_even);
      if (marginal_offer <= p && p <= marginal_bid) {
        detail::trade_among(market, out, k, l, p, p, proportional);
        return;
      }
    }
    detail::trade_among(market, out, k - 1, l - 1, marginal_bid, marginal_offer, proportional);
  }
};

static_assert(PricingRule<mcafee>);

EVMARKET_END_NAMESPACE
