// The nucleolus on GLPK: the shared suite (tests/coalition_nucleolus_suite.hpp), GLPK as the
// default backend of <evmarket/lp.hpp>, and GLPK failures that must not take the process down.
#include <evmarket/lp.hpp>

#define EVMARKET_NUCLEOLUS_BACKENDS evmarket::glpk_backend
#include "../coalition_nucleolus_suite.hpp"

#include <string>

using namespace evmarket;
using Q = exact_rational;

namespace {

// Forwards to GLPK, but hands GLPK a row with a repeated column at the third row added: GLPK
// rejects that with an internal error, which would abort() the process without the error hook.
struct faulty_glpk_backend : glpk_backend {
  std::size_t rows_added = 0;
  std::size_t add_row(std::span<const std::size_t> indices, std::span<const double> values, double lower, double upper) {
    if (++rows_added == 3 && !indices.empty()) {
      std::vector<std::size_t> repeated(indices.begin(), indices.end());
      repeated.push_back(indices.front());
      std::vector<double> more(values.begin(), values.end());
      more.push_back(1.0);
      return glpk_backend::add_row(repeated, more, lower, upper);
    }
    return glpk_backend::add_row(indices, values, lower, upper);
  }
};
static_assert(LpBackend<faulty_glpk_backend>);

}  // namespace

TEST_CASE("<evmarket/lp.hpp> makes GLPK the default backend") {
  const auto game = nucleolus_suite::game_of({0, 1, 1, 2, 1, 3, 4, 5});
  CHECK(nucleolus(game).exact_allocation == nucleolus<glpk_backend>(game).exact_allocation);
  CHECK(prenucleolus(game).exact_allocation == prenucleolus<glpk_backend>(game).exact_allocation);
  CHECK(least_core(game).epsilon == least_core<glpk_backend>(game).epsilon);
  CHECK(nucleolus(assignment_game<double>({{3, 2}, {2, 3}})).exact_allocation == std::vector<Q>(4, Q(3, 2)));
}

TEST_CASE("a GLPK internal error becomes solver_failure, and GLPK works afterwards") {
  const auto game = nucleolus_suite::game_of({0, 1, 1, 2, 1, 3, 4, 5});
  SUBCASE("through the backend") {
    glpk_backend bystander;  // another problem on this thread: freed with the environment
    bystander.reset(2);
    glpk_backend lp;
    lp.reset(2);
    try {
      lp.add_row(std::vector<std::size_t>{0, 0}, std::vector<double>{1, 1}, 0, 1);
      FAIL("GLPK accepted a repeated column");
    } catch (const solver_failure& e) {
      const std::string what = e.what();
      CHECK(what.find("add_row") != std::string::npos);
      CHECK(what.find("glp_set_mat_row") != std::string::npos);  // GLPK's own message is kept
    }
    CHECK_THROWS_AS(lp.solve(), solver_failure);
    CHECK_THROWS_AS(bystander.solve(), solver_failure);
    lp.reset(1);  // a reset object works again
    lp.set_objective(0, 1);
    lp.set_column_bounds(0, 2, lp_unbounded);
    REQUIRE(lp.solve() == lp_status::optimal);
    CHECK(lp.objective_value() == 2);
  }
  SUBCASE("through the nucleolus, which names the LP stage") {
    for (int repeat = 0; repeat < 3; ++repeat) {
      try {
        (void)nucleolus<faulty_glpk_backend>(game);
        FAIL("the faulty backend did not fail");
      } catch (const solver_failure& e) {
        CHECK(std::string(e.what()).find("nucleolus LP stage 1") != std::string::npos);
      }
      const auto result = nucleolus<glpk_backend>(game);
      CHECK(result.certified());
      CHECK(result.exact_allocation == std::vector<Q>{1, Q(3, 2), Q(5, 2)});
    }
  }
}

TEST_CASE("a glpk_backend belongs to the thread that created it") {
  glpk_backend lp;
  lp.reset(1);
  bool threw = false;
  std::thread other([&] {
    try {
      lp.set_objective(0, 1);
    } catch (const solver_failure&) {
      threw = true;
    }
  });
  other.join();
  CHECK(threw);
}

TEST_CASE("GLPK's terminal output is off unless asked for") {
  glpk_options loud;
  loud.terminal_output = true;
  glpk_backend lp(loud);  // prints GLPK's simplex log for this one solve
  lp.reset(1);
  lp.set_objective(0, 1);
  lp.set_column_bounds(0, 0, lp_unbounded);
  CHECK(lp.solve() == lp_status::optimal);
  CHECK_FALSE(glpk_options{}.terminal_output);
}
