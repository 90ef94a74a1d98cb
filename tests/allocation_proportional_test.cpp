// Proportional (beta) allocation, paper 003 eq. (1)-(2).
#include <evmarket/allocation/proportional.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

using namespace evmarket;

namespace {

std::vector<station_request> make_requests(const std::vector<double>& demands_kw) {
  std::vector<station_request> requests;
  for (std::size_t i = 0; i < demands_kw.size(); ++i)
    requests.push_back({station_id{i}, kilowatts(demands_kw[i])});
  return requests;
}

// Independent oracle for Hamilton's method: exact quotients as long double fractions, floors,
// then the leftover to the largest remainders by a full sort (ties to the earlier request).
std::vector<std::int64_t> hamilton_oracle(std::int64_t capacity, const std::vector<std::int64_t>& demands) {
  const detail::int128 total = std::accumulate(demands.begin(), demands.end(), detail::int128{0});
  std::vector<std::int64_t> quotas(demands.size());
  std::vector<std::pair<detail::int128, std::size_t>> remainders;
  std::int64_t granted = 0;
  for (std::size_t i = 0; i < demands.size(); ++i) {
    const detail::int128 product = static_cast<detail::int128>(capacity) * demands[i];
    quotas[i] = static_cast<std::int64_t>(product / total);
    granted += quotas[i];
    remainders.push_back({product % total, i});
  }
  std::sort(remainders.begin(), remainders.end(),
            [](auto& a, auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  for (std::int64_t k = 0; k < capacity - granted; ++k) ++quotas[remainders[static_cast<std::size_t>(k)].second];
  return quotas;
}

}  // namespace

TEST_CASE("paper 003 Table II is reproduced to the printed 2 decimals") {
  // The text says P_M = 343 kW, but Table II and the text's own beta = 0.83 both follow from
  // P_M = 323 kW (see the papers' README): 323 / 390 = 0.82821.
  const auto requests = make_requests({36, 48, 42, 66, 30, 66, 54, 48});
  const allocation result = proportional_allocation{}.allocate(kilowatts(323), requests);
  const double printed[] = {29.82, 39.75, 34.78, 54.66, 24.85, 54.66, 44.72, 39.75};
  CHECK(result.total_demand == kilowatts(390));
  CHECK(result.curtailed());
  CHECK(result.satisfaction.value() == doctest::Approx(0.82821).epsilon(1e-5));
  CHECK(std::round(result.satisfaction.value() * 100) / 100 == 0.83);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    CAPTURE(i);
    // The paper prints each share beta * P_i rounded on its own (its rows sum to 322.99 kW).
    const double share = result.satisfaction.share_of(requests[i].demand);
    CHECK(std::llround(share * 100) == std::llround(printed[i] * 100));
    // The granted quota is that share in whole watts (the rows then sum to exactly 323 kW), so it
    // lies within the printed value's half-unit (5 W) plus the one watt of integer rounding.
    CHECK(std::llabs(result.quotas[i].base() - std::llround(printed[i] * 1000)) <= 6);
  }
  CHECK(result.allocated == kilowatts(323));
}

TEST_CASE("demand that fits is granted entirely with beta = 1") {
  const auto requests = make_requests({36, 48, 42});
  for (const power capacity : {kilowatts(126), kilowatts(500)}) {
    const allocation result = proportional_allocation{}.allocate(capacity, requests);
    CHECK_FALSE(result.curtailed());
    CHECK(result.satisfaction.is_full());
    CHECK(result.satisfaction.value() == 1.0);
    CHECK(result.allocated == kilowatts(126));
    for (std::size_t i = 0; i < requests.size(); ++i) CHECK(result.quotas[i] == requests[i].demand);
  }
}

TEST_CASE("zero capacity grants nothing; zero demands are allowed") {
  const auto requests = make_requests({0, 5, 0});
  const allocation none = proportional_allocation{}.allocate(power::zero(), requests);
  for (const power q : none.quotas) CHECK(q == power::zero());
  CHECK(none.satisfaction.value() == 0.0);
  const allocation some = proportional_allocation{}.allocate(kilowatts(2), requests);
  CHECK(some.quotas[0] == power::zero());
  CHECK(some.quotas[1] == kilowatts(2));
}

TEST_CASE("rounding: the leftover watts go to the largest remainders, ties to the earlier request") {
  // 3 stations of 1 W sharing 2 W: floors 0,0,0, equal remainders, the first two win.
  std::vector<station_request> requests{{station_id{9}, watts(1)}, {station_id{4}, watts(1)}, {station_id{6}, watts(1)}};
  const allocation result = proportional_allocation{}.allocate(watts(2), requests);
  CHECK(result.quotas == std::vector<power>{watts(1), watts(1), watts(0)});
  // 7 W over demands 1, 2, 4 (total 7 > 6 W): exact shares 6/7, 12/7, 24/7.
  requests = {{station_id{1}, watts(1)}, {station_id{2}, watts(2)}, {station_id{3}, watts(4)}};
  const allocation six = proportional_allocation{}.allocate(watts(6), requests);
  // floors 0, 1, 3 leave 2 W; remainders 6/7, 5/7, 3/7: the first two get one each.
  CHECK(six.quotas == std::vector<power>{watts(1), watts(2), watts(3)});
}

TEST_CASE("property: random inputs agree with an independent Hamilton oracle") {
  std::mt19937_64 rng(3232026);
  for (int trial = 0; trial < 400; ++trial) {
    const std::size_t n = 1 + rng() % (trial < 200 ? 12 : 3000);
    // Mix of small demands (many ties) and huge ones (exercise 128-bit products).
    const std::int64_t top = trial % 3 == 0 ? 5 : (trial % 3 == 1 ? 2'000'000 : 4'000'000'000'000);
    std::uniform_int_distribution<std::int64_t> demand_of(0, top);
    std::vector<station_request> requests(n);
    std::vector<std::int64_t> demands(n);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      demands[i] = demand_of(rng);
      total += demands[i];
      requests[i] = {station_id{n - i}, watts(demands[i])};  // descending ids: the sorting duplicate check
    }
    const std::int64_t capacity = total == 0 ? 0 : static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(total + total / 4 + 1));
    CAPTURE(trial);
    CAPTURE(n);
    const allocation result = proportional_allocation{}.allocate(watts(capacity), requests);
    std::int64_t granted = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t q = result.quotas[i].base();
      granted += q;
      CHECK(q >= 0);
      CHECK(q <= demands[i]);
      if (total > capacity) {
        // within one watt of beta * P_i
        const detail::int128 scaled_quota = static_cast<detail::int128>(q) * total;
        const detail::int128 exact = static_cast<detail::int128>(capacity) * demands[i];
        CHECK(scaled_quota > exact - total);
        CHECK(scaled_quota < exact + total);
      }
    }
    CHECK(granted == std::min(capacity, total));
    CHECK(result.allocated.base() == granted);
    if (total > capacity) {
      const auto expected = hamilton_oracle(capacity, demands);
      bool same = true;
      for (std::size_t i = 0; i < n; ++i) same = same && expected[i] == result.quotas[i].base();
      CHECK(same);
    }
  }
}

