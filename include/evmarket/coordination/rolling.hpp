#pragma once
/// @file
/// A simulated day of EV charging under one strategy, and the rolling price-coordination strategy
/// of paper 000 (section III): every period the platform re-plans the remaining day from the
/// updated load forecast and the EVs present (the day-ahead dual-price method), then clears the
/// current period's bid curves against the measured capacity margin. An EV's curve steepens as its
/// slack runs out and becomes a must-charge floor near departure.
///
/// Strategies are policies (the ChargingStrategy concept): `uncontrolled_charging` (full power on
/// arrival) and `rolling_price_coordination` (this method) here; the quota-market strategies
/// (`beta_allocation_charging`, `quota_market_charging`: allocation + call auction, composed from
/// policies) live with the other compositions in market/charging_strategies.hpp, so researchers
/// can run them all on the same seeded day and compare the same metrics.

#include <evmarket/allocation/proportional.hpp>
#include <evmarket/coordination/bid_curve.hpp>
#include <evmarket/coordination/dual_price.hpp>
#include <evmarket/core/error.hpp>
#include <evmarket/core/units.hpp>

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// One EV of a simulated day.
struct fleet_ev {
  /// First period in which it is plugged in.
  std::int32_t arrival = 0;
  /// First period in which it is gone.
  std::int32_t departure = 0;
  /// Energy it wants by departure.
  energy needed;
  /// Its charging power limit.
  power max_power;
  /// Discomfort weight (Token per kW^2 per hour) of deviating from charging at full power on arrival.
  double discomfort = 1.0;
};

/// A day to simulate: the transformer, the other load on it, prices and the fleet.
struct day_scenario {
  /// Length of a period in minutes.
  std::int32_t period_minutes = 30;
  /// The transformer's rating: base load plus EV load should stay at or below it.
  power transformer_rating;
  /// The other (non-EV) load per period as it turns out.
  std::vector<power> base_load;
  /// The day-ahead forecast of that load.
  std::vector<power> base_load_forecast;
  /// Energy price per period.
  std::vector<price> energy_price;
  /// The EVs.
  std::vector<fleet_ev> evs;

  /// Number of periods.
  [[nodiscard]] std::int32_t periods() const noexcept { return static_cast<std::int32_t>(base_load.size()); }
};

/// What a strategy sees when it dispatches one period.
struct period_state {
  /// The day being simulated.
  const day_scenario* scenario = nullptr;
  /// The period being dispatched.
  std::int32_t period = 0;
  /// Indices of the EVs plugged in that still need energy.
  std::vector<std::size_t> present;
  /// Energy each EV (all of them, by index) still needs.
  std::span<const energy> remaining;
  /// Measured capacity margin of this period: rating - base load (zero if the base load exceeds it).
  power margin;
};

/// ChargingStrategy: decides every present EV's power for one period. `dispatch` returns one power
/// per entry of `state.present`, in that order; the simulator delivers at most what each EV still
/// needs. Strategies may keep state between periods (forecasts, last prices).
template <class Strategy>
concept ChargingStrategy = requires(Strategy& strategy, const period_state& state) {
  { strategy.dispatch(state) } -> std::same_as<std::vector<power>>;
  { Strategy::name } -> std::convertible_to<std::string_view>;
};

/// The day's figures for one strategy.
struct day_metrics {
  /// The strategy's name.
  std::string_view strategy;
  /// Highest total transformer load (base + EVs) of any period.
  power peak_load;
  ///@{
  /// Energy wanted and delivered, over all EVs.
  energy needed, delivered;
  ///@}
  ///@{
  /// EVs, and EVs that left with all the energy they wanted.
  std::size_t evs = 0, evs_met = 0;
  ///@}
  ///@{
  /// Periods in which the transformer was loaded to its rating or beyond, and beyond it.
  std::int32_t congested_periods = 0, overloaded_periods = 0;
  ///@}
  /// Hours per period (to turn period counts into hours).
  double period_hours = 0.5;
  /// Energy bought, at the period prices (rounded up per EV and period).
  money energy_cost;
  /// Sum of the EVs' discomfort (Token) of deviating from charging at full power on arrival.
  double discomfort_cost = 0.0;
  /// EV load per period.
  std::vector<power> ev_load;
  /// Energy delivered to each EV.
  std::vector<energy> ev_delivered;

