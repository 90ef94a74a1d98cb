// Exception translation and the exact-number conversions every extension shares.
#include "common.hpp"

#include <evmarket/curve/bancor_evm.hpp>

#include <exception>

namespace evmarket_python {

namespace {

// Raises `kind(message, *extra)` as the pending Python exception.
template <class... Extra>
void raise(const char* kind, const char* message, Extra&&... extra) {
  const py::module_ errors = py::module_::import("evmarket._errors");
  const py::object type = errors.attr(kind);
  const py::object instance = type(message, std::forward<Extra>(extra)...);
  PyErr_SetObject(type.ptr(), instance.ptr());
}

}  // namespace

void register_errors() {
  py::register_exception_translator([](std::exception_ptr pending) {
    if (!pending) return;
    try {
      std::rethrow_exception(pending);
    } catch (const em::bancor_evm_error& e) {
      raise("Revert", e.what(), std::string(em::revert_name(e.revert())), std::string(e.reason()), e.field());
    } catch (const em::bad_input& e) {
      raise("BadInput", e.what(), e.field(), e.value());
    } catch (const em::overflow_error& e) {
      raise("ArithmeticOverflow", e.what());
    } catch (const em::infeasible& e) {
      raise("Infeasible", e.what());
    } catch (const em::solver_failure& e) {
      raise("SolverFailure", e.what());
    } catch (const em::error& e) {
      raise("Error", e.what());
    }
  });
}

void throw_bad_input(std::string field, std::string value, std::string_view problem) {
  throw em::bad_input(std::move(field), std::move(value), problem);
}

em::exact_rational to_rational(const py::handle& value, std::string_view field) {
  const py::module_ fractions = py::module_::import("fractions");
  py::object fraction;
  try {
    fraction = fractions.attr("Fraction")(value);
  } catch (const py::error_already_set&) {
    throw_bad_input(std::string(field), py::str(py::repr(value)), "must be a number (int, Fraction, Decimal or float)");
  }
  const std::string num = py::str(fraction.attr("numerator")), den = py::str(fraction.attr("denominator"));
  return em::exact_rational(boost::multiprecision::cpp_int(num), boost::multiprecision::cpp_int(den));
}

py::object to_fraction(const em::exact_rational& value) {
  const py::module_ fractions = py::module_::import("fractions");
  const py::object num = py::int_(py::str(boost::multiprecision::numerator(value).str()));
  const py::object den = py::int_(py::str(boost::multiprecision::denominator(value).str()));
  return fractions.attr("Fraction")(num, den);
}

}  // namespace evmarket_python
