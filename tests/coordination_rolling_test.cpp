// Rolling price coordination over a simulated day (paper 000, section III), compared with
// uncontrolled charging and the quota market on the same day.
#include <evmarket/coordination/rolling.hpp>
#include <evmarket/market/charging_strategies.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using namespace evmarket;

namespace {

day_scenario random_day(std::uint64_t seed, std::size_t evs, std::int32_t periods, double rating_kw) {
  std::mt19937_64 rng(seed);
  day_scenario day;
  day.transformer_rating = kilowatts(rating_kw);
  for (std::int32_t t = 0; t < periods; ++t) {
    const double base = rating_kw * (0.35 + 0.2 * std::sin(t * 0.5));
    day.base_load.push_back(kilowatts(base * (1.0 + 0.05 * std::sin(t * 1.7))));
    day.base_load_forecast.push_back(kilowatts(base));
    day.energy_price.push_back(tokens_per_kwh(0.2 + 0.05 * std::cos(t * 0.4)));
  }
  const double powers[] = {3.7, 7.4, 11.0};
  for (std::size_t i = 0; i < evs; ++i) {
    fleet_ev ev;
    ev.arrival = static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(periods / 2));
    ev.departure =
        std::min(periods, ev.arrival + 2 + static_cast<std::int32_t>(rng() % static_cast<std::uint64_t>(periods / 2)));
    ev.max_power = kilowatts(powers[rng() % 3]);
    const double most = ev.max_power.display() * 0.5 * (ev.departure - ev.arrival);
    ev.needed = kilowatt_hours(most * static_cast<double>(rng() % 90 + 5) / 100.0);
    ev.discomfort = 0.05 + static_cast<double>(rng() % 100) / 100.0;
    day.evs.push_back(ev);
  }
  return day;
}

void check_bookkeeping(const day_scenario& day, const day_metrics& m) {
  energy delivered = energy::zero();
  std::size_t met = 0;
  for (std::size_t i = 0; i < day.evs.size(); ++i) {
    CHECK(m.ev_delivered[i] <= day.evs[i].needed);
    CHECK_FALSE(m.ev_delivered[i].is_negative());
    delivered += m.ev_delivered[i];
    if (m.ev_delivered[i] == day.evs[i].needed) ++met;
  }
  CHECK(delivered == m.delivered);
  CHECK(met == m.evs_met);
  power peak = power::zero();
  std::int32_t congested = 0, overloaded = 0;
  for (std::size_t t = 0; t < m.ev_load.size(); ++t) {
    const power total = day.base_load[t] + m.ev_load[t];
    peak = std::max(peak, total);
    congested += total >= day.transformer_rating ? 1 : 0;
    overloaded += total > day.transformer_rating ? 1 : 0;
  }
  CHECK(peak == m.peak_load);
  CHECK(congested == m.congested_periods);
  CHECK(overloaded == m.overloaded_periods);
  // Energy never exceeds what the period loads can carry (each period's energy is rounded down).
  std::int64_t carried = 0;
  for (const power p : m.ev_load) carried += energy_over(p, day.period_minutes, rounding::down).base();
  CHECK(delivered.base() <=
        carried + static_cast<std::int64_t>(day.evs.size()) * static_cast<std::int64_t>(m.ev_load.size()));
}

// A strategy that answers with one power too many.
struct wrong_size {
  static constexpr std::string_view name = "wrong";
  std::vector<power> dispatch(const period_state& state) {
    return std::vector<power>(state.present.size() + 1, watts(1));
  }
};

}  // namespace

TEST_CASE("forecasts converge from the day-ahead value to the actual one") {
  day_scenario day;
  day.base_load = {kilowatts(10), kilowatts(20), kilowatts(30)};
  day.base_load_forecast = {kilowatts(14), kilowatts(28), kilowatts(18)};
  CHECK(updated_forecast(day, 0, 0, 4) == kilowatts(10));
  CHECK(updated_forecast(day, 0, 1, 4) == kilowatts(22));  // 20 + 8 * 1/4
  CHECK(updated_forecast(day, 0, 2, 4) == kilowatts(24));  // 30 - 12 * 2/4
  CHECK(updated_forecast(day, 0, 2, 2) == kilowatts(18));
  CHECK(updated_forecast(day, 2, 2, 2) == kilowatts(30));
}

