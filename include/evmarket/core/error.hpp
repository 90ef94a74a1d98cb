#pragma once
/// @file
/// The exception hierarchy for misuse and bad input. Economic outcomes (no trade, an infeasible
/// market) are not errors: they come back as status values in result types.

#include <evmarket/config.hpp>

#include <cmath>
#include <concepts>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

EVMARKET_BEGIN_NAMESPACE

/// Root of every exception evmarket throws; catch this to catch them all.
class error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// An argument was invalid: the message names the field, its value and what was wrong with it.
class bad_input : public error {
public:
  /// The error for `field` holding `value`, and what is wrong with it.
  bad_input(std::string field, std::string value, std::string_view problem)
      : error(message(field, value, problem)), field_(std::move(field)), value_(std::move(value)) {}

  /// The offending argument, e.g. "requests[3].demand".
  [[nodiscard]] const std::string& field() const noexcept { return field_; }
  /// The offending value as text.
  [[nodiscard]] const std::string& value() const noexcept { return value_; }

private:
  static std::string message(const std::string& field, const std::string& value, std::string_view problem) {
    std::string text;
    text.reserve(field.size() + value.size() + problem.size() + 5);
    text.append(field).append(" = ").append(value).append(": ").append(problem);
    return text;
  }
  std::string field_;
  std::string value_;
};

/// An exact integer computation would leave its type's range; nothing was changed.
class overflow_error : public error {
public:
  /// Overflow in `operation`.
  explicit overflow_error(std::string_view operation)
      : error(std::string("arithmetic overflow in ").append(operation)) {}
  /// As above, naming the operands too: "arithmetic overflow in power arithmetic: 9223372036854775807 + 1".
  overflow_error(std::string_view operation, std::string_view operands)
      : error(std::string("arithmetic overflow in ").append(operation).append(": ").append(operands)) {}
};

/// A problem has no solution where the caller required one (for example an LP whose constraints
/// contradict each other when the API has no result status to report it in).
class infeasible : public error {
public:
  using error::error;
};

/// A numerical back end (an LP solver, an eigen-solver) failed to produce an answer.
class solver_failure : public error {
public:
  using error::error;
};

namespace detail {

/// Text for a value in an error message; NaN and infinities spelled out.
inline std::string describe(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+inf" : "-inf";
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}
template <std::integral T>
std::string describe(T value) {
  return std::to_string(value);
}
inline std::string describe(std::string_view value) { return std::string(value); }

/// Field name of element `index` of an array argument: "requests[3].demand".
inline std::string element_field(std::string_view array, std::size_t index, std::string_view member = {}) {
  std::string field(array);
  field.append("[").append(std::to_string(index)).append("]");
  if (!member.empty()) field.append(".").append(member);
  return field;
}

/// Throws bad_input naming `field`, `value` and `problem`. Kept out of line and marked cold, so
/// that the check in require() inlines into per-station loops as one test and branch.
template <class Value>
[[noreturn, gnu::cold, gnu::noinline]] void throw_bad_input(std::string_view field, const Value& value,
                                                           std::string_view problem) {
  throw bad_input(std::string(field), describe(value), problem);
}

/// Throws bad_input unless `condition` holds.
template <class Value>
inline void require(bool condition, std::string_view field, const Value& value, std::string_view problem) {
  if (!condition) [[unlikely]]
    throw_bad_input(field, value, problem);
}

/// Throws bad_input unless `value` is a finite number.
inline void require_finite(double value, std::string_view field) {
  require(std::isfinite(value), field, value, "must be a finite number");
}

}  // namespace detail

EVMARKET_END_NAMESPACE
