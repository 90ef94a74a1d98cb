#pragma once
/// @file
/// The Bancor price curve (paper 002): a smart token backed by a reserve, priced at
/// P = B / (S * CRR) for reserve balance B, token supply S and connector weight CRR. Buying moves
/// the price up and selling moves it down, so a heavy grid load raises the price.
///
/// Amounts are real-valued token amounts (1 = one whole token or one whole reserve unit), held in
/// the number type of your choice: `double` for speed, `bin_float50` / `dec_float50` (50 decimal
/// digits, expression templates off) for exact work. The on-chain twin (`curve/bancor_evm.hpp`)
/// takes integer base units instead; `bancor_evm::to_base_units` / `from_base_units` bridge the
/// two (10^18 base units per token by default).
///
/// Rounding is a policy: `unrounded` returns the computed real values as they are;
/// `directed_rounding` (exact mode) rounds every amount the curve pays out down and every amount
/// it charges up, to whole base units (10^18 per token by default, as on chain), after widening
/// by an error margin far above the arithmetic's error. So a round trip never returns more than
/// went in.

#include <evmarket/core/error.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/detail/bancor_real_math.hpp>

#include <boost/math/special_functions/expm1.hpp>
#include <boost/math/special_functions/log1p.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_dec_float.hpp>

#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// 50 significant decimal digits in binary floating point, expression templates off.
using bin_float50 =
    boost::multiprecision::number<boost::multiprecision::cpp_bin_float<50>, boost::multiprecision::et_off>;
/// 50 significant decimal digits in decimal floating point, expression templates off.
using dec_float50 =
    boost::multiprecision::number<boost::multiprecision::cpp_dec_float<50>, boost::multiprecision::et_off>;

namespace detail {
template <class T>
struct is_boost_float_number : std::false_type {};
template <class Backend, boost::multiprecision::expression_template_option Et>
struct is_boost_float_number<boost::multiprecision::number<Backend, Et>>
    : std::bool_constant<boost::multiprecision::number_category<boost::multiprecision::number<Backend, Et>>::value ==
                         boost::multiprecision::number_kind_floating_point> {};
template <class T>
struct has_expression_templates : std::false_type {};
template <class Backend, boost::multiprecision::expression_template_option Et>
struct has_expression_templates<boost::multiprecision::number<Backend, Et>>
    : std::bool_constant<Et == boost::multiprecision::et_on> {};
}  // namespace detail

/// A real number type the curve can compute in: a built-in floating type or a Boost.Multiprecision
/// floating-point number (whose expression templates must be off, so that results are values).
template <class T>
concept CurveNumber = std::floating_point<T> || detail::is_boost_float_number<T>::value;

/// How the curve turns computed amounts into the amounts it pays out and charges.
template <class P, class Number>
concept AmountRounding = CurveNumber<Number> && requires(const P& policy, const Number& amount) {
  { policy.paid_out(amount) } -> std::same_as<Number>;
  { policy.charged(amount) } -> std::same_as<Number>;
};

/// Amounts exactly as computed (fastest; a round trip may gain or lose the last bits).
struct unrounded {
  template <CurveNumber Number>
  /// An amount paid out, unchanged.
  [[nodiscard]] Number paid_out(const Number& amount) const {
    return amount;
  }
  template <CurveNumber Number>
  /// An amount charged, unchanged.
  [[nodiscard]] Number charged(const Number& amount) const {
    return amount;
  }
};

/// Exact mode: paid-out amounts rounded down and charged amounts rounded up to whole base units
/// (`units` per token, 10^18 by default: one on-chain base unit of an 18-decimal token), after
/// moving each by a relative margin of 2^20 units in the last place. The margin dwarfs the few
/// ulps of error in log1p, expm1 and the scaling, so the direction holds against the true value,
/// not just the computed one. A result is n / units for a whole n, correctly rounded, i.e. the
/// same number as the decimal text of n base units.
template <CurveNumber Number>
struct directed_rounding {
  /// Base units per whole token (a whole number: 10^18 by default).
  Number units = Number(1'000'000'000'000'000'000ULL);