TEST_CASE("an EV's bid steepens to must-charge as departure approaches") {
  // 11 kW, leaves at period 10, still needs 22 kWh (4 periods at full power).
  const fleet_ev ev{0, 10, kilowatt_hours(22), kilowatts(11), 0.5};
  double previous_slope = std::numeric_limits<double>::infinity();
  for (std::int32_t k = 0; k <= 6; ++k) {
    CAPTURE(k);
    const charging_need need = charging_need_of(ev, kilowatt_hours(22), k, 30);
    CHECK(need.cap == kilowatts(11));
    CHECK(need.slack_periods == doctest::Approx(6.0 - k));
    // Full power later covers 22 kWh while at least 4 later periods remain (k <= 5).
    CHECK(need.floor == (k <= 5 ? power::zero() : kilowatts(11)));
    const bid_curve bid = rolling_bid(ev, need, kilowatts(8), 4.0);
    if (k == 6) {
      CHECK(bid.points().size() == 1);  // vertical: must charge whatever the price
      CHECK(bid.floor() == kilowatts(11));
      continue;
    }
    REQUIRE(bid.points().size() == 2);
    CHECK(bid.cap() == kilowatts(8));
    const double slope = (bid.cap() - bid.floor()).display() / bid.points()[1].at.display();  // kW per Token/kWh
    // Full flexibility 1 / 0.5 = 2 kW per Token/kWh while 4 or more periods of slack remain.
    CHECK(slope == doctest::Approx(2.0 * std::min(1.0, (6.0 - k) / 4.0)).epsilon(1e-5));
    CHECK(slope <= previous_slope);
    previous_slope = slope;
  }
  CHECK_THROWS_AS((void)charging_need_of(ev, kilowatt_hours(1), 10, 30), bad_input);
}

TEST_CASE("ample capacity and flat prices: coordination charges like uncontrolled") {
  day_scenario day = random_day(3, 40, 16, 2000);
  std::fill(day.energy_price.begin(), day.energy_price.end(), tokens_per_kwh(0.25));
  uncontrolled_charging uncontrolled;
  rolling_price_coordination rolling;
  const day_metrics a = simulate_day(day, uncontrolled);
  const day_metrics b = simulate_day(day, rolling);
  CHECK(a.ev_delivered == b.ev_delivered);
  CHECK(a.evs_met == day.evs.size());
  CHECK(b.evs_met == day.evs.size());
  CHECK(b.discomfort_cost == doctest::Approx(0.0).epsilon(1e-9).scale(1.0));
  for (std::size_t t = 0; t < a.ev_load.size(); ++t)
    CHECK(std::llabs(a.ev_load[t].base() - b.ev_load[t].base()) <= static_cast<std::int64_t>(day.evs.size()));
  CHECK(rolling.certificates_valid());
  CHECK(rolling.infeasible_replans() == 0);
}

TEST_CASE("a congested day: coordination respects the transformer and shifts load") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    CAPTURE(seed);
    const day_scenario day = random_day(seed, 60, 16, 220);
    uncontrolled_charging uncontrolled;
    rolling_price_coordination rolling;
    beta_allocation_charging beta;
    quota_market_charging<> market;
    const day_metrics u = simulate_day(day, uncontrolled);
    const day_metrics r = simulate_day(day, rolling);
    const day_metrics q = simulate_day(day, beta);
    const day_metrics m = simulate_day(day, market);
    check_bookkeeping(day, u);
    check_bookkeeping(day, r);
    check_bookkeeping(day, q);
    check_bookkeeping(day, m);
    CHECK(u.overloaded_periods > 0);  // the scenario is congested when nobody coordinates
    CHECK(r.overloaded_periods == 0);
    CHECK(q.overloaded_periods == 0);
    CHECK(m.overloaded_periods == 0);
    CHECK(m.delivered <= u.delivered);
    // Trading quota to EVs about to leave short never meets fewer EVs than beta sharing alone on
    // these days, and it does trade.
    CHECK(m.evs_met >= q.evs_met);
    CHECK(market.traded().is_positive());
    CHECK(r.peak_load <= day.transformer_rating);
    CHECK(r.peak_load < u.peak_load);
    // Full power on arrival delivers everything the windows allow, so nobody beats it on energy.
    CHECK(u.evs_met == day.evs.size());
    CHECK(r.delivered <= u.delivered);
    CHECK(q.delivered <= u.delivered);
    CHECK(rolling.certificates_valid());
    CHECK(rolling.replans() > 0);
    CHECK(rolling.worst_gap() <= 0.01 + 1e-12);
    // Looking ahead lets the coordinated EVs use quiet periods: it meets at least as many EVs as
    // beta sharing on these days.
    CHECK(r.evs_met >= q.evs_met);
  }
}

