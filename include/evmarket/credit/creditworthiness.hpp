#pragma once
/// @file
/// Paper 001's creditworthiness: an EV user's credit rises or falls after each charge by how
/// well the charge kept the reservation (time, location, energy), weighted by AHP (eq. 1-2), and
/// a station's creditworthiness is the sum over the users who reserved there (eq. 3).
///
/// Credit values are real numbers (double): they are scores on a 0..10 scale built from real AHP
/// weights, never money or quota. The energies compared are exact (watt-hours).

#include <evmarket/core/error.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/detail/checked.hpp>

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// An EV user's charging reservation: where, when and how much.
struct reservation {
  /// The EV user.
  user_id user;
  /// The station reserved.
  station_id station;
  /// The period reserved.
  trading_period period;
  /// Reserved energy; must be positive.
  energy amount;
};

/// What actually happened: the settled charge of one user (paper 001 Table III).
struct charging_record {
  /// The EV user who charged.
  user_id user;
  /// The station where the user charged.
  station_id station;
  /// The period in which the user charged.
  trading_period period;
  /// Energy traded; must not be negative (zero: the user never came).
  energy delivered;
};

/// ConformanceRule: decides whether a charge kept one criterion of its reservation. Each
/// criterion's rule is a separate policy so an operator can, say, allow an adjacent period.
template <class Rule>
concept ConformanceRule = requires(const Rule& rule, const reservation& booked, const charging_record& actual) {
  { rule.kept(booked, actual) } -> std::same_as<bool>;
};

/// Time is kept when the user charged in the reserved period (paper 001's default).
struct same_period {
  /// True when the charge fell in the reserved period.
  [[nodiscard]] bool kept(const reservation& booked, const charging_record& actual) const noexcept {
    return booked.period == actual.period;
  }
};

/// Location is kept when the user charged at the reserved station (paper 001's default).
struct same_station {
  /// True when the charge was at the reserved station.
  [[nodiscard]] bool kept(const reservation& booked, const charging_record& actual) const noexcept {
    return booked.station == actual.station;
  }
};

/// Energy is kept when the traded energy lies within +-numerator/denominator of the reserved
/// energy, bounds included (paper 001: within 10 %). Compared exactly in integers.
struct energy_within_tolerance {
  ///@{
  /// The tolerance as the fraction numerator / denominator of the reserved energy (1 / 10: 10 %).
  std::int64_t numerator = 1;
  std::int64_t denominator = 10;
  ///@}

  /// True when the delivered energy lies within the tolerance of the reserved energy.
  [[nodiscard]] bool kept(const reservation& booked, const charging_record& actual) const {
    if (numerator < 0 || denominator <= 0)
      throw bad_input("energy_within_tolerance", describe_fraction(), "needs numerator >= 0 and denominator > 0");
    using detail::int128;
    const int128 deviation = static_cast<int128>(actual.delivered.base()) - booked.amount.base();
    const int128 magnitude = deviation < 0 ? -deviation : deviation;
    return magnitude * denominator <= static_cast<int128>(booked.amount.base()) * numerator;
  }

 private:
  [[nodiscard]] std::string describe_fraction() const {
    return std::to_string(numerator) + "/" + std::to_string(denominator);
  }
};

static_assert(ConformanceRule<same_period>);
static_assert(ConformanceRule<same_station>);
static_assert(ConformanceRule<energy_within_tolerance>);

/// A_i of eq. (2) for the three criteria (time, location, amount of energy): +1 kept, -1 not kept.
struct conformance {
  ///@{
  /// +1 when the reservation was kept on this criterion, -1 when not.
  int time = 1;
  int location = 1;
  int amount = 1;
  ///@}
};

/// The weights w_i of eq. (1) for time, location and amount of energy (from the AHP; see
/// credit/ahp.hpp).
struct criterion_weights {
  ///@{
  /// The criterion's AHP weight w_i.
  double time = 0.0;
  double location = 0.0;
  double amount = 0.0;
  ///@}

  /// Paper 001's printed AHP weights: 73.064 %, 18.839 %, 8.096 % (they sum to 0.99999).
  [[nodiscard]] static constexpr criterion_weights paper001() noexcept { return {0.73064, 0.18839, 0.08096}; }

  /// Weights in the order time, location, amount, e.g. analytic_hierarchy<>{}.evaluate(m).weights.
  [[nodiscard]] static criterion_weights from(std::span<const double> weights) {
    // A plain throw (not detail::require) so the compiler sees the indexing below is guarded.
    if (weights.size() != 3)
      throw bad_input("weights", std::to_string(weights.size()) + " values",
                      "must hold three weights: time, location, amount");
    return {weights[0], weights[1], weights[2]};
  }
};

