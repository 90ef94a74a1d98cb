#pragma once
/// @file
/// One P2P quotation round of paper 000 (market/continuous_market.hpp), as a pure walk: bids high
/// to low, each against the offers low to high that lie in its range, while the prices cross.
/// Each proposed match goes to `attempt` (the security check). A refusal ends the bid's round
/// (paper 000: "the match is unsuccessful and the node enters the next round of quotation"): the
/// buyer, whose import the check refused, waits for the next round; the offer stays open for the
/// bids behind it, so one congested buyer cannot hold a seller back. Cost: O(B + O + visits),
/// where exhausted offers are skipped through a path-compressed "next live offer" index, so only
/// out-of-range offers are revisited.

#include <evmarket/core/units.hpp>
#include <evmarket/market/continuous_market_records.hpp>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <span>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

namespace detail {

/// Bids high to low, offers low to high; equal prices by time, then id (the paper's order).
inline void sort_for_matching(std::vector<p2p_quote>& bids, std::vector<p2p_quote>& offers) {
  std::sort(bids.begin(), bids.end(), [](const p2p_quote& a, const p2p_quote& b) {
    if (a.limit != b.limit) return a.limit > b.limit;
    return a.time != b.time ? a.time < b.time : a.id < b.id;
  });
  std::sort(offers.begin(), offers.end(), [](const p2p_quote& a, const p2p_quote& b) {
    if (a.limit != b.limit) return a.limit < b.limit;
    return a.time != b.time ? a.time < b.time : a.id < b.id;
  });
}

/// Runs one round over sorted quotes, changing their open quantities. `in_range(bid, offer)`
/// says whether the pair may trade (ranges; the same node never trades with itself);
/// `attempt(bid, offer, quantity)` returns true when the match passed the check.
template <class InRange, class Attempt>
void match_round(std::span<p2p_quote> bids, std::span<p2p_quote> offers, InRange&& in_range, Attempt&& attempt) {
  const std::size_t n = offers.size();
  // next[j]: the first offer at or after j still open; n = none.
  std::vector<std::size_t> next(n + 1);
  std::iota(next.begin(), next.end(), std::size_t{0});
  const auto live = [&](std::size_t j) {
    std::size_t root = j;
    while (root < n && next[root] != root) root = next[root];
    while (j != root) {
      const std::size_t up = next[j];
      next[j] = root;
      j = up;
    }
    return root;
  };
  for (std::size_t j = 0; j < n; ++j)
    if (!offers[j].open.is_positive()) next[j] = j + 1;
  for (p2p_quote& bid : bids) {
    for (std::size_t j = live(0); j < n && bid.open.is_positive(); j = live(j + 1)) {
      p2p_quote& offer = offers[j];
      if (offer.limit > bid.limit) break;  // offers ascend: no later one crosses
      if (!in_range(bid, offer)) continue;
      const energy quantity = std::min(bid.open, offer.open);
      if (attempt(bid, offer, quantity)) {
        bid.open -= quantity;
        offer.open -= quantity;
        if (!offer.open.is_positive()) next[j] = j + 1;
      } else {
        break;  // the bid waits for the next round
      }
    }
  }
}

}  // namespace detail

EVMARKET_END_NAMESPACE
