// The mechanism lab's inner loop: one market (true values and quantities) cleared by several
// mechanisms, with the metrics and each trader's empirical incentive regret on a grid of
// unilateral misreports. In C++ because the regret grid re-clears the market thousands of times.
#include "rules.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

namespace evmarket_python {

namespace {

template <class T>
using column = py::array_t<T, py::array::c_style | py::array::forcecast>;

struct mechanism_spec {
  std::string rule;
  std::int64_t k_num = 1, k_den = 2;
};

struct regret_summary {
  double total_gain = 0;     // sum over traders of the best misreport's gain (micro-Token)
  double max_gain = 0;       // the largest single gain (micro-Token)
  double truthful_total = 0; // sum of truthful utilities (micro-Token)
  std::int64_t traders_with_gain = 0;
  std::int64_t clearings = 0;
};

// A trader's utility at its true value from what its order received: value of the energy it
// needs (at most its true quantity) minus what it paid (buyer), or receipt minus cost (seller).
double utility(bool buyer, const em::call_order& truth, const em::order_outcome& got) {
  const em::energy useful = std::min(got.traded, truth.quantity);
  const em::money worth = em::detail::exact_value(truth.limit, useful);
  return buyer ? static_cast<double>((worth - got.amount).base()) : static_cast<double>((got.amount - worth).base());
}

// The report for deviation (price factor, quantity factor) of a true order.
em::call_order misreport(const em::call_order& truth, double price_step, double quantity_step) {
  em::call_order r = truth;
  r.limit = em::micro_tokens_per_kwh(
      std::max<std::int64_t>(1, std::llround(static_cast<double>(truth.limit.base()) * (1.0 + price_step))));
  r.quantity = em::watt_hours(
      std::max<std::int64_t>(1, std::llround(static_cast<double>(truth.quantity.base()) * (1.0 + quantity_step))));
  return r;
}

class regret_grid {
 public:
  regret_grid(std::vector<double> price_steps, std::vector<double> quantity_steps)
      : price_(std::move(price_steps)), quantity_(std::move(quantity_steps)) {}

  // Best gain of every trader over the grid under `auction`, given the truthful outcome.
  regret_summary run(any_call_auction& auction, std::vector<em::call_order>& bids, std::vector<em::call_order>& offers,
                     const em::call_auction_result& truthful) const {
    const em::call_market market(bids, offers);
    regret_summary s;
    scan(auction, bids, offers, true, market, truthful.bid_outcomes, s);
    scan(auction, bids, offers, false, market, truthful.offer_outcomes, s);
    return s;
  }

 private:
  // Limit of the best order Algorithm 1 leaves unmatched on this side, other than the one at
  // input index `self`; nullopt when there is none.
  static std::optional<em::price> best_other_unmatched(const em::call_market& market, bool buy, std::size_t self) {
    const std::size_t matched = buy ? market.matched_bids() : market.matched_offers();
    const std::size_t count = buy ? market.bid_count() : market.offer_count();
    for (std::size_t r = matched; r < count && r < matched + 2; ++r) {
      const std::size_t index = buy ? market.bid_index(r) : market.offer_index(r);
      if (index != self) return (buy ? market.bid(r) : market.offer(r)).limit;
    }
    return std::nullopt;
  }

  static std::size_t rank_of(const em::call_market& market, bool buy, std::size_t index) {
    const std::size_t count = buy ? market.bid_count() : market.offer_count();
    for (std::size_t r = 0; r < count; ++r)
      if ((buy ? market.bid_index(r) : market.offer_index(r)) == index) return r;
    return count;
  }

  void scan(any_call_auction& auction, std::vector<em::call_order>& bids, std::vector<em::call_order>& offers, bool buy,
            const em::call_market& market, const std::vector<em::order_outcome>& outcomes, regret_summary& s) const {
    std::vector<em::call_order>& own = buy ? bids : offers;
    const bool stateful = std::holds_alternative<em::call_auction<em::sbba<>>>(auction);
    for (std::size_t i = 0; i < own.size(); ++i) {
      const em::call_order truth = own[i];
      const double honest = utility(buy, truth, outcomes[i]);
      s.truthful_total += honest;
      // Algorithm 1 leaves this order out: every rule trades within Algorithm 1's matched set.
      const bool left_out = rank_of(market, buy, i) >= (buy ? market.matched_bids() : market.matched_offers());
      const auto blocker = left_out ? best_other_unmatched(market, buy, i) : std::nullopt;
      double best = 0;
      const auto consider = [&](double price_step, double quantity_step) {
        const em::call_order report = misreport(truth, price_step, quantity_step);
        if (left_out) {
          // A left-out order that reports no more aggressively, or still behind another left-out
          // order, stays out: Algorithm 1's walk stops where it stopped before. Utility 0, no clearing.
          const bool bolder = buy ? report.limit > truth.limit : report.limit < truth.limit;
          if (!bolder || (blocker && (buy ? report.limit < *blocker : report.limit > *blocker))) return;
        }
        own[i] = report;
        // SBBA's lottery must draw as in the truthful clearing: clear a copy of the seeded rule.
        any_call_auction copy;
        any_call_auction& used = stateful ? (copy = auction) : auction;
        const em::call_auction_result r = std::visit([&](auto& a) { return a.clear(bids, offers); }, used);
        own[i] = truth;
        ++s.clearings;
        best = std::max(best, utility(buy, truth, (buy ? r.bid_outcomes : r.offer_outcomes)[i]) - honest);
      };
      for (const double p : price_) consider(p, 0.0);
      for (const double q : quantity_) consider(0.0, q);
      s.total_gain += best;
      s.max_gain = std::max(s.max_gain, best);
      if (best > 0) ++s.traders_with_gain;
    }
  }

