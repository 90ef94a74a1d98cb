#pragma once
/// @file
/// The k-double auction: one price for every trade, k * b + (1 - k) * s of the marginal pair.

#include <evmarket/auction/call_auction.hpp>
#include <evmarket/detail/checked.hpp>

#include <cstdint>
#include <ratio>

EVMARKET_BEGIN_NAMESPACE

/// Every match of Algorithm 1 trades at one price p = s + k (b - s), where b is the marginal
/// (lowest matched) bid and s the marginal (highest matched) offer: Algorithm 1's last match.
/// Every matched bid is >= b and every matched offer <= s, so any k in [0, 1] keeps every
/// trader within its limit. p is rounded to the nearest micro-Token/kWh (halves to even).
/// `K` is a std::ratio; k = 1/2 reproduces paper 003 Table IV's price of 23 Token/kWh. Budget
/// balanced; not truthful.
template <class K = std::ratio<1, 2>>
struct uniform_price {
  static_assert(K::num >= 0 && K::num <= K::den,
                "uniform_price<K>: K must be a std::ratio in [0, 1], e.g. std::ratio<1, 2> for the midpoint");
  /// The rule's name, for reports.
  static constexpr std::string_view name = "uniform price";

  /// The clearing price for a marginal bid b and offer s (b >= s).
  [[nodiscard]] static price clearing_price(price b, price s) {
    const detail::int128 spread = static_cast<detail::int128>(b.base()) - s.base();
    const detail::int128 scaled = static_cast<detail::int128>(s.base()) * K::den + spread * K::num;
    return micro_tokens_per_kwh(static_cast<std::int64_t>(detail::divide(scaled, K::den, rounding::nearest_even)));
  }

  /// Prices the market's matches into `out` as the rule above says (the builder enforces the invariants).
  void apply(const call_market& market, clearing_builder& out) const {
    const auto matches = market.matches();
    if (matches.empty()) return;
    const price p =
        clearing_price(market.bid(market.matched_bids() - 1).limit, market.offer(market.matched_offers() - 1).limit);
    for (const call_market::match& m : matches) out.record(m.bid_rank, m.offer_rank, m.quantity, p, p);
  }
};

static_assert(PricingRule<uniform_price<>>);

EVMARKET_END_NAMESPACE
