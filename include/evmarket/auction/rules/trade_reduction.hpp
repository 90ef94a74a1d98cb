#pragma once
/// @file
/// Pure trade reduction, applied per order (Huang, Scheller-Wolf and Sycara, 2002).

#include <evmarket/auction/call_auction.hpp>
#include <evmarket/detail/call_auction_rationing.hpp>

EVMARKET_BEGIN_NAMESPACE

/// Trade reduction per order: the marginal bid and the marginal offer of Algorithm 1 (its last
/// match) are excluded whole; every better bid buys at the marginal bid's limit and every better
/// offer sells at the marginal offer's limit. The side with more quantity is rationed in
/// proportion to quantity (Hamilton, whole Wh), independently of the limits.
///
/// Properties (traders with one order each, a flat value per kWh up to their quantity):
/// truthful in the limit price (no trader gains by reporting another limit), individually
/// rational, and never in deficit: the auctioneer keeps (marginal bid - marginal offer) x volume.
/// Quantities are taken as reported: the rule is not strategy-proof in quantity (a large trader
/// may gain by withholding quantity to move the margin). It gives up the marginal orders'
/// trades, so it is inefficient by at most those orders' gains.
struct trade_reduction {
  /// The rule's name, for reports.
  static constexpr std::string_view name = "trade reduction";

  /// Prices the market's matches into `out` as the rule above says (the builder enforces the invariants).
  void apply(const call_market& market, clearing_builder& out) const {
    const std::size_t k = market.matched_bids(), l = market.matched_offers();
    if (k == 0) return;
    const auto proportional = [&](detail::trading_side s, energy volume) {
      return detail::ration_proportionally(market, s, volume);
    };
    detail::trade_among(market, out, k - 1, l - 1, market.bid(k - 1).limit, market.offer(l - 1).limit, proportional);
  }
};

static_assert(PricingRule<trade_reduction>);

EVMARKET_END_NAMESPACE