  /// delivered / needed (1 when nothing was needed).
  [[nodiscard]] double energy_share() const noexcept {
    return needed.is_zero() ? 1.0 : delivered.display() / needed.display();
  }
  /// Hours in which the transformer was loaded to its rating or beyond.
  [[nodiscard]] double congestion_hours() const noexcept { return congested_periods * period_hours; }
  /// Hours in which it was loaded beyond its rating.
  [[nodiscard]] double overload_hours() const noexcept { return overloaded_periods * period_hours; }
  /// Energy cost plus discomfort (Token).
  [[nodiscard]] double total_cost() const noexcept { return energy_cost.display() + discomfort_cost; }
};

namespace detail {

inline void validate_day_scenario(const day_scenario& day) {
  require(day.period_minutes > 0, "period_minutes", day.period_minutes, "must be positive");
  require(day.transformer_rating.is_positive(), "transformer_rating", day.transformer_rating.base(),
          "must be positive (W)");
  const std::size_t periods = day.base_load.size();
  require(periods > 0, "base_load", "[]", "must hold one load per period");
  require(day.base_load_forecast.size() == periods, "base_load_forecast.size()", day.base_load_forecast.size(),
          "must equal base_load.size()");
  require(day.energy_price.size() == periods, "energy_price.size()", day.energy_price.size(),
          "must equal base_load.size()");
  for (std::size_t t = 0; t < periods; ++t) {
    if (day.base_load[t].is_negative())
      throw bad_input(element_field("base_load", t), describe(day.base_load[t].base()), "must not be negative (W)");
    if (day.base_load_forecast[t].is_negative())
      throw bad_input(element_field("base_load_forecast", t), describe(day.base_load_forecast[t].base()),
                      "must not be negative (W)");
  }
  for (std::size_t i = 0; i < day.evs.size(); ++i) {
    const fleet_ev& ev = day.evs[i];
    if (ev.arrival < 0 || static_cast<std::size_t>(ev.arrival) >= periods)
      throw bad_input(element_field("evs", i, "arrival"), describe(ev.arrival), "must be a period of the day");
    if (ev.departure <= ev.arrival || static_cast<std::size_t>(ev.departure) > periods)
      throw bad_input(element_field("evs", i, "departure"), describe(ev.departure),
                      "must come after the arrival and not beyond the day");
    if (ev.needed.is_negative())
      throw bad_input(element_field("evs", i, "needed"), describe(ev.needed.base()), "must not be negative (Wh)");
    if (!ev.max_power.is_positive())
      throw bad_input(element_field("evs", i, "max_power"), describe(ev.max_power.base()), "must be positive (W)");
    if (!(std::isfinite(ev.discomfort) && ev.discomfort > 0.0))
      throw bad_input(element_field("evs", i, "discomfort"), describe(ev.discomfort), "must be positive and finite");
  }
}

/// The power that finishes `left` within one period (rounded up, so it never falls a watt-hour short).
inline power power_to_finish(energy left, std::int32_t minutes) { return average_power(left, minutes, rounding::up); }

/// An EV's power at full speed from arrival until it has its energy (kW per period of its window).
inline std::vector<double> as_soon_as_possible(const fleet_ev& ev, std::int32_t minutes) {
  std::vector<double> x(static_cast<std::size_t>(ev.departure - ev.arrival), 0.0);
  double left = ev.needed.display() * 60.0 / minutes;
  for (double& v : x) {
    v = std::min(ev.max_power.display(), std::max(0.0, left));
    left -= v;
  }
  return x;
}

}  // namespace detail

