// Session B: paper 001's reservation market driven call by call: Tables I-III through the
// session, two-party confirmation, phases and replays, and the invariants on seeded random days.
#include <evmarket/evmarket.hpp>

#include "ledger_toy_crypto.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace evmarket;

namespace {

using toy_sink = chain_ledger_sink<toy::hasher, toy::verifier, toy::signer>;
using session_type = reservation_market_session<toy::verifier, inverse_credit_curtailment, reservation_forecast,
                                                time_of_use_tariff, toy_sink>;

market_time at(int hour, int minute = 0) { return market_time::at(0, hour, minute); }
bytes key_of(const toy::signer& s) { return bytes(s.public_key().begin(), s.public_key().end()); }
double to_2(double v) { return std::round(v * 100) / 100; }

// A market of stations and users, each with its toy key pair.
struct market_fixture {
  session_type session{session_type::hourly(), toy::verifier{}, {}, {}, {}, toy_sink(toy::signer(200))};
  std::map<std::string, station_id> stations;
  std::map<station_id, toy::signer> station_keys;
  std::map<std::string, user_id> users;
  std::map<user_id, toy::signer> user_keys;
  std::uint8_t seed = 1;

  void station(const std::string& name) {
    const toy::signer key(seed++);
    stations[name] = session.enrol_station(name, key_of(key));
    station_keys.emplace(stations[name], key);
  }
  void user(const std::string& name, double credit) {
    const toy::signer key(seed++);
    users[name] = session.enrol_user(name, key_of(key), credit);
    user_keys.emplace(users[name], key);
  }
  // Both parties sign what the session priced, and the session records it.
  charge_result charge(std::uint64_t reservation, const std::string& station, energy delivered) {
    confirmed_trade c = session.propose_charge(reservation, stations.at(station), delivered);
    const user_id u = session_user(c.deal.buyer);
    c.buyer_signature = sign_confirmation(user_keys.at(u), c.deal, c.period, c.buyer_sequence, c.seller_sequence);
    c.seller_signature = sign_confirmation(station_keys.at(stations.at(station)), c.deal, c.period, c.buyer_sequence,
                                           c.seller_sequence);
    return session.confirm_charge(c);
  }
  user_id session_user(participant_id account) const {
    for (const auto& [name, u] : users)
      if (session.account_of(u) == account) return u;
    FAIL("unknown account");
    return {};
  }
};

}  // namespace

TEST_CASE("paper 001 Table I through the session: charging rights by creditworthiness") {
  market_fixture m;
  struct row { const char* name; double demand_kw, credit, printed_kw; };
  const std::vector<row> table{{"A", 380, 90.87, 296.95}, {"B", 701, 165.33, 655.35},
                               {"D", 1120, 256.74, 1090.50}, {"E", 991, 233.18, 957.18}};
  for (const row& r : table) m.station(r.name);
  const trading_period eleven{0, 11};  // 11:00-12:00, reported in 10:00-10:05
  m.session.clock().set(at(10));
  for (const row& r : table) m.session.report(eleven, m.stations[r.name], kilowatts(r.demand_kw), r.credit);
  CHECK_THROWS_AS(m.session.report(eleven, m.stations["A"], kilowatts(1), 1.0), bad_input);  // replay
  CHECK_THROWS_AS(m.session.allocate(eleven, kilowatts(3000)), phase_error);
  m.session.clock().set(at(10, 5));
  const allocation rights = m.session.allocate(eleven, kilowatts(3000));
  CHECK(rights.allocated == kilowatts(3000));
  for (std::size_t i = 0; i < table.size(); ++i)
    CHECK_MESSAGE(std::abs(rights.quotas[i].display() - table[i].printed_kw) <= 1.2, table[i].name);
  // Higher credit, smaller curtailment relative to it: D keeps the most of its demand.
  CHECK(rights.quotas[2].display() / 1120 > rights.quotas[0].display() / 380);
  CHECK_THROWS_AS(m.session.allocate(eleven, kilowatts(3000)), bad_input);  // once per period
}