TEST_CASE("near departure the bid becomes must-charge and is served first") {
  // Two EVs share a 10 kW margin in period 0. EV 0 must charge 10 kW now (it leaves after this
  // period); EV 1 is flexible for the rest of the day.
  day_scenario day;
  day.transformer_rating = kilowatts(10);
  day.base_load.assign(4, power::zero());
  day.base_load_forecast.assign(4, power::zero());
  day.energy_price.assign(4, tokens_per_kwh(0.2));
  day.evs.push_back({0, 1, kilowatt_hours(5), kilowatts(10), 1.0});
  day.evs.push_back({0, 4, kilowatt_hours(10), kilowatts(10), 1.0});
  rolling_price_coordination rolling;
  const day_metrics r = simulate_day(day, rolling);
  CHECK(r.ev_delivered[0] == kilowatt_hours(5));
  CHECK(r.ev_delivered[1] == kilowatt_hours(10));
  CHECK(r.evs_met == 2);
  CHECK(r.ev_load[0] == kilowatts(10));
  // Beta alone shares period 0 equally: EV 0 gets only half and leaves short.
  beta_allocation_charging beta;
  const day_metrics q = simulate_day(day, beta);
  CHECK(q.ev_delivered[0] == kilowatt_hours(2.5));
  CHECK(q.evs_met == 1);
  // In the quota market EV 0 buys EV 1's 5 kW at the call auction (uniform price: the midpoint
  // of the urgent bid, 5 Token/kWh, and EV 1's offer at its marginal discomfort 1 * (10 - 5) = 5).
  quota_market_charging<> market;
  const day_metrics m = simulate_day(day, market);
  CHECK(m.ev_delivered[0] == kilowatt_hours(5));
  CHECK(m.evs_met == 2);
  CHECK(market.traded() == kilowatt_hours(2.5));
  CHECK(market.payments() == tokens(12.5));
}

TEST_CASE("floors above the margin are curtailed by beta, never overloading") {
  day_scenario day;
  day.transformer_rating = kilowatts(8);
  day.base_load.assign(2, power::zero());
  day.base_load_forecast.assign(2, power::zero());
  day.energy_price.assign(2, tokens_per_kwh(0.2));
  day.evs.push_back({0, 1, kilowatt_hours(3), kilowatts(6), 1.0});
  day.evs.push_back({0, 1, kilowatt_hours(3), kilowatts(6), 1.0});
  rolling_price_coordination rolling;
  const day_metrics r = simulate_day(day, rolling);
  CHECK(r.ev_load[0] == kilowatts(8));
  CHECK(r.ev_delivered[0] == kilowatt_hours(2));
  CHECK(r.ev_delivered[1] == kilowatt_hours(2));
  CHECK(rolling.floor_curtailments() == 1);
  CHECK(rolling.infeasible_replans() == 1);
  CHECK(r.overloaded_periods == 0);
}

TEST_CASE("bad input gives a typed error naming the field") {
  day_scenario day = random_day(1, 5, 8, 100);
  uncontrolled_charging strategy;
  auto expect_field = [&](const day_scenario& d, const char* field) {
    try {
      (void)simulate_day(d, strategy);
      FAIL("accepted");
    } catch (const bad_input& e) {
      CHECK(e.field() == field);
    }
  };
  day_scenario bad = day;
  bad.evs[2].departure = bad.evs[2].arrival;
  expect_field(bad, "evs[2].departure");
  bad = day;
  bad.evs[1].max_power = watts(-3);
  expect_field(bad, "evs[1].max_power");
  bad = day;
  bad.base_load_forecast.pop_back();
  expect_field(bad, "base_load_forecast.size()");
  bad = day;
  bad.transformer_rating = watts(0);
  expect_field(bad, "transformer_rating");
  bad = day;
  bad.base_load[3] = watts(-1);
  expect_field(bad, "base_load[3]");

  wrong_size broken;
  CHECK_THROWS_AS((void)simulate_day(day, broken), bad_input);
  rolling_options options;
  options.max_iterations = 0;
  CHECK_THROWS_AS(rolling_price_coordination(options), bad_input);
}
