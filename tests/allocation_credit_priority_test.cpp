// Credit-priority allocation (paper 001, Step 4): inverse-credit curtailment and strict priority.
#include <evmarket/allocation/credit_priority.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

using namespace evmarket;

namespace {

// Brute-force oracle for inverse_credit_curtailment, straight from its definition: list every
// watt's level k * C_i, sort by (level, later request first), cut the first `excess` watts.
std::vector<std::int64_t> curtailment_oracle(std::int64_t capacity, const std::vector<std::int64_t>& demands,
                                             const std::vector<double>& credits) {
  const std::int64_t total = std::accumulate(demands.begin(), demands.end(), std::int64_t{0});
  std::vector<std::int64_t> quotas = demands;
  if (total <= capacity) return quotas;
  std::vector<std::pair<double, std::size_t>> levels;
  for (std::size_t i = 0; i < demands.size(); ++i)
    for (std::int64_t k = 1; k <= demands[i]; ++k) levels.push_back({static_cast<double>(k) * credits[i], i});
  std::sort(levels.begin(), levels.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first < b.first : a.second > b.second; });
  for (std::int64_t k = 0; k < total - capacity; ++k) --quotas[levels[static_cast<std::size_t>(k)].second];
  return quotas;
}

// Continuous water-filling, an independent real-valued oracle: curtailment_i = min(d_i, L / C_i)
// with L found by sorting the stations by the level d_i * C_i at which they are cut to zero.
std::vector<double> continuous_oracle(double capacity, const std::vector<double>& demands,
                                      const std::vector<double>& credits) {
  const std::size_t n = demands.size();
  const double excess = std::accumulate(demands.begin(), demands.end(), 0.0) - capacity;
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return demands[a] * credits[a] < demands[b] * credits[b]; });
  double zeroed = 0.0, inverse_sum = 0.0;
  for (const double c : credits) inverse_sum += 1.0 / c;
  double level = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    level = (excess - zeroed) / inverse_sum;  // all not yet zeroed are cut level / C
    const std::size_t i = order[k];
    if (level <= demands[i] * credits[i]) break;
    zeroed += demands[i];
    inverse_sum -= 1.0 / credits[i];
  }
  std::vector<double> quotas(n);
  for (std::size_t i = 0; i < n; ++i) quotas[i] = demands[i] - std::min(demands[i], level / credits[i]);
  return quotas;
}

std::vector<station_request> make_requests(const std::vector<std::int64_t>& demands,
                                           const std::vector<double>& credits) {
  std::vector<station_request> requests;
  for (std::size_t i = 0; i < demands.size(); ++i)
    requests.push_back({station_id{100 + i}, watts(demands[i]), credits[i]});
  return requests;
}

template <AllocationRule Rule>
void check_invariants(const Rule& rule, std::int64_t capacity, const std::vector<station_request>& requests) {
  const allocation result = rule.allocate(watts(capacity), requests);
  std::int64_t total = 0, granted = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    total += requests[i].demand.base();
    granted += result.quotas[i].base();
    CHECK(result.quotas[i] >= power::zero());
    CHECK(result.quotas[i] <= requests[i].demand);
  }
  CHECK(granted == std::min(total, capacity));
  CHECK(result.allocated.base() == granted);
  CHECK(result.total_demand.base() == total);
}

}  // namespace

TEST_CASE("paper 001 Table I within 1.2 kW per station by inverse-credit curtailment") {
  // Stations A, B, D, E; capacity 3000 kW against a demand of 3192 kW. No simple rule reproduces
  // all four printed rows exactly (see the papers' README): A and B sit within 0.01 kW of
  // "reduction = 7547 / C", D within 0.1 kW, and E is printed 1.2 kW high, while the printed
  // rights sum to 2999.98 kW. Curtailment inversely proportional to credit, normalised so the
  // rights use exactly the capacity, is the reading closest to all four: within 1.2 kW (E: 1.19).
  const std::vector<std::int64_t> demand_kw{380, 701, 1120, 991};
  const std::vector<double> credit{90.87, 165.33, 256.74, 233.18};
  const std::vector<double> printed_kw{296.95, 655.35, 1090.50, 957.18};
  std::vector<station_request> requests;
  for (std::size_t i = 0; i < 4; ++i)
    requests.push_back({station_id{i}, kilowatts(static_cast<double>(demand_kw[i])), credit[i]});
  const allocation result = inverse_credit_curtailment{}.allocate(kilowatts(3000), requests);
  CHECK(result.curtailed());
  CHECK(result.total_demand == kilowatts(3192));
  CHECK(result.allocated == kilowatts(3000));
  std::vector<double> demand_w(4);
  for (std::size_t i = 0; i < 4; ++i) demand_w[i] = static_cast<double>(demand_kw[i]) * 1000;
  const std::vector<double> exact = continuous_oracle(3'000'000, demand_w, credit);
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(std::abs(result.quotas[i].display() - printed_kw[i]) <= 1.2);
    CHECK(std::abs(static_cast<double>(result.quotas[i].base()) - exact[i]) <= 1.0);  // whole watts
  }
  // The station with the highest credit (D) keeps the largest share of its demand.
  std::vector<double> share(4);
  for (std::size_t i = 0; i < 4; ++i) share[i] = result.quotas[i].display() / static_cast<double>(demand_kw[i]);
  CHECK(std::max_element(share.begin(), share.end()) - share.begin() == 2);
}

