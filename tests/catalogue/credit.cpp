// Catalogue rows for credit/: AHP pairwise matrices and methods, creditworthiness.
#include "catalogue.hpp"

#include <cmath>
#include <bit>
#include <limits>
#include <tuple>

namespace {

using namespace evmarket;
using evmarket_catalogue::section;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

void ahp_rows(section& s) {
  const std::string rows = "pairwise_matrix::from_rows";
  s.call<bad_input>(rows, "zero judgment", "judgments[0][1]", "0", [] { (void)pairwise_matrix::from_rows({{1, 0}, {0, 1}}); });
  s.call<bad_input>(rows, "negative judgment", "judgments[1][0]", "-0.5",
                    [] { (void)pairwise_matrix::from_rows({{1, 2}, {-0.5, 1}}); });
  s.call<bad_input>(rows, "NaN judgment", "judgments[0][1]", "NaN",
                    [] { (void)pairwise_matrix::from_rows({{1, nan}, {1, 1}}); });
  s.call<bad_input>(rows, "+infinite judgment", "judgments[0][1]", "+inf",
                    [] { (void)pairwise_matrix::from_rows({{1, inf}, {0, 1}}); });
  s.call<bad_input>(rows, "-infinite judgment", "judgments[2][1]", "-inf",
                    [] { (void)pairwise_matrix::from_rows({{1, 1, 1}, {1, 1, 1}, {1, -inf, 1}}); });
  s.call<bad_input>(rows, "diagonal entry 2", "judgments[0][0]", "2", [] { (void)pairwise_matrix::from_rows({{2, 1}, {1, 1}}); });
  s.call<bad_input>(rows, "not reciprocal (0.333 for 1/3)", "judgments[1][0]", "0.33300000000000002",
                    [] { (void)pairwise_matrix::from_rows({{1, 3}, {0.333, 1}}); });
  s.call<bad_input>(rows, "mismatched sizes: ragged row", "judgments[1]", "3 entries",
                    [] { (void)pairwise_matrix::from_rows({{1, 2}, {0.5, 1, 3}}); });
  s.call<bad_input>(rows, "empty matrix", "judgments", "0x0", [] { (void)pairwise_matrix::from_rows({}); });
  s.call<bad_input>(rows, "NaN tolerance", "tolerance", "NaN",
                    [] { (void)pairwise_matrix::from_rows({{1}}, nan); });
  s.call<bad_input>(rows, "negative tolerance", "tolerance", "-1",
                    [] { (void)pairwise_matrix::from_rows({{1}}, -1); });
  const std::string ctor = "pairwise_matrix::pairwise_matrix";
  s.call<bad_input>(ctor, "mismatched sizes: 2x3", "judgments", "2x3",
                    [] { (void)pairwise_matrix(Eigen::MatrixXd::Ones(2, 3)); });
  s.call<bad_input>(ctor, "empty 0x0", "judgments", "0x0", [] { (void)pairwise_matrix(Eigen::MatrixXd(0, 0)); });
  s.call<bad_input>(ctor, "+infinite tolerance", "tolerance", "+inf",
                    [] { (void)pairwise_matrix(Eigen::MatrixXd::Ones(2, 2), inf); });
  const std::string upper = "pairwise_matrix::from_upper_triangle";
  s.call<bad_input>(upper, "zero criteria", "n", "0", [] { (void)pairwise_matrix::from_upper_triangle(0, {}); });
  s.call<bad_input>(upper, "mismatched sizes: 2 values for n = 3", "upper", "2 values", [] {
    const std::vector<double> u{2, 3};
    (void)pairwise_matrix::from_upper_triangle(3, u);
  });
  s.call<bad_input>(upper, "NaN judgment", "judgments[0][2]", "NaN", [] {
    const std::vector<double> u{2, nan, 3};
    (void)pairwise_matrix::from_upper_triangle(3, u);
  });
  s.call<bad_input>(upper, "zero judgment", "judgments[1][2]", "0", [] {
    const std::vector<double> u{2, 3, 0};
    (void)pairwise_matrix::from_upper_triangle(3, u);
  });
  s.call<bad_input>(upper, "overflow: n (n - 1) / 2 beyond 64 bits", "upper", "0 values",
                    [] { (void)pairwise_matrix::from_upper_triangle(std::size_t{1} << 33, {}); });

  s.call<bad_input>("saaty_1980::random_index", "n = 16 (beyond the table)", "n", "16",
                    [] { (void)saaty_1980{}.random_index(16); });
  s.call<bad_input>("saaty_2005::random_index", "n = 0", "n", "0", [] { (void)saaty_2005{}.random_index(0); });
  s.call<bad_input>("alonso_lamata_2006::random_index", "n = 0", "n", "0",
                    [] { (void)alonso_lamata_2006{}.random_index(0); });
  s.call<bad_input>("donegan_dodd_1991::random_index", "n = 99", "n", "99",
                    [] { (void)donegan_dodd_1991{}.random_index(99); });
  s.call<bad_input>("analytic_hierarchy::analytic_hierarchy", "NaN threshold", "threshold", "NaN",
                    [] { (void)analytic_hierarchy<>(nan); });
  s.call<bad_input>("analytic_hierarchy::analytic_hierarchy", "negative threshold", "threshold", "-0.1",
                    [] { (void)analytic_hierarchy<>(-0.1); });
  const auto inconsistent = [] {
    return pairwise_matrix::from_rows({{1, 9, 1. / 9}, {1. / 9, 1, 9}, {9, 1. / 9, 1}});
  };
  const auto values = [](const pairwise_matrix& m) { return Eigen::MatrixXd(m.values()); };
  s.on<inconsistent_judgments>("analytic_hierarchy::evaluate", "inconsistent judgments with on_inconsistency::reject",
                               "consistency_ratio", "", inconsistent,
                               [](pairwise_matrix& m) {
                                 (void)analytic_hierarchy<>(0.1, on_inconsistency::reject).evaluate(m);
                               },
                               values, "matrix");
  s.on<bad_input>("consistency_of", "NaN threshold", "threshold", "NaN", inconsistent,
                  [](pairwise_matrix& m) { (void)consistency_of(m, saaty_1980{}, nan); }, values, "matrix");
  s.on<bad_input>("consistency_of", "16 criteria under Saaty 1980", "n", "16",
                  [] { return pairwise_matrix(Eigen::MatrixXd::Ones(16, 16)); },
                  [](pairwise_matrix& m) { (void)consistency_of(m); }, values, "matrix");
  s.on<solver_failure>("priorities", "an eigenvector method allowed one iteration", "AHP power iteration",
                       "1 iterations", [] { return pairwise_matrix::from_rows({{1, 2, 9, 3}, {0.5, 1, 1. / 7, 5},
                                                                                {1. / 9, 7, 1, 1. / 3}, {1. / 3, 0.2, 3, 1}}); },
                       [](pairwise_matrix& m) { (void)priorities(m, principal_eigenvector{1e-15, 1}); }, values,
                       "matrix");

  const std::string harker = "harker_priorities";
  const auto judged = [](std::vector<judgment> j) { return [j] { return j; }; };
  const auto snap = [](const std::vector<judgment>& j) {
    std::vector<std::tuple<std::size_t, std::size_t, std::uint64_t>> out;
    for (const judgment& x : j) out.emplace_back(x.row, x.column, std::bit_cast<std::uint64_t>(x.value));
    return out;
  };
  const auto with_n = [](std::size_t n) { return [n](std::vector<judgment>& j) { (void)harker_priorities(n, j); }; };
  s.on<bad_input>(harker, "zero criteria", "n", "0", judged({}), with_n(0), snap, "judgments");
  s.on<bad_input>(harker, "criterion out of range", "judgments[1].row/column", "0/4",
                  judged({{0, 1, 2}, {0, 4, 2}}), with_n(4), snap, "judgments");
  s.on<bad_input>(harker, "a criterion compared with itself", "judgments[0].row/column", "1/1",
                  judged({{1, 1, 2}}), with_n(2), snap, "judgments");
  s.on<bad_input>(harker, "negative value", "judgments[0].value", "-2", judged({{0, 1, -2}}), with_n(2), snap,
                  "judgments");
  s.on<bad_input>(harker, "NaN value", "judgments[0].value", "NaN", judged({{0, 1, nan}}), with_n(2), snap,
                  "judgments");
  s.on<bad_input>(harker, "duplicate pair with a contradicting value", "judgments[1].value", "3",
                  judged({{0, 1, 2}, {0, 1, 3}}), with_n(2), snap, "judgments");
  s.on<bad_input>(harker, "reverse pair not reciprocal", "judgments[1].value", "2",
                  judged({{0, 1, 2}, {1, 0, 2}}), with_n(2), snap, "judgments");
  s.on<bad_input>(harker, "disconnected criteria", "judgments", "criterion 2 unconnected",
                  judged({{0, 1, 2}, {2, 3, 2}}), with_n(4), snap, "judgments");

  const auto experts = [](std::vector<pairwise_matrix> m) { return [m] { return m; }; };
  const auto snap_experts = [](const std::vector<pairwise_matrix>& m) {
    std::vector<Eigen::MatrixXd> out;
    for (const pairwise_matrix& x : m) out.push_back(x.values());
    return out;
  };
  const auto two = [] { return pairwise_matrix::from_rows({{1, 2}, {0.5, 1}}); };
  const auto three = [] { return pairwise_matrix::from_rows({{1, 2, 4}, {0.5, 1, 2}, {0.25, 0.5, 1}}); };
  const auto aggregate = [](std::vector<double> w) {
    return [w](std::vector<pairwise_matrix>& m) { (void)aggregate_judgments(m, w); };
  };
  s.on<bad_input>("aggregate_judgments", "no experts", "experts", "[]", experts({}), aggregate({}), snap_experts,
                  "matrices");
  s.on<bad_input>("aggregate_judgments", "mismatched sizes: 2x2 and 3x3", "experts[1]", "3x3",
                  experts({two(), three()}), aggregate({}), snap_experts, "matrices");
  s.on<bad_input>("aggregate_judgments", "mismatched sizes: 3 weights for 2 experts", "expert_weights", "3 weights",
                  experts({two(), two()}), aggregate({1, 1, 1}), snap_experts, "matrices");
  s.on<bad_input>("aggregate_judgments", "zero expert weight", "expert_weights[1]", "0", experts({two(), two()}),
                  aggregate({1, 0}), snap_experts, "matrices");
  s.on<bad_input>("aggregate_judgments", "infinite expert weight", "expert_weights[0]", "+inf",
                  experts({two(), two()}), aggregate({inf, 1}), snap_experts, "matrices");
  const auto weights = [](std::vector<std::vector<double>> p) { return [p] { return p; }; };
  const auto snap_weights = [](const std::vector<std::vector<double>>& p) {
    std::vector<std::vector<std::uint64_t>> out;
    for (const auto& v : p) {
      out.emplace_back();
      for (double x : v) out.back().push_back(std::bit_cast<std::uint64_t>(x));
    }
    return out;
  };
  const auto aip = [](std::vector<double> w) {
    return [w](std::vector<std::vector<double>>& p) { (void)aggregate_priorities(p, w); };
  };
  s.on<bad_input>("aggregate_priorities", "no experts", "priorities", "[]", weights({}), aip({}), snap_weights,
                  "priorities");
  s.on<bad_input>("aggregate_priorities", "empty weight vector", "priorities[0]", "[]", weights({{}}), aip({}),
                  snap_weights, "priorities");
  s.on<bad_input>("aggregate_priorities", "mismatched sizes: 2 and 3 weights", "priorities[1]", "3 weights",
                  weights({{0.5, 0.5}, {0.2, 0.3, 0.5}}), aip({}), snap_weights, "priorities");
  s.on<bad_input>("aggregate_priorities", "zero weight", "priorities[1][0]", "0", weights({{0.5, 0.5}, {0, 1}}),
                  aip({}), snap_weights, "priorities");
  s.on<bad_input>("aggregate_priorities", "NaN weight", "priorities[0][1]", "NaN", weights({{0.5, nan}, {0.5, 0.5}}),
                  aip({}), snap_weights, "priorities");
  s.on<bad_input>("aggregate_priorities", "negative expert weight", "expert_weights[0]", "-1",
                  weights({{0.5, 0.5}, {0.5, 0.5}}), aip({-1, 1}), snap_weights, "priorities");
}

reservation booked(std::uint64_t user, std::int64_t wh) {
  return {user_id{user}, station_id{1}, trading_period{0, 18}, watt_hours(wh)};
}
charging_record record(std::uint64_t user, std::int64_t wh) {
  return {user_id{user}, station_id{1}, trading_period{0, 18}, watt_hours(wh)};
}

void creditworthiness_rows(section& s) {
  const std::string ctor = "reservation_credit_rule::reservation_credit_rule";
  s.call<bad_input>(ctor, "negative time weight", "weights.time", "-0.10000000000000001",
                    [] { (void)reservation_credit_rule<>({-0.1, 0.5, 0.5}); });
  s.call<bad_input>(ctor, "NaN location weight", "weights.location", "NaN",
                    [] { (void)reservation_credit_rule<>({0.5, nan, 0.5}); });
  s.call<bad_input>(ctor, "infinite amount weight", "weights.amount", "+inf",
                    [] { (void)reservation_credit_rule<>({0.5, 0.5, inf}); });
  s.call<bad_input>(ctor, "floor equal to the cap", "bounds.floor", "5",
                    [] { (void)reservation_credit_rule<>(criterion_weights::paper001(), {5, 5}); });
  s.call<bad_input>(ctor, "NaN floor", "bounds.floor", "NaN",
                    [] { (void)reservation_credit_rule<>(criterion_weights::paper001(), {nan, 5}); });
  s.call<bad_input>(ctor, "infinite cap", "bounds.cap", "+inf",
                    [] { (void)reservation_credit_rule<>(criterion_weights::paper001(), {0, inf}); });
  s.call<bad_input>("criterion_weights::from", "mismatched sizes: two weights", "weights", "2 values", [] {
    const std::vector<double> two{0.5, 0.5};
    (void)criterion_weights::from(two);
  });
  s.call<bad_input>("criterion_weights::from", "empty", "weights", "0 values",
                    [] { (void)criterion_weights::from(std::span<const double>{}); });

  const reservation_credit_rule<> rule;
  s.call<bad_input>("reservation_credit_rule::assess", "zero reserved energy", "reservation.amount", "0",
                    [rule] { (void)rule.assess(booked(1, 0), record(1, 5)); });
  s.call<bad_input>("reservation_credit_rule::assess", "negative reserved energy", "reservation.amount", "-5",
                    [rule] { (void)rule.assess(booked(1, -5), record(1, 5)); });
  s.call<bad_input>("reservation_credit_rule::assess", "negative delivered energy", "record.delivered", "-1",
                    [rule] { (void)rule.assess(booked(1, 5), record(1, -1)); });
  s.call<bad_input>("reservation_credit_rule::assess", "record of another user", "record.user", "2",
                    [rule] { (void)rule.assess(booked(1, 5), record(2, 5)); });
  s.call<bad_input>("reservation_credit_rule::updated", "NaN credit", "credit", "NaN",
                    [rule] { (void)rule.updated(nan, booked(1, 5), record(1, 5)); });
  s.call<bad_input>("reservation_credit_rule::updated", "credit above the cap", "credit", "10.5",
                    [rule] { (void)rule.updated(10.5, booked(1, 5), record(1, 5)); });
  s.call<bad_input>("reservation_credit_rule::apply", "credit below the floor", "credit", "-0.10000000000000001",
                    [rule] { (void)rule.apply(-0.1, 1); });
  s.call<bad_input>("reservation_credit_rule::apply", "-infinite credit", "credit", "-inf",
                    [rule] { (void)rule.apply(-inf, 1); });
  s.call<bad_input>("energy_within_tolerance::kept", "zero denominator", "energy_within_tolerance", "1/0",
                    [] { (void)energy_within_tolerance{1, 0}.kept(booked(1, 5), record(1, 5)); });
  s.call<bad_input>("energy_within_tolerance::kept", "negative numerator", "energy_within_tolerance", "-1/10",
                    [] { (void)energy_within_tolerance{-1, 10}.kept(booked(1, 5), record(1, 5)); });

  // The credit book: every failed call leaves every user's credit as it was.
  const auto book = [] {
    user_credit_book<> b;
    b.enrol(user_id{1}, 5.0);
    b.enrol(user_id{2}, 7.5);
    return b;
  };
  const auto credits = [](const user_credit_book<>& b) {
    return std::tuple(b.size(), b.credit(user_id{1}), b.credit(user_id{2}));
  };
  using book_t = user_credit_book<>;
  s.on<bad_input>("user_credit_book::enrol", "credit above the cap", "credit", "11", book,
                  [](book_t& b) { b.enrol(user_id{3}, 11.0); }, credits);
  s.on<bad_input>("user_credit_book::enrol", "NaN credit (re-enrolling a user)", "credit", "NaN", book,
                  [](book_t& b) { b.enrol(user_id{1}, nan); }, credits);
  s.on<bad_input>("user_credit_book::enrol", "negative credit", "credit", "-1", book,
                  [](book_t& b) { b.enrol(user_id{3}, -1); }, credits);
  s.on<bad_input>("user_credit_book::credit", "user not enrolled", "user", "9", book,
                  [](book_t& b) { (void)b.credit(user_id{9}); }, credits);
  s.on<bad_input>("user_credit_book::settle", "user not enrolled", "batch[0].booked.user", "9", book,
                  [](book_t& b) { (void)b.settle(booked(9, 5), record(9, 5)); }, credits);
  s.on<bad_input>("user_credit_book::settle", "record of another user", "record.user", "2", book,
                  [](book_t& b) { (void)b.settle(booked(1, 5), record(2, 5)); }, credits);
  s.on<bad_input>("user_credit_book::settle", "zero reserved energy", "reservation.amount", "0", book,
                  [](book_t& b) { (void)b.settle(booked(1, 0), record(1, 5)); }, credits);
  s.on<bad_input>("user_credit_book::settle_all", "a bad record after good ones", "record.delivered", "-3", book,
                  [](book_t& b) {
                    const std::vector<settled_reservation> batch{
                        {booked(1, 5), record(1, 5)}, {booked(2, 5), record(2, 5)}, {booked(1, 5), record(1, -3)}};
                    b.settle_all(batch);
                  },
                  credits);
  s.on<bad_input>("user_credit_book::settle_all", "a user not enrolled after good records", "batch[1].booked.user",
                  "4", book,
                  [](book_t& b) {
                    const std::vector<settled_reservation> batch{{booked(1, 5), record(1, 5)},
                                                                 {booked(4, 5), record(4, 5)}};
                    b.settle_all(batch);
                  },
                  credits);
  s.on<bad_input>("station_creditworthiness", "a reservation of a user not enrolled", "user", "8", book,
                  [](book_t& b) {
                    const std::vector<reservation> r{booked(1, 5), booked(8, 5)};
                    (void)station_creditworthiness(station_id{1}, trading_period{0, 18}, r, b);
                  },
                  credits);
  s.on<bad_input>("station_creditworthiness (all stations)", "a reservation of a user not enrolled", "user", "8", book,
                  [](book_t& b) {
                    const std::vector<reservation> r{booked(8, 5)};
                    (void)station_creditworthiness(trading_period{0, 18}, r, b);
                  },
                  credits);
}

const bool registered = evmarket_catalogue::add_section(40, "credit", [](section& s) {
  ahp_rows(s);
  creditworthiness_rows(s);
});

}  // namespace
