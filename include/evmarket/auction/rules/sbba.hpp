#pragma once
/// @file
/// SBBA, the strongly budget-balanced double auction (Segal-Halevi, Hassidim and Aumann, 2016),
/// applied per order, with a seeded lottery.

#include <evmarket/auction/call_auction.hpp>
#include <evmarket/detail/call_auction_rationing.hpp>

#include <cstdint>
#include <limits>
#include <random>

EVMARKET_BEGIN_NAMESPACE

/// SBBA per order. Let b be the marginal bid of Algorithm 1 (its last match) and s' the best
/// offer it leaves wholly unfilled. When Algorithm 1 fills both marginal orders completely and
/// s' <= b, every accepted order trades its full quantity at p = s' (SBBA's p = min(b_k,
/// s_{k+1}) = s_{k+1}). Otherwise p = b: the marginal bid is excluded and the better bids buy at
/// p from every offer Algorithm 1 accepted. Where supply exceeds demand at p (the sellers'
/// side), a seeded lottery decides who sells: every offer draws a random priority (in input
/// order) and the accepted sellers sell their whole quantities in priority order while demand
/// remains. With one-unit orders this is SBBA exactly (one uniformly random accepted seller is
/// left out).
///
/// Properties: strongly budget balanced (buyers pay exactly what sellers receive) and
/// individually rational always. Truthful in the limit price for one-unit orders, for every
/// outcome of the lottery (the draws depend only on the number of offers, never on the
/// limits). For divisible multi-unit orders it is NOT strategy-proof: a seller filled in part
/// can price part of its own quantity out to move the marginal bid up (supply reduction, as in
/// any uniform-price multi-unit auction; the tests show a case). Segal-Halevi, Hassidim and
/// Aumann's MUDA (2018) is the truthful multi-unit design; it is not provided here.
///
/// The lottery is reproducible: `Engine` must be a full-range 64-bit engine (std::mt19937_64 by
/// default, whose output the standard fixes); raw engine outputs are used, never a std::
/// distribution (whose algorithm varies between standard libraries).
template <class Engine = std::mt19937_64>
class sbba {
  static_assert(Engine::min() == 0 && Engine::max() == std::numeric_limits<std::uint64_t>::max(),
                "sbba<Engine>: the lottery needs a full-range 64-bit engine such as std::mt19937_64");

 public:
  /// The rule's name, for reports.
  static constexpr std::string_view name = "SBBA";

  sbba() = default;
  /// A lottery seeded with `seed` (the same seed gives the same draws on every platform).
  explicit sbba(std::uint64_t seed) : engine_(seed) {}
  /// A lottery drawing from `engine` (copied; its state advances with each clearing).
  explicit sbba(const Engine& engine) : engine_(engine) {}

  /// Prices the market's matches into `out` as the rule above says (the builder enforces the invariants).
  void apply(const call_market& market, clearing_builder& out) {
    const std::size_t k = market.matched_bids(), l = market.matched_offers();
    if (k == 0) return;
    const auto lottery = [&](detail::trading_side s, energy volume) {
      return detail::ration_by_lottery(market, s, volume, engine_);
    };
    const price marginal_bid = market.bid(k - 1).limit;
    const bool marginal_orders_filled = market.bid_fill(k - 1) == market.bid(k - 1).quantity &&
                                        market.offer_fill(l - 1) == market.offer(l - 1).quantity;
    if (marginal_orders_filled && l < market.offer_count() && market.offer(l).limit <= marginal_bid) {
      const price p = market.offer(l).limit;
      detail::trade_among(market, out, k, l, p, p, lottery);
    } else {
      detail::trade_among(market, out, k - 1, l, marginal_bid, marginal_bid, lottery);
    }
  }

  /// The engine's current state (to reproduce the next lottery).
  [[nodiscard]] const Engine& engine() const noexcept { return engine_; }

 private:
  Engine engine_{};
};

static_assert(PricingRule<sbba<>>);

EVMARKET_END_NAMESPACE
