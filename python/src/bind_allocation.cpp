// Sharing a capacity margin among stations: proportional (beta) and the credit-priority rules.
#include "common.hpp"

#include <vector>

namespace evmarket_python {

void bind_allocation(py::module_& m) {
  py::class_<em::station_request>(m, "StationRequest",
                                  "What a station asks of the capacity margin: `demand` W, with its creditworthiness.")
      .def(py::init([](em::station_id station, em::power demand, double credit) {
             return em::station_request{station, demand, credit};
           }),
           py::arg("station"), py::arg("demand"), py::arg("credit") = 0.0)
      .def_readwrite("station", &em::station_request::station)
      .def_readwrite("demand", &em::station_request::demand, "requested power (W)")
      .def_readwrite("credit", &em::station_request::credit, "creditworthiness (paper 001 eq. 3)")
      .def("__repr__", [](const em::station_request& r) {
        return "StationRequest(station=" + std::to_string(r.station.value) + ", demand=" +
               std::to_string(r.demand.base()) + ", credit=" + std::to_string(r.credit) + ")";
      });
  py::class_<em::allocation>(m, "Allocation", "Quotas granted from a capacity margin, in request order.")
      .def_readonly("quotas", &em::allocation::quotas, "power granted per request (W)")
      .def_readonly("capacity", &em::allocation::capacity, "W")
      .def_readonly("total_demand", &em::allocation::total_demand, "W")
      .def_readonly("allocated", &em::allocation::allocated, "W")
      .def_property_readonly("satisfaction",
                             [](const em::allocation& a) {
                               return to_fraction(em::exact_rational(a.satisfaction.numerator) /
                                                  a.satisfaction.denominator);
                             },
                             "beta = capacity / total demand as an exact Fraction (1 when demand fits)")
      .def("curtailed", &em::allocation::curtailed)
      .def("__repr__", [](const em::allocation& a) {
        return "Allocation(stations=" + std::to_string(a.quotas.size()) + ", allocated=" +
               std::to_string(a.allocated.base()) + " W of " + std::to_string(a.capacity.base()) + " W)";
      });
  m.def(
      "allocate",
      [](em::power capacity, const std::vector<em::station_request>& requests, std::string_view rule) {
        if (rule == "proportional") return em::proportional_allocation{}.allocate(capacity, requests);
        if (rule == "inverse_credit") return em::inverse_credit_curtailment{}.allocate(capacity, requests);
        if (rule == "strict_credit") return em::strict_credit_priority{}.allocate(capacity, requests);
        throw_bad_input("rule", std::string(rule), "must be 'proportional', 'inverse_credit' or 'strict_credit'");
      },
      py::arg("capacity"), py::arg("requests"), py::arg("rule") = "proportional",
      "Shares `capacity` W among the requests: 'proportional' (paper 003's beta, largest remainder), "
      "'inverse_credit' (curtailment proportional to 1/credit) or 'strict_credit' (highest credit first).");
}

}  // namespace evmarket_python