TEST_CASE("inverse-credit curtailment: small cases by hand") {
  const inverse_credit_curtailment rule;
  // Equal levels: the later request is cut first (the earlier one is favoured, as in beta rounding).
  const auto ties = rule.allocate(watts(2), make_requests({1, 1, 1}, {1, 1, 1}));
  CHECK(ties.quotas == std::vector<power>{watts(1), watts(1), watts(0)});
  // Credit 1 vs 3, 10 W each, 8 W to cut: cuts 6 and 2 (6 * 1 = 2 * 3).
  const auto two = rule.allocate(watts(12), make_requests({10, 10}, {1, 3}));
  CHECK(two.quotas == std::vector<power>{watts(4), watts(8)});
  // A station cut to zero stops absorbing curtailment: the rest is levelled over the others.
  const auto floor = rule.allocate(watts(10), make_requests({2, 10, 10}, {1, 2, 2}));
  // 12 W to cut: station 0 (level 1 per watt) loses both watts, then 5 + 5 from the others.
  CHECK(floor.quotas == std::vector<power>{watts(0), watts(5), watts(5)});
  // Demand that fits is granted in full; zero capacity grants nothing.
  const auto fits = rule.allocate(watts(100), make_requests({10, 20}, {1, 2}));
  CHECK(fits.quotas == std::vector<power>{watts(10), watts(20)});
  CHECK_FALSE(fits.curtailed());
  const auto none = rule.allocate(watts(0), make_requests({10, 0, 20}, {1, 2, 3}));
  CHECK(none.quotas == std::vector<power>{watts(0), watts(0), watts(0)});
  CHECK(none.satisfaction.value() == 0.0);
}

TEST_CASE("property: inverse-credit curtailment equals the brute-force oracle on small inputs") {
  std::mt19937_64 rng(3001);
  for (int trial = 0; trial < 600; ++trial) {
    const std::size_t n = 1 + rng() % 8;
    std::vector<std::int64_t> demands(n);
    std::vector<double> credits(n);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      demands[i] = static_cast<std::int64_t>(rng() % 60);
      total += demands[i];
      // Small integers make exact ties common; random reals exercise the general case.
      credits[i] =
          trial % 2 ? static_cast<double>(1 + rng() % 4) : std::uniform_real_distribution<double>(0.1, 300)(rng);
    }
    const auto capacity = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(total + 5));
    const auto requests = make_requests(demands, credits);
    CAPTURE(trial);
    const allocation result = inverse_credit_curtailment{}.allocate(watts(capacity), requests);
    const std::vector<std::int64_t> expected = curtailment_oracle(capacity, demands, credits);
    bool same = true;
    for (std::size_t i = 0; i < n; ++i) same = same && result.quotas[i].base() == expected[i];
    CHECK(same);
    check_invariants(inverse_credit_curtailment{}, capacity, requests);
  }
}

