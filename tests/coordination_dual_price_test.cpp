// Day-ahead coordination by congestion prices (paper 000, section III): exact best responses,
// price updates, and the certificate that comes with every answer.
#include <evmarket/coordination/dual_price.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

using namespace evmarket;

namespace {

constexpr double hours = 0.5;

// Exact oracle for small instances: the optimum of the strictly convex QP lies on one "face"
// (each variable at 0, at its limit or free; each capacity tight or not). On a face the problem
// is an equality-constrained QP, solved from its KKT system by Gaussian elimination; the optimum
// is the cheapest face solution that is feasible. Exponential, so only for a handful of variables.
struct oracle_result {
  bool feasible = false;
  double cost = std::numeric_limits<double>::infinity();
};

bool solve_linear(std::vector<std::vector<double>> a, std::vector<double> b, std::vector<double>& x) {
  const std::size_t n = b.size();
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < n; ++r)
      if (std::fabs(a[r][c]) > std::fabs(a[pivot][c])) pivot = r;
    if (std::fabs(a[pivot][c]) < 1e-10) return false;
    std::swap(a[c], a[pivot]);
    std::swap(b[c], b[pivot]);
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c) continue;
      const double f = a[r][c] / a[c][c];
      if (f == 0.0) continue;
      for (std::size_t k = c; k < n; ++k) a[r][k] -= f * a[c][k];
      b[r] -= f * b[c];
    }
  }
  x.resize(n);
  for (std::size_t c = 0; c < n; ++c) x[c] = b[c] / a[c][c];
  return true;
}

