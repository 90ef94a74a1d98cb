// TU games in exact rationals: the classic families, Shapley value, excesses and Kohlberg's
// certificate. The nucleolus, prenucleolus and least core are in evmarket._lp (GLPK).
#include "common.hpp"

#include <vector>

namespace evmarket_python {

namespace {

using game = em::tu_game<em::exact_rational>;

std::vector<em::exact_rational> rationals(const py::iterable& values, std::string_view field) {
  std::vector<em::exact_rational> out;
  std::size_t k = 0;
  for (const py::handle v : values) out.push_back(to_rational(v, std::string(field) + "[" + std::to_string(k++) + "]"));
  return out;
}

py::list fractions(const std::vector<em::exact_rational>& values) {
  py::list out;
  for (const auto& v : values) out.append(to_fraction(v));
  return out;
}

em::solution_kind kind_of(std::string_view kind) {
  if (kind == "nucleolus") return em::solution_kind::nucleolus;
  if (kind == "prenucleolus") return em::solution_kind::prenucleolus;
  throw_bad_input("kind", std::string(kind), "must be 'nucleolus' or 'prenucleolus'");
}

void bind_families(py::module_& m) {
  m.def("bankruptcy_game",
        [](const py::object& estate, const py::iterable& claims) {
          return em::bankruptcy_game<em::exact_rational>(to_rational(estate, "estate"), rationals(claims, "claims"));
        },
        py::arg("estate"), py::arg("claims"), "v(S) = max(0, estate - claims outside S)");
  m.def("airport_game", [](const py::iterable& costs) { return em::airport_game<em::exact_rational>(rationals(costs, "costs")); },
        py::arg("costs"), "cost game: v(S) = the largest cost in S");
  m.def("glove_game", &em::glove_game<em::exact_rational>, py::arg("left"), py::arg("right"),
        "v(S) = min(left gloves in S, right gloves in S)");
  m.def("weighted_voting_game",
        [](const py::object& quota, const py::iterable& weights) {
          return em::weighted_voting_game<em::exact_rational>(to_rational(quota, "quota"), rationals(weights, "weights"));
        },
        py::arg("quota"), py::arg("weights"), "v(S) = 1 when the weights in S reach the quota");
  m.def("majority_game", &em::majority_game<em::exact_rational>, py::arg("players"));
  m.def(
      "assignment_game",
      [](const std::vector<std::vector<py::object>>& gains) {
        std::vector<std::vector<em::exact_rational>> g;
        for (std::size_t i = 0; i < gains.size(); ++i) g.push_back(rationals(py::cast(gains[i]), "gains[" + std::to_string(i) + "]"));
        return em::assignment_game<em::exact_rational>(std::move(g)).to_game();
      },
      py::arg("gains"),
      "Paper 004's game: buyers (rows) and sellers (columns) gain gains[i][j] by trading; players are the m buyers "
      "then the k sellers. The nucleolus uses the assignment fast path on it.");
}

}  // namespace

void bind_coalition(py::module_& m) {
  py::class_<game>(m, "TUGame",
                   "A transferable-utility game in exact rationals, tabulated by coalition bitmask (player i is "
                   "bit i); values in and out as fractions.Fraction.")
      .def(py::init([](std::size_t players, const py::iterable& values) {
             return game::from_table(players, rationals(values, "values"));
           }),
           py::arg("players"), py::arg("values"), "values[S] = v(S) for every bitmask S < 2**players")
      .def_property_readonly("players", &game::players)
      .def("value", [](const game& g, em::coalition s) { return to_fraction(g.value(s)); }, py::arg("coalition"),
           "v(S) for the bitmask S")
      .def("negated", &game::negated, "the game -v (cost game <-> savings game)")
      .def("shapley_value", [](const game& g) { return fractions(em::shapley_value(g)); }, "exact Shapley value")
      .def(
          "excess",
          [](const game& g, const py::iterable& allocation, em::coalition s) {
            const auto x = rationals(allocation, "allocation");
            return to_fraction(em::excess(g, std::span<const em::exact_rational>(x), s));
          },
          py::arg("allocation"), py::arg("coalition"), "v(S) - x(S)")
      .def(
          "kohlberg_check",
          [](const game& g, const py::iterable& allocation, std::string_view kind) {
            const auto x = rationals(allocation, "allocation");
            em::kohlberg_certificate c;
            {
              py::gil_scoped_release unlocked;
              c = em::kohlberg_check(g, std::span<const em::exact_rational>(x), kind_of(kind));
            }
            py::dict out;
            out["holds"] = c.holds;
            out["reason"] = c.reason;
            out["levels"] = c.levels;
            out["max_excess"] = to_fraction(c.max_excess);
            return out;
          },
          py::arg("allocation"), py::arg("kind") = "nucleolus",
          "Kohlberg's criterion in exact arithmetic: does `allocation` equal the (pre)nucleolus?")
      .def("__repr__", [](const game& g) { return "TUGame(players=" + std::to_string(g.players()) + ")"; });
  bind_families(m);
}

}  // namespace evmarket_python