TEST_CASE("bad input gives a typed error naming the field") {
  const proportional_allocation rule;
  std::vector<station_request> requests = make_requests({10, 20});
  CHECK_THROWS_AS(rule.allocate(kilowatts(-1), requests), bad_input);
  CHECK_THROWS_AS(rule.allocate(kilowatts(1), std::span<const station_request>{}), bad_input);

  requests[1].demand = kilowatts(-3);
  try {
    (void)rule.allocate(kilowatts(5), requests);
    FAIL("expected bad_input");
  } catch (const bad_input& e) {
    CHECK(e.field() == "requests[1].demand");
    CHECK(e.value() == "-3000");
  }
  CHECK_THROWS_AS(make_requests({10, std::nan("")}), bad_input);  // NaN never becomes a power

  requests = make_requests({10, 20, 30});
  requests[2].station = requests[0].station;
  try {
    (void)rule.allocate(kilowatts(5), requests);
    FAIL("expected bad_input");
  } catch (const bad_input& e) {
    CHECK(e.field() == "requests.station");
    CHECK(e.value() == "0");
  }

  requests = {{station_id{1}, power::max()}, {station_id{2}, watts(1)}};
  CHECK_THROWS_AS(rule.allocate(kilowatts(5), requests), overflow_error);
}

TEST_CASE("the largest representable demands still allocate exactly") {
  const std::int64_t half = std::numeric_limits<std::int64_t>::max() / 2;
  std::vector<station_request> requests{{station_id{1}, watts(half)}, {station_id{2}, watts(half)}};
  const allocation result = proportional_allocation{}.allocate(watts(half), requests);
  CHECK((result.quotas[0] + result.quotas[1]) == watts(half));
  CHECK(result.quotas[0].base() - result.quotas[1].base() <= 1);
}

TEST_CASE("demands in their own array: the same quotas as the requests, the same errors") {
  const proportional_allocation rule;
  std::mt19937_64 rng(8122026);
  for (int trial = 0; trial < 60; ++trial) {
    // Sizes either side of the single-pass threshold (64 x 1024 entries), demands up to 2^62.
    const std::size_t n = 1 + rng() % (trial % 4 == 0 ? 150'000 : 40);
    const std::int64_t top = trial % 3 == 0 ? 7 : (trial % 3 == 1 ? 350'000 : std::int64_t{1} << 62);
    std::uniform_int_distribution<std::int64_t> demand_of(0, top / static_cast<std::int64_t>(n));
    std::vector<station_request> requests(n);
    std::vector<power> demands(n);
    detail::int128 total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      demands[i] = watts(demand_of(rng));
      total += demands[i].base();
      requests[i] = {station_id{i + 1}, demands[i]};
    }
    const auto capacity = static_cast<std::int64_t>(static_cast<detail::int128>(rng() % 1000) * total / 1000);
    CAPTURE(trial);
    allocation from_array;
    rule.allocate_into(watts(capacity), std::span<const power>(demands), from_array);
    const allocation from_requests = rule.allocate(watts(capacity), requests);
    CHECK(from_array.quotas == from_requests.quotas);
    CHECK(from_array.total_demand == from_requests.total_demand);
    CHECK(from_array.allocated == from_requests.allocated);
  }

  allocation kept;
  rule.allocate_into(watts(5), std::span<const power>(std::vector<power>{watts(3), watts(4)}), kept);
  const allocation before = kept;
  std::vector<power> demands{watts(10), watts(20), watts(-3), watts(-4)};
  try {
    rule.allocate_into(watts(5), std::span<const power>(demands), kept);
    FAIL("expected bad_input");
  } catch (const bad_input& e) {
    CHECK(e.field() == "demands[2]");
    CHECK(e.value() == "-3");
  }
  CHECK(kept.quotas == before.quotas);
  demands = {power::max(), power::max(), watts(1)};  // the total leaves 64 bits
  CHECK_THROWS_AS(rule.allocate_into(watts(5), std::span<const power>(demands), kept), overflow_error);
  CHECK(kept.quotas == before.quotas);
  CHECK_THROWS_AS(rule.allocate_into(watts(-1), std::span<const power>(demands), kept), bad_input);
  CHECK_THROWS_AS(rule.allocate_into(watts(1), std::span<const power>{}, kept), bad_input);
}
