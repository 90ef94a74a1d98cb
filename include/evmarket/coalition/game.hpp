#pragma once
/// @file
/// Transferable-utility cooperative games: the characteristic function v as a dense table indexed
/// by coalition bitmask (at most `max_dense_players` players) or as a callable (at most
/// `max_players`), in double or exact rational values; the classic families (bankruptcy, airport,
/// glove, weighted voting, the assignment game of paper 004's market); excesses, imputation checks
/// and the Shapley value.

#include <evmarket/core/error.hpp>
#include <evmarket/detail/coalition_assignment.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <bit>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// An exact rational number (Boost.Multiprecision, no expression templates at the API boundary).
using exact_rational = boost::multiprecision::cpp_rational;

/// A coalition as a bitmask: bit i set means player i belongs to it.
using coalition = std::uint64_t;

/// Largest player count of a tabulated game: 2^25 values (256 MiB of doubles) is where memory,
/// not time, becomes the limit.
inline constexpr std::size_t max_dense_players = 25;
/// Largest player count of a game given by a callable (one bit per player in a `coalition`).
inline constexpr std::size_t max_players = 62;

/// The value types a game may carry: double for speed, exact rationals for proofs.
template <class Value>
concept GameValue = std::same_as<Value, double> || std::same_as<Value, exact_rational>;

/// The grand coalition of `players` players.
[[nodiscard]] constexpr coalition grand_coalition(std::size_t players) noexcept {
  return players >= 64 ? ~coalition{0} : (coalition{1} << players) - 1;
}
/// Number of players in a coalition.
[[nodiscard]] constexpr std::size_t coalition_size(coalition members) noexcept {
  return static_cast<std::size_t>(std::popcount(members));
}
/// The coalition of the listed players (0-based).
[[nodiscard]] inline coalition make_coalition(std::initializer_list<std::size_t> members) {
  coalition mask = 0;
  for (const std::size_t i : members) {
    detail::require(i < max_players, "player", i, "must be below evmarket::max_players");
    mask |= coalition{1} << i;
  }
  return mask;
}

template <GameValue Value>
class assignment_game;

/// A TU game (N, v). v(empty) = 0. Values of a tabulated game are checked when it is built; a
/// callable's values are checked wherever an algorithm reads them.
template <GameValue Value = double>
class tu_game {
public:
  /// The type of v(S).
  using value_type = Value;

  /// A tabulated game: `values[S]` is v(S) for every bitmask S < 2^players.
  [[nodiscard]] static tu_game from_table(std::size_t players, std::vector<Value> values) {
    detail::require(players >= 1, "players", players, "a game needs at least one player");
    detail::require(players <= max_dense_players, "players", players,
                    "too many players for a tabulated game (at most evmarket::max_dense_players = 25); "
                    "give the characteristic function as a callable instead");
    const std::size_t expected = std::size_t{1} << players;
    detail::require(values.size() == expected, "values.size()", values.size(),
                    "a tabulated game needs exactly 2^players values, indexed by coalition bitmask");
    for (std::size_t s = 0; s < values.size(); ++s) check_value(values[s], s);
    detail::require(values[0] == Value(0), "values[0]", describe_value(values[0]), "v(empty coalition) must be 0");
    tu_game game;
    game.players_ = players;
    game.table_ = std::move(values);
    return game;
  }

  /// A game whose v(S) is computed on demand by `characteristic(S)`; `characteristic(0)` must be 0.
  [[nodiscard]] static tu_game from_function(std::size_t players, std::function<Value(coalition)> characteristic) {
    detail::require(players >= 1, "players", players, "a game needs at least one player");
    detail::require(players <= max_players, "players", players,
                    "too many players for a coalition bitmask (at most evmarket::max_players = 62)");
    detail::require(static_cast<bool>(characteristic), "characteristic", "empty", "needs a callable");
    tu_game game;
    game.players_ = players;
    game.function_ = std::move(characteristic);
    return game;
  }

  /// Number of players n.
  [[nodiscard]] std::size_t players() const noexcept { return players_; }
  /// The grand coalition N as a bitmask.
  [[nodiscard]] coalition grand() const noexcept { return grand_coalition(players_); }
  /// True when v is tabulated (every value already validated).
  [[nodiscard]] bool is_tabulated() const noexcept { return !function_; }
  /// The table of a tabulated game, indexed by coalition bitmask (empty for a callable).
  [[nodiscard]] std::span<const Value> table() const noexcept { return table_; }