TEST_CASE("paper 001 Tables II and III through the session: reservations, signed charges, credit updates") {
  market_fixture m;
  for (const char* s : {"A", "B", "C", "D", "E"}) m.station(s);
  struct row {
    const char* user;
    double credit;
    const char* reserved_station;
    double reserved_kwh;
    int reserved_hour;
    const char* traded_station;
    double traded_kwh;
    int traded_hour;
    double printed_after;
  };
  const std::vector<row> table{{"user1", 8.25, "A", 32, 11, "A", 34.35, 10, 7.79},
                               {"user2", 6.73, "D", 34, 13, "C", 36.56, 13, 7.35},
                               {"user3", 9.21, "B", 40, 14, "B", 32.33, 15, 8.59},
                               {"user4", 7.65, "E", 30, 15, "E", 31.64, 15, 8.65},
                               {"user5", 8.34, "C", 36, 17, "C", 35.89, 17, 9.34}};
  for (const row& r : table) m.user(r.user, r.credit);
  // Table II: reservations, made in the morning.
  m.session.clock().set(at(8));
  std::map<std::string, std::uint64_t> booked;
  for (const row& r : table)
    booked[r.user] = m.session.reserve(m.users[r.user], m.stations[r.reserved_station], {0, r.reserved_hour},
                                       kilowatt_hours(r.reserved_kwh));
  CHECK_THROWS_AS(m.session.reserve(m.users["user1"], m.stations["B"], {0, 11}, kilowatt_hours(1)), bad_input);
  // Eq. 3 through the forecast report: station A holds user1's reservation for 11:00.
  m.session.clock().set(at(10));
  const station_request a_report = m.session.report({0, 11}, m.stations["A"]);
  CHECK(a_report.credit == doctest::Approx(8.25));
  CHECK(a_report.demand == kilowatts(32));  // 32 kWh reserved over one hour, no history given
  // Table III: each charge in its hour, signed by both parties; each period then settles.
  std::map<std::string, double> after;
  for (int hour = 10; hour <= 17; ++hour) {
    m.session.clock().set(at(hour, 30));
    for (const row& r : table)
      if (r.traded_hour == hour)
        REQUIRE(m.charge(booked[r.user], r.traded_station, kilowatt_hours(r.traded_kwh)).status ==
                charge_status::accepted);
    m.session.clock().set(at(hour + 1));
    for (const credit_update& u : m.session.settle({0, hour}))
      for (const row& r : table)
        if (m.users[r.user] == u.user) after[r.user] = u.after;
  }
  for (const row& r : table) {
    CHECK_MESSAGE(to_2(after.at(r.user)) == r.printed_after, r.user);
    CHECK(m.session.credit(m.users[r.user]) == after.at(r.user));
  }
  // Money: every charge paid the 18:00 tariff's band at its hour; the books net to zero and the
  // ledger's trace shows the same totals.
  money total = money::zero();
  for (const auto& [who, amount] : m.session.balances()) total += amount;
  CHECK(total == money::zero());
  REQUIRE(m.session.sink().verify().ok());
  const ledger_trace<toy::hasher, toy::verifier> trace(m.session.sink().ledger(), m.session.registry());
  CHECK(trace.trades().size() == table.size());
  std::map<participant_id, money> traced;
  for (const auto& [key, totals] : trace.all_totals()) traced[key.first] += totals.received - totals.paid;
  for (const auto& [who, amount] : m.session.balances()) CHECK(traced[who] == amount);
  m.session.clock().set(market_time::at(1, 0, 0));
  CHECK(m.session.close_day(0).empty());  // every reservation was charged
}

TEST_CASE("a no-show loses credit on every criterion when the day closes; forged and replayed charges fail") {
  market_fixture m;
  m.station("A");
  m.station("B");
  m.user("u", 5.0);
  m.user("v", 5.0);
  m.session.clock().set(at(6));
  const std::uint64_t r_u = m.session.reserve(m.users["u"], m.stations["A"], {0, 9}, kilowatt_hours(10));
  const std::uint64_t r_v = m.session.reserve(m.users["v"], m.stations["B"], {0, 9}, kilowatt_hours(10));
  CHECK_THROWS_AS(m.session.reserve(m.users["u"], m.stations["A"], {0, 7}, kilowatt_hours(10)), phase_error);
  CHECK(evmarket_test::field_of([&] {
          static_cast<void>(m.session.reserve(m.users["u"], m.stations["A"], {0, 12}, kilowatt_hours(0)));
        }) == "amount");
  m.session.clock().set(at(9, 10));
  confirmed_trade c = m.session.propose_charge(r_v, m.stations["B"], kilowatt_hours(10));
  c.buyer_signature = sign_confirmation(m.user_keys.at(m.users["v"]), c.deal, c.period, c.buyer_sequence,
                                        c.seller_sequence);
  c.seller_signature = c.buyer_signature;  // forged: the station never signed
  const charge_result forged = m.session.confirm_charge(c);
  CHECK(forged.status == charge_status::rejected_confirmation);
  CHECK(forged.confirmation == confirmation_status::bad_seller_signature);
  CHECK(m.session.balances().empty());
  REQUIRE(m.charge(r_v, "B", kilowatt_hours(10)).status == charge_status::accepted);
  CHECK_THROWS_AS(m.charge(r_v, "B", kilowatt_hours(10)), bad_input);  // that reservation is charged
  m.session.clock().set(at(10));
  CHECK(m.session.settle({0, 9}).size() == 1);
  CHECK_THROWS_AS(m.session.settle({0, 9}), bad_input);  // once
  CHECK_THROWS_AS(m.session.close_day(0), phase_error);
  m.session.clock().set(market_time::at(1, 0, 0));
  const std::vector<credit_update> closed = m.session.close_day(0);
  REQUIRE(closed.size() == 1);
  CHECK(closed[0].user == m.users["u"]);
  CHECK(closed[0].reservation_number == r_u);
  const criterion_weights w = criterion_weights::paper001();
  CHECK(closed[0].after == doctest::Approx(5.0 - w.time - w.location - w.amount));
  CHECK(m.session.sink().verify().ok());
}

