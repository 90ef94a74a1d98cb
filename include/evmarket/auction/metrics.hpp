#pragma once
/// @file
/// Mechanism metrics for one call-auction clearing, for researchers comparing pricing rules:
/// volume and gains from trade against the efficient maximum, each trader's utility against its
/// reported limit, budget balance, individual-rationality violations and the prices.

#include <evmarket/auction/call_auction.hpp>
#include <evmarket/detail/checked.hpp>

#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// The sign of the auctioneer's position.
enum class budget_balance : std::uint8_t {
  balanced,  ///< buyers paid exactly what sellers received
  surplus,   ///< the auctioneer keeps money
  deficit,   ///< the auctioneer pays money in
};

/// An order that traded at a price beyond its limit (a buyer above, a seller below).
struct rationality_violation {
  /// Which book the order is in.
  side of;
  /// Position of the order in the bids (of == side::buy) or offers.
  std::size_t index;
  /// The order's utility at its limit (negative, or zero when a loss was rounded away).
  money utility;

  /// Member-wise equality.
  friend bool operator==(const rationality_violation&, const rationality_violation&) = default;
};

/// What one clearing achieved. Values are measured at the reported limits (a researcher who
/// knows true values passes them as the limits of a truthful market).
struct clearing_metrics {
  /// The pricing rule's name.
  std::string_view rule;
  ///@{
  /// Energy traded, and the largest volume tradable with every trader within its limit
  /// (Algorithm 1's volume).
  energy volume;
  energy efficient_volume;
  ///@}
  ///@{
  /// Realised gains from trade, sum over trades of (bid limit - offer limit) x quantity, and the
  /// efficient maximum; exact, rounded once to the micro-Token (halves to even).
  money gains_from_trade;
  money efficient_gains;
  ///@}
  ///@{
  /// Per trader: value at its limit minus payment (buyers), receipt minus cost at its limit
  /// (sellers). Each trade's value and payment are rounded the same way (to the nearest
  /// micro-Token), so a trade within the limit never shows a negative utility.
  std::vector<money> bid_utilities;
  std::vector<money> offer_utilities;
  ///@}
  ///@{
  /// Sums of the utilities above, and the auctioneer's surplus (negative: deficit); the three
  /// add up to the realised gains within one micro-Token per trade side.
  money buyers_utility;
  money sellers_utility;
  money auctioneer_surplus;
  ///@}
  /// The sign of auctioneer_surplus.
  budget_balance balance = budget_balance::balanced;
  /// Orders that traded beyond their limits; empty for every rule in auction/rules/.
  std::vector<rationality_violation> rationality_violations;
  ///@{
  /// Lowest and highest trade price (buyer or seller side), and the volume-weighted average
  /// price buyers paid (rounded to the nearest micro-Token/kWh); zero when nothing traded.
  price lowest_price;
  price highest_price;
  price average_buyer_price;
  ///@}

  /// volume / efficient_volume (1 when nothing could trade).
  [[nodiscard]] double volume_share() const noexcept {
    return efficient_volume.is_zero()
               ? 1.0
               : static_cast<double>(volume.base()) / static_cast<double>(efficient_volume.base());
  }
  /// gains_from_trade / efficient_gains, computed from the exact (unrounded) gains; 1 when no
  /// gains were possible.
  double efficiency = 1.0;
};

/// Measures `result`, the clearing of `bids` and `offers`. Throws bad_input when the result does
/// not belong to these orders (sizes differ or a trade names an unknown order).
[[nodiscard]] inline clearing_metrics measure(std::span<const call_order> bids, std::span<const call_order> offers,
                                              const call_auction_result& result) {
  detail::require(result.bid_outcomes.size() == bids.size(), "result.bid_outcomes", result.bid_outcomes.size(),
                  "must have one outcome per bid");
  detail::require(result.offer_outcomes.size() == offers.size(), "result.offer_outcomes", result.offer_outcomes.size(),
                  "must have one outcome per offer");
  const call_market market(bids, offers);
  clearing_metrics m;
  m.rule = result.rule;
  m.volume = result.volume;
  m.efficient_volume = market.efficient_volume();
  m.auctioneer_surplus = result.auctioneer_surplus;
  m.balance = result.auctioneer_surplus.is_zero()       ? budget_balance::balanced
              : result.auctioneer_surplus.is_positive() ? budget_balance::surplus
                                                        : budget_balance::deficit;
  m.lowest_price = result.lowest_price;
  m.highest_price = result.highest_price;
  if (!result.volume.is_zero())
    m.average_buyer_price = unit_price_of(result.buyers_paid, result.volume, rounding::nearest_even);

  detail::int128 gains_exact = 0, efficient_exact = 0;  // micro-Token x 1000
  for (const call_market::match& x : market.matches())
    efficient_exact +=
        static_cast<detail::int128>(market.bid(x.bid_rank).limit.base() - market.offer(x.offer_rank).limit.base()) *
        x.quantity.base();

  std::unordered_map<order_id, std::size_t> bid_at, offer_at;
  for (std::size_t i = 0; i < bids.size(); ++i) bid_at.emplace(bids[i].id, i);
  for (std::size_t j = 0; j < offers.size(); ++j) offer_at.emplace(offers[j].id, j);
  m.bid_utilities.assign(bids.size(), money::zero());
  m.offer_utilities.assign(offers.size(), money::zero());
  std::vector<bool> bid_broke(bids.size()), offer_broke(offers.size());
  for (std::size_t t = 0; t < result.trades.size(); ++t) {
    const trade& x = result.trades[t];
    const auto b = bid_at.find(x.buy_order);
    const auto s = offer_at.find(x.sell_order);
    if (b == bid_at.end() || s == offer_at.end())
      throw bad_input(detail::element_field("result.trades", t), detail::describe(x.buy_order.value),
                      "names an order that is not among the bids and offers");
    const call_order& bid = bids[b->second];
    const call_order& offer = offers[s->second];
    // Utility: what the quantity was worth at the trader's limit, less the money that actually
    // changed hands (carried on the trade, never recomputed).
    m.bid_utilities[b->second] += trade_amount(bid.limit, x.quantity) - x.buyer_paid;
    m.offer_utilities[s->second] += x.seller_received - trade_amount(offer.limit, x.quantity);
    if (x.buyer_price > bid.limit) bid_broke[b->second] = true;
    if (x.seller_price < offer.limit) offer_broke[s->second] = true;
    gains_exact += static_cast<detail::int128>(bid.limit.base() - offer.limit.base()) * x.quantity.base();
  }
  for (std::size_t i = 0; i < bids.size(); ++i) {
    m.buyers_utility += m.bid_utilities[i];
    if (bid_broke[i] || m.bid_utilities[i].is_negative())
      m.rationality_violations.push_back({side::buy, i, m.bid_utilities[i]});
  }
  for (std::size_t j = 0; j < offers.size(); ++j) {
    m.sellers_utility += m.offer_utilities[j];
    if (offer_broke[j] || m.offer_utilities[j].is_negative())
      m.rationality_violations.push_back({side::sell, j, m.offer_utilities[j]});
  }
  const auto to_money = [](detail::int128 thousandths) {
    return micro_tokens(
        detail::narrow(detail::divide(thousandths, energy::scale, rounding::nearest_even), "gains from trade"));
  };
  m.gains_from_trade = to_money(gains_exact);
  m.efficient_gains = to_money(efficient_exact);
  if (efficient_exact != 0) m.efficiency = static_cast<double>(gains_exact) / static_cast<double>(efficient_exact);
  return m;
}

EVMARKET_END_NAMESPACE
