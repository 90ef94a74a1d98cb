// The radial feeder behind the sessions' security check: topology errors, a hand-worked feeder,
// and seeded random feeders and trade sequences against an oracle that recomputes every line's
// flow from scratch (the net load of the subtree below it) instead of walking paths.
#include <evmarket/market/network.hpp>

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

using namespace evmarket;

namespace {

//      0 (transformer, 100 kW)
//      |  line 0: 60 kW
//      1
//     / \      line 1 (1-2): 30 kW, line 2 (3-1): 40 kW, written child first
//    2   3
//        |  line 3: 20 kW
//        4
radial_feeder small_feeder() {
  const std::vector<feeder_line> lines{
      {0, 1, kilowatts(60)}, {1, 2, kilowatts(30)}, {3, 1, kilowatts(40)}, {3, 4, kilowatts(20)}};
  radial_feeder feeder(5, lines, kilowatts(100));
  for (bus_index bus = 0; bus < 5; ++bus) feeder.place(participant_id{10 + bus}, bus);
  return feeder;
}
participant_id at_bus(bus_index bus) { return participant_id{10 + bus}; }

}  // namespace

TEST_CASE("bad topology is refused, naming the line or bus") {
  const auto build = [](std::size_t buses, std::vector<feeder_line> lines, power limit = kilowatts(10)) {
    return radial_feeder(buses, lines, limit);
  };
  CHECK_THROWS_WITH_AS(build(3, {{0, 1, kilowatts(5)}, {1, 0, kilowatts(5)}}), doctest::Contains("lines[1]"),
                       bad_input);  // a cycle of two lines (and bus 2 unreachable)
  CHECK_THROWS_WITH_AS(build(3, {{0, 1, kilowatts(5)}, {1, 1, kilowatts(5)}}), doctest::Contains("cycle"), bad_input);
  CHECK_THROWS_WITH_AS(build(3, {{0, 1, kilowatts(5)}, {1, 7, kilowatts(5)}}), doctest::Contains("lines[1].second_bus"),
                       bad_input);
  CHECK_THROWS_WITH_AS(build(3, {{0, 1, kilowatts(5)}, {1, 2, watts(-1)}}), doctest::Contains("lines[1].limit"),
                       bad_input);
  CHECK_THROWS_WITH_AS(build(3, {{0, 1, kilowatts(5)}}), doctest::Contains("lines"), bad_input);
  CHECK_THROWS_WITH_AS(build(2, {{0, 1, kilowatts(5)}}, watts(-1)), doctest::Contains("transformer_limit"), bad_input);
  CHECK_THROWS_AS(build(0, {}), bad_input);
  CHECK_NOTHROW(build(1, {}));  // the transformer alone
}

