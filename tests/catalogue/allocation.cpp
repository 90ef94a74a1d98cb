// Catalogue rows for allocation/: the proportional (beta) rule and the credit-priority rules.
#include "catalogue.hpp"

#include <bit>
#include <cmath>
#include <limits>
#include <tuple>

namespace {

using namespace evmarket;
using evmarket_catalogue::section;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr std::int64_t max64 = std::numeric_limits<std::int64_t>::max();

std::vector<station_request> requests(std::initializer_list<std::tuple<std::uint64_t, std::int64_t, double>> rows) {
  std::vector<station_request> out;
  for (const auto& [id, watts_asked, credit] : rows) out.push_back({station_id{id}, watts(watts_asked), credit});
  return out;
}

/// The requests as comparable values (credits by bit pattern, so a NaN equals itself).
auto snap_requests(const std::vector<station_request>& r) {
  std::vector<std::tuple<std::uint64_t, std::int64_t, std::uint64_t>> out;
  for (const station_request& x : r)
    out.emplace_back(x.station.value, x.demand.base(), std::bit_cast<std::uint64_t>(x.credit));
  return out;
}

/// A caller's requests and a result from an earlier period that a failed allocate_into must not touch.
struct reuse {
  std::vector<station_request> asked;
  allocation previous;
};
auto snapshot_reuse(const reuse& r) {
  return std::tuple(r.previous.quotas, r.previous.capacity, r.previous.total_demand, r.previous.allocated,
                    r.previous.satisfaction.numerator, r.previous.satisfaction.denominator);
}

/// The bad inputs every AllocationRule refuses, tried against `rule.allocate`.
template <class Rule>
void common_rows(section& s, const std::string& entry, Rule rule) {
  const auto with = [](std::vector<station_request> r) { return [r] { return r; }; };
  const auto run = [rule](power capacity) {
    return [rule, capacity](std::vector<station_request>& r) { (void)rule.allocate(capacity, r); };
  };
  s.on<bad_input>(entry, "negative capacity", "capacity", "-5", with(requests({{1, 10, 1}})), run(watts(-5)), snap_requests,
                  "requests");
  s.on<bad_input>(entry, "empty requests", "requests", "[]", with({}), run(watts(5)), snap_requests, "requests");
  s.on<bad_input>(entry, "negative demand", "requests[1].demand", "-1", with(requests({{1, 10, 1}, {2, -1, 1}})),
                  run(watts(5)), snap_requests, "requests");
  s.on<bad_input>(entry, "duplicate station id", "requests.station", "100",
                  with(requests({{100, 10, 1}, {7, 3, 1}, {100, 4, 1}})), run(watts(5)), snap_requests, "requests");
  s.on<overflow_error>(entry, "overflow: total demand beyond 2^63 W", "total demand", "leaves the 64-bit range",
                       with(requests({{1, max64, 1}, {2, max64, 1}})), run(watts(5)), snap_requests, "requests");
}

template <class Rule>
void credit_rows(section& s, const std::string& entry, Rule rule) {
  const auto credit = [](double c) { return [c] { return requests({{1, 10, 1}, {2, 20, c}}); }; };
  const auto run = [rule](std::vector<station_request>& r) { (void)rule.allocate(watts(5), r); };
  s.on<bad_input>(entry, "NaN credit", "requests[1].credit", "NaN", credit(nan), run, snap_requests, "requests");
  s.on<bad_input>(entry, "+infinite credit", "requests[1].credit", "+inf", credit(inf), run, snap_requests, "requests");
  s.on<bad_input>(entry, "zero credit", "requests[1].credit", "0", credit(0), run, snap_requests, "requests");
  s.on<bad_input>(entry, "negative credit", "requests[1].credit", "-2", credit(-2), run, snap_requests, "requests");
}

const bool registered = evmarket_catalogue::add_section(20, "allocation", [](section& s) {
  common_rows(s, "proportional_allocation::allocate", proportional_allocation{});
  common_rows(s, "inverse_credit_curtailment::allocate", inverse_credit_curtailment{});
  common_rows(s, "strict_credit_priority::allocate", strict_credit_priority{});
  credit_rows(s, "inverse_credit_curtailment::allocate", inverse_credit_curtailment{});
  credit_rows(s, "strict_credit_priority::allocate", strict_credit_priority{});
  s.on<bad_input>("inverse_credit_curtailment::allocate", "demand above 2^53 W", "requests[0].demand",
                  "9007199254740993", [] { return requests({{1, (std::int64_t{1} << 53) + 1, 1}, {2, 5, 1}}); },
                  [](std::vector<station_request>& r) { (void)inverse_credit_curtailment{}.allocate(watts(5), r); },
                  snap_requests, "requests");

  // allocate_into must leave the caller's previous result as it was.
  const auto previous = [](std::vector<station_request> asked) {
    return [asked] {
      reuse r{asked, proportional_allocation{}.allocate(watts(7), requests({{1, 4, 0}, {2, 6, 0}}))};
      return r;
    };
  };
  const auto into = [](power capacity) {
    return [capacity](reuse& r) { proportional_allocation{}.allocate_into(capacity, r.asked, r.previous); };
  };
  s.on<bad_input>("proportional_allocation::allocate_into", "negative capacity", "capacity", "-1",
                  previous(requests({{1, 4, 0}})), into(watts(-1)), snapshot_reuse, "previous result");
  s.on<bad_input>("proportional_allocation::allocate_into", "empty requests", "requests", "[]", previous({}),
                  into(watts(1)), snapshot_reuse, "previous result");
  s.on<bad_input>("proportional_allocation::allocate_into", "negative demand", "requests[0].demand", "-4",
                  previous(requests({{1, -4, 0}})), into(watts(1)), snapshot_reuse, "previous result");
  s.on<bad_input>("proportional_allocation::allocate_into", "duplicate station id", "requests.station", "2",
                  previous(requests({{2, 4, 0}, {2, 5, 0}})), into(watts(1)), snapshot_reuse, "previous result");
  s.on<overflow_error>("proportional_allocation::allocate_into", "overflow: total demand beyond 2^63 W",
                       "total demand", "leaves the 64-bit range", previous(requests({{1, max64, 0}, {2, 1, 0}})),
                       into(watts(1)), snapshot_reuse, "previous result");
});

}  // namespace
