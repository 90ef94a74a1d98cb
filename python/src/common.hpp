#pragma once
// Shared by the binding translation units: the pybind11 headers, the conversions between the
// library's exact types and Python's, and one binder declaration per component.
//
// Conventions of the Python API: quantities are Python ints in the library's base units (W, Wh,
// micro-Token, micro-Token/kWh), so nothing is rounded on the way in or out; identifiers are
// ints; exact rationals are fractions.Fraction; enumerations are lowercase strings.
#include <evmarket/evmarket.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <string_view>

// Exact quantities and identifiers cross the boundary as Python ints (base units; NumPy integer
// scalars accepted). Floats are refused rather than rounded: convert with the unit in mind.
namespace pybind11::detail {

template <class Tag>
struct type_caster<evmarket::quantity<Tag>> {
  PYBIND11_TYPE_CASTER(evmarket::quantity<Tag>, const_name("int"));
  bool load(handle source, bool) {
    if (PyFloat_Check(source.ptr()) || !PyIndex_Check(source.ptr())) return false;
    object index = reinterpret_steal<object>(PyNumber_Index(source.ptr()));
    if (!index) throw error_already_set();
    int overflow = 0;
    const long long count = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
    if (overflow != 0)
      throw evmarket::bad_input(std::string(Tag::base_unit), str(index).cast<std::string>(),
                                "does not fit in a signed 64-bit count of base units");
    value = evmarket::quantity<Tag>::from_base(count);
    return true;
  }
  static handle cast(evmarket::quantity<Tag> q, return_value_policy, handle) { return PyLong_FromLongLong(q.base()); }
};

template <class Tag>
struct type_caster<evmarket::identifier<Tag>> {
  PYBIND11_TYPE_CASTER(evmarket::identifier<Tag>, const_name("int"));
  bool load(handle source, bool) {
    if (PyFloat_Check(source.ptr()) || !PyIndex_Check(source.ptr())) return false;
    object index = reinterpret_steal<object>(PyNumber_Index(source.ptr()));
    if (!index) throw error_already_set();
    const unsigned long long id = PyLong_AsUnsignedLongLong(index.ptr());
    if (PyErr_Occurred()) {
      PyErr_Clear();
      throw evmarket::bad_input("id", str(index).cast<std::string>(), "must be an integer in [0, 2^64)");
    }
    value = evmarket::identifier<Tag>{id};
    return true;
  }
  static handle cast(evmarket::identifier<Tag> id, return_value_policy, handle) {
    return PyLong_FromUnsignedLongLong(id.value);
  }
};

}  // namespace pybind11::detail

namespace evmarket_python {

namespace py = pybind11;
namespace em = evmarket;

/// Maps evmarket's exceptions to the Python classes of evmarket/_errors.py (shared by every
/// extension of the package, so `except evmarket.BadInput` catches them all).
void register_errors();

/// Throws evmarket::bad_input naming `field` (for checks made by the bindings themselves).
[[noreturn]] void throw_bad_input(std::string field, std::string value, std::string_view problem);

/// Python Fraction (or int) <-> exact rational.
em::exact_rational to_rational(const py::handle& value, std::string_view field);
py::object to_fraction(const em::exact_rational& value);

/// The public fields of evmarket::trade, in order: the Python Trade class, the order book's
/// trade arrays and the stubs all come from this list (a new field is one line here).
#define EVMARKET_PYTHON_TRADE_FIELDS(X) \
  X(buy_order, "id of the bid")         \
  X(sell_order, "id of the offer")      \
  X(buyer, "participant id of the buyer") \
  X(seller, "participant id of the seller") \
  X(quantity, "energy traded (Wh)")     \
  X(buyer_price, "unit price the buyer pays (micro-Token/kWh)") \
  X(seller_price, "unit price the seller receives (micro-Token/kWh)") \
  X(buyer_paid, "money the buyer paid, fixed by the clearing (micro-Token)") \
  X(seller_received, "money the seller received, fixed by the clearing (micro-Token)")

/// The plain integer behind an identifier or a quantity.
template <class Tag>
std::int64_t plain(em::quantity<Tag> q) noexcept { return q.base(); }
template <class Tag>
std::uint64_t plain(em::identifier<Tag> id) noexcept { return id.value; }

void bind_auction(py::module_& m);
void bind_order_book(py::module_& m);
void bind_matching(py::module_& m);
void bind_allocation(py::module_& m);
void bind_credit(py::module_& m);
void bind_curve(py::module_& m);
void bind_coalition(py::module_& m);
void bind_coordination(py::module_& m);
void bind_market(py::module_& m);
void bind_lab(py::module_& m);

}  // namespace evmarket_python
