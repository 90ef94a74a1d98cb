#pragma once
/// @file
/// Day-ahead coordination by congestion prices (paper 000, section III): the platform publishes a
/// price per period (the energy price forecast plus a congestion price lambda_t), every EV answers
/// with its cheapest schedule, and the platform raises lambda_t where the EVs' total exceeds the
/// capacity margin, until the schedules fit.
///
/// The problem solved, over periods t of h hours:
///   minimise   sum_i sum_t h * [ pi_t x_it + w_i / 2 (x_it - xhat_it)^2 ]
///   subject to 0 <= x_it <= P_i inside EV i's window [arrival, departure), 0 outside;
///              sum_t h x_it = E_i (every EV's energy by departure);
///              sum_i x_it <= C_t (the capacity margin of period t).
/// x in kW, pi in Token/kWh, w_i in Token per kW^2 per hour: an EV's bid curve in a period falls
/// with slope 1 / w_i kW per Token/kWh, so w_i is the inverse of its flexibility.
///
/// Method: dual decomposition. Each EV's best response to prices pi_t + lambda_t is solved
/// exactly by water-filling. lambda is updated by projected gradient ascent on the dual function
/// with a per-period step (the inverse of the period's total flexibility, which bounds the dual
/// curvature), Nesterov momentum and a restart whenever the dual value falls. Every iteration
/// repairs the EVs' answers into a feasible schedule (scale down overloaded periods, then refill
/// each EV's missing energy into its cheapest periods with spare capacity, least flexible EV first;
/// if that fails, blend with a feasible schedule from an exact maximum flow), so every answer comes
/// with a certificate: a feasible schedule, its cost, a dual lower bound and the gap between them.
///
/// Feasibility (can every EV get its energy at all?) is decided exactly, in integer watt-minutes,
/// by a maximum flow from EVs to periods; an infeasible instance is reported with its shortfall at
/// once, never iterated on.

#include <evmarket/core/error.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/detail/checked.hpp>
#include <evmarket/detail/coordination_flow.hpp>
#include <evmarket/detail/coordination_waterfill.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// Relative tolerance of the real-valued schedules: a schedule meets an EV's energy and a
/// period's capacity when it is within this fraction of them (plus the same in kW absolute).
inline constexpr double coordination_feasibility_tolerance = 1e-9;

/// One EV's charging request for the day-ahead problem.
struct ev_charging_request {
  /// First period in which the EV can charge.
  std::int32_t arrival = 0;
  /// First period in which it is gone: it charges in [arrival, departure).
  std::int32_t departure = 0;
  /// Energy it needs by departure.
  energy needed;
  /// Its charging power limit (positive).
  power max_power;
  /// Discomfort weight w (Token per kW^2 per hour, positive): the curvature of its cost of
  /// deviating from the preferred schedule.
  double discomfort = 1.0;
  /// Preferred power in each period of its window; empty means "as soon as possible at full power".
  std::vector<power> preferred;
};

/// A day-ahead coordination problem: one price and one capacity margin per period, and the EVs.
struct coordination_problem {
  /// Length of every period in minutes (30: half-hour periods).
  std::int32_t period_minutes = 30;
  /// Energy price forecast per period.
  std::vector<price> energy_price;
  /// Capacity margin available to the EVs per period.
  std::vector<power> capacity;
  /// The EVs.
  std::vector<ev_charging_request> evs;
};

/// Stopping rule and warm start of the dual-price method.
struct dual_price_options {
  /// Stop once (primal cost - dual bound) <= target_gap * |primal cost|.
  double target_gap = 0.01;
  /// Stop after this many price updates at the latest.
  std::int32_t max_iterations = 5000;
  /// Congestion prices to start from (Token/kWh per period), e.g. yesterday's; empty: zeros.
  std::vector<double> initial_congestion_price;
};

/// How a day-ahead solve ended.
enum class coordination_status : std::uint8_t {
  within_gap,       ///< the certificate's gap is at most the target
  iteration_limit,  ///< feasible schedule returned, but the gap target was not reached in time
  infeasible        ///< the EVs' energy cannot all be delivered; see shortfall
};