  /// v(S); throws bad_input for a coalition outside N or a non-finite callable value.
  [[nodiscard]] Value value(coalition members) const {
    detail::require((members & ~grand()) == 0, "coalition", members, "contains a player outside the game");
    if (!function_) return table_[static_cast<std::size_t>(members)];
    Value result = function_(members);
    check_value(result, members);
    if (members == 0) detail::require(result == Value(0), "v(empty)", describe_value(result), "must be 0");
    return result;
  }

  /// The same game tabulated (a copy when it already is); needs players() <= max_dense_players.
  [[nodiscard]] tu_game tabulated() const {
    if (!function_) return *this;
    detail::require(players_ <= max_dense_players, "players", players_,
                    "too many players to tabulate (at most evmarket::max_dense_players = 25)");
    std::vector<Value> values(std::size_t{1} << players_);
    for (std::size_t s = 0; s < values.size(); ++s) values[s] = value(static_cast<coalition>(s));
    tu_game copy = from_table(players_, std::move(values));
    copy.assignment_ = assignment_;
    return copy;
  }

  /// The game -v (turns a cost game into a savings game and back).
  [[nodiscard]] tu_game negated() const {
    tu_game copy = tabulated();
    for (auto& v : copy.table_) v = -v;
    copy.assignment_.reset();
    return copy;
  }

  /// The assignment game this game was built from, or nullptr.
  [[nodiscard]] const assignment_game<Value>* assignment() const noexcept { return assignment_.get(); }

  /// Text for a value in an error message.
  [[nodiscard]] static std::string describe_value(const Value& value) {
    if constexpr (std::same_as<Value, double>) return detail::describe(value);
    else return value.str();
  }

private:
  template <GameValue>
  friend class assignment_game;

  static void check_value(const Value& value, std::size_t members) {
    if constexpr (std::same_as<Value, double>) {
      detail::require(std::isfinite(value), "v(" + std::to_string(members) + ")", value,
                      "game values must be finite numbers");
    } else {
      (void)value;
      (void)members;
    }
  }

  std::size_t players_ = 0;
  std::vector<Value> table_;
  std::function<Value(coalition)> function_;
  std::shared_ptr<const assignment_game<Value>> assignment_;
};

/// The assignment game of a two-sided market (Shapley-Shubik): buyers 0..m-1 are players 0..m-1,
/// sellers 0..k-1 are players m..m+k-1, and v(S) is the best total gain of a matching of the
/// buyers and sellers in S, a pair (i, j) gaining max(gains[i][j], 0). Paper 004's prosumer market.
template <GameValue Value = double>
class assignment_game {
public:
  /// The type of the gains and of v(S).
  using value_type = Value;

  /// `gains[i][j]`: what buyer i and seller j gain by trading with each other.
  explicit assignment_game(std::vector<std::vector<Value>> gains) : gains_(std::move(gains)) {
    detail::require(!gains_.empty(), "gains", "[]", "an assignment game needs at least one buyer");
    sellers_ = gains_.front().size();
    detail::require(sellers_ >= 1, "gains[0].size()", sellers_, "an assignment game needs at least one seller");
    for (std::size_t i = 0; i < gains_.size(); ++i) {
      detail::require(gains_[i].size() == sellers_, detail::element_field("gains", i) + ".size()", gains_[i].size(),
                      "every buyer needs one gain per seller");
      for (std::size_t j = 0; j < sellers_; ++j) {
        if constexpr (std::same_as<Value, double>)
          detail::require_finite(gains_[i][j], detail::element_field("gains", i) + "[" + std::to_string(j) + "]");
      }
    }
  }

  /// Number of buyers m.
  [[nodiscard]] std::size_t buyers() const noexcept { return gains_.size(); }
  /// Number of sellers k.
  [[nodiscard]] std::size_t sellers() const noexcept { return sellers_; }
  /// Number of players m + k.
  [[nodiscard]] std::size_t players() const noexcept { return gains_.size() + sellers_; }
  /// v({buyer, seller}) = max(gain, 0).
  [[nodiscard]] Value pair_value(std::size_t buyer, std::size_t seller) const {
    detail::require(buyer < gains_.size(), "buyer", buyer, "is not a buyer of the game");
    detail::require(seller < sellers_, "seller", seller, "is not a seller of the game");
    const Value& gain = gains_[buyer][seller];
    return gain > Value(0) ? gain : Value(0);
  }

