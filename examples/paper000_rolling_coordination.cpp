// Paper 000 (Xue et al.), section III: rolling price coordination of EV charging against the
// transformer's capacity margin, compared on one seeded day of 1,000 EVs over 48 half-hour
// periods with uncontrolled charging (full power on arrival), beta allocation alone and the quota
// market (beta allocation + call auction of the quotas).
// The paper prints no table for this method, so the example checks its own consistency (energy
// bookkeeping, the transformer limit, the certificates) and exits 1 if any check fails.
#include <evmarket/coordination/rolling.hpp>
#include <evmarket/market/charging_strategies.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace {

using namespace evmarket;

// A working day: offices fill in the morning, homes in the evening; the other load peaks at 18:00.
day_scenario seeded_day(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  day_scenario day;
  day.period_minutes = 30;
  day.transformer_rating = kilowatts(4800);
  std::normal_distribution<double> forecast_error(0.0, 0.04);
  for (int t = 0; t < 48; ++t) {
    const double hour = t / 2.0;
    const double base =
        2300 + 900 * std::exp(-std::pow((hour - 12.5) / 4.0, 2)) + 1500 * std::exp(-std::pow((hour - 18.5) / 2.0, 2));
    day.base_load.push_back(kilowatts(base));
    day.base_load_forecast.push_back(kilowatts(base * (1.0 + forecast_error(rng))));
    const double tariff = hour >= 7 && hour < 22 ? (hour >= 17 && hour < 21 ? 0.32 : 0.24) : 0.12;
    day.energy_price.push_back(tokens_per_kwh(tariff));
  }
  std::normal_distribution<double> office_arrival(16.5, 1.6), office_stay(17.0, 2.0), home_arrival(36.0, 2.5);
  std::uniform_real_distribution<double> wanted(5.0, 35.0), weight(0.02, 0.6);
  const double powers[] = {7.4, 11.0, 22.0};
  for (int i = 0; i < 1000; ++i) {
    fleet_ev ev;
    if (i % 5 < 3) {
      ev.arrival = std::clamp(static_cast<std::int32_t>(std::lround(office_arrival(rng))), 10, 24);
      ev.departure =
          std::clamp(ev.arrival + static_cast<std::int32_t>(std::lround(office_stay(rng))), ev.arrival + 6, 48);
    } else {
      ev.arrival = std::clamp(static_cast<std::int32_t>(std::lround(home_arrival(rng))), 30, 42);
      ev.departure = 48;
    }
    ev.max_power = kilowatts(powers[rng() % 3]);
    const double most = ev.max_power.display() * 0.5 * (ev.departure - ev.arrival);
    ev.needed = kilowatt_hours(std::min(wanted(rng), 0.9 * most));
    ev.discomfort = weight(rng);
    day.evs.push_back(ev);
  }
  return day;
}

int failures = 0;
void expect(bool condition, const char* what) {
  if (!condition) {
    std::printf("CHECK FAILED: %s\n", what);
    ++failures;
  }
}

void check_bookkeeping(const day_scenario& day, const day_metrics& m) {
  energy total = energy::zero();
  std::size_t met = 0;
  bool within = true;
  for (std::size_t i = 0; i < day.evs.size(); ++i) {
    within = within && !m.ev_delivered[i].is_negative() && m.ev_delivered[i] <= day.evs[i].needed;
    total += m.ev_delivered[i];
    met += m.ev_delivered[i] == day.evs[i].needed ? 1 : 0;
  }
  expect(within, "every EV receives between nothing and what it wanted");
  expect(total == m.delivered, "per-EV energy sums to the delivered total");
  expect(met == m.evs_met, "EVs met are counted consistently");
  power peak = power::zero();
  for (std::size_t t = 0; t < m.ev_load.size(); ++t) peak = std::max(peak, day.base_load[t] + m.ev_load[t]);
  expect(peak == m.peak_load, "peak load matches the period loads");
}

void print_row(const day_metrics& m) {
  std::printf("%-36s %9.0f %8.2f %7zu %8.1f %8.1f %11.2f %11.2f %11.2f\n", std::string(m.strategy).c_str(),
              m.peak_load.display(), 100.0 * m.energy_share(), m.evs_met, m.congestion_hours(), m.overload_hours(),
              m.energy_cost.display(), m.discomfort_cost, m.total_cost());
}

}  // namespace

int main() {
  const day_scenario day = seeded_day(20260000);
  uncontrolled_charging uncontrolled;
  rolling_price_coordination rolling;
  beta_allocation_charging beta;
  quota_market_charging<> quota;
  const day_metrics u = simulate_day(day, uncontrolled);
  const day_metrics r = simulate_day(day, rolling);
  const day_metrics b = simulate_day(day, beta);
  const day_metrics q = simulate_day(day, quota);

  std::printf("Paper 000, section III: one seeded day, %zu EVs, 48 half-hour periods, transformer %.0f kW\n",
              day.evs.size(), day.transformer_rating.display());
  std::printf("energy wanted %.1f kWh\n\n", u.needed.display());
  std::printf("%-36s %9s %8s %7s %8s %8s %11s %11s %11s\n", "strategy", "peak kW", "energy%", "EVs met", "cong. h",
              "over. h", "energy Tk", "discomf Tk", "total Tk");
  for (const day_metrics* m : {&u, &r, &b, &q}) print_row(*m);
  std::printf(
      "\nrolling: %d re-plans (%d found the rest of the day infeasible), worst certificate gap %.3f %%,\n"
      "         %d periods with must-charge floors above the margin\n",
      rolling.replans(), rolling.infeasible_replans(), 100.0 * rolling.worst_gap(), rolling.floor_curtailments());
  std::printf("quota market: %.1f kWh of quota traded in call auctions for %.2f Token\n", quota.traded().display(),
              quota.payments().display());
  std::printf(
      "(cong. h: hours at or above the rating; over. h: above it. Discomfort: deviation from full power on "
      "arrival.)\n\n");

  for (const day_metrics* m : {&u, &r, &b, &q}) check_bookkeeping(day, *m);
  expect(u.evs_met == day.evs.size(), "uncontrolled charging meets every EV (the windows allow it)");
  expect(u.overloaded_periods > 0, "the day is congested without coordination");
  expect(r.overloaded_periods == 0 && r.peak_load <= day.transformer_rating, "rolling coordination never overloads");
  expect(b.overloaded_periods == 0 && b.peak_load <= day.transformer_rating, "beta allocation never overloads");
  expect(q.overloaded_periods == 0 && q.peak_load <= day.transformer_rating, "the quota market never overloads");
  expect(r.delivered <= u.delivered && b.delivered <= u.delivered && q.delivered <= u.delivered,
         "no strategy delivers more than the EVs can take");
  expect(rolling.certificates_valid(), "every re-plan's dual bound lies below its cost");
  expect(rolling.worst_gap() <= 0.01 + 1e-12, "every feasible re-plan reached the 1 % gap");
  std::printf("%s\n", failures == 0 ? "All consistency checks passed." : "Consistency checks FAILED.");
  return failures == 0 ? 0 : 1;
}