TEST_CASE("property: large inputs stay within the continuous water-filling and keep the invariants") {
  // Whole-watt curtailment that is monotone in credit cannot also stay within one watt of the
  // real-valued share (Balinski and Young's impossibility theorem); the bound proved for this
  // rule is: quota <= real + 1 W and quota >= real - (n - 1) W.
  std::mt19937_64 rng(3002);
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t n = 1 + rng() % (trial < 30 ? 50 : 5000);
    std::vector<std::int64_t> demands(n);
    std::vector<double> credits(n), demand_w(n);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      demands[i] = static_cast<std::int64_t>(rng() % 350'001);  // up to 350 kW
      demand_w[i] = static_cast<double>(demands[i]);
      total += demands[i];
      credits[i] = std::uniform_real_distribution<double>(0.5, 400)(rng);
    }
    const auto capacity = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(total + 1));
    const auto requests = make_requests(demands, credits);
    CAPTURE(trial);
    CAPTURE(n);
    check_invariants(inverse_credit_curtailment{}, capacity, requests);
    const allocation result = inverse_credit_curtailment{}.allocate(watts(capacity), requests);
    const std::vector<double> real = continuous_oracle(static_cast<double>(capacity), demand_w, credits);
    const double slack = 1e-6 * static_cast<double>(total);  // the oracle's own rounding
    bool within = true;
    double deviation = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double q = static_cast<double>(result.quotas[i].base());
      within = within && q <= real[i] + 1 + slack && q >= real[i] - static_cast<double>(n - 1) - 1 - slack;
      deviation += std::abs(q - real[i]);
    }
    CHECK(within);
    CHECK(deviation <= 2.0 * static_cast<double>(n) + slack);
  }
}

TEST_CASE("property: a station never gets less by having more credit (both rules)") {
  std::mt19937_64 rng(3003);
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t n = 2 + rng() % 30;
    std::vector<std::int64_t> demands(n);
    std::vector<double> credits(n);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      demands[i] = static_cast<std::int64_t>(rng() % (trial % 2 ? 20 : 200'000));
      total += demands[i];
      credits[i] =
          trial % 3 == 0 ? static_cast<double>(1 + rng() % 3) : std::uniform_real_distribution<double>(1, 100)(rng);
    }
    const auto capacity = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(total + 1));
    auto requests = make_requests(demands, credits);
    const std::size_t lucky = rng() % n;
    const double factor = trial % 4 == 0 ? 1.0 + 1e-15 : std::uniform_real_distribution<double>(1.0, 3.0)(rng);
    auto richer = requests;
    richer[lucky].credit *= factor;
    CAPTURE(trial);
    auto check_rule = [&](const auto& rule) {
      const allocation before = rule.allocate(watts(capacity), requests);
      const allocation after = rule.allocate(watts(capacity), richer);
      CHECK(after.quotas[lucky] >= before.quotas[lucky]);
      // ...and nobody else gains from it.
      bool others_not_more = true;
      for (std::size_t i = 0; i < n; ++i)
        if (i != lucky) others_not_more = others_not_more && after.quotas[i] <= before.quotas[i];
      CHECK(others_not_more);
    };
    check_rule(inverse_credit_curtailment{});
    check_rule(strict_credit_priority{});
  }
}

TEST_CASE("property: with equal demands, more credit never means a smaller quota") {
  std::mt19937_64 rng(3004);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t n = 2 + rng() % 40;
    const auto demand = static_cast<std::int64_t>(1 + rng() % 100'000);
    std::vector<double> credits(n);
    for (double& c : credits) c = std::uniform_real_distribution<double>(1, 50)(rng);
    const auto requests = make_requests(std::vector<std::int64_t>(n, demand), credits);
    const auto capacity =
        static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(demand * static_cast<std::int64_t>(n)));
    for (const allocation& result : {inverse_credit_curtailment{}.allocate(watts(capacity), requests),
                                     strict_credit_priority{}.allocate(watts(capacity), requests)}) {
      bool ordered = true;
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
          if (credits[i] > credits[j]) ordered = ordered && result.quotas[i] >= result.quotas[j];
      CHECK(ordered);
    }
  }
}

TEST_CASE("strict priority: serve in credit order, earlier request first on equal credit") {
  const strict_credit_priority rule;
  // Table I's stations: D (256.74), E (233.18), B (165.33) in full, A the rest.
  std::vector<station_request> table_i{{station_id{0}, kilowatts(380), 90.87},
                                       {station_id{1}, kilowatts(701), 165.33},
                                       {station_id{2}, kilowatts(1120), 256.74},
                                       {station_id{3}, kilowatts(991), 233.18}};
  const allocation result = rule.allocate(kilowatts(3000), table_i);
  CHECK(result.quotas == std::vector<power>{kilowatts(188), kilowatts(701), kilowatts(1120), kilowatts(991)});
  const auto ties = rule.allocate(watts(15), make_requests({10, 10, 10}, {2, 5, 5}));
  CHECK(ties.quotas == std::vector<power>{watts(0), watts(10), watts(5)});

  std::mt19937_64 rng(3005);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t n = 1 + rng() % 50;
    std::vector<std::int64_t> demands(n);
    std::vector<double> credits(n);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      demands[i] = static_cast<std::int64_t>(rng() % 1000);
      total += demands[i];
      credits[i] = static_cast<double>(1 + rng() % 5);
    }
    const auto capacity = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(total + 10));
    const auto requests = make_requests(demands, credits);
    check_invariants(rule, capacity, requests);
    // Oracle: a station gets min(demand, capacity left after every station ahead of it).
    const allocation got = rule.allocate(watts(capacity), requests);
    bool same = true;
    for (std::size_t i = 0; i < n; ++i) {
      std::int64_t ahead = 0;
      for (std::size_t j = 0; j < n; ++j)
        if (credits[j] > credits[i] || (credits[j] == credits[i] && j < i)) ahead += demands[j];
      const std::int64_t expected = std::clamp(capacity - ahead, std::int64_t{0}, demands[i]);
      same = same && got.quotas[i].base() == expected;
    }
    CAPTURE(trial);
    CHECK(same);
  }
}

