// Paper 001's creditworthiness: conformance rules, the user credit update, station totals (eq. 1-3).
#include <evmarket/credit/ahp.hpp>
#include <evmarket/credit/creditworthiness.hpp>

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace evmarket;

namespace {

// Stations A..E of paper 001 as ids 1..5; an hourly calendar, so 11:00-12:00 is slot 11.
constexpr station_id A{1}, B{2}, C{3}, D{4}, E{5};
constexpr trading_period hour(std::int32_t start) { return {0, start}; }

struct table_row {
  user_id user;
  double credit_before;    // Table II
  reservation booked;      // Table II: station, period, reserved power over the one-hour period
  charging_record actual;  // Table III: traded station, period, traded power over one hour
  double printed_after;    // Table III
};

std::vector<table_row> paper001_tables() {
  auto row = [](std::uint64_t u, double before, station_id reserved_at, double reserved_kw, std::int32_t reserved_hour,
                station_id traded_at, double traded_kw, std::int32_t traded_hour, double after) {
    const user_id user{u};
    return table_row{user,
                     before,
                     {user, reserved_at, hour(reserved_hour), kilowatt_hours(reserved_kw)},
                     {user, traded_at, hour(traded_hour), kilowatt_hours(traded_kw)},
                     after};
  };
  return {row(1, 8.25, A, 32, 11, A, 34.35, 10, 7.79), row(2, 6.73, D, 34, 13, C, 36.56, 13, 7.35),
          row(3, 9.21, B, 40, 14, B, 32.33, 15, 8.59), row(4, 7.65, E, 30, 15, E, 31.64, 15, 8.65),
          row(5, 8.34, C, 36, 17, C, 35.89, 17, 9.34)};
}

double round2(double x) { return std::round(x * 100) / 100; }

}  // namespace

TEST_CASE("paper 001 Table III reproduced exactly from Table II and the trade records") {
  // Paper 001 prints credits to 2 decimals; each new credit must round to the printed one. Both
  // the printed weights (73.064 / 18.839 / 8.096 %) and the AHP's own weights reproduce it.
  const ahp_result ahp =
      analytic_hierarchy<>{}.evaluate(pairwise_matrix::from_rows({{1, 5, 7}, {1. / 5, 1, 3}, {1. / 7, 1. / 3, 1}}));
  for (const criterion_weights weights : {criterion_weights::paper001(), criterion_weights::from(ahp.weights)}) {
    user_credit_book<> book{reservation_credit_rule<>(weights)};
    std::vector<settled_reservation> batch;
    for (const table_row& r : paper001_tables()) {
      book.enrol(r.user, r.credit_before);
      batch.push_back({r.booked, r.actual});
    }
    book.settle_all(batch);
    for (const table_row& r : paper001_tables()) {
      CAPTURE(r.user.value);
      CHECK(round2(book.credit(r.user)) == r.printed_after);
    }
  }
}

TEST_CASE("paper 001's conformance verdicts, as its text explains them") {
  const reservation_credit_rule<> rule;
  const auto rows = paper001_tables();
  auto a = [&](std::size_t i) { return rule.assess(rows[i].booked, rows[i].actual); };
  // user1: came an hour early (time -1), at A (+1), 34.35 of 32 kWh is within 10 % (+1).
  CHECK((a(0).time == -1 && a(0).location == 1 && a(0).amount == 1));
  // user2: on time, at C instead of D, 36.56 of 34 kWh within 10 %.
  CHECK((a(1).time == 1 && a(1).location == -1 && a(1).amount == 1));
  // user3: an hour late, at B, 32.33 of 40 kWh is 19 % short.
  CHECK((a(2).time == -1 && a(2).location == 1 && a(2).amount == -1));
  // user4 and user5 kept everything.
  CHECK((a(3).time == 1 && a(3).location == 1 && a(3).amount == 1));
  CHECK((a(4).time == 1 && a(4).location == 1 && a(4).amount == 1));
  // Eq. (1) with the printed weights: user2's score is 0.73064 - 0.18839 + 0.08096.
  CHECK(rule.score(a(1)) == doctest::Approx(0.62321).epsilon(1e-12));
}