TEST_CASE("a station's charges are capped by its allocated right in the period") {
  market_fixture m;
  m.station("A");
  m.user("u", 9.0);
  m.user("v", 9.0);
  m.session.clock().set(at(6));
  const std::uint64_t r_u = m.session.reserve(m.users["u"], m.stations["A"], {0, 9}, kilowatt_hours(30));
  const std::uint64_t r_v = m.session.reserve(m.users["v"], m.stations["A"], {0, 9}, kilowatt_hours(30));
  m.session.clock().set(at(8));
  const station_request report = m.session.report({0, 9}, m.stations["A"]);
  CHECK(report.demand == kilowatts(60));
  CHECK(report.credit == doctest::Approx(18.0));
  m.session.clock().set(at(8, 5));
  CHECK(m.session.allocate({0, 9}, kilowatts(40)).quotas[0] == kilowatts(40));
  m.session.clock().set(at(9));
  CHECK(m.charge(r_u, "A", kilowatt_hours(30)).status == charge_status::accepted);
  CHECK(m.charge(r_v, "A", kilowatt_hours(30)).status == charge_status::exceeds_station_right);
  CHECK(m.charge(r_v, "A", kilowatt_hours(10)).status == charge_status::accepted);
}

TEST_CASE("seeded random days: money nets to zero, ledger totals equal the session's, chain verifies") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    std::mt19937_64 random(seed);
    market_fixture m;
    for (int s = 0; s < 4; ++s) m.station("S" + std::to_string(s));
    for (int u = 0; u < 12; ++u) m.user("U" + std::to_string(u), static_cast<double>(random() % 10));
    m.session.clock().set(at(1));
    std::vector<std::pair<std::uint64_t, int>> bookings;  // (number, hour)
    for (int u = 0; u < 12; ++u) {
      const int hour = 3 + static_cast<int>(random() % 18);
      bookings.emplace_back(m.session.reserve(m.users["U" + std::to_string(u)],
                                              m.stations["S" + std::to_string(random() % 4)], {0, hour},
                                              watt_hours(static_cast<std::int64_t>(1 + random() % 40'000))),
                            hour);
    }
    for (int hour = 2; hour <= 22; ++hour) {
      m.session.clock().set(at(hour, 15));
      for (const auto& [number, reserved_hour] : bookings)
        if (reserved_hour + static_cast<int>(number % 3) - 1 == hour)  // early, on time or late
          static_cast<void>(m.charge(number, "S" + std::to_string(number % 4),
                                     watt_hours(static_cast<std::int64_t>(1 + random() % 40'000))));
      m.session.clock().set(at(hour + 1));
      static_cast<void>(m.session.settle({0, hour}));
    }
    m.session.clock().set(market_time::at(1, 0, 0));
    static_cast<void>(m.session.close_day(0));
    money total = money::zero();
    for (const auto& [who, amount] : m.session.balances()) total += amount;
    CHECK(total == money::zero());
    REQUIRE(m.session.sink().verify().ok());
    const ledger_trace<toy::hasher, toy::verifier> trace(m.session.sink().ledger(), m.session.registry());
    CHECK(trace.untrusted().empty());
    std::map<participant_id, money> traced;
    for (const auto& [key, totals] : trace.all_totals()) traced[key.first] += totals.received - totals.paid;
    for (const auto& [who, amount] : m.session.balances()) CHECK(traced[who] == amount);
    for (int u = 0; u < 12; ++u) {
      const double c = m.session.credit(m.users["U" + std::to_string(u)]);
      CHECK((c >= 0.0 && c <= 10.0));
    }
  }
}
