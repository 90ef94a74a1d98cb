// Bid curves and their single-period clearing against a capacity margin (paper 000, section III).
#include <evmarket/coordination/bid_curve.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

using namespace evmarket;

namespace {

// Independent oracle, written from the curve's definition: the demand of one curve just above a
// price (the lower end of a step) and just below it (the upper end), in long double.
long double oracle_low(const bid_curve& curve, long double at) {
  const auto& pts = curve.points();
  if (at < static_cast<long double>(pts.front().at.base())) return static_cast<long double>(pts.front().demand.base());
  for (std::size_t k = pts.size(); k-- > 0;) {
    const auto pk = static_cast<long double>(pts[k].at.base());
    if (pk <= at) {
      if (k + 1 == pts.size() || pk == at) return static_cast<long double>(pts[k].demand.base());
      const auto p1 = static_cast<long double>(pts[k + 1].at.base());
      const auto d0 = static_cast<long double>(pts[k].demand.base()),
                 d1 = static_cast<long double>(pts[k + 1].demand.base());
      return d0 + (d1 - d0) * (at - pk) / (p1 - pk);
    }
  }
  return static_cast<long double>(pts.front().demand.base());
}
long double oracle_high(const bid_curve& curve, long double at) {
  const auto& pts = curve.points();
  for (std::size_t k = 0; k < pts.size(); ++k) {
    const auto pk = static_cast<long double>(pts[k].at.base());
    if (pk >= at) {
      if (k == 0 || pk == at) return static_cast<long double>(pts[k].demand.base());
      const auto p0 = static_cast<long double>(pts[k - 1].at.base());
      const auto d0 = static_cast<long double>(pts[k - 1].demand.base()),
                 d1 = static_cast<long double>(pts[k].demand.base());
      return d0 + (d1 - d0) * (at - p0) / (pk - p0);
    }
  }
  return static_cast<long double>(pts.back().demand.base());
}
long double total_low(const std::vector<bid_curve>& curves, long double at) {
  long double sum = 0;
  for (const auto& c : curves) sum += oracle_low(c, at);
  return sum;
}

// The lowest price at which total demand (lower ends) fits the margin, by bisection.
long double bisect_price(const std::vector<bid_curve>& curves, long double margin) {
  if (total_low(curves, 0) <= margin && total_low(curves, -1) <= margin) return 0;
  long double lo = 0, hi = 1;
  while (total_low(curves, hi) > margin) hi *= 2;
  for (int step = 0; step < 200; ++step) {
    const long double mid = (lo + hi) / 2;
    (total_low(curves, mid) > margin ? lo : hi) = mid;
  }
  return hi;
}

bid_curve random_curve(std::mt19937_64& rng, int style) {
  std::uniform_int_distribution<int> count_of(1, 5);
  std::uniform_int_distribution<std::int64_t> power_of(0, style == 0 ? 20 : 50'000);
  std::uniform_int_distribution<std::int64_t> price_of(0, style == 0 ? 5 : 2'000'000);
  const int count = count_of(rng);
  std::vector<std::int64_t> prices(static_cast<std::size_t>(count)), powers(static_cast<std::size_t>(count));
  for (auto& p : prices) p = price_of(rng);
  for (auto& p : powers) p = power_of(rng);
  std::sort(prices.begin(), prices.end());
  std::sort(powers.begin(), powers.end(), std::greater<>());
  std::vector<bid_point> points;
  for (std::size_t k = 0; k < prices.size(); ++k) points.push_back({micro_tokens_per_kwh(prices[k]), watts(powers[k])});
  return bid_curve(points);
}

}  // namespace

TEST_CASE("a linear curve with a cap and a floor") {
  const bid_curve curve = bid_curve::linear(kilowatts(11), kilowatts(2), tokens_per_kwh(0.9));
  CHECK(curve.cap() == kilowatts(11));
  CHECK(curve.floor() == kilowatts(2));
  CHECK(curve.demand_range(0).first == 11000.0);
  CHECK(curve.demand_range(450'000).first == doctest::Approx(6500.0));
  CHECK(curve.demand_range(5e6).first == 2000.0);
  const bid_curve fixed = bid_curve::must_charge(kilowatts(3));
  CHECK(fixed.demand_range(1e9).first == 3000.0);
  CHECK(fixed.cap() == fixed.floor());
}

TEST_CASE("the margin not binding: price zero, every cap granted") {
  const std::vector<bid_curve> curves{bid_curve::linear(kilowatts(7), watts(0), tokens_per_kwh(1)),
                                      bid_curve::must_charge(kilowatts(3))};
  for (const power margin : {kilowatts(10), kilowatts(50)}) {
    const curve_clearing result = clear_bid_curves(curves, margin);
    CHECK(result.status == curve_clearing_status::not_binding);
    CHECK_FALSE(result.congested());
    CHECK(result.congestion_price == 0.0);
    CHECK(result.powers == std::vector<power>{kilowatts(7), kilowatts(3)});
    CHECK(result.total == kilowatts(10));
  }
}

TEST_CASE("two linear curves: the price solves the linear equation by hand") {
  // A: 10 kW -> 0 at 1 Token/kWh (10 W per uToken... i.e. 0.01 W per micro-Token/kWh),
  // B: 6 kW -> 0 at 2 Token/kWh. Margin 8 kW: 10000 - 0.01 p + 6000 - 0.003 p = 8000 -> p = 8000/0.013.
  const std::vector<bid_curve> curves{bid_curve::linear(kilowatts(10), watts(0), tokens_per_kwh(1)),
                                      bid_curve::linear(kilowatts(6), watts(0), tokens_per_kwh(2))};
  const curve_clearing result = clear_bid_curves(curves, kilowatts(8));
  CHECK(result.status == curve_clearing_status::cleared);
  CHECK(result.congestion_price == doctest::Approx(8000.0 / 0.013).epsilon(1e-12));
  // A: 10000 - 0.01 * 615384.6 = 3846.15 W; B: 6000 - 0.003 * 615384.6 = 4153.85 W.
  CHECK(result.powers[0] == watts(3846));
  CHECK(result.powers[1] == watts(4154));
  CHECK(result.total == kilowatts(8));
  CHECK(result.rounded_price() == micro_tokens_per_kwh(615385));
}

TEST_CASE("a step at the clearing price is shared in proportion to the step widths") {
  // Two curves drop 6 kW and 2 kW at price 5 micro-Token/kWh; a third is inflexible at 1 kW.
  const std::vector<bid_curve> curves{
      bid_curve({{micro_tokens_per_kwh(5), watts(6000)}, {micro_tokens_per_kwh(5), watts(0)}}),
      bid_curve({{micro_tokens_per_kwh(5), watts(2000)}, {micro_tokens_per_kwh(5), watts(0)}}),
      bid_curve::must_charge(watts(1000))};
  const curve_clearing result = clear_bid_curves(curves, watts(5000));
  CHECK(result.status == curve_clearing_status::cleared);
  CHECK(result.congestion_price == 5.0);
  // 4000 W left for the steps (widths 6000 and 2000): 3000 and 1000.
  CHECK(result.powers == std::vector<power>{watts(3000), watts(1000), watts(1000)});
  // Leftover watts after the floors go to the larger fraction, equal fractions to the earlier curve.
  const std::vector<bid_curve> same{
      bid_curve({{micro_tokens_per_kwh(0), watts(1)}, {micro_tokens_per_kwh(0), watts(0)}}),
      bid_curve({{micro_tokens_per_kwh(0), watts(1)}, {micro_tokens_per_kwh(0), watts(0)}}),
      bid_curve({{micro_tokens_per_kwh(0), watts(1)}, {micro_tokens_per_kwh(0), watts(0)}})};
  const curve_clearing tie = clear_bid_curves(same, watts(2));
  CHECK(tie.congestion_price == 0.0);
  CHECK(tie.status == curve_clearing_status::cleared);
  CHECK(tie.powers == std::vector<power>{watts(1), watts(1), watts(0)});
}

TEST_CASE("flat total demand at the margin: the lowest clearing price is chosen") {
  // Demand falls from 10 kW to 4 kW over prices 0..10, stays at 4 kW to price 20, then falls to 0 at 30.
  const std::vector<bid_curve> curves{bid_curve({{micro_tokens_per_kwh(0), watts(10000)},
                                                 {micro_tokens_per_kwh(10), watts(4000)},
                                                 {micro_tokens_per_kwh(20), watts(4000)},
                                                 {micro_tokens_per_kwh(30), watts(0)}})};
  const curve_clearing result = clear_bid_curves(curves, watts(4000));
  CHECK(result.congestion_price == doctest::Approx(10.0));
  CHECK(result.powers[0] == watts(4000));
  // Extra curves with breakpoints above the flat stretch change which breakpoints the search
  // pivots on, never the answer.
  for (int extra = 1; extra <= 40; ++extra) {
    CAPTURE(extra);
    std::vector<bid_curve> more = curves;
    for (int j = 0; j < extra; ++j)
      more.push_back(bid_curve({{micro_tokens_per_kwh(40 + j), watts(1)}, {micro_tokens_per_kwh(41 + j), watts(0)}}));
    const curve_clearing shifted = clear_bid_curves(more, watts(4000 + extra));
    CHECK(shifted.congestion_price == doctest::Approx(10.0));
    CHECK(shifted.powers[0] == watts(4000));
  }
}

TEST_CASE("must-charge floors above the margin are reported with the shortfall") {
  const std::vector<bid_curve> curves{bid_curve::linear(kilowatts(11), kilowatts(4), tokens_per_kwh(1)),
                                      bid_curve::must_charge(kilowatts(3))};
  const curve_clearing result = clear_bid_curves(curves, kilowatts(5));
  CHECK(result.status == curve_clearing_status::floors_exceed_margin);
  CHECK(result.powers == std::vector<power>{kilowatts(4), kilowatts(3)});
  CHECK(result.shortfall == kilowatts(2));
  CHECK(result.total == kilowatts(7));
  CHECK(result.congestion_price == 1e6);
}

TEST_CASE("property: random curves agree with a bisection oracle") {
  std::mt19937_64 rng(20261122);
  for (int trial = 0; trial < 300; ++trial) {
    CAPTURE(trial);
    const int style = trial % 2;  // small integers (many ties and steps) or wide ranges
    const std::size_t n = 1 + rng() % (trial < 150 ? 6 : 200);
    std::vector<bid_curve> curves;
    std::int64_t caps = 0, floors = 0;
    for (std::size_t i = 0; i < n; ++i) {
      curves.push_back(random_curve(rng, style));
      caps += curves.back().cap().base();
      floors += curves.back().floor().base();
    }
    const std::int64_t margin =
        floors + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(caps - floors + caps / 5 + 1));
    const curve_clearing result = clear_bid_curves(curves, watts(margin));
    CAPTURE(margin);
    CAPTURE(caps);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      total += result.powers[i].base();
      CHECK(result.powers[i] >= curves[i].floor());
      CHECK(result.powers[i] <= curves[i].cap());
    }
    CHECK(total == std::min(margin, caps));
    if (caps <= margin) {
      CHECK(result.status == curve_clearing_status::not_binding);
      continue;
    }
    REQUIRE(result.status == curve_clearing_status::cleared);
    const long double expected = bisect_price(curves, static_cast<long double>(margin));
    const long double scale = std::max<long double>(1, expected);
    CHECK(std::fabs(static_cast<long double>(result.congestion_price) - expected) / scale < 1e-9L);
    // Every power lies in the curve's range at the clearing price, within the one watt of rounding.
    // Rule 2 by the oracle: steps at the price share what the margin leaves in proportion to their
    // widths; every power is then within the one watt of rounding of that share.
    const long double at = static_cast<long double>(result.congestion_price);
    long double sum_low = 0, sum_high = 0;
    for (const auto& c : curves) {
      sum_low += oracle_low(c, at);
      sum_high += oracle_high(c, at);
    }
    const long double share =
        sum_high > sum_low ? (static_cast<long double>(margin) - sum_low) / (sum_high - sum_low) : 0;
    for (std::size_t i = 0; i < n; ++i) {
      CAPTURE(i);
      const long double low = oracle_low(curves[i], at), high = oracle_high(curves[i], at);
      const long double fair = low + std::clamp<long double>(share, 0, 1) * (high - low);
      CHECK(std::fabs(static_cast<long double>(result.powers[i].base()) - fair) <= 1.0L + 1e-6L * (1 + high));
    }
  }
}

TEST_CASE("clearing is deterministic and independent of pivot luck") {
  std::mt19937_64 rng(7);
  std::vector<bid_curve> curves;
  for (int i = 0; i < 500; ++i) curves.push_back(random_curve(rng, 0));
  const curve_clearing first = clear_bid_curves(curves, watts(1500));
  const curve_clearing second = clear_bid_curves(curves, watts(1500));
  CHECK(first.powers == second.powers);
  CHECK(first.congestion_price == second.congestion_price);
}

TEST_CASE("bad input gives a typed error naming the field") {
  CHECK_THROWS_AS(bid_curve(std::vector<bid_point>{}), bad_input);
  try {
    (void)bid_curve({{micro_tokens_per_kwh(0), watts(5)}, {micro_tokens_per_kwh(3), watts(6)}});
    FAIL("an increasing curve was accepted");
  } catch (const bad_input& e) {
    CHECK(e.field() == "points[1].demand");
    CHECK(e.value() == "6");
  }
  try {
    (void)bid_curve({{micro_tokens_per_kwh(4), watts(5)}, {micro_tokens_per_kwh(3), watts(1)}});
    FAIL("descending prices were accepted");
  } catch (const bad_input& e) {
    CHECK(e.field() == "points[1].at");
  }
  CHECK_THROWS_AS(bid_curve({{micro_tokens_per_kwh(-1), watts(5)}}), bad_input);
  CHECK_THROWS_AS(bid_curve({{micro_tokens_per_kwh(1), watts(-5)}}), bad_input);
  CHECK_THROWS_AS(bid_curve::linear(kilowatts(2), kilowatts(3), tokens_per_kwh(1)), bad_input);
  CHECK_THROWS_AS(bid_curve::linear(kilowatts(3), kilowatts(1), price::zero()), bad_input);
  const std::vector<bid_curve> curves{bid_curve::must_charge(kilowatts(1))};
  CHECK_THROWS_AS(clear_bid_curves(curves, kilowatts(-1)), bad_input);
  CHECK_THROWS_AS(clear_bid_curves(std::span<const bid_curve>{}, kilowatts(1)), bad_input);
}