/// Runs one day under `strategy` and measures it. Throws bad_input for a malformed scenario or
/// when the strategy returns the wrong number of powers or a power outside 0..max_power.
template <ChargingStrategy Strategy>
[[nodiscard]] day_metrics simulate_day(const day_scenario& day, Strategy& strategy) {
  detail::validate_day_scenario(day);
  const std::size_t n = day.evs.size();
  const std::int32_t periods = day.periods();
  std::vector<energy> remaining(n);
  day_metrics metrics;
  metrics.strategy = Strategy::name;
  metrics.evs = n;
  metrics.period_hours = day.period_minutes / 60.0;
  metrics.needed = energy::zero();
  metrics.delivered = energy::zero();
  metrics.energy_cost = money::zero();
  metrics.peak_load = power::zero();
  metrics.ev_delivered.assign(n, energy::zero());
  metrics.ev_load.assign(static_cast<std::size_t>(periods), power::zero());
  for (std::size_t i = 0; i < n; ++i) {
    remaining[i] = day.evs[i].needed;
    metrics.needed += day.evs[i].needed;
  }
  std::vector<std::vector<double>> charged(n);
  for (std::size_t i = 0; i < n; ++i)
    charged[i].assign(static_cast<std::size_t>(day.evs[i].departure - day.evs[i].arrival), 0.0);

  for (std::int32_t k = 0; k < periods; ++k) {
    const auto t = static_cast<std::size_t>(k);
    period_state state;
    state.scenario = &day;
    state.period = k;
    state.remaining = remaining;
    state.margin = std::max(power::zero(), day.transformer_rating - day.base_load[t]);
    for (std::size_t i = 0; i < n; ++i)
      if (day.evs[i].arrival <= k && k < day.evs[i].departure && remaining[i].is_positive()) state.present.push_back(i);
    const std::vector<power> powers = strategy.dispatch(state);
    detail::require(powers.size() == state.present.size(), "dispatch().size()", powers.size(),
                    "must equal the number of present EVs");
    power ev_load = power::zero();
    for (std::size_t j = 0; j < powers.size(); ++j) {
      const std::size_t i = state.present[j];
      if (powers[j].is_negative() || powers[j] > day.evs[i].max_power)
        throw bad_input(detail::element_field("dispatch()", j), detail::describe(powers[j].base()),
                        "must lie in 0..max_power of the EV (W)");
      const power drawn = std::min(powers[j], detail::power_to_finish(remaining[i], day.period_minutes));
      const energy got = std::min(remaining[i], energy_over(drawn, day.period_minutes, rounding::down));
      remaining[i] -= got;
      metrics.ev_delivered[i] += got;
      metrics.delivered += got;
      metrics.energy_cost += cost(day.energy_price[t], got, rounding::up);
      charged[i][static_cast<std::size_t>(k - day.evs[i].arrival)] = drawn.display();
      ev_load += drawn;
    }
    metrics.ev_load[t] = ev_load;
    const power total = day.base_load[t] + ev_load;
    metrics.peak_load = std::max(metrics.peak_load, total);
    if (total >= day.transformer_rating) ++metrics.congested_periods;
    if (total > day.transformer_rating) ++metrics.overloaded_periods;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (remaining[i].is_zero()) ++metrics.evs_met;
    const std::vector<double> preferred = detail::as_soon_as_possible(day.evs[i], day.period_minutes);
    for (std::size_t k = 0; k < preferred.size(); ++k) {
      const double deviation = charged[i][k] - preferred[k];
      metrics.discomfort_cost += metrics.period_hours * 0.5 * day.evs[i].discomfort * deviation * deviation;
    }
  }
  return metrics;
}

/// Every EV charges at full power from arrival until it has its energy; the transformer limit is
/// ignored (the reference the coordinated strategies are measured against).
struct uncontrolled_charging {
  /// The strategy's name, for reports.
  static constexpr std::string_view name = "uncontrolled";

  /// Charging power of each EV present in the period (the ChargingStrategy concept).
  [[nodiscard]] std::vector<power> dispatch(const period_state& state) const {
    std::vector<power> powers;
    powers.reserve(state.present.size());
    for (const std::size_t i : state.present) {
      const fleet_ev& ev = state.scenario->evs[i];
      powers.push_back(
          std::min(ev.max_power, detail::power_to_finish(state.remaining[i], state.scenario->period_minutes)));
    }
    return powers;
  }
};
static_assert(ChargingStrategy<uncontrolled_charging>);

/// What an EV must and may draw in one period.
struct charging_need {
  /// Must-charge floor: the power that only this period can still deliver (what full power in the
  /// later periods of its window cannot).
  power floor;
  /// The power that finishes it in this period (at most its limit).
  power cap;
  /// Its slack in periods: window left minus the periods full power needs for the energy left.
  double slack_periods = 0.0;
};

