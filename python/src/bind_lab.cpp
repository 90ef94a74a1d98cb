// The mechanism lab's inner loop: one market (true values and quantities) cleared by several
// pricing rules, with the metrics and each trader's empirical incentive regret on a grid of
// unilateral misreports. In C++ because the grid re-clears the market hundreds of times per
// market; each misreported market is sorted and matched once (call_market) and every rule prices
// that same market.
#include "rules.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace evmarket_python {

namespace {

template <class T>
using column = py::array_t<T, py::array::c_style | py::array::forcecast>;

/// Best misreport gains of one rule, summed over traders (micro-Token).
struct regret_summary {
  double total_gain = 0;
  double max_gain = 0;
  double truthful_total = 0;
  std::int64_t traders_with_gain = 0;
};

// A trader's utility at its true value from what its order received: value of the energy it
// needs (at most its true quantity) minus what it paid (buyer), or receipt minus cost (seller).
double utility(bool buyer, const em::call_order& truth, const em::order_outcome& got) {
  const em::energy useful = std::min(got.traded, truth.quantity);
  const em::money worth = em::trade_amount(truth.limit, useful);
  return buyer ? static_cast<double>((worth - got.amount).base()) : static_cast<double>((got.amount - worth).base());
}

// The report of a true order moved by relative price and quantity steps (at least one base unit).
em::call_order misreport(const em::call_order& truth, double price_step, double quantity_step) {
  em::call_order r = truth;
  r.limit = em::micro_tokens_per_kwh(
      std::max<std::int64_t>(1, std::llround(static_cast<double>(truth.limit.base()) * (1.0 + price_step))));
  r.quantity = em::watt_hours(
      std::max<std::int64_t>(1, std::llround(static_cast<double>(truth.quantity.base()) * (1.0 + quantity_step))));
  return r;
}

// Clears `market` with a copy of `rule` (a stateful rule such as SBBA's lottery then draws as it
// did in the truthful clearing).
em::call_auction_result price_with(const any_rule& rule, const em::call_market& market,
                                   em::detail::clearing_scratch& scratch) {
  return std::visit(
      [&](auto chosen) {
        em::clearing_builder builder(market, &scratch);
        chosen.apply(market, builder);
        return std::move(builder).finish(decltype(chosen)::name);
      },
      rule);
}

/// The deviation grid and the working memory of one market's regret scan.
class regret_grid {
 public:
  regret_grid(std::vector<double> price_steps, std::vector<double> quantity_steps)
      : price_(std::move(price_steps)), quantity_(std::move(quantity_steps)) {}

  /// Every trader's best gain over the grid under each rule, given the truthful results.
  std::vector<regret_summary> run(const std::vector<any_rule>& rules, std::vector<em::call_order>& bids,
                                  std::vector<em::call_order>& offers,
                                  const std::vector<em::call_auction_result>& truthful) {
    std::vector<regret_summary> out(rules.size());
    const em::call_market honest(bids, offers);
    scan(rules, bids, offers, true, honest, truthful, out);
    scan(rules, bids, offers, false, honest, truthful, out);
    return out;
  }

 private:
  // Limit of the best order Algorithm 1 leaves unmatched on this side other than the one at
  // input index `self`; nullopt when there is none.
  static std::optional<em::price> best_other_unmatched(const em::call_market& market, bool buy, std::size_t self) {
    const std::size_t matched = buy ? market.matched_bids() : market.matched_offers();
    const std::size_t count = buy ? market.bid_count() : market.offer_count();
    for (std::size_t r = matched; r < count && r < matched + 2; ++r)
      if ((buy ? market.bid_index(r) : market.offer_index(r)) != self) return (buy ? market.bid(r) : market.offer(r)).limit;
    return std::nullopt;
  }

  // rank[i]: the rank of input order i on this side.
  static std::vector<std::size_t> ranks(const em::call_market& market, bool buy) {
    const std::size_t count = buy ? market.bid_count() : market.offer_count();
    std::vector<std::size_t> rank(count);
    for (std::size_t r = 0; r < count; ++r) rank[buy ? market.bid_index(r) : market.offer_index(r)] = r;
    return rank;
  }

