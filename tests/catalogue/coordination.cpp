// Catalogue rows for coordination/: bid curves and their clearing, the day-ahead dual-price
// method, and the rolling simulation.
#include "catalogue.hpp"

#include <bit>
#include <limits>
#include <tuple>

namespace {

using namespace evmarket;
using evmarket_catalogue::section;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

void bid_curve_rows(section& s) {
  const auto p = [](std::int64_t micro, std::int64_t w) { return bid_point{micro_tokens_per_kwh(micro), watts(w)}; };
  const std::string ctor = "bid_curve::bid_curve";
  s.call<bad_input>(ctor, "no breakpoints", "points", "[]", [] { (void)bid_curve(std::vector<bid_point>{}); });
  s.call<bad_input>(ctor, "negative price", "points[0].at", "-1", [=] { (void)bid_curve({p(-1, 5)}); });
  s.call<bad_input>(ctor, "negative power", "points[0].demand", "-5", [=] { (void)bid_curve({p(1, -5)}); });
  s.call<bad_input>(ctor, "prices descending", "points[1].at", "5", [=] { (void)bid_curve({p(10, 5), p(5, 3)}); });
  s.call<bad_input>(ctor, "power increasing", "points[2].demand", "9",
                    [=] { (void)bid_curve({p(0, 8), p(5, 3), p(9, 9)}); });
  s.call<bad_input>("bid_curve::linear", "floor above the cap", "cap", "2000",
                    [] { (void)bid_curve::linear(kilowatts(2), kilowatts(3), tokens_per_kwh(1)); });
  s.call<bad_input>("bid_curve::linear", "zero saturation price", "saturation", "0",
                    [] { (void)bid_curve::linear(kilowatts(3), kilowatts(1), price::zero()); });
  s.call<bad_input>("bid_curve::linear", "negative floor", "floor", "-1",
                    [] { (void)bid_curve::linear(kilowatts(3), watts(-1), tokens_per_kwh(1)); });
  s.call<bad_input>("bid_curve::must_charge", "negative demand", "points[0].demand", "-7",
                    [] { (void)bid_curve::must_charge(watts(-7)); });

  const auto curves = [](std::vector<bid_curve> c) { return [c] { return c; }; };
  const auto snap = [](const std::vector<bid_curve>& c) {
    std::vector<std::vector<bid_point>> out;
    for (const bid_curve& x : c) out.emplace_back(x.points().begin(), x.points().end());
    return out;
  };
  const auto clear = [](power margin) {
    return [margin](std::vector<bid_curve>& c) { (void)clear_bid_curves(c, margin); };
  };
  const auto two = std::vector<bid_curve>{bid_curve::linear(kilowatts(3), kilowatts(1), tokens_per_kwh(1)),
                                          bid_curve::must_charge(kilowatts(2))};
  s.on<bad_input>("clear_bid_curves", "negative margin", "margin", "-1000", curves(two), clear(kilowatts(-1)), snap,
                  "curves");
  s.on<bad_input>("clear_bid_curves", "no curves", "curves", "[]", curves({}), clear(kilowatts(1)), snap, "curves");
  s.on<overflow_error>("clear_bid_curves", "overflow: caps summing beyond 2^63 W", "power arithmetic",
                       "9223372036854775807 + 9223372036854775807",
                       curves({bid_curve::must_charge(power::max()), bid_curve::must_charge(power::max())}),
                       clear(kilowatts(1)), snap, "curves");
}

coordination_problem small_problem() {
  coordination_problem p;
  p.period_minutes = 30;
  p.energy_price = {tokens_per_kwh(0.2), tokens_per_kwh(0.3), tokens_per_kwh(0.1)};
  p.capacity = {kilowatts(10), kilowatts(10), kilowatts(10)};
  p.evs = {{0, 2, kilowatt_hours(3), kilowatts(7), 1.0, {}}, {1, 3, kilowatt_hours(2), kilowatts(3), 2.0, {}}};
  return p;
}

/// The problem as comparable values (the solver takes it by const reference; this proves it).
auto snapshot_problem(const coordination_problem& p) {
  std::vector<std::tuple<std::int32_t, std::int32_t, energy, power, std::uint64_t, std::vector<power>>> evs;
  for (const ev_charging_request& ev : p.evs)
    evs.emplace_back(ev.arrival, ev.departure, ev.needed, ev.max_power, std::bit_cast<std::uint64_t>(ev.discomfort),
                     ev.preferred);
  return std::tuple(p.period_minutes, p.energy_price, p.capacity, evs);
}

void day_ahead_rows(section& s) {
  const auto problem = [](void (*change)(coordination_problem&)) {
    return [change] {
      coordination_problem p = small_problem();
      change(p);
      return p;
    };
  };
  const auto solve = [](coordination_problem& p) { (void)solve_day_ahead(p); };
  const auto row = [&](std::string input, std::string field, std::string value, void (*change)(coordination_problem&)) {
    s.on<bad_input>("solve_day_ahead", std::move(input), std::move(field), std::move(value), problem(change), solve,
                    snapshot_problem, "problem");
  };
  row("zero period length", "period_minutes", "0", [](coordination_problem& p) { p.period_minutes = 0; });
  row("no periods", "capacity", "[]", [](coordination_problem& p) { p.capacity.clear(); });
  row("mismatched sizes: two prices for three periods", "energy_price.size()", "2",
      [](coordination_problem& p) { p.energy_price.pop_back(); });
  row("negative capacity", "capacity[1]", "-1", [](coordination_problem& p) { p.capacity[1] = watts(-1); });
  row("negative arrival", "evs[0].arrival", "-1", [](coordination_problem& p) { p.evs[0].arrival = -1; });
  row("departure before arrival", "evs[1].departure", "1", [](coordination_problem& p) { p.evs[1].departure = 1; });
  row("departure beyond the day", "evs[1].departure", "4", [](coordination_problem& p) { p.evs[1].departure = 4; });
  row("negative energy needed", "evs[0].needed", "-5", [](coordination_problem& p) { p.evs[0].needed = watt_hours(-5); });
  row("zero power limit", "evs[1].max_power", "0", [](coordination_problem& p) { p.evs[1].max_power = power::zero(); });
  row("NaN discomfort", "evs[0].discomfort", "NaN", [](coordination_problem& p) { p.evs[0].discomfort = nan; });
  row("infinite discomfort", "evs[1].discomfort", "+inf", [](coordination_problem& p) { p.evs[1].discomfort = inf; });
  row("mismatched sizes: preferred schedule of 3 for a window of 2", "evs[0].preferred.size()", "3",
      [](coordination_problem& p) { p.evs[0].preferred = {watts(1), watts(1), watts(1)}; });
  row("preferred power above the limit", "evs[1].preferred[1]", "4000",
      [](coordination_problem& p) { p.evs[1].preferred = {watts(1), watts(4000)}; });
  const auto with_options = [&](std::string input, std::string field, std::string value, dual_price_options o) {
    s.on<bad_input>("solve_day_ahead", std::move(input), std::move(field), std::move(value), small_problem,
                    [o](coordination_problem& p) { (void)solve_day_ahead(p, o); }, snapshot_problem, "problem");
  };
  dual_price_options o;
  o.target_gap = nan;
  with_options("NaN target gap", "options.target_gap", "NaN", o);
  o.target_gap = -0.01;
  with_options("negative target gap", "options.target_gap", "-0.01", o);
  o = dual_price_options{};
  o.max_iterations = 0;
  with_options("zero iterations", "options.max_iterations", "0", o);
  o = dual_price_options{};
  o.initial_congestion_price = {0, 0};
  with_options("mismatched sizes: two initial prices for three periods", "options.initial_congestion_price.size()",
               "2", o);
  o.initial_congestion_price = {0, 0, nan};
  with_options("NaN initial price", "options.initial_congestion_price[2]", "NaN", o);

  const auto cost = [](std::vector<std::vector<double>> schedule) {
    return [schedule](coordination_problem& p) { (void)coordination_cost(p, schedule); };
  };
  s.on<bad_input>("coordination_cost", "mismatched sizes: one schedule for two EVs", "schedule.size()", "1",
                  small_problem, cost({{1, 1}}), snapshot_problem, "problem");
  s.on<bad_input>("coordination_cost", "mismatched sizes: a window of 3 for 2 periods", "schedule[0].size()", "3",
                  small_problem, cost({{1, 1, 1}, {1, 1}}), snapshot_problem, "problem");
  s.on<bad_input>("coordination_cost", "a problem with prices missing", "energy_price.size()", "0",
                  problem([](coordination_problem& p) { p.energy_price.clear(); }), cost({{1, 1}, {1, 1}}),
                  snapshot_problem, "problem");
  s.on<bad_input>("coordination_cost", "a window beyond the day", "evs[1].departure", "9",
                  problem([](coordination_problem& p) { p.evs[1].departure = 9; }), cost({{1, 1}, std::vector<double>(8, 1)}),
                  snapshot_problem, "problem");
}

day_scenario small_day() {
  day_scenario d;
  d.period_minutes = 30;
  d.transformer_rating = kilowatts(50);
  d.base_load = {kilowatts(20), kilowatts(25), kilowatts(30), kilowatts(20)};
  d.base_load_forecast = d.base_load;
  d.energy_price = {tokens_per_kwh(0.2), tokens_per_kwh(0.3), tokens_per_kwh(0.25), tokens_per_kwh(0.1)};
  d.evs = {{0, 3, kilowatt_hours(4), kilowatts(7), 1.0}, {1, 4, kilowatt_hours(3), kilowatts(3), 2.0}};
  return d;
}

void rolling_rows(section& s) {
  const auto day = [](void (*change)(day_scenario&)) {
    return [change] {
      day_scenario d = small_day();
      change(d);
      return d;
    };
  };
  const auto snap = [](const day_scenario& d) {
    std::vector<std::tuple<std::int32_t, std::int32_t, energy, power, std::uint64_t>> evs;
    for (const fleet_ev& ev : d.evs)
      evs.emplace_back(ev.arrival, ev.departure, ev.needed, ev.max_power, std::bit_cast<std::uint64_t>(ev.discomfort));
    return std::tuple(d.period_minutes, d.transformer_rating, d.base_load, d.base_load_forecast, d.energy_price, evs);
  };
  const auto simulate = [](day_scenario& d) {
    uncontrolled_charging strategy;
    (void)simulate_day(d, strategy);
  };
  const auto row = [&](std::string input, std::string field, std::string value, void (*change)(day_scenario&)) {
    s.on<bad_input>("simulate_day", std::move(input), std::move(field), std::move(value), day(change), simulate, snap,
                    "scenario");
  };
  row("zero period length", "period_minutes", "0", [](day_scenario& d) { d.period_minutes = 0; });
  row("zero transformer rating", "transformer_rating", "0", [](day_scenario& d) { d.transformer_rating = power::zero(); });
  row("no periods", "base_load", "[]", [](day_scenario& d) { d.base_load.clear(); });
  row("mismatched sizes: forecast of 3 periods for 4", "base_load_forecast.size()", "3",
      [](day_scenario& d) { d.base_load_forecast.pop_back(); });
  row("mismatched sizes: 5 prices for 4 periods", "energy_price.size()", "5",
      [](day_scenario& d) { d.energy_price.push_back(tokens_per_kwh(1)); });
  row("negative base load", "base_load[2]", "-1", [](day_scenario& d) { d.base_load[2] = watts(-1); });
  row("negative forecast", "base_load_forecast[0]", "-3", [](day_scenario& d) { d.base_load_forecast[0] = watts(-3); });
  row("arrival after the day", "evs[0].arrival", "4", [](day_scenario& d) { d.evs[0].arrival = 4; });
  row("departure at arrival", "evs[1].departure", "1", [](day_scenario& d) { d.evs[1].departure = 1; });
  row("negative energy needed", "evs[1].needed", "-1", [](day_scenario& d) { d.evs[1].needed = watt_hours(-1); });
  row("negative power limit", "evs[0].max_power", "-7000", [](day_scenario& d) { d.evs[0].max_power = watts(-7000); });
  row("zero discomfort", "evs[0].discomfort", "0", [](day_scenario& d) { d.evs[0].discomfort = 0; });

  s.call<bad_input>("rolling_price_coordination::rolling_price_coordination", "NaN target gap", "target_gap", "NaN",
                    [] {
                      rolling_options o;
                      o.target_gap = nan;
                      (void)rolling_price_coordination(o);
                    });
  s.call<bad_input>("rolling_price_coordination::rolling_price_coordination", "zero iterations", "max_iterations", "0",
                    [] {
                      rolling_options o;
                      o.max_iterations = 0;
                      (void)rolling_price_coordination(o);
                    });
  s.call<bad_input>("rolling_price_coordination::rolling_price_coordination", "zero flexibility slack",
                    "full_flexibility_slack", "0",
                    [] {
                      rolling_options o;
                      o.full_flexibility_slack = 0;
                      (void)rolling_price_coordination(o);
                    });
  s.call<bad_input>("quota_market_charging::quota_market_charging", "zero urgent bid", "urgent_bid", "0",
                    [] { (void)quota_market_charging<>(price::zero()); });
  const fleet_ev ev{2, 6, kilowatt_hours(4), kilowatts(7), 1.0};
  s.call<bad_input>("charging_need_of", "a period before the arrival", "period", "1",
                    [ev] { (void)charging_need_of(ev, kilowatt_hours(1), 1, 30); });
  s.call<bad_input>("charging_need_of", "a period at the departure", "period", "6",
                    [ev] { (void)charging_need_of(ev, kilowatt_hours(1), 6, 30); });
  s.call<bad_input>("charging_need_of", "zero-minute periods", "minutes", "0",
                    [ev] { (void)charging_need_of(ev, kilowatt_hours(1), 3, 0); });
}

const bool registered = evmarket_catalogue::add_section(90, "coordination", [](section& s) {
  bid_curve_rows(s);
  day_ahead_rows(s);
  rolling_rows(s);
});

}  // namespace