/// The proof that comes with a plan: the plan's cost and a lower bound on every feasible plan's.
struct optimality_certificate {
  /// Cost of the returned schedule (Token).
  double primal_cost = 0.0;
  /// A lower bound on the optimal cost (Token): the dual function at some lambda >= 0.
  double dual_bound = -std::numeric_limits<double>::infinity();

  /// primal_cost - dual_bound.
  [[nodiscard]] double absolute_gap() const noexcept { return primal_cost - dual_bound; }
  /// The gap relative to the primal cost.
  [[nodiscard]] double relative_gap() const noexcept {
    return absolute_gap() / std::max(std::abs(primal_cost), std::numeric_limits<double>::min());
  }
};

/// The answer of a day-ahead solve.
struct coordination_plan {
  /// How the solve ended: within the target gap, at the iteration limit, or infeasible.
  coordination_status status = coordination_status::within_gap;
  /// Congestion price lambda_t per period (Token/kWh) at the best dual bound.
  std::vector<double> congestion_price;
  /// schedule[i][k]: EV i's power (kW) in period arrival_i + k. Feasible: within power limits and
  /// capacities; every EV's energy met unless the status is infeasible (then the most energy any
  /// schedule can deliver).
  std::vector<std::vector<double>> schedule;
  /// Cost and dual bound (for an infeasible instance the bound is -infinity).
  optimality_certificate certificate;
  /// Energy that no feasible schedule can deliver (zero unless infeasible), rounded up to Wh.
  energy shortfall;
  /// Price updates performed.
  std::int32_t iterations = 0;

  /// Total scheduled power (kW) in period t.
  [[nodiscard]] double load(std::int32_t t, const coordination_problem& problem) const {
    double total = 0.0;
    for (std::size_t i = 0; i < schedule.size(); ++i) {
      const std::int32_t k = t - problem.evs[i].arrival;
      if (k >= 0 && k < static_cast<std::int32_t>(schedule[i].size()))
        total += schedule[i][static_cast<std::size_t>(k)];
    }
    return total;
  }
};

namespace detail {

/// Checks a coordination problem; throws bad_input naming the first bad field.
inline void validate_coordination_problem(const coordination_problem& problem) {
  require(problem.period_minutes > 0, "period_minutes", problem.period_minutes, "must be positive");
  const std::size_t periods = problem.capacity.size();
  require(periods > 0, "capacity", "[]", "must hold one margin per period");
  require(problem.energy_price.size() == periods, "energy_price.size()", problem.energy_price.size(),
          "must equal capacity.size() (one price per period)");
  for (std::size_t t = 0; t < periods; ++t)
    if (problem.capacity[t].is_negative())
      throw bad_input(element_field("capacity", t), describe(problem.capacity[t].base()), "must not be negative (W)");
  for (std::size_t i = 0; i < problem.evs.size(); ++i) {
    const ev_charging_request& ev = problem.evs[i];
    if (ev.arrival < 0)
      throw bad_input(element_field("evs", i, "arrival"), describe(ev.arrival), "must not be negative");
    if (ev.departure <= ev.arrival)
      throw bad_input(element_field("evs", i, "departure"), describe(ev.departure),
                      "must come after the arrival period");
    if (static_cast<std::size_t>(ev.departure) > periods)
      throw bad_input(element_field("evs", i, "departure"), describe(ev.departure),
                      "must not lie beyond the last period");
    if (ev.needed.is_negative())
      throw bad_input(element_field("evs", i, "needed"), describe(ev.needed.base()), "must not be negative (Wh)");
    if (!ev.max_power.is_positive())
      throw bad_input(element_field("evs", i, "max_power"), describe(ev.max_power.base()), "must be positive (W)");
    if (!(std::isfinite(ev.discomfort) && ev.discomfort > 0.0))
      throw bad_input(element_field("evs", i, "discomfort"), describe(ev.discomfort),
                      "must be a positive finite weight (Token per kW^2 per hour)");
    const auto window = static_cast<std::size_t>(ev.departure - ev.arrival);
    if (!ev.preferred.empty()) {
      if (ev.preferred.size() != window)
        throw bad_input(element_field("evs", i, "preferred.size()"), describe(ev.preferred.size()),
                        "must equal departure - arrival (one power per period of the window), or be empty");
      for (std::size_t k = 0; k < window; ++k)
        if (ev.preferred[k].is_negative() || ev.preferred[k] > ev.max_power)
          throw bad_input(element_field("evs", i, "preferred[" + std::to_string(k) + "]"),
                          describe(ev.preferred[k].base()), "must lie in 0..max_power (W)");
    }
  }
}

/// The preferred schedule in kW: the given one, or "as soon as possible at full power".
inline std::vector<double> preferred_kw(const ev_charging_request& ev, double hours) {
  const auto window = static_cast<std::size_t>(ev.departure - ev.arrival);
  std::vector<double> x(window, 0.0);
  if (!ev.preferred.empty()) {
    for (std::size_t k = 0; k < window; ++k) x[k] = ev.preferred[k].display();
    return x;
  }
  double left = ev.needed.display() / hours;  // kW-periods still to place
  const double cap = ev.max_power.display();
  for (std::size_t k = 0; k < window && left > 0.0; ++k) {
    x[k] = std::min(cap, left);
    left -= x[k];
  }
  return x;
}

}  // namespace detail