  /// An amount paid out, rounded down to a whole number of `units`.
  [[nodiscard]] Number paid_out(const Number& amount) const {
    using std::floor;
    const Number lowered = amount * (Number(1) - margin());
    if (!(lowered > 0)) return Number(0);
    return Number(Number(floor(lowered * units)) / units);
  }
  /// An amount charged, rounded up to a whole number of `units`.
  [[nodiscard]] Number charged(const Number& amount) const {
    using std::ceil;
    if (!(amount > 0)) return Number(0);
    const Number raised = amount * (Number(1) + margin());
    return Number(Number(ceil(raised * units)) / units);
  }

 private:
  static Number margin() { return std::numeric_limits<Number>::epsilon() * Number(1 << 20); }
};

/// Which way a curve trade went.
enum class curve_side : std::uint8_t {
  buy,   ///< reserve in, tokens minted
  sell,  ///< tokens burned, reserve out
  none,  ///< nothing traded
};

/// What one trade on a Bancor curve did.
template <CurveNumber Number>
struct bancor_receipt {
  curve_side side = curve_side::none;  ///< buy or sell
  Number tokens{0};                    ///< tokens minted (buy) or burned (sell)
  Number reserve{0};                   ///< reserve paid in (buy) or out (sell)
  Number price_before{0};              ///< spot price before the trade
  Number price_after{0};               ///< spot price after the trade
  Number supply_after{0};              ///< token supply after the trade
  Number balance_after{0};             ///< reserve balance after the trade

  /// Reserve per token actually paid (0 when nothing traded).
  [[nodiscard]] Number average_price() const { return tokens > 0 ? Number(reserve / tokens) : Number(0); }
};