oracle_result exact_optimum(const coordination_problem& problem) {
  struct variable {
    std::size_t ev, period;
    double cap, preferred, weight, price;
  };
  std::vector<variable> vars;
  for (std::size_t i = 0; i < problem.evs.size(); ++i) {
    const auto& ev = problem.evs[i];
    for (auto t = ev.arrival; t < ev.departure; ++t) {
      const double preferred = ev.preferred[static_cast<std::size_t>(t - ev.arrival)].display();
      vars.push_back({i, static_cast<std::size_t>(t), ev.max_power.display(), preferred, ev.discomfort,
                      problem.energy_price[static_cast<std::size_t>(t)].display()});
    }
  }
  const std::size_t nv = vars.size(), periods = problem.capacity.size(), nev = problem.evs.size();
  std::size_t faces = 1;
  for (std::size_t j = 0; j < nv; ++j) faces *= 3;
  oracle_result best;
  for (std::size_t face = 0; face < faces; ++face) {
    std::vector<int> state(nv);
    for (std::size_t j = 0, code = face; j < nv; ++j, code /= 3)
      state[j] = static_cast<int>(code % 3);  // 0 free, 1 zero, 2 cap
    // A face whose fixed powers already break an EV's energy or a period's capacity holds no
    // feasible point: skip it before any linear algebra.
    {
      std::vector<double> fixed_energy(nev, 0.0), fixed_load(periods, 0.0), free_room(nev, 0.0);
      for (std::size_t j = 0; j < nv; ++j) {
        if (state[j] == 2) {
          fixed_energy[vars[j].ev] += vars[j].cap;
          fixed_load[vars[j].period] += vars[j].cap;
        }
        if (state[j] == 0) free_room[vars[j].ev] += vars[j].cap;
      }
      bool possible = true;
      for (std::size_t i = 0; i < nev; ++i) {
        const double need = problem.evs[i].needed.display() / hours;
        possible = possible && fixed_energy[i] <= need + 1e-9 && fixed_energy[i] + free_room[i] >= need - 1e-9;
      }
      for (std::size_t t = 0; t < periods; ++t)
        possible = possible && fixed_load[t] <= problem.capacity[t].display() + 1e-9;
      if (!possible) continue;
    }
    for (std::size_t tight = 0; tight < (std::size_t{1} << periods); ++tight) {
      std::vector<std::size_t> free_vars;
      for (std::size_t j = 0; j < nv; ++j)
        if (state[j] == 0) free_vars.push_back(j);
      // Constraint rows: one per EV (energy), one per tight period (capacity).
      std::vector<std::vector<double>> rows;
      std::vector<double> rhs;
      for (std::size_t i = 0; i < nev; ++i) {
        std::vector<double> row(nv, 0.0);
        double fixed = 0.0;
        for (std::size_t j = 0; j < nv; ++j)
          if (vars[j].ev == i) {
            if (state[j] == 0) row[j] = 1.0;
            if (state[j] == 2) fixed += vars[j].cap;
          }
        rows.push_back(row);
        rhs.push_back(problem.evs[i].needed.display() / hours - fixed);
      }
      for (std::size_t t = 0; t < periods; ++t) {
        if (!(tight >> t & 1)) continue;
        std::vector<double> row(nv, 0.0);
        double fixed = 0.0;
        for (std::size_t j = 0; j < nv; ++j)
          if (vars[j].period == t) {
            if (state[j] == 0) row[j] = 1.0;
            if (state[j] == 2) fixed += vars[j].cap;
          }
        rows.push_back(row);
        rhs.push_back(problem.capacity[t].display() - fixed);
      }
      const std::size_t nf = free_vars.size(), nc = rows.size();
      std::vector<std::vector<double>> kkt(nf + nc, std::vector<double>(nf + nc, 0.0));
      std::vector<double> b(nf + nc, 0.0);
      for (std::size_t f = 0; f < nf; ++f) {
        const variable& v = vars[free_vars[f]];
        kkt[f][f] = hours * v.weight;
        b[f] = hours * (v.weight * v.preferred - v.price);
        for (std::size_t c = 0; c < nc; ++c) kkt[f][nf + c] = kkt[nf + c][f] = rows[c][free_vars[f]];
      }
      for (std::size_t c = 0; c < nc; ++c) b[nf + c] = rhs[c];
      std::vector<double> solution;
      if (!solve_linear(kkt, b, solution)) continue;
      std::vector<double> x(nv);
      for (std::size_t j = 0; j < nv; ++j) x[j] = state[j] == 2 ? vars[j].cap : 0.0;
      for (std::size_t f = 0; f < nf; ++f) x[free_vars[f]] = solution[f];
      bool ok = true;
      std::vector<double> energy(nev, 0.0), load(periods, 0.0);
      for (std::size_t j = 0; j < nv; ++j) {
        ok = ok && x[j] >= -1e-9 && x[j] <= vars[j].cap + 1e-9;
        energy[vars[j].ev] += x[j];
        load[vars[j].period] += x[j];
      }
      for (std::size_t i = 0; i < nev; ++i)
        ok = ok && std::fabs(energy[i] - problem.evs[i].needed.display() / hours) < 1e-7;
      for (std::size_t t = 0; t < periods; ++t) ok = ok && load[t] <= problem.capacity[t].display() + 1e-9;
      if (!ok) continue;
      double cost = 0.0;
      for (std::size_t j = 0; j < nv; ++j)
        cost += hours *
                (vars[j].price * x[j] + 0.5 * vars[j].weight * (x[j] - vars[j].preferred) * (x[j] - vars[j].preferred));
      best.feasible = true;
      best.cost = std::min(best.cost, cost);
    }
  }
  return best;
}

// Maximum deliverable energy (watt-minutes) by the min-cut formula over all period subsets S:
// capacity of S plus what each EV can take outside S.
std::int64_t max_deliverable(const coordination_problem& problem) {
  const std::size_t periods = problem.capacity.size();
  std::int64_t best = std::numeric_limits<std::int64_t>::max();
  for (std::size_t s = 0; s < (std::size_t{1} << periods); ++s) {
    std::int64_t cut = 0;
    for (std::size_t t = 0; t < periods; ++t)
      if (s >> t & 1) cut += problem.capacity[t].base() * problem.period_minutes;
    for (const auto& ev : problem.evs) {
      std::int64_t outside = 0;
      for (auto t = ev.arrival; t < ev.departure; ++t)
        if (!(s >> t & 1)) ++outside;
      cut += std::min(ev.needed.base() * 60, ev.max_power.base() * problem.period_minutes * outside);
    }
    best = std::min(best, cut);
  }
  return best;
}