/// Cost (Token) of a schedule laid out as coordination_plan::schedule; the objective in this
/// file's header. Throws bad_input when the shape does not match the problem.
[[nodiscard]] inline double coordination_cost(const coordination_problem& problem,
                                              const std::vector<std::vector<double>>& schedule) {
  // The windows index the price vector below: an unchecked problem would read past its end.
  detail::validate_coordination_problem(problem);
  detail::require(schedule.size() == problem.evs.size(), "schedule.size()", schedule.size(),
                  "must equal the number of EVs");
  const double hours = problem.period_minutes / 60.0;
  double total = 0.0;
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    const ev_charging_request& ev = problem.evs[i];
    const std::vector<double> preferred = detail::preferred_kw(ev, hours);
    detail::require(schedule[i].size() == preferred.size(), detail::element_field("schedule", i, "size()"),
                    schedule[i].size(), "must equal the EV's window length");
    for (std::size_t k = 0; k < preferred.size(); ++k) {
      const double x = schedule[i][k];
      const double deviation = x - preferred[k];
      total += hours * (problem.energy_price[static_cast<std::size_t>(ev.arrival) + k].display() * x +
                        0.5 * ev.discomfort * deviation * deviation);
    }
  }
  return total;
}

/// Solves the day-ahead problem by congestion prices; see this file's header. Throws bad_input
/// for malformed problems; an infeasible instance is a status, with its shortfall.
[[nodiscard]] inline coordination_plan solve_day_ahead(const coordination_problem& problem,
                                                       const dual_price_options& options = {}) {
  detail::validate_coordination_problem(problem);
  detail::require(std::isfinite(options.target_gap) && options.target_gap >= 0.0, "options.target_gap",
                  options.target_gap, "must be a finite number >= 0");
  detail::require(options.max_iterations > 0, "options.max_iterations", options.max_iterations, "must be positive");
  const std::size_t periods = problem.capacity.size();
  detail::require(options.initial_congestion_price.empty() || options.initial_congestion_price.size() == periods,
                  "options.initial_congestion_price.size()", options.initial_congestion_price.size(),
                  "must be empty or hold one price per period");
  for (std::size_t t = 0; t < options.initial_congestion_price.size(); ++t)
    detail::require_finite(options.initial_congestion_price[t],
                           detail::element_field("options.initial_congestion_price", t));

  const std::size_t n = problem.evs.size();
  const double hours = problem.period_minutes / 60.0;
  const double tol = coordination_feasibility_tolerance;

  // Flat layout: EV i owns entries [offset[i], offset[i + 1]) for periods arrival_i, arrival_i + 1, ...
  std::vector<std::size_t> offset(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i)
    offset[i + 1] = offset[i] + static_cast<std::size_t>(problem.evs[i].departure - problem.evs[i].arrival);
  const std::size_t entries = offset[n];
  std::vector<double> preferred(entries), cap(n), required(n), weight(n), energy_price(periods), capacity(periods);
  for (std::size_t t = 0; t < periods; ++t) {
    energy_price[t] = problem.energy_price[t].display();
    capacity[t] = problem.capacity[t].display();
  }
  bool each_ev_can_finish = true;
  for (std::size_t i = 0; i < n; ++i) {
    const ev_charging_request& ev = problem.evs[i];
    const std::vector<double> x = detail::preferred_kw(ev, hours);
    std::copy(x.begin(), x.end(), preferred.begin() + static_cast<std::ptrdiff_t>(offset[i]));
    cap[i] = ev.max_power.display();
    required[i] = ev.needed.display() / hours;
    weight[i] = ev.discomfort;
    const detail::int128 deliverable =
        static_cast<detail::int128>(ev.max_power.base()) * problem.period_minutes * (ev.departure - ev.arrival);
    if (static_cast<detail::int128>(ev.needed.base()) * 60 > deliverable) each_ev_can_finish = false;
  }

  coordination_plan plan;
  plan.congestion_price.assign(periods, 0.0);
  auto to_nested = [&](const std::vector<double>& flat) {
    std::vector<std::vector<double>> nested(n);
    for (std::size_t i = 0; i < n; ++i)
      nested[i].assign(flat.begin() + static_cast<std::ptrdiff_t>(offset[i]),
                       flat.begin() + static_cast<std::ptrdiff_t>(offset[i + 1]));
    return nested;
  };
  auto cost_of = [&](const std::vector<double>& x) {
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const auto first = static_cast<std::size_t>(problem.evs[i].arrival);
      for (std::size_t j = offset[i]; j < offset[i + 1]; ++j) {
        const double deviation = x[j] - preferred[j];
        total += hours * (energy_price[first + j - offset[i]] * x[j] + 0.5 * weight[i] * deviation * deviation);
      }
    }
    return total;
  };

  // The exact feasibility test and a feasible schedule, computed only when needed.
  std::vector<double> flow_schedule, flow_load;
  auto solve_flow = [&]() -> bool {
    const std::size_t source = 0, sink = n + periods + 1;
    detail::max_flow_graph graph(n + periods + 2);
    std::int64_t wanted = 0;
    std::vector<std::size_t> arc_of(entries);
    for (std::size_t i = 0; i < n; ++i) {
      const ev_charging_request& ev = problem.evs[i];
      const std::int64_t need = detail::checked_mul(ev.needed.base(), 60, "energy in watt-minutes");
      wanted = detail::checked_add(wanted, need, "energy in watt-minutes");
      graph.add_arc(source, 1 + i, need);
      const std::int64_t per_period = detail::checked_mul(ev.max_power.base(), problem.period_minutes, "power limit");
      for (std::size_t j = offset[i]; j < offset[i + 1]; ++j)
        arc_of[j] = graph.add_arc(1 + i, 1 + n + static_cast<std::size_t>(ev.arrival) + (j - offset[i]), per_period);
    }
    for (std::size_t t = 0; t < periods; ++t)
      graph.add_arc(
          1 + n + t, sink,
          detail::checked_mul(problem.capacity[t].base(), problem.period_minutes, "capacity in watt-minutes"));
    const std::int64_t delivered = graph.run(source, sink);
    flow_schedule.resize(entries);
    for (std::size_t j = 0; j < entries; ++j)
      flow_schedule[j] = static_cast<double>(graph.flow(arc_of[j])) / (problem.period_minutes * 1000.0);
    plan.shortfall = watt_hours((wanted - delivered + 59) / 60);
    return delivered == wanted;
  };
  auto report_infeasible = [&]() {
    plan.status = coordination_status::infeasible;
    plan.schedule = to_nested(flow_schedule);
    plan.certificate.primal_cost = cost_of(flow_schedule);
    plan.certificate.dual_bound = -std::numeric_limits<double>::infinity();
    return plan;
  };
  if (!each_ev_can_finish) {
    solve_flow();
    return report_infeasible();
  }

  // Total flexibility per period: bounds the curvature of the dual function in that period.
  std::vector<double> flexibility(periods, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (auto t = static_cast<std::size_t>(problem.evs[i].arrival);
         t < static_cast<std::size_t>(problem.evs[i].departure); ++t)
      flexibility[t] += 1.0 / weight[i];

  std::vector<double> lambda(periods, 0.0), query(periods, 0.0), next(periods, 0.0);
  for (std::size_t t = 0; t < options.initial_congestion_price.size(); ++t)
    lambda[t] = query[t] = std::max(0.0, options.initial_congestion_price[t]);

  std::vector<double> response(entries), repaired(entries), best_schedule, load(periods), gradient, a_values, scratch;
  std::vector<double> deficit(n), spare(periods);
  std::vector<std::size_t> period_order(periods), ev_order;
  double best_primal = std::numeric_limits<double>::infinity();
  double best_dual = -std::numeric_limits<double>::infinity();
  double previous_dual = -std::numeric_limits<double>::infinity();
  double momentum = 1.0;

  // Greedy repair of `z` in place; false when some EV's energy could not be restored.
  auto greedy_repair = [&](std::vector<double>& z) {
    std::fill(load.begin(), load.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto first = static_cast<std::size_t>(problem.evs[i].arrival);
      for (std::size_t j = offset[i]; j < offset[i + 1]; ++j) load[first + j - offset[i]] += z[j];
    }
    for (std::size_t t = 0; t < periods; ++t) {
      // Scaling a little below the margin keeps the scaled sum under it despite rounding.
      spare[t] = 1.0;
      if (load[t] > capacity[t]) spare[t] = capacity[t] / load[t] * (1.0 - 4 * std::numeric_limits<double>::epsilon());
    }
    ev_order.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const auto first = static_cast<std::size_t>(problem.evs[i].arrival);
      double got = 0.0;
      for (std::size_t j = offset[i]; j < offset[i + 1]; ++j) {
        z[j] *= spare[first + j - offset[i]];
        got += z[j];
      }
      deficit[i] = required[i] - got;
      if (deficit[i] > tol * (required[i] + 1.0)) ev_order.push_back(i);
    }
    if (ev_order.empty()) return true;
    std::fill(load.begin(), load.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto first = static_cast<std::size_t>(problem.evs[i].arrival);
      for (std::size_t j = offset[i]; j < offset[i + 1]; ++j) load[first + j - offset[i]] += z[j];
    }
    for (std::size_t t = 0; t < periods; ++t) spare[t] = std::max(0.0, capacity[t] - load[t]);
    std::iota(period_order.begin(), period_order.end(), std::size_t{0});
    std::sort(period_order.begin(), period_order.end(), [&](std::size_t a, std::size_t b) {
      const double pa = energy_price[a] + lambda[a], pb = energy_price[b] + lambda[b];
      return pa != pb ? pa < pb : a < b;
    });
    std::sort(ev_order.begin(), ev_order.end(), [&](std::size_t a, std::size_t b) {
      return problem.evs[a].departure != problem.evs[b].departure ? problem.evs[a].departure < problem.evs[b].departure
                                                                  : a < b;
    });
    bool complete = true;
    for (const std::size_t i : ev_order) {
      const auto first = static_cast<std::size_t>(problem.evs[i].arrival);
      const auto last = static_cast<std::size_t>(problem.evs[i].departure);
      for (const std::size_t t : period_order) {
        if (deficit[i] <= 0.0) break;
        if (t < first || t >= last) continue;
        double& x = z[offset[i] + (t - first)];
        const double add = std::min({deficit[i], cap[i] - x, spare[t]});
        if (add <= 0.0) continue;
        x += add;
        spare[t] -= add;
        deficit[i] -= add;
      }
      if (deficit[i] > tol * (required[i] + 1.0)) complete = false;
    }
    return complete;
  };

  std::int32_t iteration = 0;
  for (; iteration < options.max_iterations; ++iteration) {
    // 1. Every EV's exact best response to pi + query.
    std::fill(load.begin(), load.end(), 0.0);
    double lagrangian = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const auto first = static_cast<std::size_t>(problem.evs[i].arrival);
      const std::size_t m = offset[i + 1] - offset[i];
      a_values.resize(m);
      scratch.resize(m);
      for (std::size_t k = 0; k < m; ++k)
        a_values[k] = preferred[offset[i] + k] - (energy_price[first + k] + query[first + k]) / weight[i];
      std::span<double> x(response.data() + offset[i], m);
      detail::water_fill(a_values, cap[i], required[i], x, scratch);
      for (std::size_t k = 0; k < m; ++k) {
        const double deviation = x[k] - preferred[offset[i] + k];
        lagrangian +=
            hours * ((energy_price[first + k] + query[first + k]) * x[k] + 0.5 * weight[i] * deviation * deviation);
        load[first + k] += x[k];
      }
    }
    // 2. The dual value at `query` (>= 0) is a lower bound on the optimal cost.
    double dual = lagrangian;
    for (std::size_t t = 0; t < periods; ++t) dual -= hours * query[t] * capacity[t];
    if (dual > best_dual) {
      best_dual = dual;
      plan.congestion_price = query;
    }
    // 3. A feasible schedule from the responses.
    gradient = load;
    repaired = response;
    if (!greedy_repair(repaired)) {
      if (flow_schedule.empty() && !solve_flow()) return report_infeasible();
      // Blend with the flow schedule (which meets every energy and capacity) just enough to fit.
      if (flow_load.empty()) {
        flow_load.assign(periods, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
          const auto first = static_cast<std::size_t>(problem.evs[i].arrival);
          for (std::size_t j = offset[i]; j < offset[i + 1]; ++j) flow_load[first + j - offset[i]] += flow_schedule[j];
        }
      }
      double theta = 1.0;
      for (std::size_t t = 0; t < periods; ++t)
        if (gradient[t] > capacity[t] && gradient[t] > flow_load[t])
          theta = std::min(theta, (capacity[t] - flow_load[t]) / (gradient[t] - flow_load[t]));
      theta = std::clamp(theta, 0.0, 1.0);
      for (std::size_t j = 0; j < entries; ++j) repaired[j] = theta * response[j] + (1.0 - theta) * flow_schedule[j];
      if (!greedy_repair(repaired)) repaired = flow_schedule;
    }
    const double primal = cost_of(repaired);
    if (primal < best_primal) {
      best_primal = primal;
      best_schedule = repaired;
    }
    if (best_primal - best_dual <= options.target_gap * std::abs(best_primal)) {
      ++iteration;
      plan.status = coordination_status::within_gap;
      break;
    }
    // 4. Projected gradient step from `query`, then momentum (restarted when the dual fell).
    for (std::size_t t = 0; t < periods; ++t) {
      next[t] = flexibility[t] > 0.0 ? std::max(0.0, query[t] + (gradient[t] - capacity[t]) / flexibility[t]) : 0.0;
    }
    double following = (1.0 + std::sqrt(1.0 + 4.0 * momentum * momentum)) / 2.0;
    if (dual < previous_dual) following = momentum = 1.0;
    previous_dual = dual;
    const double beta = (momentum - 1.0) / following;
    for (std::size_t t = 0; t < periods; ++t) {
      query[t] = std::max(0.0, next[t] + beta * (next[t] - lambda[t]));
      lambda[t] = next[t];
    }
    momentum = following;
    plan.status = coordination_status::iteration_limit;
  }
  plan.iterations = iteration;
  plan.schedule = to_nested(best_schedule);
  plan.certificate.primal_cost = best_primal;
  plan.certificate.dual_bound = best_dual;
  plan.shortfall = energy::zero();
  return plan;
}

EVMARKET_END_NAMESPACE
