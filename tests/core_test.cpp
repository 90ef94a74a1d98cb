// Core vocabulary: exact units, checked arithmetic, rounding, identifiers, trading periods.
#include <evmarket/core/error.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/units.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <unordered_set>

using namespace evmarket;

TEST_CASE("display conversions are exact for the papers' figures") {
  CHECK(kilowatts(29.82).base() == 29'820);
  CHECK(kilowatt_hours(3.2).base() == 3'200);
  CHECK(tokens(3339.32).base() == 3'339'320'000);
  CHECK(tokens_per_kwh(112).base() == 112'000'000);
  CHECK(tokens(-151.9).base() == -151'900'000);
  CHECK(kilowatts(29.82).display() == 29.82);
}

TEST_CASE("conversions from double round as they say") {
  CHECK(kilowatts(0.0015, rounding::down).base() == 1);
  CHECK(kilowatts(0.0015, rounding::up).base() == 2);
  CHECK(kilowatts(-0.0015, rounding::down).base() == -2);
  CHECK(kilowatts(-0.0015, rounding::toward_zero).base() == -1);
  CHECK(kilowatts(0.0025, rounding::nearest).base() == 3);
  CHECK(kilowatts(-0.0025, rounding::nearest).base() == -3);
  CHECK(kilowatts(0.0025, rounding::nearest_even).base() == 2);
}

TEST_CASE("non-finite and out-of-range doubles are bad input") {
  CHECK_THROWS_AS(kilowatts(std::nan("")), bad_input);
  CHECK_THROWS_AS(kilowatts(std::numeric_limits<double>::infinity()), bad_input);
  CHECK_THROWS_AS(tokens(-std::numeric_limits<double>::infinity()), bad_input);
  CHECK_THROWS_AS(kilowatts(1e17), bad_input);  // 1e20 W does not fit in 64 bits
  try {
    (void)kilowatts(std::nan(""));
    FAIL("expected bad_input");
  } catch (const bad_input& e) {
    CHECK(e.field() == "kilowatts");
    CHECK(e.value() == "NaN");
    CHECK(std::string(e.what()).find("finite") != std::string::npos);
  }
}

TEST_CASE("arithmetic is checked: overflow throws instead of wrapping") {
  const power big = power::max();
  CHECK_THROWS_AS(big + watts(1), overflow_error);
  CHECK_THROWS_AS(-big - watts(2), overflow_error);
  CHECK_THROWS_AS(big * 2, overflow_error);
  CHECK_THROWS_AS(-power::from_base(std::numeric_limits<std::int64_t>::min()), overflow_error);
  CHECK((big - watts(1) + watts(1)) == big);
  power accumulated = watts(5);
  accumulated += watts(7);
  accumulated -= watts(2);
  CHECK(accumulated == watts(10));
  CHECK_THROWS_AS(micro_tokens(1).scaled(1, 0, rounding::down), bad_input);
}

TEST_CASE("cost of energy at a price rounds as asked and conserves exactly when divisible") {
  CHECK(cost(tokens_per_kwh(23), kilowatt_hours(3.2), rounding::nearest) == tokens(73.6));
  CHECK(cost(tokens_per_kwh(26.5), kilowatt_hours(10.9), rounding::nearest) == tokens(288.85));
  // 1 uToken/kWh for 1 Wh is 0.001 uToken: charged up, paid down.
  CHECK(cost(micro_tokens_per_kwh(1), watt_hours(1), rounding::up) == micro_tokens(1));
  CHECK(cost(micro_tokens_per_kwh(1), watt_hours(1), rounding::down) == micro_tokens(0));
  CHECK(cost(micro_tokens_per_kwh(-1), watt_hours(1), rounding::down) == micro_tokens(-1));
  CHECK_THROWS_AS(cost(price::max(), energy::max(), rounding::down), overflow_error);
  CHECK(unit_price_of(tokens(73.6), kilowatt_hours(3.2), rounding::nearest) == tokens_per_kwh(23));
  CHECK_THROWS_AS(unit_price_of(tokens(1), energy::zero(), rounding::nearest), bad_input);
}

TEST_CASE("midpoint is exact and never overflows") {
  CHECK(midpoint(tokens_per_kwh(24), tokens_per_kwh(22), rounding::nearest) == tokens_per_kwh(23));
  CHECK(midpoint(micro_tokens_per_kwh(3), micro_tokens_per_kwh(4), rounding::down) == micro_tokens_per_kwh(3));
  CHECK(midpoint(micro_tokens_per_kwh(3), micro_tokens_per_kwh(4), rounding::up) == micro_tokens_per_kwh(4));
  CHECK(midpoint(price::max(), price::max(), rounding::down) == price::max());
}

TEST_CASE("mul_div agrees with long division on random inputs for every rounding mode") {
  std::mt19937_64 rng(20261122);
  std::uniform_int_distribution<std::int64_t> value(-1'000'000'000, 1'000'000'000);
  for (int trial = 0; trial < 20000; ++trial) {
    const std::int64_t a = value(rng), b = value(rng);
    std::int64_t c = value(rng);
    if (c == 0) c = 7;
    const long double exact = static_cast<long double>(a) * static_cast<long double>(b) / static_cast<long double>(c);
    const std::int64_t down = detail::mul_div(a, b, c, rounding::down);
    const std::int64_t up = detail::mul_div(a, b, c, rounding::up);
    // floor <= exact <= ceil, and they differ by one exactly when the division is inexact.
    CHECK(static_cast<long double>(down) <= exact + 1e-6L);
    CHECK(static_cast<long double>(up) >= exact - 1e-6L);
    const bool divisible = (static_cast<detail::int128>(a) * b) % c == 0;
    CHECK(up - down == (divisible ? 0 : 1));
    const std::int64_t nearest = detail::mul_div(a, b, c, rounding::nearest);
    CHECK(std::fabs(static_cast<double>(static_cast<long double>(nearest) - exact)) <= 0.5 + 1e-6);
    const std::int64_t truncated = detail::mul_div(a, b, c, rounding::toward_zero);
    CHECK(truncated == (exact < 0 ? up : down));
  }
}

TEST_CASE("energy and power over a period") {
  const trading_calendar day;  // 48 half-hour periods
  CHECK(day.period_minutes() == 30);
  CHECK(day.energy_in_period(kilowatts(29.82), rounding::down) == kilowatt_hours(14.91));
  CHECK(energy_over(watts(3), 30, rounding::down) == watt_hours(1));
  CHECK(energy_over(watts(3), 30, rounding::up) == watt_hours(2));
  CHECK(average_power(kilowatt_hours(10), 30, rounding::nearest) == kilowatts(20));
  CHECK_THROWS_AS(average_power(kilowatt_hours(10), 0, rounding::nearest), bad_input);
  CHECK_THROWS_AS(energy_over(watts(1), -1, rounding::nearest), bad_input);
}

TEST_CASE("trading calendar") {
  const trading_calendar day;
  CHECK(day.period_at(0, 18 * 60) == trading_period{0, 36});
  CHECK(day.period_at(0, 18 * 60 + 29) == trading_period{0, 36});
  CHECK(day.start_minute({0, 37}) == 18 * 60 + 30);
  CHECK(day.next({0, 36}) == trading_period{0, 37});
  CHECK(day.next({3, 47}) == trading_period{4, 0});
  CHECK(day.index({2, 5}) == 101);
  CHECK(trading_period{0, 47} < trading_period{1, 0});
  CHECK_THROWS_AS(trading_calendar(7), bad_input);
  CHECK_THROWS_AS(trading_calendar(0), bad_input);
  CHECK_THROWS_AS(day.period_at(0, 1440), bad_input);
  CHECK_THROWS_AS(day.start_minute({0, 48}), bad_input);
  CHECK(trading_calendar(24).period_minutes() == 60);
}

TEST_CASE("identifiers are distinct types, ordered, hashable and printable") {
  static_assert(!std::is_convertible_v<order_id, participant_id>);
  static_assert(std::is_same_v<station_id, participant_id>);
  std::unordered_set<order_id> seen{order_id{1}, order_id{2}, order_id{1}};
  CHECK(seen.size() == 2);
  CHECK(station_id{1} < station_id{2});
  std::ostringstream text;
  text << station_id{7} << ' ' << user_id{3} << ' ' << kilowatts(1.5);
  CHECK(text.str() == "P7 U3 1.5 kW");
}