TEST_CASE("a hand-worked feeder: paths, reservations, refusals, release, fees") {
  radial_feeder feeder = small_feeder();
  CHECK(feeder.path(4, 2) == std::vector<std::size_t>{3, 2, 1});
  CHECK(feeder.path(2, 0) == std::vector<std::size_t>{1, 0});
  // Base load: 10 kW at bus 4, PV exporting 5 kW at bus 2.
  feeder.set_base_load(4, kilowatts(10));
  feeder.set_base_load(2, kilowatts(-5));
  CHECK(feeder.flow(3) == kilowatts(10));
  CHECK(feeder.flow(2) == kilowatts(10));
  CHECK(feeder.flow(0) == kilowatts(5));
  CHECK(feeder.transformer_flow() == kilowatts(5));
  // 2 sells 8 kW to 4: line 3 goes 10 -> 18 kW (limit 20), line 1 from -5 to -13.
  const security_verdict first = feeder.check_and_reserve(at_bus(2), at_bus(4), kilowatts(8));
  REQUIRE(first.passed);
  CHECK(feeder.flow(3) == kilowatts(18));
  CHECK(feeder.flow(1) == kilowatts(-13));
  CHECK(feeder.flow(0) == kilowatts(5));  // trades inside the feeder leave the transformer alone
  CHECK(feeder.utilisation(3) == doctest::Approx(0.9));
  CHECK(feeder.headroom(3) == std::pair{kilowatts(2), kilowatts(38)});
  // 3 more kW to bus 4 would overload line 3: refused, naming it, and nothing changes.
  const security_verdict second = feeder.check_and_reserve(at_bus(1), at_bus(4), kilowatts(3));
  CHECK_FALSE(second.passed);
  CHECK(second.congested_line == 3);
  CHECK(feeder.flow(3) == kilowatts(18));
  // Counter-flow relieves it; then the refused trade fits.
  const security_verdict relief = feeder.check_and_reserve(at_bus(4), at_bus(3), kilowatts(5));
  REQUIRE(relief.passed);
  CHECK(feeder.check_and_reserve(at_bus(1), at_bus(4), kilowatts(3)).passed);
  CHECK(feeder.flow(3) == kilowatts(16));
  feeder.release(first.ticket);
  CHECK(feeder.flow(3) == kilowatts(8));
  CHECK(feeder.flow(1) == kilowatts(-5));
  CHECK_THROWS_AS(feeder.release(first.ticket), bad_input);
  CHECK_THROWS_AS(feeder.release(99), bad_input);
  feeder.release_all();
  CHECK(feeder.flow(3) == kilowatts(10));
  CHECK(feeder.flow(2) == kilowatts(10));
  // Fees on lines 3 and 1: a trade 4 -> 2 crosses both (and line 2).
  feeder.post_congestion_fee(3, tokens_per_kwh(2));
  feeder.post_congestion_fee(1, tokens_per_kwh(0.5));
  CHECK(feeder.congestion_fee(at_bus(4), at_bus(2)) == tokens_per_kwh(2.5));
  CHECK(feeder.congestion_fee(at_bus(0), at_bus(1)) == price::zero());
  CHECK_THROWS_AS(feeder.check_and_reserve(participant_id{99}, at_bus(1), kilowatts(1)), bad_input);
  CHECK_THROWS_AS(feeder.check_and_reserve(at_bus(1), at_bus(2), watts(0)), bad_input);
}

TEST_CASE("a base load that overloads a line: trades adding to it are refused, relief passes") {
  radial_feeder feeder = small_feeder();
  feeder.set_base_load(4, kilowatts(25));  // line 3 at 25 kW over its 20 kW
  CHECK(feeder.utilisation(3) == doctest::Approx(1.25));
  CHECK(feeder.headroom(3).first == power::zero());
  CHECK_FALSE(feeder.check_and_reserve(at_bus(3), at_bus(4), watts(1)).passed);
  CHECK(feeder.check_and_reserve(at_bus(4), at_bus(3), kilowatts(3)).passed);  // 25 -> 22: relief
}

TEST_CASE("the trivial checks: always passes, and one transformer margin") {
  always_secure anything;
  CHECK(anything.check_and_reserve(participant_id{1}, participant_id{2}, kilowatts(1e6)).passed);
  transformer_limit_only margin(kilowatts(10));
  const security_verdict a = margin.check_and_reserve(participant_id{1}, participant_id{2}, kilowatts(6));
  REQUIRE(a.passed);
  CHECK_FALSE(margin.check_and_reserve(participant_id{3}, participant_id{4}, kilowatts(5)).passed);
  margin.release(a.ticket);
  CHECK(margin.check_and_reserve(participant_id{3}, participant_id{4}, kilowatts(10)).passed);
  CHECK_THROWS_AS(margin.release(a.ticket), bad_input);
  CHECK(margin.reserved() == kilowatts(10));
}

