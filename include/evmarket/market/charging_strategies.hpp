#pragma once
/// @file
/// Paper 003's quota market as a charging strategy for coordination/rolling.hpp's simulated day
/// (the ChargingStrategy concept), so it runs beside uncontrolled charging and paper 000's
/// rolling price coordination on the same seeded day. The allocation rule and the pricing rule
/// are policies, as in the quota market session.

#include <evmarket/allocation/allocation.hpp>
#include <evmarket/allocation/proportional.hpp>
#include <evmarket/auction/call_auction.hpp>
#include <evmarket/auction/rules/uniform_price.hpp>
#include <evmarket/coordination/rolling.hpp>
#include <evmarket/core/error.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/market/roster.hpp>

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

namespace detail {
/// A participant id per EV of a simulated day, issued on first sight (never the EV's index).
class fleet_ids {
 public:
  participant_id of(std::size_t ev) {
    if (ev >= ids_.size()) ids_.resize(ev + 1);
    if (ids_[ev].value == 0) ids_[ev] = issuer_.next();
    return ids_[ev];
  }

 private:
  id_issuer<participant_id> issuer_;
  std::vector<participant_id> ids_;
};
}  // namespace detail

/// The quota market's first step alone (paper 003): every period each EV asks for the power that
/// finishes it soonest, and the measured margin is shared by the allocation rule (beta by default).
template <class Allocation = proportional_allocation>
class allocation_charging {
  static_assert(AllocationRule<Allocation>, "allocation_charging: Allocation must be an AllocationRule");

 public:
  static constexpr std::string_view name = "beta allocation only";

  explicit allocation_charging(Allocation rule = Allocation()) : rule_(std::move(rule)) {}

  [[nodiscard]] std::vector<power> dispatch(const period_state& state) {
    if (state.present.empty()) return {};
    std::vector<station_request> requests;
    requests.reserve(state.present.size());
    for (const std::size_t i : state.present) {
      const fleet_ev& ev = state.scenario->evs[i];
      requests.push_back({ids_.of(i), std::min(ev.max_power, detail::power_to_finish(state.remaining[i],
                                                                                     state.scenario->period_minutes))});
    }
    return rule_.allocate(state.margin, requests).quotas;
  }

 private:
  [[no_unique_address]] Allocation rule_;
  detail::fleet_ids ids_;
};
/// Paper 003's beta allocation as a charging strategy.
using beta_allocation_charging = allocation_charging<proportional_allocation>;
static_assert(ChargingStrategy<beta_allocation_charging>);

/// The quota market (paper 003): the allocation rule, then a call auction in which EVs trade the
/// period's quota. The EVs' orders follow one stated rule, since the paper gives no valuation model:
///   - an EV whose quota is below its must-charge floor (the power it needs now to finish by
///     departure at full power afterwards) bids for the difference at `urgent_bid`;
///   - an EV whose quota is above its floor offers the excess at its marginal discomfort,
///     w * (demand - quota) Token/kWh (at least one micro-Token), so the least inconvenienced sell
///     first.
/// Quota trades as energy over the period; a seller gives up the power of its energy rounded up and
/// a buyer gains it rounded down, so the period's total never exceeds the margin.
template <class Pricing = uniform_price<>, class Allocation = proportional_allocation>
class quota_market_charging {
  static_assert(AllocationRule<Allocation>, "quota_market_charging: Allocation must be an AllocationRule");
  static_assert(PricingRule<Pricing>, "quota_market_charging: Pricing must be a PricingRule (auction/rules/)");

 public:
  static constexpr std::string_view name = "quota market (beta + call auction)";

  explicit quota_market_charging(price urgent_bid = tokens_per_kwh(5), Pricing rule = Pricing(),
                                 Allocation allocation_rule = Allocation())
      : urgent_bid_(urgent_bid), auction_(std::move(rule)), allocation_rule_(std::move(allocation_rule)) {
    detail::require(urgent_bid.is_positive(), "urgent_bid", urgent_bid.base(), "must be positive (micro-Token/kWh)");
  }

  [[nodiscard]] std::vector<power> dispatch(const period_state& state) {
    const std::size_t present = state.present.size();
    if (present == 0) return {};
    const std::int32_t minutes = state.scenario->period_minutes;
    std::vector<charging_need> needs(present);
    std::vector<station_request> requests(present);
    for (std::size_t j = 0; j < present; ++j) {
      const std::size_t i = state.present[j];
      needs[j] = charging_need_of(state.scenario->evs[i], state.remaining[i], state.period, minutes);
      requests[j] = {ids_.of(i), needs[j].cap};
    }
    std::vector<power> quota = allocation_rule_.allocate(state.margin, requests).quotas;
    place_orders(state, needs, quota);
    if (bids_.empty() || offers_.empty()) return quota;
    const call_auction_result result = auction_.clear(bids_, offers_);
    for (std::size_t b = 0; b < bids_.size(); ++b)
      quota[bidder_[b]] += average_power(result.bid_outcomes[b].traded, minutes, rounding::down);
    for (std::size_t o = 0; o < offers_.size(); ++o)
      quota[offerer_[o]] -= average_power(result.offer_outcomes[o].traded, minutes, rounding::up);
    traded_ += result.volume;
    payments_ += result.buyers_paid;
    return quota;
  }

  /// Quota energy traded over the day, and what buyers paid for it.
  [[nodiscard]] energy traded() const noexcept { return traded_; }
  [[nodiscard]] money payments() const noexcept { return payments_; }

 private:
  // The EVs' bids and offers by the rule in the class comment.
  void place_orders(const period_state& state, const std::vector<charging_need>& needs,
                    const std::vector<power>& quota) {
    const std::int32_t minutes = state.scenario->period_minutes;
    bids_.clear();
    offers_.clear();
    bidder_.clear();
    offerer_.clear();
    for (std::size_t j = 0; j < needs.size(); ++j) {
      const std::size_t i = state.present[j];
      const fleet_ev& ev = state.scenario->evs[i];
      if (quota[j] < needs[j].floor) {
        const energy want = energy_over(needs[j].floor - quota[j], minutes, rounding::up);
        const energy room = energy_over(ev.max_power - quota[j], minutes, rounding::down);
        const energy amount = std::min(want, room);
        if (!amount.is_positive()) continue;
        bids_.push_back({order_ids_.next(), ids_.of(i), amount, urgent_bid_});
        bidder_.push_back(j);
      } else if (quota[j] > needs[j].floor) {
        const energy spare = energy_over(quota[j] - needs[j].floor, minutes, rounding::down);
        if (!spare.is_positive()) continue;
        const double marginal = ev.discomfort * (needs[j].cap - quota[j]).display();  // Token/kWh
        offers_.push_back({order_ids_.next(), ids_.of(i), spare,
                           std::max(micro_tokens_per_kwh(1), tokens_per_kwh(std::min(marginal, 1e6)))});
        offerer_.push_back(j);
      }
    }
  }

  price urgent_bid_;
  call_auction<Pricing> auction_;
  [[no_unique_address]] Allocation allocation_rule_;
  detail::fleet_ids ids_;
  id_issuer<order_id> order_ids_;
  std::vector<call_order> bids_, offers_;
  std::vector<std::size_t> bidder_, offerer_;
  energy traded_ = energy::zero();
  money payments_ = money::zero();
};
static_assert(ChargingStrategy<quota_market_charging<>>);

EVMARKET_END_NAMESPACE