/// The charging need of `ev`, with `remaining` energy left, in period `period` (inside its window).
[[nodiscard]] inline charging_need charging_need_of(const fleet_ev& ev, energy remaining, std::int32_t period,
                                                    std::int32_t minutes) {
  const std::int32_t window = ev.departure - period;
  detail::require(window > 0 && period >= ev.arrival, "period", period, "must lie inside the EV's window");
  const energy later = energy_over(ev.max_power, static_cast<std::int64_t>(minutes) * (window - 1), rounding::down);
  charging_need need;
  need.cap = std::min(ev.max_power, detail::power_to_finish(remaining, minutes));
  need.floor =
      std::min(need.cap, remaining > later ? detail::power_to_finish(remaining - later, minutes) : power::zero());
  need.slack_periods = window - remaining.display() * 60.0 / minutes / ev.max_power.display();
  return need;
}

/// The bid curve an EV submits in the rolling coordination: its planned power at congestion price
/// zero, falling to its must-charge floor with slope (1 / discomfort) kW per Token/kWh scaled by
/// its remaining flexibility min(1, slack / full_flexibility_slack). As departure approaches with
/// energy still needed, the slack shrinks and the curve steepens until it is vertical
/// (must-charge) at zero slack.
[[nodiscard]] inline bid_curve rolling_bid(const fleet_ev& ev, const charging_need& need, power planned,
                                           double full_flexibility_slack) {
  const power top = std::clamp(planned, need.floor, need.cap);
  const double flexibility = std::clamp(need.slack_periods / full_flexibility_slack, 0.0, 1.0) / ev.discomfort;
  // Price (Token/kWh) at which demand has fallen to the floor; beyond 10^6 Token/kWh nobody cares.
  const double saturation = (top - need.floor).display() / std::max(flexibility, 1e-12);
  if (top == need.floor || saturation > 1e6) return bid_curve::must_charge(top);
  return bid_curve::linear(top, need.floor, std::max(micro_tokens_per_kwh(1), tokens_per_kwh(saturation)));
}

/// Settings of the rolling coordination.
struct rolling_options {
  /// Gap at which each re-plan stops.
  double target_gap = 0.01;
  /// Price updates allowed per re-plan.
  std::int32_t max_iterations = 400;
  /// The forecast of a period's base load converges linearly from the day-ahead forecast to the
  /// actual value over this many periods before it.
  std::int32_t forecast_horizon = 8;
  /// Periods of slack at which an EV's bid keeps its full slope; with less slack the slope shrinks
  /// in proportion, down to a vertical (must-charge) bid when no slack is left.
  double full_flexibility_slack = 4.0;
};

/// The base load of period t as forecast during period k (k <= t): exact for t == k, the
/// day-ahead forecast at `horizon` periods ahead or more, blended linearly in between.
[[nodiscard]] inline power updated_forecast(const day_scenario& day, std::int32_t k, std::int32_t t,
                                            std::int32_t horizon) {
  const auto index = static_cast<std::size_t>(t);
  const std::int64_t actual = day.base_load[index].base(), early = day.base_load_forecast[index].base();
  if (t <= k) return day.base_load[index];
  if (horizon <= 0 || t - k >= horizon) return day.base_load_forecast[index];
  return watts(actual + detail::mul_div(early - actual, t - k, horizon, rounding::nearest, "forecast blend"));
}

/// Paper 000's rolling price coordination; see this file's header.
class rolling_price_coordination {
 public:
  /// The strategy's name, for reports.
  static constexpr std::string_view name = "rolling dual price";

  /// A coordinator with these options (validated: bad_input names the field).
  explicit rolling_price_coordination(rolling_options options = {}) : options_(options) {
    detail::require(std::isfinite(options_.target_gap) && options_.target_gap >= 0.0, "target_gap", options_.target_gap,
                    "must be a finite number >= 0");
    detail::require(options_.max_iterations > 0, "max_iterations", options_.max_iterations, "must be positive");
    detail::require(std::isfinite(options_.full_flexibility_slack) && options_.full_flexibility_slack > 0.0,
                    "full_flexibility_slack", options_.full_flexibility_slack, "must be positive");
  }