  /// A best matching of the grand coalition: seller of each buyer, or npos when unmatched.
  [[nodiscard]] std::vector<std::size_t> optimal_matching() const {
    return detail::max_weight_assignment(buyers(), sellers_, [this](std::size_t i, std::size_t j) {
      return static_cast<double>(gains_[i][j]);
    });
  }

  /// v(N): the total gain of `optimal_matching()`, summed exactly in Value.
  [[nodiscard]] Value grand_value() const {
    const auto match = optimal_matching();
    Value total(0);
    for (std::size_t i = 0; i < match.size(); ++i)
      if (match[i] != static_cast<std::size_t>(-1)) total += pair_value(i, match[i]);
    return total;
  }

  /// The whole game tabulated by coalition bitmask (players() <= max_dense_players); the result
  /// remembers its origin, so the nucleolus uses the assignment-game fast path on it too.
  [[nodiscard]] tu_game<Value> to_game() const {
    const std::size_t n = players();
    detail::require(n <= max_dense_players, "players", n,
                    "too many players to tabulate (at most evmarket::max_dense_players = 25)");
    const std::size_t m = buyers();
    std::vector<Value> values(std::size_t{1} << n, Value(0));
    // v(S): either the lowest buyer of S stays unmatched, or it pairs with one of S's sellers.
    for (std::size_t s = 1; s < values.size(); ++s) {
      const auto mask = static_cast<coalition>(s);
      const coalition buyers_in = mask & grand_coalition(m);
      if (buyers_in == 0) continue;
      const auto lowest = static_cast<std::size_t>(std::countr_zero(buyers_in));
      const coalition rest = mask & ~(coalition{1} << lowest);
      Value best = values[static_cast<std::size_t>(rest)];
      for (coalition sellers_in = mask >> m; sellers_in != 0; sellers_in &= sellers_in - 1) {
        const auto j = static_cast<std::size_t>(std::countr_zero(sellers_in));
        const Value candidate = pair_value(lowest, j) + values[static_cast<std::size_t>(rest & ~(coalition{1} << (m + j)))];
        if (candidate > best) best = candidate;
      }
      values[s] = best;
    }
    tu_game<Value> game = tu_game<Value>::from_table(n, std::move(values));
    game.assignment_ = std::make_shared<const assignment_game>(*this);
    return game;
  }

private:
  std::vector<std::vector<Value>> gains_;
  std::size_t sellers_ = 0;
};

// --- The classic families -------------------------------------------------------------------------

namespace detail {
template <GameValue Value>
void require_players_for_table(std::size_t players, std::string_view field) {
  require(players >= 1, field, players, "a game needs at least one player");
  require(players <= max_dense_players, field, players, "too many players for a tabulated game (at most 25)");
}
template <GameValue Value>
void require_nonnegative(const Value& value, const std::string& field) {
  if constexpr (std::same_as<Value, double>) require_finite(value, field);
  require(value >= Value(0), field, tu_game<Value>::describe_value(value), "must not be negative");
}
}  // namespace detail

/// Bankruptcy game (O'Neill): v(S) = max(0, estate - sum of the claims outside S). Its nucleolus
/// is the Talmud rule (Aumann-Maschler).
template <GameValue Value = double>
[[nodiscard]] tu_game<Value> bankruptcy_game(Value estate, std::vector<Value> claims) {
  detail::require_players_for_table<Value>(claims.size(), "claims.size()");
  detail::require_nonnegative(estate, "estate");
  Value total(0);
  for (std::size_t i = 0; i < claims.size(); ++i) {
    detail::require_nonnegative(claims[i], detail::element_field("claims", i));
    total += claims[i];
  }
  detail::require(estate <= total, "estate", tu_game<Value>::describe_value(estate),
                  "exceeds the sum of the claims: there is no bankruptcy to share");
  const std::size_t n = claims.size();
  std::vector<Value> values(std::size_t{1} << n, Value(0));
  for (std::size_t s = 1; s < values.size(); ++s) {
    Value outside(0);
    for (std::size_t i = 0; i < n; ++i)
      if (((s >> i) & 1U) == 0) outside += claims[i];
    const Value left = estate - outside;
    values[s] = left > Value(0) ? left : Value(0);
  }
  return tu_game<Value>::from_table(n, std::move(values));
}

