#pragma once
/// @file
/// Pay-as-offer: every match of Algorithm 1 trades at the seller's limit.

#include <evmarket/auction/call_auction.hpp>

EVMARKET_BEGIN_NAMESPACE

/// Every match of Algorithm 1 trades at its offer's limit: buyers capture all the gains from
/// trade. Budget balanced and individually rational; not truthful.
struct pay_as_offer {
  /// The rule's name, for reports.
  static constexpr std::string_view name = "pay as offer";

  /// Prices the market's matches into `out` as the rule above says (the builder enforces the invariants).
  void apply(const call_market& market, clearing_builder& out) const {
    for (const call_market::match& m : market.matches()) {
      const price p = market.offer(m.offer_rank).limit;
      out.record(m.bid_rank, m.offer_rank, m.quantity, p, p);
    }
  }
};

static_assert(PricingRule<pay_as_offer>);

EVMARKET_END_NAMESPACE
