// The nucleolus on COIN-OR Clp: the shared suite (tests/coalition_nucleolus_suite.hpp).
#include <evmarket/clp.hpp>

#define EVMARKET_NUCLEOLUS_BACKENDS evmarket::clp_backend
#include "../coalition_nucleolus_suite.hpp"

using namespace evmarket;

TEST_CASE("the Clp backend rejects misuse with solver_failure") {
  clp_backend lp;
  lp.reset(2);
  CHECK_THROWS_AS(lp.set_objective(2, 1), solver_failure);
  CHECK_THROWS_AS(lp.add_row(std::vector<std::size_t>{0}, std::vector<double>{std::nan("")}, 0, 1), solver_failure);
  CHECK_THROWS_AS(lp.row_dual(0), solver_failure);
  CHECK(lp.add_row(std::vector<std::size_t>{0, 1}, std::vector<double>{1, 1}, 1, lp_unbounded) == 0);
  CHECK_THROWS_AS(lp.row_dual(0), solver_failure);  // added, not solved yet
}
