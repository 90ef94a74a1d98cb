// The LP-free assignment nucleolus (coalition/assignment_nucleolus.hpp) against the sequential LP
// on GLPK (coalition/nucleolus.hpp, assignment fast path): exactly the same allocation on seeded
// random markets with integer, binary-fraction and rational gains, square and rectangular, with
// many zero-gain pairs and many ties; both certified.
#include <evmarket/lp.hpp>

#include <doctest/doctest.h>

#include <random>
#include <vector>

using namespace evmarket;
using Q = exact_rational;

namespace {

// m x k gains from `draw`; a share of the pairs gains nothing (or loses: a loss is no trade).
template <class Value, class Draw>
assignment_game<Value> random_market(std::mt19937_64& rng, std::size_t m, std::size_t k, double zero_share, Draw draw) {
  std::bernoulli_distribution zero(zero_share);
  std::vector<std::vector<Value>> gains(m, std::vector<Value>(k));
  for (auto& row : gains)
    for (auto& g : row) g = zero(rng) ? Value(rng() % 2 == 0 ? 0 : -1) : draw(rng);
  return assignment_game<Value>(std::move(gains));
}

template <class Value>
void check_agreement(const assignment_game<Value>& game) {
  const auto lp = nucleolus(game);
  const auto exact = assignment_nucleolus(game);
  REQUIRE(lp.certified());
  REQUIRE(exact.certified());
  CHECK(exact.exact_allocation == lp.exact_allocation);
}

}  // namespace

TEST_CASE("the LP-free nucleolus equals the LP's on random markets") {
  std::mt19937_64 rng(16);
  std::uniform_int_distribution<std::size_t> side(1, 8);
  const double zero_shares[] = {0.0, 0.3, 0.7};
  // `trials` markets of random shape, a third without zero-gain pairs, a third with 70%.
  auto trials = [&]<class Value>(int count, auto draw) {
    for (int trial = 0; trial < count; ++trial) {
      const std::size_t m = side(rng), k = side(rng);
      CAPTURE(trial);
      check_agreement(random_market<Value>(rng, m, k, zero_shares[trial % 3], draw));
    }
  };
  std::uniform_int_distribution<int> few(1, 5), many(1, 1000), sixty_fourths(1, 640), numerator(1, 60), denominator(1, 9);
  SUBCASE("integer gains, few values (many ties)") {
    trials.operator()<double>(120, [&](auto& r) { return double(few(r)); });
  }
  SUBCASE("integer gains up to 1000") {
    trials.operator()<double>(80, [&](auto& r) { return double(many(r)); });
  }
  SUBCASE("binary fractions in doubles (k / 64)") {
    trials.operator()<double>(60, [&](auto& r) { return sixty_fourths(r) / 64.0; });
  }
  SUBCASE("exact rational gains") {
    trials.operator()<Q>(60, [&](auto& r) { return Q(numerator(r)) / denominator(r); });
  }
}

TEST_CASE("session D: the LP path as NucleolusSolver prices every round exactly as the default") {
  // Paper 004's seeded days: the same quotes through the session with the exact combinatorial
  // solver (the default) and with sequential LP on GLPK give the same payoffs and trades.
  for (const std::uint64_t seed : {std::uint64_t{4}, std::uint64_t{5}}) {
    const paper004_day day = make_paper004_day(seed);
    std::vector<coalition_round> by_default, by_lp;
    const auto keep = [](std::vector<coalition_round>& into) {
      return [&into](const coalition_round& round, const auto&) { into.push_back(round); };
    };
    static_cast<void>(run_paper004_day(day, smes(day.storage), null_ledger_sink{}, keep(by_default)));
    static_cast<void>(run_paper004_day(day, smes(day.storage), null_ledger_sink{}, keep(by_lp),
                                       lp_assignment_nucleolus<glpk_backend>{}));
    REQUIRE(by_default.size() == 24);
    REQUIRE(by_lp.size() == by_default.size());
    std::size_t priced = 0;
    for (std::size_t r = 0; r < by_default.size(); ++r) {
      CAPTURE(r);
      CHECK(by_lp[r].payoffs == by_default[r].payoffs);
      CHECK(by_lp[r].trades == by_default[r].trades);
      priced += by_default[r].payoffs.empty() ? 0 : 1;
    }
    CHECK(priced > 0);  // the comparison is not vacuous
  }
}
