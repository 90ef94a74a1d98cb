#pragma once
/// @file
/// Internals shared by the per-order truthful rules (McAfee, trade reduction, SBBA): the set of
/// orders that trade, how the long side is rationed, and how rationed quantities become trades.

#include <evmarket/auction/call_auction.hpp>
#include <evmarket/detail/checked.hpp>
#include <evmarket/detail/largest_remainder.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

/// One side of the orders that trade: the `count` best orders of that side.
struct trading_side {
  side of;
  std::size_t count;
};

inline const call_order& order_at(const call_market& m, side s, std::size_t r) {
  return s == side::buy ? m.bid(r) : m.offer(r);
}
inline std::size_t input_index_at(const call_market& m, side s, std::size_t r) {
  return s == side::buy ? m.bid_index(r) : m.offer_index(r);
}

/// Shares `volume` among the best `count` orders of a side in proportion to their quantities
/// (Hamilton's largest remainders, in whole Wh; equal remainders go to the earlier input
/// order). Independent of the limits, so no trader can buy a larger share with its price.
inline std::vector<energy> ration_proportionally(const call_market& m, trading_side s, energy volume) {
  // The helper breaks ties by position, so the orders are laid out in input order.
  std::vector<std::size_t> rank_in_input_order(s.count);
  std::iota(rank_in_input_order.begin(), rank_in_input_order.end(), std::size_t{0});
  std::sort(rank_in_input_order.begin(), rank_in_input_order.end(),
            [&](std::size_t a, std::size_t b) { return input_index_at(m, s.of, a) < input_index_at(m, s.of, b); });
  std::int64_t total = 0;
  for (std::size_t r = 0; r < s.count; ++r) total = checked_add(total, order_at(m, s.of, r).quantity.base());
  std::vector<energy> shares(s.count);
  apportion_largest_remainder(
      volume.base(), total, s.count,
      [&](std::size_t k) { return order_at(m, s.of, rank_in_input_order[k]).quantity.base(); },
      [&](std::size_t k, std::int64_t units) { shares[rank_in_input_order[k]] = watt_hours(units); });
  return shares;
}

/// Shares `volume` among the best `count` orders of a side by random serial priority: every
/// order of the side draws a random 64-bit priority, in input order, and the traders take their
/// whole quantities in priority order while volume remains (equal draws: earlier input first).
/// The draws depend only on the number of orders on the side, never on the limits, so for any
/// fixed engine state no trader changes its lottery position by changing its price.
template <class Engine>
std::vector<energy> ration_by_lottery(const call_market& m, trading_side s, energy volume, Engine& engine) {
  const std::size_t n = s.of == side::buy ? m.bid_count() : m.offer_count();
  std::vector<std::uint64_t> priority(n);
  for (std::uint64_t& p : priority) p = engine();
  std::vector<std::size_t> ranks(s.count);
  std::iota(ranks.begin(), ranks.end(), std::size_t{0});
  std::sort(ranks.begin(), ranks.end(), [&](std::size_t a, std::size_t b) {
    const std::size_t ia = input_index_at(m, s.of, a), ib = input_index_at(m, s.of, b);
    return priority[ia] != priority[ib] ? priority[ia] > priority[ib] : ia < ib;
  });
  std::vector<energy> shares(s.count);
  energy left = volume;
  for (std::size_t r : ranks) {
    shares[r] = std::min(left, order_at(m, s.of, r).quantity);
    left -= shares[r];
  }
  return shares;
}

/// The best `buyers` bids and `sellers` offers trade: the short side its full quantities, the
/// long side what `ration(side, volume)` grants. Buyers pay `buyer_price`, sellers receive
/// `seller_price`; trades pair the two sides in rank order.
template <class Ration>
void trade_among(const call_market& m, clearing_builder& out, std::size_t buyers, std::size_t sellers,
                 price buyer_price, price seller_price, Ration&& ration) {
  if (buyers == 0 || sellers == 0) return;
  energy demand = energy::zero(), supply = energy::zero();
  for (std::size_t r = 0; r < buyers; ++r) demand += m.bid(r).quantity;
  for (std::size_t r = 0; r < sellers; ++r) supply += m.offer(r).quantity;
  const energy volume = std::min(demand, supply);
  std::vector<energy> buy(buyers), sell(sellers);
  if (demand > volume) {
    buy = ration(trading_side{side::buy, buyers}, volume);
  } else {
    for (std::size_t r = 0; r < buyers; ++r) buy[r] = m.bid(r).quantity;
  }
  if (supply > volume) {
    sell = ration(trading_side{side::sell, sellers}, volume);
  } else {
    for (std::size_t r = 0; r < sellers; ++r) sell[r] = m.offer(r).quantity;
  }
  std::size_t i = 0, j = 0;
  while (true) {
    while (i < buyers && buy[i].is_zero()) ++i;
    while (j < sellers && sell[j].is_zero()) ++j;
    if (i == buyers || j == sellers) break;
    const energy amount = std::min(buy[i], sell[j]);
    out.record(i, j, amount, buyer_price, seller_price);
    buy[i] -= amount;
    sell[j] -= amount;
  }
}

}  // namespace detail
EVMARKET_END_NAMESPACE
