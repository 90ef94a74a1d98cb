// The Bancor curve in 50-digit decimal arithmetic (Python Fraction / Decimal / int / str in,
// decimal.Decimal out) and the bit-exact 256-bit on-chain twin (Python int in and out; a revert
// raises evmarket.Revert carrying the contract's reason).
#include "common.hpp"

#include <evmarket/curve/bancor.hpp>
#include <evmarket/curve/bancor_evm.hpp>

#include <string>

namespace evmarket_python {

namespace {

using number = em::dec_float50;
using exact_curve = em::bancor_curve<number, em::directed_rounding<number>>;

// A Python number as a 50-digit decimal: Fractions divide exactly-held integers; Decimal, int and
// str go through their decimal text (exact up to 50 significant digits).
number to_number(const py::handle& value, std::string_view field) {
  const py::module_ fractions = py::module_::import("fractions");
  if (py::isinstance(value, fractions.attr("Fraction"))) {
    const std::string num = py::str(value.attr("numerator")), den = py::str(value.attr("denominator"));
    return number(number(num) / number(den));
  }
  if (py::isinstance<py::float_>(value))
    throw_bad_input(std::string(field), py::str(py::repr(value)),
                    "pass an exact number (int, Fraction, Decimal or str), not a float");
  const std::string text = py::str(static_cast<const py::handle&>(value));
  try {
    return number(text);
  } catch (const std::exception&) {
    throw_bad_input(std::string(field), text, "must be a number (int, Fraction, Decimal or str)");
  }
}

py::object to_decimal(const number& value) {
  const py::module_ decimal = py::module_::import("decimal");
  return decimal.attr("Decimal")(value.str(50, std::ios_base::scientific));
}

py::dict receipt_dict(const exact_curve::receipt& r) {
  py::dict out;
  out["side"] = r.side == em::curve_side::buy ? "buy" : (r.side == em::curve_side::sell ? "sell" : "none");
  out["tokens"] = to_decimal(r.tokens);
  out["reserve"] = to_decimal(r.reserve);
  out["price_before"] = to_decimal(r.price_before);
  out["price_after"] = to_decimal(r.price_after);
  out["supply_after"] = to_decimal(r.supply_after);
  out["balance_after"] = to_decimal(r.balance_after);
  return out;
}

// Python int <-> uint256 through their decimal text; out-of-range values are bad input.
em::uint256 to_uint256(const py::int_& value, std::string_view field) {
  if (value < py::int_(0) || value.attr("bit_length")().cast<int>() > 256)
    throw_bad_input(std::string(field), py::str(static_cast<const py::handle&>(value)), "must be an integer in [0, 2^256)");
  return em::uint256(std::string(py::str(static_cast<const py::handle&>(value))));
}
py::int_ to_int(const em::uint256& value) { return py::int_(py::str(value.str())); }

void bind_exact_curve(py::module_& m) {
  py::class_<exact_curve>(m, "BancorCurve",
                          "Bancor's curve (paper 002): spot price B / (S * CRR), in 50-digit decimal arithmetic; "
                          "amounts paid out round down and charges round up to 10^-18 token, so a round trip "
                          "never profits. Numbers in: int, Fraction, Decimal or str; out: Decimal.")
      .def(py::init([](const py::object& supply, const py::object& balance, const py::object& weight) {
             return exact_curve(to_number(supply, "supply"), to_number(balance, "balance"), to_number(weight, "weight"));
           }),
           py::arg("supply"), py::arg("balance"), py::arg("weight"))
      .def_property_readonly("supply", [](const exact_curve& c) { return to_decimal(c.supply()); })
      .def_property_readonly("balance", [](const exact_curve& c) { return to_decimal(c.balance()); })
      .def_property_readonly("weight", [](const exact_curve& c) { return to_decimal(c.weight()); })
      .def("spot_price", [](const exact_curve& c) { return to_decimal(c.spot_price()); })
      .def("purchase_return", [](const exact_curve& c, const py::object& d) { return to_decimal(c.purchase_return(to_number(d, "deposit"))); },
           py::arg("deposit"), "tokens minted for `deposit` of reserve")
      .def("sale_return", [](const exact_curve& c, const py::object& t) { return to_decimal(c.sale_return(to_number(t, "tokens"))); },
           py::arg("tokens"), "reserve paid out for burning `tokens`")
      .def("purchase_cost", [](const exact_curve& c, const py::object& t) { return to_decimal(c.purchase_cost(to_number(t, "tokens"))); },
           py::arg("tokens"), "reserve needed to mint `tokens`")
      .def("sale_cost", [](const exact_curve& c, const py::object& r) { return to_decimal(c.sale_cost(to_number(r, "reserve"))); },
           py::arg("reserve"), "tokens to burn to receive `reserve`")
      .def("buy", [](exact_curve& c, const py::object& d) { return receipt_dict(c.buy(to_number(d, "deposit"))); },
           py::arg("deposit"), "buys with `deposit` of reserve; returns the receipt as a dict of Decimals")
      .def("buy_tokens", [](exact_curve& c, const py::object& t) { return receipt_dict(c.buy_tokens(to_number(t, "tokens"))); },
           py::arg("tokens"))
      .def("sell", [](exact_curve& c, const py::object& t) { return receipt_dict(c.sell(to_number(t, "tokens"))); },
           py::arg("tokens"))
      .def("__repr__", [](const exact_curve& c) {
        return "BancorCurve(supply=" + c.supply().str(20) + ", balance=" + c.balance().str(20) +
               ", weight=" + c.weight().str(20) + ")";
      });
}

// The twin's throwing functions, all of the shape f(uint256, uint256, uint32, uint256).
using evm_function = em::uint256 (*)(const em::uint256&, const em::uint256&, std::uint32_t, const em::uint256&);

void def_evm(py::module_& evm, const char* name, evm_function f, const char* a, const char* b, const char* w,
             const char* doc) {
  evm.def(
      name,
      [f, a, b](const py::int_& x, const py::int_& y, std::uint32_t weight, const py::int_& amount) {
        return to_int(f(to_uint256(x, a), to_uint256(y, b), weight, to_uint256(amount, "amount")));
      },
      py::arg(a), py::arg(b), py::arg(w), py::arg("amount"), doc);
}

void bind_evm(py::module_& m) {
  py::module_ evm = m.def_submodule("bancor_evm", "Bit-exact twin of the on-chain Bancor formula (uint256 as int).");
  evm.attr("MAX_WEIGHT") = em::bancor_evm::max_weight;
  def_evm(evm, "purchase_target_amount", &em::bancor_evm::purchase_target_amount, "supply", "balance", "weight",
          "purchaseTargetAmount: tokens minted for `amount` of reserve (weight in ppm)");
  def_evm(evm, "sale_target_amount", &em::bancor_evm::sale_target_amount, "supply", "balance", "weight",
          "saleTargetAmount: reserve paid out for `amount` tokens");
  def_evm(evm, "fund_cost", &em::bancor_evm::fund_cost, "supply", "balance", "ratio", "fundCost: reserve needed to mint `amount`");
  def_evm(evm, "fund_supply_amount", &em::bancor_evm::fund_supply_amount, "supply", "balance", "ratio",
          "fundSupplyAmount: tokens minted for `amount` of reserve in a pool");
  def_evm(evm, "liquidate_reserve_amount", &em::bancor_evm::liquidate_reserve_amount, "supply", "balance", "ratio",
          "liquidateReserveAmount: reserve paid out for burning `amount` tokens in a pool");
  evm.def(
      "cross_reserve_target_amount",
      [](const py::int_& source_balance, std::uint32_t source_weight, const py::int_& target_balance,
         std::uint32_t target_weight, const py::int_& amount) {
        return to_int(em::bancor_evm::cross_reserve_target_amount(to_uint256(source_balance, "source_balance"), source_weight,
                                                      to_uint256(target_balance, "target_balance"), target_weight,
                                                      to_uint256(amount, "amount")));
      },
      py::arg("source_balance"), py::arg("source_weight"), py::arg("target_balance"), py::arg("target_weight"),
      py::arg("amount"), "crossReserveTargetAmount: target reserve received for `amount` of the source reserve");
}

}  // namespace

void bind_curve(py::module_& m) {
  bind_exact_curve(m);
  bind_evm(m);
}

}  // namespace evmarket_python
