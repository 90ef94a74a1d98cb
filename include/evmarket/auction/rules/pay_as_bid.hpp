#pragma once
/// @file
/// Pay-as-bid: every match of Algorithm 1 trades at the buyer's limit.

#include <evmarket/auction/call_auction.hpp>

EVMARKET_BEGIN_NAMESPACE

/// Every match of Algorithm 1 trades at its bid's limit (what energy-market simulators such as
/// gsy-e call pay-as-bid): sellers capture all the gains from trade. Budget balanced and
/// individually rational; not truthful.
struct pay_as_bid {
  /// The rule's name, for reports.
  static constexpr std::string_view name = "pay as bid";

  /// Prices the market's matches into `out` as the rule above says (the builder enforces the invariants).
  void apply(const call_market& market, clearing_builder& out) const {
    for (const call_market::match& m : market.matches()) {
      const price p = market.bid(m.bid_rank).limit;
      out.record(m.bid_rank, m.offer_rank, m.quantity, p, p);
    }
  }
};

static_assert(PricingRule<pay_as_bid>);

EVMARKET_END_NAMESPACE