  void scan(const std::vector<any_rule>& rules, std::vector<em::call_order>& bids, std::vector<em::call_order>& offers,
            bool buy, const em::call_market& honest, const std::vector<em::call_auction_result>& truthful,
            std::vector<regret_summary>& out) {
    std::vector<em::call_order>& own = buy ? bids : offers;
    const std::vector<std::size_t> rank = ranks(honest, buy);
    const std::size_t matched = buy ? honest.matched_bids() : honest.matched_offers();
    std::vector<double> honest_utility(rules.size()), best(rules.size());
    for (std::size_t i = 0; i < own.size(); ++i) {
      const em::call_order truth = own[i];
      for (std::size_t m = 0; m < rules.size(); ++m) {
        const auto& outcomes = buy ? truthful[m].bid_outcomes : truthful[m].offer_outcomes;
        honest_utility[m] = utility(buy, truth, outcomes[i]);
        best[m] = 0;
      }
      // Every rule trades within Algorithm 1's matched set. An order it leaves out that reports
      // no more aggressively, or still behind another left-out order, stays out (the walk stops
      // where it stopped before): utility 0 under every rule, no clearing needed.
      const bool left_out = rank[i] >= matched;
      const auto blocker = left_out ? best_other_unmatched(honest, buy, i) : std::nullopt;
      const auto consider = [&](double price_step, double quantity_step) {
        const em::call_order report = misreport(truth, price_step, quantity_step);
        if (left_out) {
          const bool bolder = buy ? report.limit > truth.limit : report.limit < truth.limit;
          if (!bolder || (blocker && (buy ? report.limit < *blocker : report.limit > *blocker))) return;
        }
        own[i] = report;
        market_.assign(bids, offers);
        for (std::size_t m = 0; m < rules.size(); ++m) {
          const em::call_auction_result r = price_with(rules[m], market_, scratch_);
          const auto& outcomes = buy ? r.bid_outcomes : r.offer_outcomes;
          best[m] = std::max(best[m], utility(buy, truth, outcomes[i]) - honest_utility[m]);
        }
        own[i] = truth;
      };
      for (const double p : price_) consider(p, 0.0);
      for (const double q : quantity_) consider(0.0, q);
      for (std::size_t m = 0; m < rules.size(); ++m) {
        out[m].truthful_total += honest_utility[m];
        out[m].total_gain += best[m];
        out[m].max_gain = std::max(out[m].max_gain, best[m]);
        if (best[m] > 0) ++out[m].traders_with_gain;
      }
    }
  }

  std::vector<double> price_;
  std::vector<double> quantity_;
  em::call_market market_;
  em::detail::clearing_scratch scratch_;
};

std::vector<em::call_order> orders_from(const column<std::int64_t>& limits, const column<std::int64_t>& quantities,
                                        std::uint64_t first_id, std::string_view side) {
  if (limits.ndim() != 1 || quantities.ndim() != 1 || limits.size() != quantities.size())
    throw_bad_input(std::string(side),
                    std::to_string(limits.size()) + " limits, " + std::to_string(quantities.size()) + " quantities",
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

void require_steps(const std::vector<double>& price_steps, const std::vector<double>& quantity_steps) {
  for (std::size_t k = 0; k < quantity_steps.size(); ++k)
    if (!(quantity_steps[k] > -1.0 && quantity_steps[k] <= 0.0))
      throw_bad_input("quantity_deviations[" + std::to_string(k) + "]", std::to_string(quantity_steps[k]),
                      "must lie in (-1, 0]: a trader may withhold quantity, not invent it");
  for (std::size_t k = 0; k < price_steps.size(); ++k)
    if (!(price_steps[k] > -1.0 && std::isfinite(price_steps[k])))
      throw_bad_input("price_deviations[" + std::to_string(k) + "]", std::to_string(price_steps[k]),
                      "must be a finite relative change above -1");
}

py::dict metrics_row(const em::clearing_metrics& m, const regret_summary* regret) {
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
  if (regret != nullptr) {
    row["regret_total"] = regret->total_gain;
    row["regret_max"] = regret->max_gain;
    row["regret_share"] = regret->truthful_total > 0 ? regret->total_gain / regret->truthful_total : 0.0;
    row["regret_traders"] = regret->traders_with_gain;
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
        require_steps(price_steps, quantity_steps);
        std::vector<em::call_order> bids = orders_from(bid_limits, bid_quantities, 1, "bids");
        std::vector<em::call_order> offers = orders_from(offer_limits, offer_quantities, 1 + bids.size(), "offers");
        std::vector<any_rule> rules;
        for (const auto& [rule, num, den] : mechanisms) rules.push_back(make_rule(rule, num, den, seed));
        std::vector<em::call_auction_result> truthful;
        std::vector<em::clearing_metrics> metrics;
        std::vector<regret_summary> regret;
        {
          py::gil_scoped_release unlocked;
          const em::call_market market(bids, offers);
          em::detail::clearing_scratch scratch;
          for (const any_rule& rule : rules) {
            truthful.push_back(price_with(rule, market, scratch));
            metrics.push_back(em::measure(bids, offers, truthful.back()));
          }
          if (with_regret) regret = regret_grid(price_steps, quantity_steps).run(rules, bids, offers, truthful);
        }
        py::list rows;
        for (std::size_t k = 0; k < rules.size(); ++k) rows.append(metrics_row(metrics[k], with_regret ? &regret[k] : nullptr));
        return rows;
      },
      py::arg("bid_limits"), py::arg("bid_quantities"), py::arg("offer_limits"), py::arg("offer_quantities"),
      py::arg("mechanisms"), py::arg("seed"), py::arg("price_deviations"), py::arg("quantity_deviations"),
      py::arg("with_regret") = true,
      "Lab kernel: clears one truthful market (true values as limits, micro-Token/kWh; quantities in Wh) under each "
      "(rule, k numerator, k denominator) and returns one dict of metrics per mechanism, with the empirical "
      "incentive regret over the relative price and quantity deviations when asked (every rule prices the same "
      "misreported markets).");
}

}  // namespace evmarket_python