/// Airport game (Littlechild-Owen) as a cost game: c(S) = the largest runway cost any member of S
/// needs. Its values are costs; `negated()` gives the savings form the nucleolus minimises over.
template <GameValue Value = double>
[[nodiscard]] tu_game<Value> airport_game(std::vector<Value> costs) {
  detail::require_players_for_table<Value>(costs.size(), "costs.size()");
  for (std::size_t i = 0; i < costs.size(); ++i) detail::require_nonnegative(costs[i], detail::element_field("costs", i));
  const std::size_t n = costs.size();
  std::vector<Value> values(std::size_t{1} << n, Value(0));
  for (std::size_t s = 1; s < values.size(); ++s) {
    const auto lowest = static_cast<std::size_t>(std::countr_zero(static_cast<coalition>(s)));
    const Value& rest = values[s & (s - 1)];
    values[s] = costs[lowest] > rest ? costs[lowest] : rest;
  }
  return tu_game<Value>::from_table(n, std::move(values));
}

/// Glove game: players 0..left-1 hold a left glove, the next `right` players a right glove;
/// v(S) = the number of pairs S can form.
template <GameValue Value = double>
[[nodiscard]] tu_game<Value> glove_game(std::size_t left, std::size_t right) {
  detail::require(left >= 1, "left", left, "a glove game needs at least one left glove");
  detail::require(right >= 1, "right", right, "a glove game needs at least one right glove");
  const std::size_t n = left + right;
  detail::require_players_for_table<Value>(n, "left + right");
  std::vector<Value> values(std::size_t{1} << n);
  const coalition lefts = grand_coalition(left);
  for (std::size_t s = 0; s < values.size(); ++s) {
    const auto mask = static_cast<coalition>(s);
    const std::size_t l = coalition_size(mask & lefts), r = coalition_size(mask & ~lefts);
    values[s] = Value(static_cast<long long>(l < r ? l : r));
  }
  return tu_game<Value>::from_table(n, std::move(values));
}

/// Weighted voting game [quota; weights]: v(S) = 1 when the weights in S reach the quota, else 0.
template <GameValue Value = double>
[[nodiscard]] tu_game<Value> weighted_voting_game(Value quota, std::vector<Value> weights) {
  detail::require_players_for_table<Value>(weights.size(), "weights.size()");
  if constexpr (std::same_as<Value, double>) detail::require_finite(quota, "quota");
  detail::require(quota > Value(0), "quota", tu_game<Value>::describe_value(quota), "must be positive");
  for (std::size_t i = 0; i < weights.size(); ++i) detail::require_nonnegative(weights[i], detail::element_field("weights", i));
  const std::size_t n = weights.size();
  std::vector<Value> weight_of(std::size_t{1} << n, Value(0)), values(std::size_t{1} << n, Value(0));
  for (std::size_t s = 1; s < values.size(); ++s) {
    const auto lowest = static_cast<std::size_t>(std::countr_zero(static_cast<coalition>(s)));
    weight_of[s] = weight_of[s & (s - 1)] + weights[lowest];
    values[s] = weight_of[s] >= quota ? Value(1) : Value(0);
  }
  return tu_game<Value>::from_table(n, std::move(values));
}

/// Simple majority game: a coalition wins with more than half of the `players` votes.
template <GameValue Value = double>
[[nodiscard]] tu_game<Value> majority_game(std::size_t players) {
  detail::require_players_for_table<Value>(players, "players");
  return weighted_voting_game<Value>(Value(static_cast<long long>(players / 2 + 1)),
                                     std::vector<Value>(players, Value(1)));
}

// --- Solution concepts --------------------------------------------------------------------------

namespace detail {
template <GameValue Value>
void require_allocation_size(const tu_game<Value>& game, std::size_t size) {
  require(size == game.players(), "allocation.size()", size, "needs one payoff per player");
}
template <class Value>
Value coalition_sum(std::span<const Value> allocation, coalition members) {
  Value total(0);
  for (; members != 0; members &= members - 1) total += allocation[static_cast<std::size_t>(std::countr_zero(members))];
  return total;
}
}  // namespace detail

/// Default tolerance of the double-valued checks: allocations within it are accepted.
inline constexpr double allocation_tolerance = 1e-9;

