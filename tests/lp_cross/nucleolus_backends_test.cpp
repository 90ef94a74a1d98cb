// GLPK and Clp side by side: the same games give the same exact nucleolus on both backends.
#include <evmarket/clp.hpp>
#include <evmarket/lp.hpp>

#include <doctest/doctest.h>

#include <random>
#include <vector>

using namespace evmarket;

TEST_CASE("GLPK and Clp agree exactly on random games") {
  std::mt19937_64 rng(16);
  for (std::size_t n = 3; n <= 11; ++n) {
    std::vector<double> values(std::size_t{1} << n, 0.0);
    for (std::size_t s = 1; s < values.size(); ++s) {
      const auto size = static_cast<long long>(std::popcount(s));
      values[s] = static_cast<double>(std::uniform_int_distribution<long long>(0, 10 * size * size)(rng)) / 4;
    }
    const auto game = tu_game<double>::from_table(n, values);
    CAPTURE(n);
    const auto glpk = prenucleolus<glpk_backend>(game);
    const auto clp = prenucleolus<clp_backend>(game);
    REQUIRE(glpk.certified());
    REQUIRE(clp.certified());
    CHECK(glpk.exact_allocation == clp.exact_allocation);
    CHECK(glpk.exact_levels == clp.exact_levels);
  }
}
