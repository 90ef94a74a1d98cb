// evmarket._lp: the nucleolus, prenucleolus and least core by sequential LP (GLPK). GLPK is
// GPL-3.0, so this extension is too; evmarket._core does not depend on it.
#include "common.hpp"

#include <evmarket/lp.hpp>

namespace evmarket_python {
namespace {

using game = em::tu_game<em::exact_rational>;

py::dict result_dict(const em::nucleolus_result& r) {
  py::list exact, exact_levels;
  for (const auto& v : r.exact_allocation) exact.append(to_fraction(v));
  for (const auto& v : r.exact_levels) exact_levels.append(to_fraction(v));
  py::dict out;
  out["kind"] = r.kind == em::solution_kind::nucleolus ? "nucleolus" : "prenucleolus";
  out["allocation"] = r.allocation;
  out["exact_allocation"] = exact;
  out["levels"] = r.levels;
  out["exact_levels"] = exact_levels;
  out["certified"] = r.certified();
  out["certificate_reason"] = r.certificate.reason;
  out["lp_solves"] = r.lp_solves;
  out["stages"] = r.stages;
  out["assignment_fast_path"] = r.assignment_fast_path;
  return out;
}

em::nucleolus_options options_of(double tolerance, bool certify) {
  em::nucleolus_options o;
  o.tolerance = tolerance;
  o.certify = certify;
  return o;
}

// The nucleolus or the prenucleolus, solved without the GIL.
py::dict lexicographic_centre(const game& g, em::solution_kind kind, double tolerance, bool certify) {
  em::nucleolus_result r;
  {
    py::gil_scoped_release unlocked;
    r = kind == em::solution_kind::nucleolus ? em::nucleolus(g, options_of(tolerance, certify))
                                             : em::prenucleolus(g, options_of(tolerance, certify));
  }
  return result_dict(r);
}

}  // namespace
}  // namespace evmarket_python

PYBIND11_MODULE(_lp, m) {
  namespace ep = evmarket_python;
  namespace py = pybind11;
  m.doc() = "evmarket's LP component (GLPK, GPL-3.0): nucleolus, prenucleolus, least core";
  py::module_::import("evmarket._core");  // registers TUGame
  ep::register_errors();
  m.def(
      "nucleolus",
      [](const ep::game& g, double tolerance, bool certify) {
        return ep::lexicographic_centre(g, evmarket::solution_kind::nucleolus, tolerance, certify);
      },
      py::arg("game"), py::arg("tolerance") = 1e-9, py::arg("certify") = true);
  m.def(
      "prenucleolus",
      [](const ep::game& g, double tolerance, bool certify) {
        return ep::lexicographic_centre(g, evmarket::solution_kind::prenucleolus, tolerance, certify);
      },
      py::arg("game"), py::arg("tolerance") = 1e-9, py::arg("certify") = true);
  m.def(
      "least_core",
      [](const ep::game& g, double tolerance) {
        evmarket::least_core_result r;
        {
          py::gil_scoped_release unlocked;
          r = evmarket::least_core(g, ep::options_of(tolerance, false));
        }
        return py::make_tuple(r.epsilon, r.allocation);
      },
      py::arg("game"), py::arg("tolerance") = 1e-9);
}
