// AHP (weights, consistency, Harker, group aggregation) and paper 001's credit updates.
#include "common.hpp"

#include <Eigen/Core>

#include <vector>

namespace evmarket_python {

namespace {

em::pairwise_matrix matrix_from(const std::vector<std::vector<double>>& rows) {
  const auto n = static_cast<Eigen::Index>(rows.size());
  Eigen::MatrixXd values(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto& row = rows[static_cast<std::size_t>(i)];
    if (static_cast<Eigen::Index>(row.size()) != n)
      throw_bad_input("judgments[" + std::to_string(i) + "]", std::to_string(row.size()) + " entries",
                      "every row needs " + std::to_string(n) + " entries (a square matrix)");
    for (Eigen::Index j = 0; j < n; ++j) values(i, j) = row[static_cast<std::size_t>(j)];
  }
  return em::pairwise_matrix(std::move(values));
}

std::vector<std::vector<double>> rows_of(const em::pairwise_matrix& m) {
  std::vector<std::vector<double>> rows(m.size(), std::vector<double>(m.size()));
  for (std::size_t i = 0; i < m.size(); ++i)
    for (std::size_t j = 0; j < m.size(); ++j) rows[i][j] = m.at(i, j);
  return rows;
}

template <class Method, class Table>
em::ahp_result evaluate_with(const em::pairwise_matrix& m, double threshold) {
  return em::analytic_hierarchy<Method, Table>(threshold).evaluate(m);
}

template <class Method>
em::ahp_result evaluate_table(const em::pairwise_matrix& m, std::string_view table, double threshold) {
  if (table == "saaty_1980") return evaluate_with<Method, em::saaty_1980>(m, threshold);
  if (table == "saaty_2005") return evaluate_with<Method, em::saaty_2005>(m, threshold);
  if (table == "alonso_lamata_2006") return evaluate_with<Method, em::alonso_lamata_2006>(m, threshold);
  if (table == "donegan_dodd_1991") return evaluate_with<Method, em::donegan_dodd_1991>(m, threshold);
  throw_bad_input("random_index", std::string(table),
                  "must be 'saaty_1980', 'saaty_2005', 'alonso_lamata_2006' or 'donegan_dodd_1991'");
}

void bind_ahp(py::module_& m) {
  py::class_<em::consistency_report>(m, "ConsistencyReport", "Saaty's consistency of a pairwise-comparison matrix.")
      .def_readonly("lambda_max", &em::consistency_report::lambda_max)
      .def_readonly("index", &em::consistency_report::index, "CI = (lambda_max - n) / (n - 1)")
      .def_readonly("random_index", &em::consistency_report::random_index)
      .def_readonly("ratio", &em::consistency_report::ratio, "CR = CI / RI")
      .def_readonly("threshold", &em::consistency_report::threshold)
      .def("acceptable", &em::consistency_report::acceptable)
      .def("__repr__", [](const em::consistency_report& r) {
        return "ConsistencyReport(lambda_max=" + std::to_string(r.lambda_max) + ", ratio=" + std::to_string(r.ratio) + ")";
      });
  py::class_<em::ahp_result>(m, "AhpResult")
      .def_readonly("weights", &em::ahp_result::weights, "one per criterion, summing to 1")
      .def_readonly("consistency", &em::ahp_result::consistency)
      .def("__repr__", [](const em::ahp_result& r) { return "AhpResult(criteria=" + std::to_string(r.weights.size()) + ")"; });
  m.def(
      "ahp",
      [](const std::vector<std::vector<double>>& judgments, std::string_view method, std::string_view random_index,
         double threshold) {
        const em::pairwise_matrix matrix = matrix_from(judgments);
        if (method == "eigenvector") return evaluate_table<em::principal_eigenvector>(matrix, random_index, threshold);
        if (method == "geometric_mean") return evaluate_table<em::geometric_mean>(matrix, random_index, threshold);
        if (method == "column_mean") return evaluate_table<em::column_normalised_mean>(matrix, random_index, threshold);
        throw_bad_input("method", std::string(method), "must be 'eigenvector', 'geometric_mean' or 'column_mean'");
      },
      py::arg("judgments"), py::arg("method") = "eigenvector", py::arg("random_index") = "saaty_1980",
      py::arg("threshold") = 0.1, "Criteria weights and consistency of a reciprocal pairwise-comparison matrix.");
  m.def(
      "harker",
      [](std::size_t n, const std::vector<std::tuple<std::size_t, std::size_t, double>>& judgments) {
        std::vector<em::judgment> given;
        for (const auto& [i, j, v] : judgments) given.push_back({i, j, v});
        const em::incomplete_ahp_result r = em::harker_priorities(n, given);
        return py::make_tuple(r.weights, rows_of(r.completed));
      },
      py::arg("n"), py::arg("judgments"),
      "Harker's method for missing judgments: (row, column, value) triples in; (weights, completed matrix) out.");
  m.def(
      "aggregate_judgments",
      [](const std::vector<std::vector<std::vector<double>>>& experts, const std::vector<double>& weights) {
        std::vector<em::pairwise_matrix> matrices;
        for (const auto& e : experts) matrices.push_back(matrix_from(e));
        return rows_of(em::aggregate_judgments(matrices, weights));
      },
      py::arg("experts"), py::arg("expert_weights") = std::vector<double>{},
      "Group AHP: the weighted geometric mean of the experts' matrices (equal weights by default).");
  m.def(
      "aggregate_priorities",
      [](const std::vector<std::vector<double>>& priorities, const std::vector<double>& weights) {
        return em::aggregate_priorities(priorities, weights);
      },
      py::arg("priorities"), py::arg("expert_weights") = std::vector<double>{},
      "Group AHP: the weighted geometric mean of the experts' priority vectors, normalised.");
}

void bind_creditworthiness(py::module_& m) {
  py::class_<em::reservation>(m, "Reservation", "An EV user's charging reservation (paper 001).")
      .def(py::init([](em::user_id user, em::station_id station, std::int64_t day, std::int32_t slot, em::energy amount) {
             return em::reservation{user, station, em::trading_period{day, slot}, amount};
           }),
           py::arg("user"), py::arg("station"), py::arg("day"), py::arg("slot"), py::arg("amount"))
      .def_readonly("user", &em::reservation::user)
      .def_readonly("station", &em::reservation::station)
      .def_property_readonly("day", [](const em::reservation& r) { return r.period.day; })
      .def_property_readonly("slot", [](const em::reservation& r) { return r.period.slot; })
      .def_readonly("amount", &em::reservation::amount, "reserved energy (Wh)");
  py::class_<em::charging_record>(m, "ChargingRecord", "What a user actually charged.")
      .def(py::init([](em::user_id user, em::station_id station, std::int64_t day, std::int32_t slot,
                       em::energy delivered) {
             return em::charging_record{user, station, em::trading_period{day, slot}, delivered};
           }),
           py::arg("user"), py::arg("station"), py::arg("day"), py::arg("slot"), py::arg("delivered"))
      .def_readonly("delivered", &em::charging_record::delivered, "Wh");
  using rule = em::reservation_credit_rule<>;
  py::class_<rule>(m, "ReservationCreditRule",
                   "Paper 001's update: credit = clamp(credit + sum_i w_i A_i, floor, cap); weights for time, "
                   "location and amount (paper 001's printed AHP weights by default).")
      .def(py::init([](const std::vector<double>& weights, double floor, double cap) {
             return rule(em::criterion_weights::from(weights), em::credit_bounds{floor, cap});
           }),
           py::arg("weights") = std::vector<double>{0.73064, 0.18839, 0.08096}, py::arg("floor") = 0.0,
           py::arg("cap") = 10.0)
      .def(
          "assess",
          [](const rule& r, const em::reservation& b, const em::charging_record& a) {
            const em::conformance c = r.assess(b, a);
            return py::make_tuple(c.time, c.location, c.amount);
          },
          py::arg("booked"), py::arg("actual"), "A_i per criterion (time, location, amount): +1 kept, -1 broken")
      .def("score", py::overload_cast<const em::reservation&, const em::charging_record&>(&rule::score, py::const_),
           py::arg("booked"), py::arg("actual"))
      .def("updated", &rule::updated, py::arg("credit"), py::arg("booked"), py::arg("actual"),
           "The user's new credit after one settled reservation.");
}

}  // namespace

void bind_credit(py::module_& m) {
  bind_ahp(m);
  bind_creditworthiness(m);
}

}  // namespace evmarket_python