  std::vector<double> price_;
  std::vector<double> quantity_;
};

std::vector<em::call_order> orders_from(const column<std::int64_t>& limits, const column<std::int64_t>& quantities,
                                        std::uint64_t first_id, std::string_view side) {
  if (limits.ndim() != 1 || quantities.ndim() != 1 || limits.size() != quantities.size())
    throw_bad_input(std::string(side), std::to_string(limits.size()) + " limits, " + std::to_string(quantities.size()) + " quantities",
                    "needs one-dimensional arrays of equal length");
  std::vector<em::call_order> out(static_cast<std::size_t>(limits.size()));
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto at = static_cast<py::ssize_t>(i);
    out[i] = {em::order_id{first_id + i}, em::participant_id{first_id + i}, em::watt_hours(quantities.at(at)),
              em::micro_tokens_per_kwh(limits.at(at))};
  }
  return out;
}

const char* balance_name(em::budget_balance b) {
  return b == em::budget_balance::balanced ? "balanced" : (b == em::budget_balance::surplus ? "surplus" : "deficit");
}

// One row of metrics for one mechanism on one market.
py::dict evaluate_one(const mechanism_spec& spec, std::uint64_t seed, std::vector<em::call_order>& bids,
                      std::vector<em::call_order>& offers, const regret_grid* grid) {
  any_call_auction auction = make_call_auction(spec.rule, spec.k_num, spec.k_den, seed);
  em::clearing_metrics m;
  em::call_auction_result truthful;
  regret_summary regret;
  {
    py::gil_scoped_release unlocked;
    truthful = std::visit([&](auto& a) { return a.clear(bids, offers); }, auction);
    m = em::measure(bids, offers, truthful);
    if (grid != nullptr) {
      // A fresh auction per deviation family keeps SBBA's lottery identical to the truthful draw.
      any_call_auction probe = make_call_auction(spec.rule, spec.k_num, spec.k_den, seed);
      regret = grid->run(probe, bids, offers, truthful);
    }
  }
  py::dict row;
  row["efficiency"] = m.efficiency;
  row["volume_share"] = m.volume_share();
  row["surplus"] = m.auctioneer_surplus.base();
  row["balance"] = balance_name(m.balance);
  row["ir_violations"] = m.rationality_violations.size();
  row["gains"] = m.gains_from_trade.base();
  row["efficient_gains"] = m.efficient_gains.base();
  row["volume"] = m.volume.base();
  row["lowest_price"] = m.lowest_price.base();
  row["highest_price"] = m.highest_price.base();
  row["average_price"] = m.average_buyer_price.base();
  if (grid != nullptr) {
    row["regret_total"] = regret.total_gain;
    row["regret_max"] = regret.max_gain;
    row["regret_share"] = regret.truthful_total > 0 ? regret.total_gain / regret.truthful_total : 0.0;
    row["regret_traders"] = regret.traders_with_gain;
    row["regret_clearings"] = regret.clearings;
  }
  return row;
}

}  // namespace

void bind_lab(py::module_& m) {
  m.def(
      "_lab_evaluate",
      [](const column<std::int64_t>& bid_limits, const column<std::int64_t>& bid_quantities,
         const column<std::int64_t>& offer_limits, const column<std::int64_t>& offer_quantities,
         const std::vector<std::tuple<std::string, std::int64_t, std::int64_t>>& mechanisms, std::uint64_t seed,
         const std::vector<double>& price_steps, const std::vector<double>& quantity_steps, bool with_regret) {
        for (std::size_t k = 0; k < quantity_steps.size(); ++k)
          if (!(quantity_steps[k] > -1.0 && quantity_steps[k] <= 0.0))
            throw_bad_input("quantity_deviations[" + std::to_string(k) + "]", std::to_string(quantity_steps[k]),
                            "must lie in (-1, 0]: a trader may withhold quantity, not invent it");
        for (std::size_t k = 0; k < price_steps.size(); ++k)
          if (!(price_steps[k] > -1.0 && std::isfinite(price_steps[k])))
            throw_bad_input("price_deviations[" + std::to_string(k) + "]", std::to_string(price_steps[k]),
                            "must be a finite relative change above -1");
        std::vector<em::call_order> bids = orders_from(bid_limits, bid_quantities, 1, "bids");
        std::vector<em::call_order> offers = orders_from(offer_limits, offer_quantities, 1 + bids.size(), "offers");
        const regret_grid grid(price_steps, quantity_steps);
        py::list rows;
        for (const auto& [rule, num, den] : mechanisms)
          rows.append(evaluate_one({rule, num, den}, seed, bids, offers, with_regret ? &grid : nullptr));
        return rows;
      },
      py::arg("bid_limits"), py::arg("bid_quantities"), py::arg("offer_limits"), py::arg("offer_quantities"),
      py::arg("mechanisms"), py::arg("seed"), py::arg("price_deviations"), py::arg("quantity_deviations"),
      py::arg("with_regret") = true,
      "Lab kernel: clears one truthful market (true values as limits, micro-Token/kWh; quantities in Wh) under each "
      "(rule, k numerator, k denominator) and returns one dict of metrics per mechanism, with the empirical "
      "incentive regret over the relative price and quantity deviations when asked.");
}

}  // namespace evmarket_python
