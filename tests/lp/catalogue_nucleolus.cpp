// Catalogue rows for the GLPK component: the nucleolus, prenucleolus, least core and the LP back
// end (see tests/catalogue/catalogue.hpp for how rows work).
#include "catalogue.hpp"

#include <evmarket/lp.hpp>

#include <limits>

namespace {

using namespace evmarket;
using evmarket_catalogue::section;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

using game = tu_game<double>;

nucleolus_options with_tolerance(double tolerance, double dual = 1e-9) {
  nucleolus_options o;
  o.tolerance = tolerance;
  o.dual_tolerance = dual;
  return o;
}

const bool registered = evmarket_catalogue::add_section(75, "coalition (lp)", [](section& s) {
  const auto values = [](const game& g) {
    std::vector<double> v;
    for (coalition c = 0; c <= std::min<coalition>(g.grand(), 7); ++c) v.push_back(g.value(c));
    return v;
  };
  const auto big = [] {
    return game::from_function(30, [](coalition c) { return static_cast<double>(coalition_size(c)); });
  };
  const auto empty_core = [] { return game::from_table(2, {0, 3, 3, 4}); };  // v(N) = 4 < 3 + 3
  const auto majority = [] { return majority_game<double>(3); };
  const auto broken = [] { return game::from_function(3, [](coalition c) { return c == 7 ? nan : 0.0; }); };
  s.on<bad_input>("nucleolus", "30 players (beyond the general algorithm)", "players", "30", big,
                  [](game& g) { (void)nucleolus(g); }, values);
  s.on<bad_input>("nucleolus", "an empty imputation set", "v(N)", "4", empty_core,
                  [](game& g) { (void)nucleolus(g); }, values);
  s.on<bad_input>("nucleolus", "a callable returning NaN", "v(7)", "NaN", broken, [](game& g) { (void)nucleolus(g); },
                  [](const game& g) { return g.value(1); });
  s.on<bad_input>("nucleolus", "NaN tolerance", "options.tolerance", "NaN", majority,
                  [](game& g) { (void)nucleolus(g, with_tolerance(nan)); }, values);
  s.on<bad_input>("nucleolus", "zero tolerance", "options.tolerance", "0", majority,
                  [](game& g) { (void)nucleolus(g, with_tolerance(0)); }, values);
  s.on<bad_input>("nucleolus", "negative dual tolerance", "options.dual_tolerance", "-1", majority,
                  [](game& g) { (void)nucleolus(g, with_tolerance(1e-9, -1)); }, values);
  s.on<bad_input>("prenucleolus", "30 players", "players", "30", big, [](game& g) { (void)prenucleolus(g); }, values);
  s.on<bad_input>("prenucleolus", "+infinite tolerance", "options.tolerance", "+inf", majority,
                  [](game& g) { (void)prenucleolus(g, with_tolerance(inf)); }, values);
  s.on<bad_input>("least_core", "30 players", "players", "30", big, [](game& g) { (void)least_core(g); }, values);
  s.on<bad_input>("least_core", "NaN dual tolerance", "options.dual_tolerance", "NaN", majority,
                  [](game& g) { (void)least_core(g, with_tolerance(1e-9, nan)); }, values);
  s.on<bad_input>("nucleolus (assignment game)", "NaN tolerance", "options.tolerance", "NaN",
                  [] { return assignment_game<double>({{3, 2}, {2, 3}}); },
                  [](assignment_game<double>& g) { (void)nucleolus(g, with_tolerance(nan)); },
                  [](const assignment_game<double>& g) { return g.grand_value(); });

  // The back end's own checks (GLPK would abort the process on these arguments).
  const auto lp = [] {
    auto backend = std::make_unique<glpk_backend>();
    backend->reset(2);
    backend->add_row(std::vector<std::size_t>{0, 1}, std::vector<double>{1, 1}, 1, inf);
    return backend;
  };
  using backend_ptr = std::unique_ptr<glpk_backend>;
  const auto rows = [](const backend_ptr& b) { return b->rows(); };
  s.on<solver_failure>("glpk_backend::set_objective", "column out of range", "LP column", "3", lp,
                       [](backend_ptr& b) { b->set_objective(3, 1); }, rows);
  s.on<solver_failure>("glpk_backend::set_column_bounds", "column out of range", "LP column", "2", lp,
                       [](backend_ptr& b) { b->set_column_bounds(2, 0, 1); }, rows);
  s.on<solver_failure>("glpk_backend::add_row", "mismatched sizes: one index, no value", "index and value counts",
                       "1 indices, 0 values", lp,
                       [](backend_ptr& b) { (void)b->add_row(std::vector<std::size_t>{0}, std::vector<double>{}, 0, 1); },
                       rows);
  s.on<solver_failure>("glpk_backend::add_row", "lower bound above the upper", "lower > upper bound", "2 > 1", lp,
                       [](backend_ptr& b) {
                         (void)b->add_row(std::vector<std::size_t>{0}, std::vector<double>{1}, 2, 1);
                       },
                       rows);
  s.on<solver_failure>("glpk_backend::add_row", "column out of range", "LP column", "7", lp,
                       [](backend_ptr& b) {
                         (void)b->add_row(std::vector<std::size_t>{7}, std::vector<double>{1}, 0, 1);
                       },
                       rows);
  s.on<solver_failure>("glpk_backend::set_row", "row out of range", "LP row", "4", lp,
                       [](backend_ptr& b) {
                         b->set_row(4, std::vector<std::size_t>{0}, std::vector<double>{1}, 0, 1);
                       },
                       rows);
  s.on<solver_failure>("glpk_backend::delete_rows", "row out of range", "LP row", "1", lp,
                       [](backend_ptr& b) { b->delete_rows(std::vector<std::size_t>{1}); }, rows);
  s.on<solver_failure>("glpk_backend::delete_rows", "duplicate row (the same row twice)", "LP row", "0", lp,
                       [](backend_ptr& b) { b->delete_rows(std::vector<std::size_t>{0, 0}); }, rows);
});

}  // namespace