TEST_CASE("tickets: storage follows the reservations held; a stale ticket never names a new one") {
  radial_feeder feeder = small_feeder();
  transformer_limit_only margin(kilowatts(1'000));
  std::vector<std::uint64_t> spent_feeder, spent_margin;
  // A long-running feeder: many periods of check, release, check again.
  for (int round = 0; round < 200; ++round) {
    const security_verdict a = feeder.check_and_reserve(at_bus(2), at_bus(4), kilowatts(1));
    const security_verdict b = feeder.check_and_reserve(at_bus(4), at_bus(3), kilowatts(2));
    const security_verdict m = margin.check_and_reserve(participant_id{1}, participant_id{2}, kilowatts(3));
    REQUIRE((a.passed && b.passed && m.passed));
    for (const std::uint64_t old : spent_feeder) CHECK((old != a.ticket && old != b.ticket));
    for (const std::uint64_t old : spent_margin) CHECK(old != m.ticket);
    if (round == 0) {  // the first tickets are the small numbers; later ones reuse their slots
      CHECK(a.ticket == 1);
      CHECK(b.ticket == 2);
    }
    feeder.release(b.ticket);
    margin.release(m.ticket);
    CHECK_THROWS_AS(feeder.release(b.ticket), bad_input);
    CHECK_THROWS_AS(margin.release(m.ticket), bad_input);
    if (round % 2 == 0) {
      feeder.release(a.ticket);
    } else {
      feeder.release_all();  // spends a's ticket too
      CHECK_THROWS_AS(feeder.release(a.ticket), bad_input);
    }
    CHECK(feeder.flow(3) == power::zero());
    CHECK(margin.reserved() == power::zero());
    spent_feeder.insert(spent_feeder.end(), {a.ticket, b.ticket});
    spent_margin.push_back(m.ticket);
  }
  // Two slots served all 400 feeder reservations: the tickets' slot parts never pass 2.
  for (const std::uint64_t t : spent_feeder) CHECK((t & 0xffff'ffffU) <= 2);
  for (const std::uint64_t t : spent_margin) CHECK((t & 0xffff'ffffU) == 1);
}

namespace {

// The oracle: every line's flow as the net load below it, summed bus by bus from scratch.
struct oracle {
  std::vector<bus_index> parent;         // by bus; parent[0] unused
  std::vector<std::size_t> line_of_bus;  // by bus
  std::vector<std::int64_t> limit;       // by line
  std::vector<std::int64_t> load;        // by bus: base load and every reservation held

  std::vector<std::int64_t> flows() const {
    std::vector<std::int64_t> flow(limit.size(), 0);
    for (bus_index bus = 1; bus < parent.size(); ++bus)
      for (bus_index at = bus; at != 0; at = parent[at]) flow[line_of_bus[at]] += load[bus];
    return flow;
  }
  // Whether moving `q` from bus s to bus b passes, by comparing every line before and after.
  bool passes(bus_index s, bus_index b, std::int64_t q) {
    const std::vector<std::int64_t> before = flows();
    load[b] += q;
    load[s] -= q;
    const std::vector<std::int64_t> after = flows();
    load[b] -= q;
    load[s] += q;
    for (std::size_t l = 0; l < limit.size(); ++l)
      if (std::abs(after[l]) > limit[l] && std::abs(after[l]) > std::abs(before[l])) return false;
    return true;
  }
};

void check_random_feeder(std::uint64_t seed) {
  std::mt19937_64 random(seed);
  const std::size_t buses = 2 + random() % 40;
  // A random tree: each bus hangs from an earlier one; then the buses are renumbered (keeping 0 at
  // the transformer) and the lines listed in random order and orientation.
  std::vector<bus_index> label(buses);
  std::iota(label.begin(), label.end(), bus_index{0});
  std::shuffle(label.begin() + 1, label.end(), random);
  oracle o;
  o.parent.assign(buses, 0);
  o.line_of_bus.assign(buses, 0);
  o.load.assign(buses, 0);
  std::vector<feeder_line> lines;
  for (std::size_t k = 1; k < buses; ++k) {
    const bus_index child = label[k], parent = label[random() % k];
    const auto limit = static_cast<std::int64_t>(random() % 50'000);
    o.parent[child] = parent;
    lines.push_back(random() % 2 ? feeder_line{parent, child, watts(limit)} : feeder_line{child, parent, watts(limit)});
  }
  std::vector<std::size_t> order(lines.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::shuffle(order.begin(), order.end(), random);
  std::vector<feeder_line> listed;
  for (const std::size_t i : order) listed.push_back(lines[i]);
  for (std::size_t l = 0; l < listed.size(); ++l) {
    const bus_index child = o.parent[listed[l].first_bus] == listed[l].second_bus && listed[l].first_bus != 0
                                ? listed[l].first_bus
                                : listed[l].second_bus;
    o.line_of_bus[child] = l;
    o.limit.push_back(listed[l].limit.base());
  }
  radial_feeder feeder(buses, listed, kilowatts(1'000));
  for (bus_index bus = 0; bus < buses; ++bus) {
    feeder.place(participant_id{bus + 1}, bus);
    const auto base = static_cast<std::int64_t>(random() % 20'000) - 10'000;
    if (bus != 0) feeder.set_base_load(bus, watts(base));
    if (bus != 0) o.load[bus] = base;
  }
  struct held {
    std::uint64_t ticket;
    bus_index s, b;
    std::int64_t q;
  };
  std::vector<held> tickets;
  for (int step = 0; step < 300; ++step) {
    if (!tickets.empty() && random() % 4 == 0) {
      const std::size_t pick = random() % tickets.size();
      feeder.release(tickets[pick].ticket);
      o.load[tickets[pick].b] -= tickets[pick].q;
      o.load[tickets[pick].s] += tickets[pick].q;
      tickets.erase(tickets.begin() + static_cast<std::ptrdiff_t>(pick));
    } else {
      const auto s = static_cast<bus_index>(random() % buses), b = static_cast<bus_index>(random() % buses);
      const auto q = static_cast<std::int64_t>(1 + random() % 15'000);
      const bool expected = o.passes(s, b, q);
      const security_verdict v = feeder.check_and_reserve(participant_id{s + 1u}, participant_id{b + 1u}, watts(q));
      REQUIRE(v.passed == expected);
      if (v.passed) {
        o.load[b] += q;
        o.load[s] -= q;
        tickets.push_back({v.ticket, s, b, q});
      } else {
        // The named line is one the oracle finds overloaded by this trade.
        REQUIRE(v.congested_line < listed.size());
        const auto path = feeder.path(s, b);
        CHECK(std::find(path.begin(), path.end(), v.congested_line) != path.end());
      }
    }
    const std::vector<std::int64_t> flows = o.flows();
    for (std::size_t l = 0; l < flows.size(); ++l) REQUIRE(feeder.flow(l).base() == flows[l]);
  }
}

}  // namespace

TEST_CASE("seeded random feeders: every check and every flow agrees with the from-scratch oracle") {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) check_random_feeder(seed);
}

TEST_CASE("congestion fees: the lines a trade crosses are exactly those whose flow it changes") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 random(seed);
    const std::size_t buses = 2 + random() % 30;
    std::vector<feeder_line> lines;
    for (bus_index bus = 1; bus < buses; ++bus)
      lines.push_back({static_cast<bus_index>(random() % bus), bus, kilowatts(1e6)});
    radial_feeder feeder(buses, lines, kilowatts(1e6));
    std::vector<std::int64_t> fee(lines.size());
    for (std::size_t l = 0; l < lines.size(); ++l) {
      fee[l] = static_cast<std::int64_t>(random() % 1'000'000);
      feeder.post_congestion_fee(l, micro_tokens_per_kwh(fee[l]));
    }
    for (bus_index bus = 0; bus < buses; ++bus) feeder.place(participant_id{bus + 1u}, bus);
    for (int trial = 0; trial < 30; ++trial) {
      const auto s = static_cast<bus_index>(random() % buses), b = static_cast<bus_index>(random() % buses);
      std::vector<std::int64_t> before(lines.size()), after(lines.size());
      for (std::size_t l = 0; l < lines.size(); ++l) before[l] = feeder.flow(l).base();
      const security_verdict v = feeder.check_and_reserve(participant_id{s + 1u}, participant_id{b + 1u}, watts(7));
      REQUIRE(v.passed);
      std::int64_t expected = 0;
      for (std::size_t l = 0; l < lines.size(); ++l)
        if (feeder.flow(l).base() != before[l]) expected += fee[l];
      CHECK(feeder.congestion_fee(participant_id{s + 1u}, participant_id{b + 1u}) == micro_tokens_per_kwh(expected));
      feeder.release(v.ticket);
    }
  }
}