/// The range a user's credit is kept in. Paper 001 caps credit at 10; it states no floor. The
/// default floor is 0 so that a station's sum over its users (eq. 3) never falls when a user is
/// added and never turns negative, which the credit-priority allocation rules require.
struct credit_bounds {
  /// The lowest credit a user can have.
  double floor = 0.0;
  /// The highest credit a user can have (paper 001: 10).
  double cap = 10.0;
};

/// CreditRule: turns a user's credit and one settled reservation into the new credit, in two
/// steps so that a batch can be scored (which may throw) before any credit changes: score() checks
/// and scores one settlement, apply() folds a score into a credit within the bounds, and
/// require_within_bounds() rejects a credit outside them.
template <class Rule>
concept CreditRule = requires(const Rule& rule, double credit, const reservation& booked, const charging_record& actual,
                              std::string_view field) {
  { rule.score(booked, actual) } -> std::same_as<double>;
  { rule.apply(credit, rule.score(booked, actual)) } -> std::same_as<double>;
  { rule.bounds() } -> std::convertible_to<credit_bounds>;
  rule.require_within_bounds(credit, field);
};

/// Paper 001's update: new credit = clamp(old + sum_i w_i A_i, floor, cap), with each A_i decided
/// by a conformance policy. Defaults: paper 001's weights and rules, floor 0, cap 10.
template <ConformanceRule TimeRule = same_period, ConformanceRule LocationRule = same_station,
          ConformanceRule AmountRule = energy_within_tolerance>
class reservation_credit_rule {
 public:
  reservation_credit_rule() = default;
  /// A rule with these AHP weights, bounds and conformance rules.
  explicit reservation_credit_rule(criterion_weights weights, credit_bounds bounds = {}, TimeRule time_rule = {},
                                   LocationRule location_rule = {}, AmountRule amount_rule = {})
      : weights_(weights),
        bounds_(bounds),
        time_(std::move(time_rule)),
        location_(std::move(location_rule)),
        amount_(std::move(amount_rule)) {
    check_weight(weights.time, "weights.time");
    check_weight(weights.location, "weights.location");
    check_weight(weights.amount, "weights.amount");
    detail::require_finite(bounds.floor, "bounds.floor");
    detail::require_finite(bounds.cap, "bounds.cap");
    detail::require(bounds.floor < bounds.cap, "bounds.floor", bounds.floor, "must lie below bounds.cap");
  }

  /// A_i for each criterion (eq. 2). The record must belong to the reservation's user.
  [[nodiscard]] conformance assess(const reservation& booked, const charging_record& actual) const {
    check(booked, actual);
    return {time_.kept(booked, actual) ? 1 : -1, location_.kept(booked, actual) ? 1 : -1,
            amount_.kept(booked, actual) ? 1 : -1};
  }
  /// sum_i w_i A_i (eq. 1) for one settled reservation.
  [[nodiscard]] double score(const conformance& a) const noexcept {
    return weights_.time * a.time + weights_.location * a.location + weights_.amount * a.amount;
  }
  /// sum_i w_i A_i (eq. 1) for one settled reservation.
  [[nodiscard]] double score(const reservation& booked, const charging_record& actual) const {
    return score(assess(booked, actual));
  }
  /// clamp(credit + score, floor, cap). `credit` must already lie within the bounds.
  [[nodiscard]] double apply(double credit, double score_change) const {
    require_within_bounds(credit, "credit");
    return std::clamp(credit + score_change, bounds_.floor, bounds_.cap);
  }
  /// The new credit of a user whose credit was `credit` after settling `actual` against `booked`.
  [[nodiscard]] double updated(double credit, const reservation& booked, const charging_record& actual) const {
    return apply(credit, score(booked, actual));
  }

  /// The AHP weights in use.
  [[nodiscard]] const criterion_weights& weights() const noexcept { return weights_; }
  /// The credit bounds in use.
  [[nodiscard]] const credit_bounds& bounds() const noexcept { return bounds_; }

  /// Throws bad_input unless `credit` is finite and within [floor, cap].
  void require_within_bounds(double credit, std::string_view field) const {
    if (!(std::isfinite(credit) && credit >= bounds_.floor && credit <= bounds_.cap))
      throw bad_input(std::string(field), detail::describe(credit),
                      "must be a finite credit within [" + detail::describe(bounds_.floor) + ", " +
                          detail::describe(bounds_.cap) + "]");
  }

