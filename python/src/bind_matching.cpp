// Assignment (Hungarian / Jonker-Volgenant) and paper 004's b-matching on NumPy matrices. A
// C-contiguous float64 or int64 matrix is read in place (no copy); other inputs are converted.
#include "common.hpp"

#include <Eigen/Core>

#include <vector>

namespace evmarket_python {

namespace {

template <class T>
using row_major = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using matrix_view = Eigen::Map<const row_major<T>>;
using mask_view = Eigen::Map<const row_major<bool>>;
template <class T>
using dense = py::array_t<T, py::array::c_style | py::array::forcecast>;

template <class T>
py::array_t<T> to_numpy(const std::vector<T>& values) {
  return py::array_t<T>(static_cast<py::ssize_t>(values.size()), values.data());
}

template <class T>
matrix_view<T> view(const dense<T>& a, std::string_view field) {
  if (a.ndim() != 2) throw_bad_input(std::string(field), std::to_string(a.ndim()) + " dimensions", "must be a 2-D matrix");
  return matrix_view<T>(a.data(), a.shape(0), a.shape(1));
}

em::objective sense_of(bool maximise) { return maximise ? em::objective::maximise : em::objective::minimise; }

// Integer matrices stay exact (int64); everything else is solved in float64.
bool is_integer_matrix(const py::array& a) { return a.dtype().kind() == 'i' || a.dtype().kind() == 'u'; }

template <class T>
py::dict assignment(const dense<T>& weights, const py::object& allowed, bool maximise) {
  const matrix_view<T> w = view(weights, "weights");
  em::assignment_result<T> r;
  if (allowed.is_none()) {
    py::gil_scoped_release unlocked;
    r = em::solve_assignment(w, sense_of(maximise));
  } else {
    const dense<bool> mask_array = allowed.cast<dense<bool>>();
    const mask_view mask(mask_array.data(), mask_array.ndim() == 2 ? mask_array.shape(0) : 0,
                         mask_array.ndim() == 2 ? mask_array.shape(1) : 0);
    py::gil_scoped_release unlocked;
    r = em::solve_assignment(w, mask, sense_of(maximise));
  }
  py::dict out;
  out["status"] = r.optimal() ? "optimal" : "infeasible";
  out["column_of_row"] = to_numpy(r.column_of_row);
  out["row_of_column"] = to_numpy(r.row_of_column);
  out["value"] = r.value;
  out["u"] = to_numpy(r.u);
  out["v"] = to_numpy(r.v);
  return out;
}

template <class T>
py::dict b_matching(const dense<T>& weights, const std::vector<int>& seller_demand,
                    const std::vector<int>& buyer_capacity, const py::object& allowed, bool maximise) {
  const matrix_view<T> w = view(weights, "weights");
  em::b_matching_result<T> r;
  if (allowed.is_none()) {
    py::gil_scoped_release unlocked;
    r = em::solve_b_matching(w, seller_demand, buyer_capacity, sense_of(maximise));
  } else {
    const dense<bool> mask_array = allowed.cast<dense<bool>>();
    const mask_view mask(mask_array.data(), mask_array.ndim() == 2 ? mask_array.shape(0) : 0,
                         mask_array.ndim() == 2 ? mask_array.shape(1) : 0);
    py::gil_scoped_release unlocked;
    r = em::solve_b_matching(w, mask, seller_demand, buyer_capacity, sense_of(maximise));
  }
  py::array_t<std::int64_t> pairs({static_cast<py::ssize_t>(r.pairs.size()), py::ssize_t{2}});
  auto p = pairs.mutable_unchecked<2>();
  for (std::size_t k = 0; k < r.pairs.size(); ++k) {
    p(static_cast<py::ssize_t>(k), 0) = r.pairs[k].buyer;
    p(static_cast<py::ssize_t>(k), 1) = r.pairs[k].seller;
  }
  py::dict out;
  out["status"] = r.optimal() ? "optimal" : "infeasible";
  out["pairs"] = pairs;
  out["value"] = r.value;
  out["buyer_potential"] = to_numpy(r.buyer_potential);
  out["seller_potential"] = to_numpy(r.seller_potential);
  out["unmet_seller"] = r.unmet_seller;
  return out;
}

}  // namespace

void bind_matching(py::module_& m) {
  m.def(
      "_solve_assignment",
      [](const py::array& weights, const py::object& allowed, bool maximise) {
        if (is_integer_matrix(weights)) return assignment<std::int64_t>(weights.cast<dense<std::int64_t>>(), allowed, maximise);
        return assignment<double>(weights.cast<dense<double>>(), allowed, maximise);
      },
      py::arg("weights"), py::arg("allowed") = py::none(), py::arg("maximise") = false);
  m.def(
      "_solve_b_matching",
      [](const py::array& weights, const std::vector<int>& seller_demand, const std::vector<int>& buyer_capacity,
         const py::object& allowed, bool maximise) {
        if (is_integer_matrix(weights))
          return b_matching<std::int64_t>(weights.cast<dense<std::int64_t>>(), seller_demand, buyer_capacity, allowed,
                                          maximise);
        return b_matching<double>(weights.cast<dense<double>>(), seller_demand, buyer_capacity, allowed, maximise);
      },
      py::arg("weights"), py::arg("seller_demand"), py::arg("buyer_capacity"), py::arg("allowed") = py::none(),
      py::arg("maximise") = false);
}

}  // namespace evmarket_python