namespace detail::bancor {

template <class Number>
std::string text_of(const Number& value) {
  if constexpr (std::is_floating_point_v<Number>)
    return describe(static_cast<double>(value));
  else
    return value.str(std::numeric_limits<Number>::digits10);
}

template <class Number>
bool finite(const Number& value) {
  if constexpr (std::is_floating_point_v<Number>)
    return std::isfinite(value);
  else
    return boost::multiprecision::isfinite(value);
}

template <class Number>
void require_number(bool condition, std::string_view field, const Number& value, std::string_view problem) {
  if (!condition) throw bad_input(std::string(field), text_of(value), problem);
}

/// A positive finite amount (supply, balance).
template <class Number>
void require_positive(const Number& value, std::string_view field) {
  require_number(finite(value), field, value, "must be a finite number");
  require_number(value > 0, field, value, "must be positive");
}

/// A non-negative finite amount (a trade size).
template <class Number>
void require_amount(const Number& value, std::string_view field) {
  require_number(finite(value), field, value, "must be a finite number");
  require_number(value >= 0, field, value, "must not be negative");
}

/// A weight in (0, limit] (limit 1 for a connector weight, 2 for a multi-reserve ratio).
template <class Number>
void require_weight(const Number& value, std::string_view field, int limit) {
  require_number(finite(value), field, value, "must be a finite number");
  require_number(value > 0 && value <= limit, field, value,
                 limit == 1 ? "must lie in (0, 1] (a fraction: 0.5 = 50 %)" : "must lie in (0, 2]");
}

/// `value` unless the formula overflowed the number type; the message names the argument.
template <class Number>
Number checked_result(const Number& value, std::string_view operation, std::string_view field, const Number& input) {
  if (!finite(value)) throw overflow_error(operation, std::string(field) + " = " + text_of(input));
  return value;
}

template <class Number>
Number log1p_of(const Number& x) {
  if constexpr (std::is_floating_point_v<Number>)
    return std::log1p(x);
  else
    return bancor_real::kernels<Number>::get().log1p(x);
}

template <class Number>
Number expm1_of(const Number& x) {
  if constexpr (std::is_floating_point_v<Number>)
    return std::expm1(x);
  else
    return bancor_real::kernels<Number>::get().expm1(x);
}

// The real formulas, written as expm1(c * log1p(x)) so small trades keep their relative
// precision (the naive (1 + x)^c - 1 cancels away every digit of a tiny trade).

/// Tokens minted for `deposit` of reserve: S((1 + E/B)^w - 1).
template <class Number>
Number purchase_return(const Number& s, const Number& b, const Number& w, const Number& deposit) {
  return s * expm1_of(Number(w * log1p_of(Number(deposit / b))));
}
/// Reserve paid for burning `tokens`: B(1 - (1 - T/S)^(1/w)).
template <class Number>
Number sale_return(const Number& s, const Number& b, const Number& w, const Number& tokens) {
  if (tokens == s) return b;
  return -b * expm1_of(Number(log1p_of(Number(-tokens / s)) / w));
}
/// Reserve needed to mint `tokens`: B((1 + T/S)^(1/w) - 1).
template <class Number>
Number purchase_cost(const Number& s, const Number& b, const Number& w, const Number& tokens) {
  return b * expm1_of(Number(log1p_of(Number(tokens / s)) / w));
}
/// Tokens to burn for `reserve` out: S(1 - (1 - E/B)^w).
template <class Number>
Number sale_cost(const Number& s, const Number& b, const Number& w, const Number& reserve) {
  if (reserve == b) return s;
  return -s * expm1_of(Number(w * log1p_of(Number(-reserve / b))));
}
/// Target reserve paid for `amount` of the source reserve: Rt(1 - (Rs / (Rs + A))^(ws/wt)).
template <class Number>
Number cross_return(const Number& rs, const Number& ws, const Number& rt, const Number& wt, const Number& amount) {
  return -rt * expm1_of(Number(-(ws / wt) * log1p_of(Number(amount / rs))));
}
/// Reserve charged to mint `tokens` of a multi-reserve token with ratio q: R(((S + A)/S)^(1/q) - 1).
template <class Number>
Number fund_cost(const Number& s, const Number& r, const Number& q, const Number& tokens) {
  return r * expm1_of(Number(log1p_of(Number(tokens / s)) / q));
}
/// Tokens minted for depositing `amount` into a reserve with ratio q: S((1 + A/R)^q - 1).
template <class Number>
Number fund_supply(const Number& s, const Number& r, const Number& q, const Number& amount) {
  return s * expm1_of(Number(q * log1p_of(Number(amount / r))));
}
/// Reserve paid for burning `tokens` of a multi-reserve token with ratio q: R(1 - ((S - A)/S)^(1/q)).
template <class Number>
Number liquidate(const Number& s, const Number& r, const Number& q, const Number& tokens) {
  if (tokens == s) return r;
  return -r * expm1_of(Number(log1p_of(Number(-tokens / s)) / q));
}

}  // namespace detail::bancor

/// A smart token backed by one reserve, priced by the Bancor formula. Quotes are const; buy and
/// sell change supply and balance together or not at all (a failed trade leaves the curve as it
/// was). The spot price is P = B / (S * CRR) at every moment, i.e. B = CRR * S * P.
template <CurveNumber Number = double, AmountRounding<Number> Rounding = unrounded>
class bancor_curve {
  static_assert(!detail::has_expression_templates<Number>::value,
                "bancor_curve needs values, not expression templates: use a Boost.Multiprecision number "
                "with et_off, e.g. evmarket::bin_float50 or evmarket::dec_float50");

 public:
  /// The number type of amounts, balances and prices.
  using number_type = Number;
  /// The rounding policy.
  using rounding_type = Rounding;
  /// What buy() and sell() return.
  using receipt = bancor_receipt<Number>;

  /// A curve with token `supply`, reserve `balance` and connector `weight` (CRR, in (0, 1]).
  bancor_curve(Number supply, Number balance, Number weight, Rounding rounding = {})
      : supply_(std::move(supply)),
        balance_(std::move(balance)),
        weight_(std::move(weight)),
        rounding_(std::move(rounding)) {
    detail::bancor::require_positive(supply_, "supply");
    detail::bancor::require_positive(balance_, "balance");
    detail::bancor::require_weight(weight_, "weight", 1);
  }

  /// Token supply S.
  [[nodiscard]] const Number& supply() const noexcept { return supply_; }
  /// Reserve balance B.
  [[nodiscard]] const Number& balance() const noexcept { return balance_; }
  /// Connector weight CRR.
  [[nodiscard]] const Number& weight() const noexcept { return weight_; }
  /// The rounding policy.
  [[nodiscard]] const Rounding& rounding() const noexcept { return rounding_; }