TEST_CASE("the energy rule is exact and inclusive at +-10 %") {
  const energy_within_tolerance rule;
  const reservation booked{user_id{1}, A, hour(9), watt_hours(30'000)};
  auto kept = [&](std::int64_t delivered) {
    return rule.kept(booked, {user_id{1}, A, hour(9), watt_hours(delivered)});
  };
  CHECK(kept(33'000));
  CHECK_FALSE(kept(33'001));
  CHECK(kept(27'000));
  CHECK_FALSE(kept(26'999));
  CHECK_FALSE(kept(0));
  const energy_within_tolerance five_percent{1, 20};
  CHECK(five_percent.kept(booked, {user_id{1}, A, hour(9), watt_hours(31'500)}));
  CHECK_FALSE(five_percent.kept(booked, {user_id{1}, A, hour(9), watt_hours(31'501)}));
  const energy_within_tolerance broken{1, 0};
  CHECK_THROWS_AS((void)broken.kept(booked, {user_id{1}, A, hour(9), watt_hours(1)}), bad_input);
}

namespace {
// An operator's own time rule: an adjacent period still counts as on time.
struct within_one_period {
  [[nodiscard]] bool kept(const reservation& booked, const charging_record& actual) const noexcept {
    return booked.period.day == actual.period.day && std::abs(booked.period.slot - actual.period.slot) <= 1;
  }
};
}  // namespace

TEST_CASE("conformance rules are policies") {
  const reservation_credit_rule<within_one_period> lenient(criterion_weights::paper001());
  const auto rows = paper001_tables();
  // user1 came an hour early: on time under the lenient rule, so only the weights' sum applies.
  CHECK(lenient.assess(rows[0].booked, rows[0].actual).time == 1);
  CHECK(lenient.updated(8.25, rows[0].booked, rows[0].actual) == doctest::Approx(8.25 + 0.99999));
}

TEST_CASE("credit is capped at 10 and floored at 0 (or at the stated bounds)") {
  const reservation_credit_rule<> rule;
  const reservation booked{user_id{7}, A, hour(8), kilowatt_hours(10)};
  const charging_record kept{user_id{7}, A, hour(8), kilowatt_hours(10)};
  const charging_record broken{user_id{7}, B, hour(9), kilowatt_hours(1)};
  CHECK(rule.updated(9.5, booked, kept) == 10.0);
  CHECK(rule.updated(10.0, booked, kept) == 10.0);
  CHECK(rule.updated(0.5, booked, broken) == 0.0);
  CHECK(rule.updated(3.0, booked, broken) == doctest::Approx(3.0 - 0.99999));
  const reservation_credit_rule<> wide(criterion_weights::paper001(), credit_bounds{-5.0, 100.0});
  CHECK(wide.updated(0.5, booked, broken) == doctest::Approx(0.5 - 0.99999));
  CHECK(wide.updated(99.5, booked, kept) == 100.0);
}

TEST_CASE("property: batch settlement equals settling one by one (oracle with its own clamp)") {
  std::mt19937_64 rng(1001);
  std::uniform_int_distribution<std::uint64_t> user_of(0, 49);
  std::uniform_int_distribution<std::uint64_t> station_of(1, 4);
  std::uniform_int_distribution<std::int32_t> slot_of(0, 23);
  std::uniform_int_distribution<std::int64_t> wh(1, 60'000);
  std::uniform_real_distribution<double> start(0.0, 10.0);
  user_credit_book<> book;
  std::vector<double> oracle(50);
  for (std::uint64_t u = 0; u < 50; ++u) {
    oracle[u] = start(rng);
    book.enrol(user_id{u}, oracle[u]);
  }
  std::vector<settled_reservation> batch;
  for (int k = 0; k < 2000; ++k) {
    const user_id user{user_of(rng)};
    const reservation booked{user, station_id{station_of(rng)}, {0, slot_of(rng)}, watt_hours(wh(rng))};
    charging_record actual{user, rng() % 2 ? booked.station : station_id{station_of(rng)},
                           rng() % 2 ? booked.period : trading_period{0, slot_of(rng)}, watt_hours(wh(rng))};
    if (rng() % 3 == 0) actual.delivered = booked.amount;
    batch.push_back({booked, actual});
    // The oracle's own reading of eq. (1)-(2) and the clamp, with the printed weights.
    const double time = booked.period == actual.period ? 1 : -1;
    const double location = booked.station == actual.station ? 1 : -1;
    const double deviation = std::abs(static_cast<double>(actual.delivered.base() - booked.amount.base()));
    const double amount = deviation * 10 <= static_cast<double>(booked.amount.base()) ? 1 : -1;
    double& c = oracle[user.value];
    c = std::min(10.0, std::max(0.0, c + 0.73064 * time + 0.18839 * location + 0.08096 * amount));
  }
  book.settle_all(batch);
  for (std::uint64_t u = 0; u < 50; ++u) {
    CAPTURE(u);
    CHECK(book.credit(user_id{u}) == doctest::Approx(oracle[u]).epsilon(1e-12));
    CHECK(book.credit(user_id{u}) >= 0.0);
    CHECK(book.credit(user_id{u}) <= 10.0);
  }
}

TEST_CASE("settlement is all-or-nothing") {
  user_credit_book<> book;
  book.enrol(user_id{1}, 5.0);
  book.enrol(user_id{2}, 6.0);
  const reservation r1{user_id{1}, A, hour(8), kilowatt_hours(10)};
  const charging_record ok1{user_id{1}, A, hour(8), kilowatt_hours(10)};
  const reservation r2{user_id{2}, B, hour(8), kilowatt_hours(10)};
  const charging_record wrong_user{user_id{3}, B, hour(8), kilowatt_hours(10)};
  const std::vector<settled_reservation> bad_last{{r1, ok1}, {r2, wrong_user}};
  try {
    book.settle_all(bad_last);
    FAIL("expected bad_input");
  } catch (const bad_input& e) {
    CHECK(e.field() == "record.user");
    CHECK(e.value() == "3");
  }
  CHECK(book.credit(user_id{1}) == 5.0);
  CHECK(book.credit(user_id{2}) == 6.0);
  const reservation stranger{user_id{9}, A, hour(8), kilowatt_hours(10)};
  const std::vector<settled_reservation> unknown{{r1, ok1}, {stranger, {user_id{9}, A, hour(8), kilowatt_hours(10)}}};
  try {
    book.settle_all(unknown);
    FAIL("expected bad_input");
  } catch (const bad_input& e) {
    CHECK(e.field() == "batch[1].booked.user");
  }
  CHECK(book.credit(user_id{1}) == 5.0);
  CHECK(book.settle(r1, ok1) == doctest::Approx(5.99999));
}

TEST_CASE("bad input gives a typed error naming the field") {
  const reservation_credit_rule<> rule;
  const reservation booked{user_id{1}, A, hour(8), kilowatt_hours(10)};
  const charging_record actual{user_id{1}, A, hour(8), kilowatt_hours(10)};
  using evmarket_test::field_of;
  CHECK(field_of([&] { (void)rule.assess({user_id{1}, A, hour(8), energy::zero()}, actual); }) == "reservation.amount");
  CHECK(field_of([&] { (void)rule.assess(booked, {user_id{1}, A, hour(8), watt_hours(-1)}); }) == "record.delivered");
  CHECK(field_of([&] { (void)rule.updated(std::nan(""), booked, actual); }) == "credit");
  CHECK(field_of([&] { (void)rule.updated(10.5, booked, actual); }) == "credit");
  CHECK(field_of([&] { (void)rule.updated(-0.1, booked, actual); }) == "credit");
  CHECK(field_of([] { (void)reservation_credit_rule<>({-0.1, 0.5, 0.5}); }) == "weights.time");
  CHECK(field_of([] { (void)reservation_credit_rule<>({0.5, std::nan(""), 0.5}); }) == "weights.location");
  CHECK(field_of([] { (void)reservation_credit_rule<>(criterion_weights::paper001(), {5, 5}); }) == "bounds.floor");
  CHECK(field_of([] {
          (void)reservation_credit_rule<>(criterion_weights::paper001(), {0, INFINITY});
        }) == "bounds.cap");
  const double two[] = {0.5, 0.5};
  CHECK(field_of([&] { (void)criterion_weights::from(two); }) == "weights");
  user_credit_book<> book;
  CHECK(field_of([&] { book.enrol(user_id{1}, 11.0); }) == "credit");
  CHECK(field_of([&] { (void)book.credit(user_id{1}); }) == "user");
  CHECK_FALSE(book.contains(user_id{1}));
}

TEST_CASE("station creditworthiness, eq. (3): the sum over its distinct reserving users") {
  user_credit_book<> book;
  book.enrol(user_id{1}, 8.25);
  book.enrol(user_id{2}, 6.73);
  book.enrol(user_id{3}, 9.21);
  book.enrol(user_id{4}, 7.65);
  const std::vector<reservation> reservations{
      {user_id{1}, A, hour(11), kilowatt_hours(32)},
      {user_id{2}, A, hour(11), kilowatt_hours(34)},
      {user_id{2}, A, hour(11), kilowatt_hours(5)},  // a second booking by user 2 counts once
      {user_id{3}, B, hour(11), kilowatt_hours(40)},
      {user_id{4}, A, hour(12), kilowatt_hours(30)}};
  CHECK(station_creditworthiness(A, hour(11), reservations, book) == doctest::Approx(8.25 + 6.73));
  CHECK(station_creditworthiness(B, hour(11), reservations, book) == doctest::Approx(9.21));
  CHECK(station_creditworthiness(C, hour(11), reservations, book) == 0.0);
  CHECK(station_creditworthiness(A, hour(12), reservations, book) == doctest::Approx(7.65));
  const auto totals = station_creditworthiness(hour(11), reservations, book);
  CHECK(totals.size() == 2);
  CHECK(totals.at(A) == doctest::Approx(8.25 + 6.73));
  CHECK(totals.at(B) == doctest::Approx(9.21));
  // A reservation by an unenrolled user is an error, not a silent zero.
  const std::vector<reservation> stranger{{user_id{99}, A, hour(11), kilowatt_hours(1)}};
  CHECK_THROWS_AS((void)station_creditworthiness(A, hour(11), stranger, book), bad_input);
}
