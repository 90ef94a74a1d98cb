#pragma once
// The bad-input catalogue: one row per bad input tried against a public entry point.
//
// Every row is a test and a line of docs/bad-inputs.md, so the table cannot drift from the tests.
// A row states the entry point, the bad input, the error it must get (the exact, most derived
// type) and the field and value the message must name; running it also checks that the object
// the call was made on is unchanged (a snapshot taken before and after compares equal).
//
// Adding rows for a new component (for example the market sessions' out-of-phase calls):
//   1. create tests/catalogue/<component>.cpp (or tests/<optional component>/catalogue_*.cpp and
//      add it in the catalogue block of tests/CMakeLists.txt);
//   2. register its rows with `const bool registered = evmarket_catalogue::add_section(rank,
//      "component", [](evmarket_catalogue::section& s) { s.on<bad_input>(...); ... });`
//      (rank orders the sections in the table; see the ranks in use below);
//   3. rebuild and run `bad_input_catalogue_test --write-table=docs/bad-inputs.md`, review the
//      diff of the table and commit it with the rows.
// Section ranks in use: 10 core, 20 allocation, 30 auction, 40 credit, 50 curve, 60 matching,
// 70 coalition, 75 coalition (lp), 80 ledger, 90 coordination; market sessions: 100.
//
// Kinds of row:
//   on<Error>(entry, input, field, value, make, act, snapshot)
//       act(object) on object = make() must throw Error; snapshot(object) before == after.
//   call<Error>(entry, input, field, value, act)
//       a constructor or a function of values: no object exists to change.
//   on_status(entry, input, expected, field, value, make, act, snapshot)
//       for APIs that report rejections as status values (the order book's reject_reason, the
//       on-chain Bancor twin's try_* reverts): act returns a `verdict` describing the status.
#include <evmarket/evmarket.hpp>

#include <functional>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

namespace evmarket_catalogue {

/// Runs step(), ignoring a refusal (an evmarket::error): how a "what does it settle" probe drives a
/// session through steps its state may no longer accept.
template <class Step>
void attempt(Step step) {
  try {
    step();
  } catch (const evmarket::error&) {
  }
}

/// Moves a session's manual clock forward to `t` (never back).
template <class Session>
void forward_clock(Session& session, evmarket::market_time t) {
  if (session.clock().now() < t) session.clock().set(t);
}

/// What a call did: the error type (or status) it reported and the message; empty type: nothing.
struct verdict {
  std::string type;
  std::string message;
};

/// The outcome of running a row.
struct outcome {
  verdict got;
  bool unchanged = true;
};

/// One bad input tried against one entry point.
struct row {
  std::string component;
  std::string entry;
  std::string input;
  std::string expected;  ///< exact error type, or the status a status row expects
  std::string field;     ///< the message must name the field...
  std::string value;     ///< ... and the value
  std::string state;     ///< what "unchanged" was checked on (table column)
  std::function<outcome()> run;
};

/// Name of an evmarket error type as the table prints it.
template <class E>
std::string error_name() {
  using namespace evmarket;
  if constexpr (std::is_same_v<E, inconsistent_judgments>) return "inconsistent_judgments";
  else if constexpr (std::is_same_v<E, bad_input>) return "bad_input";
  else if constexpr (std::is_same_v<E, overflow_error>) return "overflow_error";
  else if constexpr (std::is_same_v<E, infeasible>) return "infeasible";
  else if constexpr (std::is_same_v<E, solver_failure>) return "solver_failure";
  else if constexpr (std::is_same_v<E, decode_error>) return "decode_error";
  else if constexpr (std::is_same_v<E, block_rejected>) return "block_rejected";
  else if constexpr (std::is_same_v<E, store_error>) return "store_error";
  else if constexpr (std::is_same_v<E, bancor_evm_error>) return "bancor_evm_error";
  else if constexpr (std::is_same_v<E, phase_error>) return "phase_error";
  else static_assert(std::is_same_v<E, void>, "error_name: add the new error type here and in dynamic_error_name");
}

/// The most derived evmarket error type of `e`, by name.
std::string dynamic_error_name(const evmarket::error& e);

/// Runs `act`, turning any exception into a verdict.
template <class Act>
verdict capture(Act&& act) {
  try {
    if constexpr (std::is_same_v<decltype(act()), verdict>) {
      return act();
    } else {
      act();
      return {};
    }
  } catch (const evmarket::error& e) {
    return {dynamic_error_name(e), e.what()};
  } catch (const std::exception& e) {
    return {std::string("std::exception (") + typeid(e).name() + ")", e.what()};
  } catch (...) {
    return {"unknown exception", ""};
  }
}

/// Rows of one component, added in the order they appear in the table.
class section {
public:
  explicit section(std::string component, std::vector<row>& rows) : component_(std::move(component)), rows_(rows) {}

  /// `act(object)` on `object = make()` must throw exactly `Error`, naming field and value, and
  /// leave `snapshot(object)` as it was.
  template <class Error, class Make, class Act, class Snapshot>
  section& on(std::string entry, std::string input, std::string field, std::string value, Make make, Act act,
              Snapshot snapshot, std::string state = "object") {
    rows_.push_back({component_, std::move(entry), std::move(input), error_name<Error>(), std::move(field),
                     std::move(value), std::move(state), [make, act, snapshot] {
                       auto object = make();
                       const auto before = snapshot(object);
                       outcome o;
                       o.got = capture([&] { return act(object); });
                       o.unchanged = before == snapshot(object);
                       return o;
                     }});
    return *this;
  }

  /// A constructor or a function of values must throw exactly `Error`, naming field and value.
  template <class Error, class Act>
  section& call(std::string entry, std::string input, std::string field, std::string value, Act act) {
    rows_.push_back({component_, std::move(entry), std::move(input), error_name<Error>(), std::move(field),
                     std::move(value), "no object", [act] { return outcome{capture(act), true}; }});
    return *this;
  }

  /// A status rejection: `act(object)` returns the verdict it got; the object must be unchanged.
  template <class Make, class Act, class Snapshot>
  section& on_status(std::string entry, std::string input, std::string expected, std::string field,
                     std::string value, Make make, Act act, Snapshot snapshot) {
    rows_.push_back({component_, std::move(entry), std::move(input), std::move(expected), std::move(field),
                     std::move(value), "object", [make, act, snapshot] {
                       auto object = make();
                       const auto before = snapshot(object);
                       outcome o;
                       o.got = capture([&]() -> verdict { return act(object); });
                       o.unchanged = before == snapshot(object);
                       return o;
                     }});
    return *this;
  }

private:
  std::string component_;
  std::vector<row>& rows_;
};

/// Registers the rows of one component; `rank` orders the sections in the table.
bool add_section(int rank, std::string component, std::function<void(section&)> build);

/// Every row of every registered section, in table order.
const std::vector<row>& all_rows();

/// A scratch file for rows that need one (a store on disk); the table prints "<tmp>" for the
/// directory, so the committed table does not depend on the machine.
std::string scratch_path(const std::string& name);
/// The scratch directory (what the table replaces by "<tmp>").
std::string scratch_directory();

/// Snapshot of a value with ==: the value itself.
inline constexpr auto same = [](const auto& object) { return object; };

}  // namespace evmarket_catalogue