  /// Re-plans the rest of the day, then clears this period's bid curves against the margin.
  [[nodiscard]] std::vector<power> dispatch(const period_state& state) {
    const day_scenario& day = *state.scenario;
    const std::int32_t k = state.period, periods = day.periods();
    const std::int32_t minutes = day.period_minutes;
    const std::size_t present = state.present.size();
    if (present == 0) return {};

    coordination_problem problem;
    problem.period_minutes = minutes;
    for (std::int32_t t = k; t < periods; ++t) {
      problem.energy_price.push_back(day.energy_price[static_cast<std::size_t>(t)]);
      const power base = updated_forecast(day, k, t, options_.forecast_horizon);
      problem.capacity.push_back(std::max(power::zero(), day.transformer_rating - base));
    }
    std::vector<charging_need> needs(present);
    for (std::size_t j = 0; j < present; ++j) {
      const std::size_t i = state.present[j];
      const fleet_ev& ev = day.evs[i];
      needs[j] = charging_need_of(ev, state.remaining[i], k, minutes);
      const std::int32_t window = ev.departure - k;
      // Plan only what the window can take: an EV already behind plans to get as much as it can.
      const energy deliverable = energy_over(ev.max_power, static_cast<std::int64_t>(minutes) * window, rounding::down);
      problem.evs.push_back({0, window, std::min(state.remaining[i], deliverable), ev.max_power, ev.discomfort, {}});
    }
    dual_price_options solve;
    solve.target_gap = options_.target_gap;
    solve.max_iterations = options_.max_iterations;
    if (!last_prices_.empty()) {
      // Warm start: yesterday's plan shifted by the periods that have passed.
      solve.initial_congestion_price.assign(problem.capacity.size(), 0.0);
      for (std::size_t t = 0; t < solve.initial_congestion_price.size(); ++t) {
        const std::size_t from = t + static_cast<std::size_t>(k - last_period_);
        if (from < last_prices_.size()) solve.initial_congestion_price[t] = last_prices_[from];
      }
    }
    const coordination_plan plan = solve_day_ahead(problem, solve);
    ++replans_;
    if (plan.status == coordination_status::infeasible)
      ++infeasible_replans_;
    else {
      worst_gap_ = std::max(worst_gap_, plan.certificate.relative_gap());
      if (plan.certificate.dual_bound >
          plan.certificate.primal_cost + 1e-9 * (1.0 + std::abs(plan.certificate.primal_cost)))
        certificates_valid_ = false;
    }
    last_prices_ = plan.congestion_price;
    last_period_ = k;

    // This period's bid curves: the plan's power at price zero, falling with the EV's remaining
    // flexibility to its must-charge floor.
    std::vector<bid_curve> curves;
    curves.reserve(present);
    for (std::size_t j = 0; j < present; ++j)
      curves.push_back(rolling_bid(day.evs[state.present[j]], needs[j], kilowatts(plan.schedule[j][0]),
                                   options_.full_flexibility_slack));
    const curve_clearing cleared = clear_bid_curves(curves, state.margin);
    realtime_prices_.push_back(cleared.congestion_price);
    if (cleared.status != curve_clearing_status::floors_exceed_margin) return cleared.powers;
    // Even the must-charge floors do not fit: share the margin in proportion to them (beta).
    ++floor_curtailments_;
    std::vector<station_request> requests(present);
    for (std::size_t j = 0; j < present; ++j) requests[j] = {station_id{state.present[j]}, cleared.powers[j]};
    return proportional_allocation{}.allocate(state.margin, requests).quotas;
  }

  ///@{
  /// Re-plans made, and how many found the remaining day infeasible.
  [[nodiscard]] std::int32_t replans() const noexcept { return replans_; }
  [[nodiscard]] std::int32_t infeasible_replans() const noexcept { return infeasible_replans_; }
  ///@}
  /// Periods in which even the must-charge floors exceeded the margin.
  [[nodiscard]] std::int32_t floor_curtailments() const noexcept { return floor_curtailments_; }
  /// Largest relative gap of a feasible re-plan's certificate.
  [[nodiscard]] double worst_gap() const noexcept { return worst_gap_; }
  /// False if any certificate's dual bound exceeded its primal cost (it never should).
  [[nodiscard]] bool certificates_valid() const noexcept { return certificates_valid_; }
  /// The real-time congestion price of each period dispatched with EVs present (micro-Token/kWh).
  [[nodiscard]] const std::vector<double>& realtime_prices() const noexcept { return realtime_prices_; }

 private:
  rolling_options options_;
  std::vector<double> last_prices_;
  std::int32_t last_period_ = 0;
  std::int32_t replans_ = 0, infeasible_replans_ = 0, floor_curtailments_ = 0;
  double worst_gap_ = 0.0;
  bool certificates_valid_ = true;
  std::vector<double> realtime_prices_;
};
static_assert(ChargingStrategy<rolling_price_coordination>);

EVMARKET_END_NAMESPACE