  /// Spot price P = B / (S * CRR), reserve per token.
  [[nodiscard]] Number spot_price() const { return Number(balance_ / (supply_ * weight_)); }

  /// Tokens minted for `deposit` of reserve (paid out: rounded down in exact mode).
  [[nodiscard]] Number purchase_return(const Number& deposit) const {
    detail::bancor::require_amount(deposit, "deposit");
    if (deposit == 0) return Number(0);
    return rounding_.paid_out(detail::bancor::checked_result(
        detail::bancor::purchase_return(supply_, balance_, weight_, deposit), "bancor purchase_return", "deposit", deposit));
  }

  /// Reserve paid out for burning `tokens` (at most the supply; rounded down in exact mode).
  [[nodiscard]] Number sale_return(const Number& tokens) const {
    detail::bancor::require_amount(tokens, "tokens");
    detail::bancor::require_number(tokens <= supply_, "tokens", tokens, "must not exceed the supply");
    if (tokens == 0) return Number(0);
    if (tokens == supply_) return balance_;
    return rounding_.paid_out(detail::bancor::checked_result(
        detail::bancor::sale_return(supply_, balance_, weight_, tokens), "bancor sale_return", "tokens", tokens));
  }

  /// Inverse quote: reserve needed to mint `tokens` (charged: rounded up in exact mode).
  [[nodiscard]] Number purchase_cost(const Number& tokens) const {
    detail::bancor::require_amount(tokens, "tokens");
    if (tokens == 0) return Number(0);
    return rounding_.charged(detail::bancor::checked_result(
        detail::bancor::purchase_cost(supply_, balance_, weight_, tokens), "bancor purchase_cost", "tokens", tokens));
  }

  /// Inverse quote: tokens to burn to receive `reserve` (at most the balance; charged: rounded up
  /// in exact mode, never above the supply).
  [[nodiscard]] Number sale_cost(const Number& reserve) const {
    detail::bancor::require_amount(reserve, "reserve");
    detail::bancor::require_number(reserve <= balance_, "reserve", reserve, "must not exceed the balance");
    if (reserve == 0) return Number(0);
    if (reserve == balance_) return supply_;
    const Number tokens = rounding_.charged(detail::bancor::checked_result(
        detail::bancor::sale_cost(supply_, balance_, weight_, reserve), "bancor sale_cost", "reserve", reserve));
    return tokens < supply_ ? tokens : supply_;
  }

  /// Buys with `deposit` of reserve: mints purchase_return(deposit) tokens.
  receipt buy(const Number& deposit) {
    const Number tokens = purchase_return(deposit);
    return commit(curve_side::buy, tokens, deposit, Number(supply_ + tokens), Number(balance_ + deposit));
  }

  /// Buys exactly `tokens`, charging purchase_cost(tokens) of reserve.
  receipt buy_tokens(const Number& tokens) {
    const Number cost = purchase_cost(tokens);
    return commit(curve_side::buy, tokens, cost, Number(supply_ + tokens), Number(balance_ + cost));
  }

  /// Sells `tokens` (below the supply: selling all of it would leave no curve), paying out
  /// sale_return(tokens) of reserve.
  receipt sell(const Number& tokens) {
    detail::bancor::require_amount(tokens, "tokens");
    detail::bancor::require_number(tokens < supply_, "tokens", tokens,
                                   "must be below the supply (selling all of it would empty the curve)");
    const Number paid = sale_return(tokens);
    return commit(curve_side::sell, tokens, paid, Number(supply_ - tokens), Number(balance_ - paid));
  }

