// Price-signal coordination: clearing piecewise-linear bid curves against a capacity margin.
#include "common.hpp"

#include <vector>

namespace evmarket_python {

void bind_coordination(py::module_& m) {
  py::class_<em::bid_curve>(m, "BidCurve",
                            "A piecewise-linear, non-increasing curve of power (W) against congestion price "
                            "(micro-Token/kWh), from (price, power) breakpoints with ascending prices.")
      .def(py::init([](const std::vector<std::pair<em::price, em::power>>& points) {
             std::vector<em::bid_point> p;
             for (const auto& [at, demand] : points) p.push_back({at, demand});
             return em::bid_curve(std::move(p));
           }),
           py::arg("points"));
  m.def(
      "clear_bid_curves",
      [](const std::vector<em::bid_curve>& curves, em::power margin) {
        const em::curve_clearing c = em::clear_bid_curves(curves, margin);
        py::dict out;
        out["status"] = c.status == em::curve_clearing_status::not_binding ? "not_binding"
                        : c.status == em::curve_clearing_status::cleared   ? "cleared"
                                                                           : "floors_exceed_margin";
        out["congestion_price"] = c.congestion_price;
        out["powers"] = c.powers;
        out["total"] = c.total;
        out["shortfall"] = c.shortfall;
        return out;
      },
      py::arg("curves"), py::arg("margin"),
      "Clears bid curves against `margin` W at one congestion price (micro-Token/kWh, real-valued); powers are "
      "whole watts summing to the margin when it binds.");
}

}  // namespace evmarket_python