coordination_problem random_problem(std::mt19937_64& rng, std::size_t periods, std::size_t evs, std::size_t max_vars) {
  coordination_problem problem;
  for (std::size_t t = 0; t < periods; ++t) {
    problem.energy_price.push_back(micro_tokens_per_kwh(static_cast<std::int64_t>(rng() % 400'000) + 50'000));
    problem.capacity.push_back(watts(static_cast<std::int64_t>(rng() % 20'000)));
  }
  std::size_t vars = 0;
  for (std::size_t i = 0; i < evs; ++i) {
    ev_charging_request ev;
    ev.arrival = static_cast<std::int32_t>(rng() % periods);
    ev.departure = ev.arrival + 1 + static_cast<std::int32_t>(rng() % (periods - static_cast<std::size_t>(ev.arrival)));
    const std::size_t window = static_cast<std::size_t>(ev.departure - ev.arrival);
    if (vars + window > max_vars) break;
    vars += window;
    ev.max_power = watts(2000 + static_cast<std::int64_t>(rng() % 10'000));
    ev.needed = watt_hours(static_cast<std::int64_t>(
        rng() % static_cast<std::uint64_t>(ev.max_power.base() / 2 * static_cast<std::int64_t>(window) + 1)));
    ev.discomfort = 0.01 + static_cast<double>(rng() % 1000) / 1000.0;
    for (std::size_t k = 0; k < window; ++k)
      ev.preferred.push_back(
          watts(static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(ev.max_power.base() + 1))));
    problem.evs.push_back(ev);
  }
  return problem;
}

void check_schedule_feasible(const coordination_problem& problem, const coordination_plan& plan, bool energy_met) {
  const double tol = 1e-7;
  std::vector<double> load(problem.capacity.size(), 0.0);
  REQUIRE(plan.schedule.size() == problem.evs.size());
  for (std::size_t i = 0; i < problem.evs.size(); ++i) {
    const auto& ev = problem.evs[i];
    REQUIRE(plan.schedule[i].size() == static_cast<std::size_t>(ev.departure - ev.arrival));
    double energy = 0.0;
    for (std::size_t k = 0; k < plan.schedule[i].size(); ++k) {
      const double x = plan.schedule[i][k];
      CHECK(x >= -tol);
      CHECK(x <= ev.max_power.display() + tol);
      energy += hours * x;
      load[static_cast<std::size_t>(ev.arrival) + k] += x;
    }
    if (energy_met) CHECK(energy == doctest::Approx(ev.needed.display()).epsilon(1e-7).scale(1.0));
    CHECK(energy <= ev.needed.display() + tol);
  }
  for (std::size_t t = 0; t < load.size(); ++t) CHECK(load[t] <= problem.capacity[t].display() + tol);
}

}  // namespace

TEST_CASE("water-filling is the exact best response") {
  // Three periods, cap 4 kW, a = (3, 1, -2), total 6: the level mu = 1.5 gives (4, 2.5, 0) -> 6.5;
  // mu = 1 gives (4, 2, 0) = 6.
  const std::vector<double> a{3, 1, -2};
  std::vector<double> x(3), scratch(3);
  detail::water_fill(a, 4.0, 6.0, x, scratch);
  CHECK(x[0] == doctest::Approx(4.0));
  CHECK(x[1] == doctest::Approx(2.0));
  CHECK(x[2] == doctest::Approx(0.0));
  // Random: the sum is met, and the level is unique (a brute-force bisection agrees).
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 500; ++trial) {
    const std::size_t m = 1 + rng() % 48;
    std::vector<double> values(m), out(m), tmp(m);
    for (auto& v : values) v = static_cast<double>(static_cast<std::int64_t>(rng() % 2001) - 1000) / 100.0;
    const double cap = 0.5 + static_cast<double>(rng() % 100) / 10.0;
    const double total = static_cast<double>(rng() % 1001) / 1000.0 * cap * static_cast<double>(m);
    detail::water_fill(values, cap, total, out, tmp);
    double sum = 0.0;
    for (double v : out) sum += v;
    CHECK(sum == doctest::Approx(total).epsilon(1e-9).scale(1.0));
    double lo = -1e4, hi = 1e4;
    for (int s = 0; s < 200; ++s) {
      const double mid = (lo + hi) / 2;
      double f = 0.0;
      for (double v : values) f += std::clamp(v + mid, 0.0, cap);
      (f < total ? lo : hi) = mid;
    }
    for (std::size_t t = 0; t < m; ++t)
      CHECK(out[t] == doctest::Approx(std::clamp(values[t] + hi, 0.0, cap)).epsilon(1e-7).scale(1.0));
  }
}

TEST_CASE("an uncongested day: every EV gets its preferred schedule at once") {
  coordination_problem problem;
  problem.energy_price.assign(4, tokens_per_kwh(0.2));
  problem.capacity.assign(4, kilowatts(100));
  problem.evs.push_back({0, 4, kilowatt_hours(8), kilowatts(11), 1.0, {}});
  problem.evs.push_back({1, 3, kilowatt_hours(5), kilowatts(7), 2.0, {}});
  const coordination_plan plan = solve_day_ahead(problem);
  CHECK(plan.status == coordination_status::within_gap);
  CHECK(plan.iterations == 1);
  // Preferred: as soon as possible at full power. A uniform energy price does not move it.
  CHECK(plan.schedule[0][0] == doctest::Approx(11.0));
  CHECK(plan.schedule[0][1] == doctest::Approx(5.0));
  CHECK(plan.schedule[1][0] == doctest::Approx(7.0));
  CHECK(plan.schedule[1][1] == doctest::Approx(3.0));
  CHECK(plan.certificate.dual_bound == doctest::Approx(plan.certificate.primal_cost));
  CHECK(plan.certificate.primal_cost == doctest::Approx(coordination_cost(problem, plan.schedule)));
}

TEST_CASE("congestion: the price moves charging to the later period") {
  // One EV wanting 10 kWh as fast as possible at 10 kW over two half hours, capacity 12 kW then
  // 20 kW; plus a second identical EV. Unconstrained both draw 10 kW in both periods (20 kW), so
  // the first period is 8 kW over its margin and a congestion price must appear there.
  coordination_problem problem;
  problem.energy_price.assign(3, tokens_per_kwh(0.3));
  problem.capacity = {kilowatts(12), kilowatts(20), kilowatts(20)};
  problem.evs.push_back({0, 3, kilowatt_hours(10), kilowatts(10), 1.0, {}});
  problem.evs.push_back({0, 3, kilowatt_hours(10), kilowatts(10), 1.0, {}});
  dual_price_options options;
  options.target_gap = 1e-6;
  const coordination_plan plan = solve_day_ahead(problem, options);
  CHECK(plan.status == coordination_status::within_gap);
  check_schedule_feasible(problem, plan, true);
  CHECK(plan.congestion_price[0] > 0.0);
  CHECK(plan.congestion_price[2] == 0.0);
  // By symmetry each EV gets 6 kW in period 0; period 1 stays at 10 kW each (its limit), so the
  // 4 kW each EV moved go to period 2.
  CHECK(plan.schedule[0][0] == doctest::Approx(6.0).epsilon(1e-3));
  CHECK(plan.schedule[1][0] == doctest::Approx(6.0).epsilon(1e-3));
  CHECK(plan.schedule[0][2] == doctest::Approx(4.0).epsilon(1e-3));
  const oracle_result exact = exact_optimum([&] {
    coordination_problem p = problem;
    for (auto& ev : p.evs) ev.preferred = {kilowatts(10), kilowatts(10), watts(0)};
    return p;
  }());
  REQUIRE(exact.feasible);
  CHECK(plan.certificate.primal_cost == doctest::Approx(exact.cost).epsilon(1e-5));
  CHECK(plan.certificate.dual_bound <= exact.cost + 1e-9);
}

TEST_CASE("property: small random instances against the exact face-enumeration optimum") {
  std::mt19937_64 rng(424242);
  int feasible_seen = 0, infeasible_seen = 0;
  for (int trial = 0; trial < 300; ++trial) {
    CAPTURE(trial);
    const std::size_t periods = 2 + rng() % 2;
    coordination_problem problem = random_problem(rng, periods, 1 + rng() % 3, 6);
    const std::int64_t wanted = [&] {
      std::int64_t w = 0;
      for (const auto& ev : problem.evs) w += ev.needed.base() * 60;
      return w;
    }();
    const std::int64_t deliverable = max_deliverable(problem);
    dual_price_options options;
    options.target_gap = 1e-7;
    options.max_iterations = 20000;
    const coordination_plan plan = solve_day_ahead(problem, options);
    if (deliverable < wanted) {
      ++infeasible_seen;
      CHECK(plan.status == coordination_status::infeasible);
      CHECK(plan.shortfall == watt_hours((wanted - deliverable + 59) / 60));
      check_schedule_feasible(problem, plan, false);
      double delivered = 0.0;
      for (const auto& row : plan.schedule)
        for (double x : row) delivered += x * hours;
      CHECK(delivered * 60'000.0 == doctest::Approx(static_cast<double>(deliverable)).epsilon(1e-9));
      continue;
    }
    ++feasible_seen;
    REQUIRE(plan.status != coordination_status::infeasible);
    CHECK(plan.shortfall == energy::zero());
    check_schedule_feasible(problem, plan, true);
    const oracle_result exact = exact_optimum(problem);
    REQUIRE(exact.feasible);
    const double scale = 1e-9 * (1.0 + std::fabs(exact.cost));
    // The certificate is a true bracket of the optimum whatever the status.
    CHECK(plan.certificate.dual_bound <= exact.cost + scale);
    CHECK(plan.certificate.primal_cost >= exact.cost - scale);
    CHECK(plan.certificate.primal_cost == doctest::Approx(coordination_cost(problem, plan.schedule)).epsilon(1e-12));
    if (plan.status == coordination_status::within_gap) {
      CHECK(plan.certificate.absolute_gap() <= 1e-7 * std::fabs(plan.certificate.primal_cost) + 1e-12);
      CHECK(plan.certificate.primal_cost == doctest::Approx(exact.cost).epsilon(1e-6).scale(1.0));
    }
  }
  CHECK(feasible_seen > 20);
  CHECK(infeasible_seen > 5);
}

TEST_CASE("the certificate is a true bound after any number of iterations") {
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 100; ++trial) {
    CAPTURE(trial);
    coordination_problem problem = random_problem(rng, 3, 3, 6);
    for (auto& c : problem.capacity) c = c + kilowatts(4);
    const std::int32_t limit = 1 + trial % 7;
    dual_price_options options;
    options.target_gap = 0.0;
    options.max_iterations = limit;
    const coordination_plan plan = solve_day_ahead(problem, options);
    if (plan.status == coordination_status::infeasible) continue;
    CHECK(plan.iterations <= limit);
    const oracle_result exact = exact_optimum(problem);
    REQUIRE(exact.feasible);
    const double scale = 1e-9 * (1.0 + std::fabs(exact.cost));
    CHECK(plan.certificate.dual_bound <= exact.cost + scale);
    CHECK(plan.certificate.primal_cost >= exact.cost - scale);
    check_schedule_feasible(problem, plan, true);
  }
}

TEST_CASE("a larger day converges to a 1 % gap with a feasible schedule") {
  std::mt19937_64 rng(5);
  coordination_problem problem;
  const std::size_t periods = 48;
  for (std::size_t t = 0; t < periods; ++t) {
    problem.energy_price.push_back(tokens_per_kwh(0.15 + 0.1 * std::sin(static_cast<double>(t) / 7.0)));
    problem.capacity.push_back(kilowatts(t < 16 ? 400 : 350));
  }
  for (int i = 0; i < 300; ++i) {
    ev_charging_request ev;
    ev.arrival = static_cast<std::int32_t>(12 + rng() % 10);
    ev.departure = std::min<std::int32_t>(48, ev.arrival + 10 + static_cast<std::int32_t>(rng() % 14));
    ev.max_power = kilowatts(11);
    ev.needed = kilowatt_hours(5.0 + static_cast<double>(rng() % 20));
    ev.discomfort = 0.05 + static_cast<double>(rng() % 100) / 200.0;
    problem.evs.push_back(ev);
  }
  const coordination_plan plan = solve_day_ahead(problem);
  CHECK(plan.status == coordination_status::within_gap);
  CHECK(plan.certificate.relative_gap() <= 0.01);
  CHECK(plan.certificate.dual_bound <= plan.certificate.primal_cost);
  check_schedule_feasible(problem, plan, true);
}

TEST_CASE("edge cases: no EVs, EVs needing nothing, a warm start") {
  coordination_problem problem;
  problem.energy_price.assign(3, tokens_per_kwh(0.2));
  problem.capacity = {kilowatts(5), watts(0), kilowatts(5)};
  const coordination_plan empty = solve_day_ahead(problem);
  CHECK(empty.status == coordination_status::within_gap);
  CHECK(empty.schedule.empty());
  CHECK(empty.certificate.primal_cost == 0.0);
  problem.evs.push_back({0, 3, watt_hours(0), kilowatts(7), 1.0, {}});
  problem.evs.push_back({1, 3, kilowatt_hours(2), kilowatts(7), 1.0, {}});
  const coordination_plan plan = solve_day_ahead(problem);
  CHECK(plan.status == coordination_status::within_gap);
  check_schedule_feasible(problem, plan, true);
  for (double x : plan.schedule[0]) CHECK(x == 0.0);
  CHECK(plan.load(1, problem) == 0.0);                   // period 1 has no capacity at all
  CHECK(plan.load(2, problem) == doctest::Approx(4.0));  // 2 kWh in the one half hour with capacity
  // Starting from the prices found gives an answer at least as good at once.
  dual_price_options warm;
  warm.initial_congestion_price = plan.congestion_price;
  const coordination_plan again = solve_day_ahead(problem, warm);
  CHECK(again.iterations <= plan.iterations);
  CHECK(again.certificate.primal_cost == doctest::Approx(plan.certificate.primal_cost).epsilon(0.01));
}

TEST_CASE("an EV that cannot get its energy: infeasible with the shortfall, at once") {
  coordination_problem problem;
  problem.energy_price.assign(2, tokens_per_kwh(0.2));
  problem.capacity.assign(2, kilowatts(50));
  // 11 kW for two half hours delivers 11 kWh; 12 kWh is asked.
  problem.evs.push_back({0, 2, kilowatt_hours(12), kilowatts(11), 1.0, {}});
  const coordination_plan plan = solve_day_ahead(problem);
  CHECK(plan.status == coordination_status::infeasible);
  CHECK(plan.shortfall == kilowatt_hours(1));
  CHECK(plan.iterations == 0);
  // Capacity short: two EVs of 6 kWh each through 10 kW for one hour (10 kWh).
  problem.evs = {{0, 2, kilowatt_hours(6), kilowatts(11), 1.0, {}}, {0, 2, kilowatt_hours(6), kilowatts(11), 1.0, {}}};
  problem.capacity.assign(2, kilowatts(10));
  const coordination_plan short_plan = solve_day_ahead(problem);
  CHECK(short_plan.status == coordination_status::infeasible);
  CHECK(short_plan.shortfall == kilowatt_hours(2));
  check_schedule_feasible(problem, short_plan, false);
}

TEST_CASE("bad input gives a typed error naming the field") {
  coordination_problem problem;
  problem.energy_price.assign(2, tokens_per_kwh(0.2));
  problem.capacity.assign(2, kilowatts(50));
  problem.evs.push_back({0, 2, kilowatt_hours(5), kilowatts(11), 1.0, {}});
  CHECK_NOTHROW((void)solve_day_ahead(problem));
  auto expect_field = [](const coordination_problem& p, const char* field) {
    try {
      (void)solve_day_ahead(p);
      FAIL("accepted");
    } catch (const bad_input& e) {
      CHECK(e.field() == field);
    }
  };
  coordination_problem bad = problem;
  bad.evs[0].departure = 0;
  expect_field(bad, "evs[0].departure");
  bad = problem;
  bad.evs[0].departure = 3;
  expect_field(bad, "evs[0].departure");
  bad = problem;
  bad.evs[0].max_power = watts(0);
  expect_field(bad, "evs[0].max_power");
  bad = problem;
  bad.evs[0].discomfort = std::nan("");
  expect_field(bad, "evs[0].discomfort");
  bad = problem;
  bad.evs[0].discomfort = -1.0;
  expect_field(bad, "evs[0].discomfort");
  bad = problem;
  bad.evs[0].needed = watt_hours(-1);
  expect_field(bad, "evs[0].needed");
  bad = problem;
  bad.evs[0].preferred = {kilowatts(1)};
  expect_field(bad, "evs[0].preferred.size()");
  bad = problem;
  bad.capacity[1] = watts(-1);
  expect_field(bad, "capacity[1]");
  bad = problem;
  bad.energy_price.pop_back();
  expect_field(bad, "energy_price.size()");
  bad = problem;
  bad.capacity.clear();
  expect_field(bad, "capacity");
  dual_price_options options;
  options.target_gap = std::nan("");
  CHECK_THROWS_AS((void)solve_day_ahead(problem, options), bad_input);
  options = {};
  options.initial_congestion_price = {1.0};
  CHECK_THROWS_AS((void)solve_day_ahead(problem, options), bad_input);
}