 private:
  receipt commit(curve_side side, const Number& tokens, const Number& reserve, const Number& new_supply,
                 const Number& new_balance) {
    // Everything is computed and checked before the first member changes.
    if (tokens == 0 && reserve == 0) side = curve_side::none;
    detail::bancor::require_number(detail::bancor::finite(new_supply) && new_supply > 0, "tokens", tokens,
                                   "would leave the supply non-positive or non-finite");
    detail::bancor::require_number(detail::bancor::finite(new_balance) && new_balance > 0, "tokens", tokens,
                                   "would leave the reserve balance non-positive or non-finite");
    receipt r;
    r.side = side;
    r.tokens = tokens;
    r.reserve = reserve;
    r.price_before = spot_price();
    r.price_after = Number(new_balance / (new_supply * weight_));
    r.supply_after = new_supply;
    r.balance_after = new_balance;
    supply_ = new_supply;  // Number's assignment does not throw once the values exist
    balance_ = new_balance;
    return r;
  }

  Number supply_;
  Number balance_;
  Number weight_;
  [[no_unique_address]] Rounding rounding_;
};

/// One reserve of a multi-reserve token.
template <CurveNumber Number>
struct bancor_reserve {
  Number balance;  ///< reserve balance R_i
  Number weight;   ///< connector weight w_i in (0, 1]
};

/// What one conversion, funding or liquidation of a multi-reserve token did.
template <CurveNumber Number>
struct bancor_pool_receipt {
  Number tokens{0};             ///< pool tokens minted (fund) or burned (liquidate); 0 for a conversion
  std::vector<Number> reserve;  ///< per reserve: amount paid in (positive) or out (negative)
};

/// A token backed by several reserves (a Bancor pool): cross-connector conversion between two
/// reserves, and funding / liquidation in all reserves at once. The reserve ratio q, the sum of
/// the weights, may reach 2. All-or-nothing like bancor_curve.
template <CurveNumber Number = double, AmountRounding<Number> Rounding = unrounded>
class bancor_pool {
  static_assert(!detail::has_expression_templates<Number>::value,
                "bancor_pool needs values, not expression templates: use a Boost.Multiprecision number "
                "with et_off, e.g. evmarket::bin_float50 or evmarket::dec_float50");

 public:
  /// The number type of amounts, balances and prices.
  using number_type = Number;
  /// One reserve of the pool.
  using reserve_type = bancor_reserve<Number>;
  /// What a conversion returns.
  using receipt = bancor_pool_receipt<Number>;

  /// A pool with token `supply` and `reserves` (at least one; weights summing to at most 2).
  bancor_pool(Number supply, std::vector<reserve_type> reserves, Rounding rounding = {})
      : supply_(std::move(supply)), reserves_(std::move(reserves)), rounding_(std::move(rounding)) {
    detail::bancor::require_positive(supply_, "supply");
    detail::require(!reserves_.empty(), "reserves", reserves_.size(), "must hold at least one reserve");
    Number ratio(0);
    for (std::size_t i = 0; i < reserves_.size(); ++i) {
      detail::bancor::require_positive(reserves_[i].balance, detail::element_field("reserves", i, "balance"));
      detail::bancor::require_weight(reserves_[i].weight, detail::element_field("reserves", i, "weight"), 1);
      ratio += reserves_[i].weight;
    }
    detail::bancor::require_weight(ratio, "reserves (sum of weights)", 2);
    ratio_ = ratio;
  }

  /// Token supply S.
  [[nodiscard]] const Number& supply() const noexcept { return supply_; }
  /// The reserves, in the order given.
  [[nodiscard]] std::span<const reserve_type> reserves() const noexcept { return reserves_; }
  /// Reserve ratio q = sum of the weights, in (0, 2].
  [[nodiscard]] const Number& ratio() const noexcept { return ratio_; }
  /// Spot price of the token in reserve `i`: R_i / (S * w_i).
  [[nodiscard]] Number spot_price(std::size_t i) const {
    check_index(i, "reserve");
    return Number(reserves_[i].balance / (supply_ * reserves_[i].weight));
  }

  /// Reserve `to` paid out for `amount` of reserve `from` (rounded down in exact mode).
  [[nodiscard]] Number conversion_return(std::size_t from, std::size_t to, const Number& amount) const {
    check_index(from, "from");
    check_index(to, "to");
    detail::require(from != to, "to", to, "must differ from `from`");
    detail::bancor::require_amount(amount, "amount");
    if (amount == 0) return Number(0);
    const reserve_type& s = reserves_[from];
    const reserve_type& t = reserves_[to];
    return rounding_.paid_out(detail::bancor::checked_result(
        detail::bancor::cross_return(s.balance, s.weight, t.balance, t.weight, amount), "bancor conversion_return", "amount", amount));
  }

