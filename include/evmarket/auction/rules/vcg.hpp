#pragma once
/// @file
/// The Vickrey-Clarke-Groves mechanism for a double auction with divisible orders.

#include <evmarket/auction/call_auction.hpp>
#include <evmarket/detail/checked.hpp>

#include <cstdint>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// VCG per trader (one order per trader, a flat value per kWh up to its quantity). The
/// allocation is Algorithm 1's, which maximises the gains from trade. Each trader pays (or
/// receives) its externality: a buyer pays what its x kWh would be worth to the others, each
/// kWh going either to the best unfilled bid or back to the costliest accepted offer, whichever
/// is worth more; a seller receives, for each of its kWh, the cheaper of the best unfilled offer
/// and the lowest accepted bid. Because that replacement walks across several limits, a
/// trader's VCG payment is an average unit price; every trade carries its buyer's and its
/// seller's average, rounded to the nearest micro-Token/kWh (halves to even).
///
/// Properties: truthful in both limit and quantity (dominant strategy), individually rational,
/// efficient, and in deficit in general (the auctioneer subsidises the spread). Cost: each
/// trader's walk visits the orders its quantity displaces at the margin.
struct vcg {
  /// The rule's name, for reports.
  static constexpr std::string_view name = "VCG";

  /// Prices the market's matches into `out` as the rule above says (the builder enforces the invariants).
  void apply(const call_market& market, clearing_builder& out) const {
    const std::size_t k = market.matched_bids(), l = market.matched_offers();
    std::vector<price> buyer_price(k), seller_price(l);
    for (std::size_t r = 0; r < k; ++r) buyer_price[r] = buyer_payment(market, r);
    for (std::size_t r = 0; r < l; ++r) seller_price[r] = seller_receipt(market, r);
    for (const call_market::match& m : market.matches())
      out.record(m.bid_rank, m.offer_rank, m.quantity, buyer_price[m.bid_rank], seller_price[m.offer_rank]);
  }

 private:
  // A run of units at one limit, walked from the margin outwards.
  struct cursor {
    std::size_t rank;
    std::int64_t left;  // Wh still available at this rank
  };

  // Average VCG price per kWh of the buyer of rank i.
  static price buyer_payment(const call_market& m, std::size_t i) {
    const std::size_t k = m.matched_bids(), l = m.matched_offers();
    // Unfilled bids, best first, without the buyer's own residual.
    cursor bids{k - 1, (k - 1 == i) ? 0 : (m.bid(k - 1).quantity - m.bid_fill(k - 1)).base()};
    // Accepted offers, costliest first.
    cursor offers{l - 1, m.offer_fill(l - 1).base()};
    bool offers_left = true;
    const std::int64_t units = m.bid_fill(i).base();
    std::int64_t need = units;
    detail::int128 total = 0;
    while (need > 0) {
      while (bids.left == 0 && bids.rank + 1 < m.bid_count())
        bids = {bids.rank + 1, m.bid(bids.rank + 1).quantity.base()};
      while (offers_left && offers.left == 0) {
        if (offers.rank == 0)
          offers_left = false;
        else
          offers = {offers.rank - 1, m.offer_fill(offers.rank - 1).base()};
      }
      const bool bid_available = bids.left > 0;
      EVMARKET_ASSERT(bid_available || offers_left);  // the accepted offers cover the buyer's fill
      const bool take_bid = bid_available && (!offers_left || m.bid(bids.rank).limit >= m.offer(offers.rank).limit);
      std::int64_t& left = take_bid ? bids.left : offers.left;
      const price unit = take_bid ? m.bid(bids.rank).limit : m.offer(offers.rank).limit;
      const std::int64_t chunk = std::min(need, left);
      total += static_cast<detail::int128>(unit.base()) * chunk;
      left -= chunk;
      need -= chunk;
    }
    return micro_tokens_per_kwh(detail::narrow(detail::divide(total, units, rounding::nearest_even), "VCG price"));
  }

  // Average VCG price per kWh of the seller of rank j.
  static price seller_receipt(const call_market& m, std::size_t j) {
    const std::size_t k = m.matched_bids(), l = m.matched_offers();
    cursor offers{l - 1, (l - 1 == j) ? 0 : (m.offer(l - 1).quantity - m.offer_fill(l - 1)).base()};
    cursor bids{k - 1, m.bid_fill(k - 1).base()};
    bool bids_left = true;
    const std::int64_t units = m.offer_fill(j).base();
    std::int64_t need = units;
    detail::int128 total = 0;
    while (need > 0) {
      while (offers.left == 0 && offers.rank + 1 < m.offer_count())
        offers = {offers.rank + 1, m.offer(offers.rank + 1).quantity.base()};
      while (bids_left && bids.left == 0) {
        if (bids.rank == 0)
          bids_left = false;
        else
          bids = {bids.rank - 1, m.bid_fill(bids.rank - 1).base()};
      }
      const bool offer_available = offers.left > 0;
      EVMARKET_ASSERT(offer_available || bids_left);
      const bool take_offer = offer_available && (!bids_left || m.offer(offers.rank).limit <= m.bid(bids.rank).limit);
      std::int64_t& left = take_offer ? offers.left : bids.left;
      const price unit = take_offer ? m.offer(offers.rank).limit : m.bid(bids.rank).limit;
      const std::int64_t chunk = std::min(need, left);
      total += static_cast<detail::int128>(unit.base()) * chunk;
      left -= chunk;
      need -= chunk;
    }
    return micro_tokens_per_kwh(detail::narrow(detail::divide(total, units, rounding::nearest_even), "VCG price"));
  }
};

static_assert(PricingRule<vcg>);

EVMARKET_END_NAMESPACE