/// The excess e(S, x) = v(S) - x(S) (paper 004 eq. 10): what S could gain by leaving x.
template <GameValue Value>
[[nodiscard]] Value excess(const tu_game<Value>& game, std::span<const Value> allocation, coalition members) {
  detail::require_allocation_size(game, allocation.size());
  // value() rejects a coalition outside the game before the sum indexes the allocation with it.
  const Value worth = game.value(members);
  return worth - detail::coalition_sum(allocation, members);
}

/// Every excess, indexed by coalition bitmask (entry 0 is the empty coalition's, 0).
template <GameValue Value>
[[nodiscard]] std::vector<Value> excess_vector(const tu_game<Value>& game, std::span<const Value> allocation) {
  detail::require_allocation_size(game, allocation.size());
  detail::require(game.players() <= max_dense_players, "players", game.players(),
                  "too many players to list every excess (at most 25)");
  const std::size_t count = std::size_t{1} << game.players();
  std::vector<Value> sums(count, Value(0)), result(count);
  for (std::size_t s = 1; s < count; ++s) {
    sums[s] = sums[s & (s - 1)] + allocation[static_cast<std::size_t>(std::countr_zero(static_cast<coalition>(s)))];
    result[s] = game.value(static_cast<coalition>(s)) - sums[s];
  }
  return result;
}

/// x(N) = v(N), within `tolerance` for doubles (exact for rationals).
template <GameValue Value>
[[nodiscard]] bool is_efficient(const tu_game<Value>& game, std::span<const Value> allocation,
                                double tolerance = allocation_tolerance) {
  const Value gap = excess(game, allocation, game.grand());
  if constexpr (std::same_as<Value, double>) return std::abs(gap) <= tolerance;
  else { (void)tolerance; return gap == 0; }
}

/// x is an imputation: efficient and x_i >= v({i}) for every player.
template <GameValue Value>
[[nodiscard]] bool is_imputation(const tu_game<Value>& game, std::span<const Value> allocation,
                                 double tolerance = allocation_tolerance) {
  if (!is_efficient(game, allocation, tolerance)) return false;
  for (std::size_t i = 0; i < game.players(); ++i) {
    const Value shortfall = game.value(coalition{1} << i) - allocation[i];
    if constexpr (std::same_as<Value, double>) { if (shortfall > tolerance) return false; }
    else if (shortfall > 0) return false;
  }
  return true;
}

/// The imputation set is empty when v(N) < sum of v({i}).
template <GameValue Value>
[[nodiscard]] bool has_imputations(const tu_game<Value>& game) {
  Value singles(0);
  for (std::size_t i = 0; i < game.players(); ++i) singles += game.value(coalition{1} << i);
  return game.value(game.grand()) >= singles;
}

/// The Shapley value: each player's marginal contribution averaged over all orders of arrival.
/// Exact for rational games; needs players() <= max_dense_players.
template <GameValue Value>
[[nodiscard]] std::vector<Value> shapley_value(const tu_game<Value>& game) {
  const std::size_t n = game.players();
  detail::require(n <= max_dense_players, "players", n, "the Shapley value enumerates 2^n coalitions (at most 25 players)");
  const tu_game<Value> table = game.tabulated();
  // weight[s] = s! (n - s - 1)! / n!, built by the ratio weight[s + 1] / weight[s] = (s + 1) / (n - s - 1).
  std::vector<Value> weight(n);
  weight[0] = Value(1) / Value(static_cast<long long>(n));
  for (std::size_t s = 0; s + 1 < n; ++s)
    weight[s + 1] = weight[s] * Value(static_cast<long long>(s + 1)) / Value(static_cast<long long>(n - s - 1));
  std::vector<Value> phi(n, Value(0));
  const std::size_t count = std::size_t{1} << n;
  for (std::size_t s = 0; s < count; ++s) {
    const auto mask = static_cast<coalition>(s);
    const Value& base = table.value(mask);
    const std::size_t size = coalition_size(mask);
    if (size == n) continue;
    for (coalition outside = table.grand() & ~mask; outside != 0; outside &= outside - 1) {
      const coalition bit = outside & (~outside + 1);
      phi[static_cast<std::size_t>(std::countr_zero(bit))] += weight[size] * (table.value(mask | bit) - base);
    }
  }
  return phi;
}

EVMARKET_END_NAMESPACE