  /// Per reserve, what minting `tokens` costs (charged: rounded up in exact mode).
  [[nodiscard]] std::vector<Number> fund_cost(const Number& tokens) const {
    detail::bancor::require_amount(tokens, "tokens");
    std::vector<Number> cost(reserves_.size(), Number(0));
    if (tokens == 0) return cost;
    for (std::size_t i = 0; i < reserves_.size(); ++i)
      cost[i] = rounding_.charged(detail::bancor::checked_result(
          detail::bancor::fund_cost(supply_, reserves_[i].balance, ratio_, tokens), "bancor fund_cost", "tokens", tokens));
    return cost;
  }

  /// Tokens minted for depositing `amount` into reserve `i` together with the proportional
  /// amounts in every other reserve (rounded down in exact mode).
  [[nodiscard]] Number fund_supply_amount(std::size_t i, const Number& amount) const {
    check_index(i, "reserve");
    detail::bancor::require_amount(amount, "amount");
    if (amount == 0) return Number(0);
    return rounding_.paid_out(detail::bancor::checked_result(
        detail::bancor::fund_supply(supply_, reserves_[i].balance, ratio_, amount), "bancor fund_supply_amount", "amount", amount));
  }

  /// Per reserve, what burning `tokens` (at most the supply) pays out (rounded down in exact mode).
  [[nodiscard]] std::vector<Number> liquidation_return(const Number& tokens) const {
    detail::bancor::require_amount(tokens, "tokens");
    detail::bancor::require_number(tokens <= supply_, "tokens", tokens, "must not exceed the supply");
    std::vector<Number> paid(reserves_.size(), Number(0));
    if (tokens == 0) return paid;
    for (std::size_t i = 0; i < reserves_.size(); ++i) {
      paid[i] = tokens == supply_ ? reserves_[i].balance
                                  : rounding_.paid_out(detail::bancor::checked_result(
                                        detail::bancor::liquidate(supply_, reserves_[i].balance, ratio_, tokens),
                                        "bancor liquidation_return", "tokens", tokens));
    }
    return paid;
  }

  /// Converts `amount` of reserve `from` into reserve `to`; the supply is unchanged.
  receipt convert(std::size_t from, std::size_t to, const Number& amount) {
    const Number paid = conversion_return(from, to, amount);
    const Number new_target = reserves_[to].balance - paid;
    detail::bancor::require_number(detail::bancor::finite(new_target) && new_target > 0, "amount", amount,
                                   "would empty the target reserve");
    const Number new_source = reserves_[from].balance + amount;
    detail::bancor::require_number(detail::bancor::finite(new_source), "amount", amount,
                                   "overflows the source reserve");
    receipt r{Number(0), std::vector<Number>(reserves_.size(), Number(0))};
    r.reserve[from] = amount;
    r.reserve[to] = -paid;
    reserves_[from].balance = new_source;
    reserves_[to].balance = new_target;
    return r;
  }

  /// Mints `tokens`, charging fund_cost(tokens) in every reserve.
  receipt fund(const Number& tokens) {
    std::vector<Number> cost = fund_cost(tokens);
    const Number new_supply = supply_ + tokens;
    detail::bancor::require_number(detail::bancor::finite(new_supply), "tokens", tokens, "overflows the supply");
    std::vector<reserve_type> next = reserves_;
    for (std::size_t i = 0; i < next.size(); ++i) {
      next[i].balance += cost[i];
      detail::bancor::require_number(detail::bancor::finite(next[i].balance), "tokens", tokens, "overflows a reserve");
    }
    reserves_.swap(next);
    supply_ = new_supply;
    return receipt{tokens, std::move(cost)};
  }