 private:
  static void check_weight(double w, std::string_view field) {
    detail::require(std::isfinite(w) && w >= 0.0, field, w, "must be finite and not negative");
  }
  static void check(const reservation& booked, const charging_record& actual) {
    detail::require(booked.amount.is_positive(), "reservation.amount", booked.amount.base(), "must be positive (Wh)");
    detail::require(!actual.delivered.is_negative(), "record.delivered", actual.delivered.base(),
                    "must not be negative (Wh)");
    if (booked.user != actual.user)
      throw bad_input("record.user", detail::describe(actual.user.value),
                      "must be the reservation's user (" + std::to_string(booked.user.value) + ")");
  }

  criterion_weights weights_ = criterion_weights::paper001();
  credit_bounds bounds_{};
  [[no_unique_address]] TimeRule time_{};
  [[no_unique_address]] LocationRule location_{};
  [[no_unique_address]] AmountRule amount_{};
};

static_assert(CreditRule<reservation_credit_rule<>>);

/// A reservation together with the charge that settled it.
struct settled_reservation {
  /// The reservation.
  reservation booked;
  /// The charge that settled it.
  charging_record actual;
};

/// The credit of every enrolled user, updated by a CreditRule as reservations settle. Updates
/// are all-or-nothing: a batch with one bad record changes nobody's credit.
template <CreditRule Rule = reservation_credit_rule<>>
class user_credit_book {
 public:
  user_credit_book() = default;
  /// A book whose credits `rule` updates.
  explicit user_credit_book(Rule rule) : rule_(std::move(rule)) {}

  /// Registers `user` with `credit` (within the rule's bounds); re-enrolling sets the credit.
  void enrol(user_id user, double credit) {
    rule_.require_within_bounds(credit, "credit");
    credits_[user] = credit;
  }
  /// True when `user` is enrolled.
  [[nodiscard]] bool contains(user_id user) const { return credits_.contains(user); }
  /// The credit of an enrolled user.
  [[nodiscard]] double credit(user_id user) const {
    const auto found = credits_.find(user);
    if (found == credits_.end())
      throw bad_input("user", detail::describe(user.value), "is not enrolled in the credit book");
    return found->second;
  }
  /// Number of enrolled users.
  [[nodiscard]] std::size_t size() const noexcept { return credits_.size(); }
  /// The rule in use.
  [[nodiscard]] const Rule& rule() const noexcept { return rule_; }

  /// Settles one reservation; returns the user's new credit.
  double settle(const reservation& booked, const charging_record& actual) {
    const settled_reservation one{booked, actual};
    settle_all(std::span<const settled_reservation>(&one, 1));
    return credits_.find(booked.user)->second;
  }

  /// Settles a batch in order (a user may appear several times; each update starts from the
  /// previous one). Every record is checked and scored before any credit changes.
  void settle_all(std::span<const settled_reservation> batch) {
    std::vector<std::pair<double*, double>> changes;
    changes.reserve(batch.size());
    for (std::size_t k = 0; k < batch.size(); ++k) {
      const auto found = credits_.find(batch[k].booked.user);
      if (found == credits_.end())
        throw bad_input(detail::element_field("batch", k, "booked.user"), detail::describe(batch[k].booked.user.value),
                        "is not enrolled in the credit book");
      changes.emplace_back(&found->second, rule_.score(batch[k].booked, batch[k].actual));
    }
    // Nothing below can throw: stored credits are within bounds by construction.
    for (const auto& [credit, change] : changes) *credit = rule_.apply(*credit, change);
  }

 private:
  [[no_unique_address]] Rule rule_{};
  std::unordered_map<user_id, double> credits_;
};

/// Eq. (3): the creditworthiness of `station` in `period`, the sum of the current credits of the
/// distinct users holding a reservation there (a user with two reservations counts once). Paper
/// 001 writes the sum of eq. (1) over users; its Table I totals (about 90-260 for a few dozen
/// users) are sums of accumulated credit values, which is what is summed here.
template <CreditRule Rule>
[[nodiscard]] double station_creditworthiness(station_id station, trading_period period,
                                              std::span<const reservation> reservations,
                                              const user_credit_book<Rule>& book) {
  std::vector<user_id> users;
  for (const reservation& r : reservations)
    if (r.station == station && r.period == period) users.push_back(r.user);
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  double total = 0.0;
  for (const user_id user : users) total += book.credit(user);
  return total;
}

/// Eq. (3) for every station with a reservation in `period`, ordered by station id.
template <CreditRule Rule>
[[nodiscard]] std::map<station_id, double> station_creditworthiness(trading_period period,
                                                                    std::span<const reservation> reservations,
                                                                    const user_credit_book<Rule>& book) {
  std::vector<std::pair<station_id, user_id>> pairs;
  for (const reservation& r : reservations)
    if (r.period == period) pairs.emplace_back(r.station, r.user);
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  std::map<station_id, double> totals;
  for (const auto& [station, user] : pairs) totals[station] += book.credit(user);
  return totals;
}

EVMARKET_END_NAMESPACE