TEST_CASE("extreme inputs stay exact and defined") {
  const inverse_credit_curtailment rule;
  // Credits 600 orders of magnitude apart.
  check_invariants(rule, 5'000, make_requests({3'000, 3'000, 3'000}, {1e-300, 1.0, 1e300}));
  const auto spread = rule.allocate(watts(5'000), make_requests({3'000, 3'000, 3'000}, {1e-300, 1.0, 1e300}));
  CHECK(spread.quotas[0] == watts(0));  // the least creditworthy absorbs the curtailment first
  CHECK(spread.quotas[2] == watts(3'000));
  // Demands at the 2^53 W limit.
  const std::int64_t big = std::int64_t{1} << 53;
  check_invariants(rule, big, make_requests({big, big - 1, 12345}, {1.0, 2.0, 3.0}));
  // Many identical stations: pure ties, the later ones cut first.
  const auto same = rule.allocate(watts(10 * 1000 + 3),
                                  make_requests(std::vector<std::int64_t>(2000, 10), std::vector<double>(2000, 7.0)));
  std::int64_t granted = 0;
  for (const power q : same.quotas) granted += q.base();
  CHECK(granted == 10'003);
  // 9'997 W to cut: 4 W from every station, then 1 W more from all but the first three.
  CHECK(same.quotas[0] == watts(6));
  CHECK(same.quotas[3] == watts(5));
  CHECK(same.quotas[1999] == watts(5));
  // Large random input runs through the bisection phase.
  std::mt19937_64 rng(3006);
  std::vector<std::int64_t> demands(100'000);
  std::vector<double> credits(100'000);
  std::int64_t total = 0;
  for (std::size_t i = 0; i < demands.size(); ++i) {
    demands[i] = static_cast<std::int64_t>(1'000 + rng() % 349'000);
    credits[i] = std::uniform_real_distribution<double>(1, 200)(rng);
    total += demands[i];
  }
  check_invariants(rule, total / 10 * 7, make_requests(demands, credits));
}

TEST_CASE("bad input gives a typed error naming the field") {
  auto field_of = [](const auto& rule, std::vector<station_request> requests,
                     std::int64_t capacity = 5) -> std::string {
    try {
      (void)rule.allocate(watts(capacity), requests);
    } catch (const bad_input& e) {
      return e.field() + " = " + e.value();
    }
    return "no error";
  };
  for (const double credit : {0.0, -1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    const auto requests = make_requests({10, 10}, {1.0, credit});
    CHECK(field_of(inverse_credit_curtailment{}, requests).rfind("requests[1].credit", 0) == 0);
    CHECK(field_of(strict_credit_priority{}, requests).rfind("requests[1].credit", 0) == 0);
    // Credits are checked even when the demand fits.
    CHECK(field_of(inverse_credit_curtailment{}, requests, 100).rfind("requests[1].credit", 0) == 0);
  }
  CHECK(field_of(inverse_credit_curtailment{}, make_requests({10, -1}, {1, 1})) == "requests[1].demand = -1");
  CHECK(field_of(strict_credit_priority{}, make_requests({10, 1}, {1, 1}), -5) == "capacity = -5");
  CHECK(field_of(inverse_credit_curtailment{}, {}) == "requests = []");
  const std::int64_t too_big = (std::int64_t{1} << 53) + 1;
  CHECK(field_of(inverse_credit_curtailment{}, make_requests({too_big, 1}, {1, 1})) ==
        "requests[0].demand = " + std::to_string(too_big));
  auto duplicate = make_requests({10, 10}, {1, 2});
  duplicate[1].station = duplicate[0].station;
  CHECK(field_of(strict_credit_priority{}, duplicate) == "requests.station = 100");
}