  /// Burns `tokens` (below the supply), paying liquidation_return(tokens) from every reserve.
  receipt liquidate(const Number& tokens) {
    detail::bancor::require_amount(tokens, "tokens");
    detail::bancor::require_number(tokens < supply_, "tokens", tokens,
                                   "must be below the supply (burning all of it would empty the pool)");
    std::vector<Number> paid = liquidation_return(tokens);
    std::vector<reserve_type> next = reserves_;
    for (std::size_t i = 0; i < next.size(); ++i) {
      next[i].balance -= paid[i];
      detail::bancor::require_number(next[i].balance > 0, "tokens", tokens, "would empty a reserve");
      paid[i] = -paid[i];
    }
    reserves_.swap(next);
    supply_ = supply_ - tokens;
    return receipt{tokens, std::move(paid)};
  }

 private:
  void check_index(std::size_t i, std::string_view field) const {
    detail::require(i < reserves_.size(), field, i, "is not the index of a reserve");
  }

  Number supply_;
  std::vector<reserve_type> reserves_;
  Number ratio_{0};
  [[no_unique_address]] Rounding rounding_;
};

/// One period of load-responsive pricing.
template <CurveNumber Number>
struct load_period_price {
  energy net_demand;             ///< the period's net grid demand (negative: surplus)
  bancor_receipt<Number> trade;  ///< the curve trade it became
  Number price{0};               ///< the spot price after the period
};

/// Paper 002's load-responsive price: each period's net grid demand becomes a curve trade
/// (demand buys energy tokens, surplus sells them), so the price rises with load and falls with
/// surplus. Each kWh of net demand trades `tokens_per_kwh` tokens (1 by default: a token per kWh),
/// so the spot price reads as reserve per kWh.
template <CurveNumber Number = double, AmountRounding<Number> Rounding = unrounded>
class load_responsive_pricing {
 public:
  /// The curve every period trades on.
  using curve_type = bancor_curve<Number, Rounding>;
  /// One period's figures.
  using period = load_period_price<Number>;

  /// Prices on `curve`, trading `tokens_per_kwh` tokens for each kWh of net demand.
  explicit load_responsive_pricing(curve_type curve, Number tokens_per_kwh = Number(1))
      : curve_(std::move(curve)), tokens_per_kwh_(std::move(tokens_per_kwh)) {
    detail::bancor::require_positive(tokens_per_kwh_, "tokens_per_kwh");
  }

  /// The curve in its current state.
  [[nodiscard]] const curve_type& curve() const noexcept { return curve_; }
  /// The current spot price.
  [[nodiscard]] Number price() const { return curve_.spot_price(); }

  /// Trades one period's net demand: demand buys that many tokens, surplus sells them.
  period step(energy net_demand) {
    const Number kwh = Number(net_demand.base()) / Number(energy::scale);
    const Number tokens = (kwh < 0 ? Number(-kwh) : kwh) * tokens_per_kwh_;
    period result{net_demand, {}, Number(0)};
    if (net_demand.base() > 0)
      result.trade = curve_.buy_tokens(tokens);
    else if (net_demand.base() < 0)
      result.trade = curve_.sell(tokens);
    else
      result.trade = no_trade();
    result.price = curve_.spot_price();
    return result;
  }

  /// Trades every period in order and reports the price series; all-or-nothing (a period that
  /// cannot trade, e.g. a surplus above the supply, leaves the pricing as it was).
  std::vector<period> run(std::span<const energy> net_demand) {
    load_responsive_pricing scratch = *this;
    std::vector<period> series;
    series.reserve(net_demand.size());
    for (std::size_t i = 0; i < net_demand.size(); ++i) {
      try {
        series.push_back(scratch.step(net_demand[i]));
      } catch (const bad_input& e) {
        throw bad_input(detail::element_field("net_demand", i), describe_energy(net_demand[i]), e.what());
      }
    }
    *this = std::move(scratch);
    return series;
  }

 private:
  bancor_receipt<Number> no_trade() const {
    bancor_receipt<Number> r;
    r.price_before = r.price_after = curve_.spot_price();
    r.supply_after = curve_.supply();
    r.balance_after = curve_.balance();
    return r;
  }
  static std::string describe_energy(energy e) { return std::to_string(e.base()) + " Wh"; }

  curve_type curve_;
  Number tokens_per_kwh_;
};

EVMARKET_END_NAMESPACE
