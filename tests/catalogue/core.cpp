// Catalogue rows for core/: units, checked arithmetic, trading periods.
#include "catalogue.hpp"

#include <cmath>
#include <limits>

namespace {

using namespace evmarket;
using evmarket_catalogue::same;
using evmarket_catalogue::section;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr std::int64_t max64 = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t min64 = std::numeric_limits<std::int64_t>::min();

/// A display-unit constructor against NaN, both infinities and a value beyond 64 bits.
template <class Make>
void display_constructor(section& s, const std::string& name, Make make, double too_big, const std::string& too_big_text) {
  s.call<bad_input>(name + "(double)", "NaN", name, "NaN", [=] { (void)make(nan); });
  s.call<bad_input>(name + "(double)", "+infinity", name, "+inf", [=] { (void)make(inf); });
  s.call<bad_input>(name + "(double)", "-infinity", name, "-inf", [=] { (void)make(-inf); });
  s.call<bad_input>(name + "(double)", "overflow: beyond 2^63 base units", name, too_big_text,
                    [=] { (void)make(too_big); });
  s.call<bad_input>(name + "(double)", "overflow: beyond -2^63 base units", name, "-" + too_big_text,
                    [=] { (void)make(-too_big); });
}

const bool registered = evmarket_catalogue::add_section(10, "core", [](section& s) {
  display_constructor(s, "kilowatts", [](double v) { return kilowatts(v); }, 1e17, "1e+17");
  display_constructor(s, "kilowatt_hours", [](double v) { return kilowatt_hours(v); }, 2e16, "20000000000000000");
  display_constructor(s, "tokens", [](double v) { return tokens(v); }, 1e14, "100000000000000");
  display_constructor(s, "tokens_per_kwh", [](double v) { return tokens_per_kwh(v); }, 3e13, "30000000000000");
  s.call<bad_input>("quantity::from_display", "NaN, field named by the caller", "requests[2].demand", "NaN",
                    [] { (void)power::from_display(nan, rounding::nearest, "requests[2].demand"); });
  s.call<bad_input>("quantity::from_display", "overflow: 1e300 (beyond double once scaled)", "price", "1.0000000000000001e+300",
                    [] { (void)price::from_display(1e300, rounding::up, "price"); });

  // Checked arithmetic on a quantity held by the caller: a failed += or -= leaves it as it was.
  auto big = [] { return power::max(); };
  s.on<overflow_error>("quantity::operator+=", "overflow: max + 1 W", "power arithmetic",
                       "9223372036854775807 + 1", big, [](power& p) { p += watts(1); }, same);
  s.on<overflow_error>("quantity::operator-=", "overflow: min - 1 W", "power arithmetic",
                       "-9223372036854775808 - 1", [] { return watts(min64); }, [](power& p) { p -= watts(1); },
                       same);
  s.call<overflow_error>("quantity::operator+", "overflow: max + max (energy)", "energy arithmetic",
                         "9223372036854775807 + 9223372036854775807",
                         [] { (void)(energy::max() + energy::max()); });
  s.call<overflow_error>("quantity::operator-", "overflow: min - max (money)", "money arithmetic",
                         "-9223372036854775808 - 9223372036854775807",
                         [] { (void)(micro_tokens(min64) - money::max()); });
  s.call<overflow_error>("quantity::operator- (unary)", "overflow: -(-2^63)", "price arithmetic",
                         "0 - -9223372036854775808", [] { (void)(-micro_tokens_per_kwh(min64)); });
  s.call<overflow_error>("quantity::operator*", "overflow: max * 2", "power arithmetic", "9223372036854775807 * 2",
                         [] { (void)(power::max() * 2); });
  s.call<overflow_error>("quantity::operator*", "overflow: -1 * min", "money arithmetic",
                         "-9223372036854775808 * -1", [] { (void)(-1 * micro_tokens(min64)); });
  s.call<bad_input>("quantity::scaled", "zero denominator", "divisor", "0",
                    [] { (void)micro_tokens(1).scaled(1, 0, rounding::down); });
  s.call<overflow_error>("quantity::scaled", "overflow: max * 3 / 2", "money arithmetic",
                         "result 13835058055282163710 leaves the 64-bit range",
                         [] { (void)money::max().scaled(3, 2, rounding::down); });
  s.call<overflow_error>("cost", "overflow: max price x max energy", "cost", "leaves the 64-bit range",
                         [] { (void)cost(price::max(), energy::max(), rounding::down); });
  s.call<bad_input>("energy_over", "negative minutes", "minutes", "-1",
                    [] { (void)energy_over(watts(1), -1, rounding::nearest); });
  s.call<overflow_error>("energy_over", "overflow: max power for 120 minutes", "energy_over",
                         "leaves the 64-bit range", [] { (void)energy_over(power::max(), 120, rounding::nearest); });
  s.call<bad_input>("average_power", "zero minutes", "minutes", "0",
                    [] { (void)average_power(kilowatt_hours(10), 0, rounding::nearest); });
  s.call<bad_input>("average_power", "negative minutes", "minutes", "-30",
                    [] { (void)average_power(kilowatt_hours(10), -30, rounding::nearest); });
  s.call<overflow_error>("average_power", "overflow: max energy in 1 minute", "average_power",
                         "leaves the 64-bit range", [] { (void)average_power(energy::max(), 1, rounding::nearest); });
  s.call<bad_input>("unit_price_of", "zero energy", "amount", "0",
                    [] { (void)unit_price_of(tokens(1), energy::zero(), rounding::nearest); });
  s.call<overflow_error>("unit_price_of", "overflow: max money for 1 Wh", "unit_price_of", "leaves the 64-bit range",
                         [] { (void)unit_price_of(money::max(), watt_hours(1), rounding::nearest); });
  s.call<overflow_error>("sum", "overflow: max + 1 W", "power arithmetic", "9223372036854775807 + 1", [] {
    const std::vector<power> values{power::max(), watts(1)};
    (void)sum(values);
  });

  // Trading periods.
  s.call<bad_input>("trading_calendar::trading_calendar", "zero periods per day", "periods_per_day", "0",
                    [] { (void)trading_calendar(0); });
  s.call<bad_input>("trading_calendar::trading_calendar", "negative periods per day", "periods_per_day", "-48",
                    [] { (void)trading_calendar(-48); });
  s.call<bad_input>("trading_calendar::trading_calendar", "7 periods (does not divide 1440)", "periods_per_day", "7",
                    [] { (void)trading_calendar(7); });
  s.call<bad_input>("trading_calendar::trading_calendar", "1441 periods (shorter than a minute)",
                    "periods_per_day", "1441", [] { (void)trading_calendar(1441); });
  auto day = [] { return trading_calendar(48); };
  auto periods = [](const trading_calendar& c) { return c.periods_per_day(); };
  s.on<bad_input>("trading_calendar::period_at", "minute 1440", "minute_of_day", "1440", day,
                  [](trading_calendar& c) { (void)c.period_at(0, 1440); }, periods);
  s.on<bad_input>("trading_calendar::period_at", "negative minute", "minute_of_day", "-1", day,
                  [](trading_calendar& c) { (void)c.period_at(0, -1); }, periods);
  s.on<bad_input>("trading_calendar::start_minute", "slot 48 of 48", "period.slot", "48", day,
                  [](trading_calendar& c) { (void)c.start_minute({0, 48}); }, periods);
  s.on<bad_input>("trading_calendar::start_minute", "negative slot", "period.slot", "-1", day,
                  [](trading_calendar& c) { (void)c.start_minute({0, -1}); }, periods);
  s.on<bad_input>("trading_calendar::next", "slot 48 of 48", "period.slot", "48", day,
                  [](trading_calendar& c) { (void)c.next({3, 48}); }, periods);
  s.on<bad_input>("trading_calendar::index", "negative slot", "period.slot", "-2", day,
                  [](trading_calendar& c) { (void)c.index({0, -2}); }, periods);
  s.on<overflow_error>("trading_calendar::index", "overflow: day 2^62", "multiplication",
                       "4611686018427387904 * 48", day,
                       [](trading_calendar& c) { (void)c.index({std::int64_t{1} << 62, 0}); }, periods);
  s.on<overflow_error>("trading_calendar::energy_in_period", "overflow: max power for a 2-hour period",
                       "energy_over", "leaves the 64-bit range", [] { return trading_calendar(12); },
                       [](trading_calendar& c) { (void)c.energy_in_period(power::max(), rounding::up); }, periods);
  (void)max64;
});

}  // namespace
