#pragma once
/// @file
/// Session E: paper 002's settlement of shared private piles, curve-priced:
///
///   submit   in the trading window of a delivery period (the `bidding` phase; by default the
///            whole trading period, curve_market_setup()): a market-price order fills at once on
///            the Bancor curve against the platform's pool, at the curve's price, and moves the
///            curve (a purchase mints energy tokens, so grid load up -> price up; a sale burns
///            them, price down); a limit-price order goes to the period's order book and waits
///            for a counterpart (price-time priority, the resting order's price).
///   cancel   an owner withdraws a resting limit order (same window).
///   meter    after delivery (settlement phase): a participant's metered net consumption.
///   settle   after delivery: limit orders still resting expire; each participant's deviation
///            between contracted and metered energy settles with the grid by the
///            DeviationSettlement policy (paper 002: at the catalogue price); the period's
///            records are sealed into one block.
///
/// Readings the paper leaves open, chosen as a practitioner would and made policies or stated here:
/// - The counterparty of a market-price order is the platform's pool (the curve's reserve): the
///   pool is a participant of its own, so every trade has a buyer and a seller and money is
///   conserved exactly: the pool's balance is the reserve's change.
/// - A market-price order is filled whole or not at all (a sale that would burn the whole supply,
///   or an amount the curve cannot compute, is refused as no_liquidity: a status, not an error).
/// - One curve serves every period (prices flow on from one period to the next); each delivery
///   period has its own order book.
/// - A trade's price fields hold its average price per kWh (rounded to nearest); the money it
///   carries (buyer_paid / seller_received) is the curve's own amount, computed once.
/// - Deviations: energy is net consumption (bought - sold; negative: supply). The default,
///   catalogue_price_deviation, prices both directions at one catalogue price (the paper's
///   "according to the catalog price"); two_price_deviation buys surplus back at its own price.
/// - Every participant who traded in a period must have a meter reading before it settles.
///
/// The Curve policy does the curve's arithmetic in the session's integer units (Wh of energy,
/// micro-Token of money): bancor_pricing computes in real numbers with directed rounding (the
/// buyer's cost rounded up, the seller's return down, to the micro-Token); bancor_evm_pricing is
/// the on-chain contract's 256-bit arithmetic, so a platform that settles on a chain gets the
/// chain's numbers to the last base unit.
///
/// Calls outside their phase throw phase_error; bad input throws bad_input naming the field and
/// value and leaves the session unchanged; a replayed order id, meter reading or settlement is
/// refused (bad_input). curve_trace answers traceability queries from the chain alone.

#include <evmarket/auction/order.hpp>
#include <evmarket/auction/order_book.hpp>
#include <evmarket/core/error.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/trade.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/curve/bancor.hpp>
#include <evmarket/curve/bancor_evm.hpp>
#include <evmarket/ledger/chain.hpp>
#include <evmarket/ledger/concepts.hpp>
#include <evmarket/ledger/encoding.hpp>
#include <evmarket/ledger/trace.hpp>
#include <evmarket/market/clock.hpp>
#include <evmarket/market/curve_records.hpp>
#include <evmarket/market/ledger_sink.hpp>
#include <evmarket/market/phase.hpp>
#include <evmarket/market/quota_market.hpp>
#include <evmarket/market/roster.hpp>
#include <evmarket/market/session_records.hpp>

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

// --- The Curve policy --------------------------------------------------------------------------

/// A curve's state in the session's units: energy tokens in circulation (1 token = 1 kWh, so the
/// supply is in Wh) and the reserve behind them (micro-Token).
struct curve_state {
  /// Energy tokens in circulation (Wh).
  energy supply;
  /// Reserve balance (micro-Token).
  money reserve;
  /// Member-wise equality.
  friend bool operator==(const curve_state&, const curve_state&) = default;
};

/// What one market-price order does on the curve: computed once by quote(), applied by apply().
struct curve_fill {
  /// The participant's side: buy = energy from the pool (tokens minted), sell = to the pool (burned).
  side order_side = side::buy;
  /// Energy traded.
  energy quantity;
  /// Money the buyer pays into the reserve (buy) or the reserve pays out (sell).
  money amount;
  /// Spot price before the fill.
  price spot_before;
  /// Spot price after the fill.
  price spot_after;
  /// The curve after the fill.
  curve_state after;
};

/// PricingCurve: the curve's arithmetic for a session. quote() is const and returns nothing when
/// the curve cannot take the order (a sale of the whole supply, an amount it cannot compute);
/// apply() commits a fill quote() returned and must not throw.
template <class C>
concept PricingCurve = requires(const C& curve, C& changing, side s, energy quantity, const curve_fill& fill) {
  { C::name } -> std::convertible_to<std::string_view>;
  { curve.state() } -> std::same_as<curve_state>;
  { curve.spot_price() } -> std::same_as<price>;
  { curve.quote(s, quantity) } -> std::same_as<std::optional<curve_fill>>;
  { changing.apply(fill) } noexcept;
};

namespace detail::curve_market {

inline void require_state(energy supply, money reserve) {
  detail::require(supply.is_positive(), "supply", supply.base(), "must be positive (Wh)");
  detail::require(reserve.is_positive(), "reserve", reserve.base(), "must be positive (micro-Token)");
}

/// A real number rounded to the nearest int64, or nothing when it is not finite or out of range.
template <class Number>
std::optional<std::int64_t> nearest_int64(const Number& value) {
  if (!detail::bancor::finite(value)) return std::nullopt;
  using std::round;
  const Number rounded = round(value);
  if (!(rounded >= Number(-9.2e18) && rounded <= Number(9.2e18))) return std::nullopt;
  return static_cast<std::int64_t>(rounded);
}

/// The state after a fill of `quantity` for `amount`, or nothing when it would leave 64 bits or
/// an empty curve.
inline std::optional<curve_state> after_fill(const curve_state& now, side s, energy quantity, money amount) {
  std::int64_t supply = 0;
  std::int64_t reserve = 0;
  const bool buy = s == side::buy;
  if (buy ? __builtin_add_overflow(now.supply.base(), quantity.base(), &supply)
          : __builtin_sub_overflow(now.supply.base(), quantity.base(), &supply))
    return std::nullopt;
  if (buy ? __builtin_add_overflow(now.reserve.base(), amount.base(), &reserve)
          : __builtin_sub_overflow(now.reserve.base(), amount.base(), &reserve))
    return std::nullopt;
  if (supply <= 0 || reserve <= 0) return std::nullopt;
  return curve_state{watt_hours(supply), micro_tokens(reserve)};
}

}  // namespace detail::curve_market

/// The Bancor curve (curve/bancor.hpp) in real numbers of type `Number`, with directed rounding
/// to the micro-Token: a buyer is charged the cost of minting the energy rounded up, a seller is
/// paid the return of burning it rounded down, so no round trip gains money. The state itself is
/// held exactly, in Wh and micro-Token. P = B / (S * CRR), reserve per kWh.
template <CurveNumber Number = double>
class bancor_pricing {
 public:
  /// For messages and reports.
  static constexpr std::string_view name = "Bancor curve (real arithmetic, directed rounding)";

  /// A curve of `supply` energy tokens (Wh), `reserve` money and connector weight `weight` (CRR, in (0, 1]).
  bancor_pricing(energy supply, money reserve, Number weight) : weight_(std::move(weight)) {
    detail::curve_market::require_state(supply, reserve);
    detail::bancor::require_weight(weight_, "weight", 1);
    state_ = {supply, reserve};
  }

  /// Supply and reserve.
  [[nodiscard]] curve_state state() const noexcept { return state_; }
  /// The connector weight CRR.
  [[nodiscard]] const Number& weight() const noexcept { return weight_; }
  /// The spot price P = B / (S * CRR), micro-Token per kWh rounded to nearest.
  [[nodiscard]] price spot_price() const { return spot_of(state_); }

  /// The fill of a market-price order for `quantity`, or nothing when the curve cannot take it.
  [[nodiscard]] std::optional<curve_fill> quote(side s, energy quantity) const {
    if (!quantity.is_positive()) return std::nullopt;
    if (s == side::sell && quantity >= state_.supply) return std::nullopt;
    const curve_type curve(kwh(state_.supply), tokens_of(state_.reserve), weight_, rounding());
    std::optional<std::int64_t> amount;
    try {
      const Number reserve = s == side::buy ? curve.purchase_cost(kwh(quantity)) : curve.sale_return(kwh(quantity));
      amount = detail::curve_market::nearest_int64(Number(reserve * Number(money::scale)));
    } catch (const error&) {
      return std::nullopt;  // the formula left the number type: the curve cannot price this order
    }
    if (!amount) return std::nullopt;
    const auto after = detail::curve_market::after_fill(state_, s, quantity, micro_tokens(*amount));
    if (!after) return std::nullopt;
    return curve_fill{s, quantity, micro_tokens(*amount), spot_price(), spot_of(*after), *after};
  }

  /// Commits a fill quote() returned.
  void apply(const curve_fill& fill) noexcept { state_ = fill.after; }

 private:
  using curve_type = bancor_curve<Number, directed_rounding<Number>>;
  static directed_rounding<Number> rounding() { return directed_rounding<Number>{Number(money::scale)}; }
  static Number kwh(energy e) { return Number(e.base()) / Number(energy::scale); }
  static Number tokens_of(money m) { return Number(m.base()) / Number(money::scale); }
  [[nodiscard]] price spot_of(const curve_state& s) const {
    // micro-Token per kWh: (B / 10^6) / (S / 10^3 * w) * 10^6 = B * 10^3 / (S * w).
    const Number spot = Number(Number(s.reserve.base()) * Number(energy::scale)) / Number(Number(s.supply.base()) * weight_);
    const auto rounded = detail::curve_market::nearest_int64(spot);
    if (!rounded) throw overflow_error("bancor_pricing spot price", "reserve / (supply * weight)");
    return micro_tokens_per_kwh(*rounded);
  }

  curve_state state_{};
  Number weight_;
};

/// The on-chain Bancor contract's arithmetic (curve/bancor_evm.hpp) as a Curve policy: the energy
/// token has 3 decimals (a base unit is 1 Wh) and the reserve token 6 (a base unit is 1
/// micro-Token), so the chain's base units are the session's units and every amount is the
/// contract's to the last unit. A sale is saleTargetAmount; a purchase of exactly q base units is
/// fundCost with the reserve ratio equal to the connector weight, which for a single reserve is
/// the purchase cost R(((S + q)/S)^(M/w) - 1), rounded up as the contract rounds it.
class bancor_evm_pricing {
 public:
  /// For messages and reports.
  static constexpr std::string_view name = "Bancor curve (on-chain 256-bit arithmetic)";

  /// A curve of `supply` (Wh), `reserve` (micro-Token) and connector weight `weight_ppm` (parts
  /// per million, 2 .. 1'000'000).
  bancor_evm_pricing(energy supply, money reserve, std::uint32_t weight_ppm) : weight_(weight_ppm) {
    detail::curve_market::require_state(supply, reserve);
    detail::require(weight_ppm >= 2 && weight_ppm <= bancor_evm::max_weight, "weight_ppm", weight_ppm,
                    "must lie in 2..1000000 (parts per million)");
    state_ = {supply, reserve};
  }

  /// Supply and reserve.
  [[nodiscard]] curve_state state() const noexcept { return state_; }
  /// The connector weight in parts per million.
  [[nodiscard]] std::uint32_t weight_ppm() const noexcept { return weight_; }
  /// The spot price B * 10^3 * 10^6 / (S * w_ppm), micro-Token per kWh rounded to nearest.
  [[nodiscard]] price spot_price() const { return spot_of(state_); }

  /// The fill of a market-price order for `quantity`, or nothing where the contract reverts, the
  /// amount leaves 64 bits or the sale would burn the whole supply.
  [[nodiscard]] std::optional<curve_fill> quote(side s, energy quantity) const {
    if (!quantity.is_positive()) return std::nullopt;
    if (s == side::sell && quantity >= state_.supply) return std::nullopt;
    const uint256 supply = wide(state_.supply.base());
    const uint256 reserve = wide(state_.reserve.base());
    const uint256 amount = wide(quantity.base());
    const bancor_evm_result r = s == side::buy ? bancor_evm::try_fund_cost(supply, reserve, weight_, amount)
                                               : bancor_evm::try_sale_target_amount(supply, reserve, weight_, amount);
    if (!r.ok() || r.value() > wide(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    const money paid = micro_tokens(r.value().convert_to<std::int64_t>());
    const auto after = detail::curve_market::after_fill(state_, s, quantity, paid);
    if (!after) return std::nullopt;
    return curve_fill{s, quantity, paid, spot_price(), spot_of(*after), *after};
  }

  /// Commits a fill quote() returned.
  void apply(const curve_fill& fill) noexcept { state_ = fill.after; }

 private:
  static uint256 wide(std::int64_t v) { return uint256(static_cast<std::uint64_t>(v)); }
  [[nodiscard]] price spot_of(const curve_state& s) const {
    const uint256 numerator = wide(s.reserve.base()) * uint256(energy::scale) * uint256(bancor_evm::max_weight);
    const uint256 denominator = wide(s.supply.base()) * uint256(weight_);
    const uint256 spot = (2 * numerator + denominator) / (2 * denominator);
    if (spot > wide(std::numeric_limits<std::int64_t>::max()))
      throw overflow_error("bancor_evm_pricing spot price", "reserve / (supply * weight)");
    return micro_tokens_per_kwh(spot.convert_to<std::int64_t>());
  }

  curve_state state_{};
  std::uint32_t weight_;
};

static_assert(PricingCurve<bancor_pricing<>> && PricingCurve<bancor_evm_pricing>);

// --- The DeviationSettlement policy ------------------------------------------------------------

/// DeviationSettlement: what a participant pays the grid for `deviation` = metered - contracted
/// net consumption (positive: it used more, the grid provided it; negative: it used less or
/// supplied more, the grid bought it). The result is positive when the participant pays.
template <class D>
concept DeviationSettlement = requires(const D& rule, energy deviation) {
  { D::name } -> std::convertible_to<std::string_view>;
  { rule.amount(deviation) } -> std::same_as<money>;
};

/// Paper 002's rule (the default): the grid provides or buys the difference at one catalogue
/// price, trade_amount(catalogue, |deviation|) each way.
struct catalogue_price_deviation {
  /// For messages and reports.
  static constexpr std::string_view name = "catalogue price, both directions";
  /// The catalogue price (micro-Token per kWh, positive).
  price catalogue;

  /// Settles at `catalogue_price` (positive).
  explicit catalogue_price_deviation(price catalogue_price) : catalogue(catalogue_price) {
    detail::require(catalogue.is_positive(), "catalogue", catalogue.base(), "must be positive (micro-Token/kWh)");
  }
  /// What the participant pays for `deviation` (negative: receives).
  [[nodiscard]] money amount(energy deviation) const {
    return deviation.is_negative() ? -trade_amount(catalogue, -deviation) : trade_amount(catalogue, deviation);
  }
};

/// A variant: shortfalls bought from the grid at `provide`, surpluses bought back at `buy_back`
/// (usually lower): a grid that does not want to be the market's free balancing reserve.
struct two_price_deviation {
  /// For messages and reports.
  static constexpr std::string_view name = "catalogue price to buy, buy-back price to sell";
  /// Price of energy the grid provides (participant used more).
  price provide;
  /// Price of energy the grid buys back (participant used less).
  price buy_back;

  /// Both prices positive.
  two_price_deviation(price provide_price, price buy_back_price) : provide(provide_price), buy_back(buy_back_price) {
    detail::require(provide.is_positive(), "provide", provide.base(), "must be positive (micro-Token/kWh)");
    detail::require(buy_back.is_positive(), "buy_back", buy_back.base(), "must be positive (micro-Token/kWh)");
  }
  /// What the participant pays for `deviation` (negative: receives).
  [[nodiscard]] money amount(energy deviation) const {
    return deviation.is_negative() ? -trade_amount(buy_back, -deviation) : trade_amount(provide, deviation);
  }
};

static_assert(DeviationSettlement<catalogue_price_deviation> && DeviationSettlement<two_price_deviation>);

// --- The session -------------------------------------------------------------------------------

/// What became of a submitted order.
struct curve_order_result {
  /// filled, resting, cancelled (a remainder the book's rules cancelled) or rejected.
  order_status status = order_status::rejected;
  /// Why it was rejected: no_liquidity when the curve cannot take a market order (none otherwise).
  reject_reason reason = reject_reason::none;
  /// Energy filled now.
  energy filled;
  /// Energy left resting in the book.
  energy open;
  /// The trades it made, as recorded.
  std::vector<curve_trade_record> trades;
};

/// A settled period.
struct curve_period_report {
  /// The delivery period.
  trading_period delivery;
  /// Energy traded on the curve.
  energy curve_volume;
  /// Energy traded in the book.
  energy book_volume;
  /// Limit orders that were still resting and expired.
  std::vector<curve_cancel_record> expired;
  /// Each participant's deviation line, by participant id.
  std::vector<deviation_line> deviations;
  /// The curve's spot price when the period settled.
  price spot_price;
};

/// The default setup: half-hour periods, orders accepted throughout the trading period before
/// delivery (paper 002 trades continuously; the `bidding` window is 0-30 minutes).
[[nodiscard]] inline session_setup curve_market_setup() {
  session_setup setup;
  setup.schedule.bidding = {0, 30};
  return setup;
}

/// Paper 002's curve-priced market over the policies named in the file comment.
template <class Curve = bancor_pricing<>, class Deviation = catalogue_price_deviation, class Sink = null_ledger_sink,
          class Clock = manual_clock>
class curve_market_session {
  static_assert(PricingCurve<Curve>,
                "curve_market_session: Curve must be a PricingCurve: name, state(), spot_price(), "
                "quote(side, energy) -> optional<curve_fill>, noexcept apply(fill); e.g. bancor_pricing<> "
                "or bancor_evm_pricing");
  static_assert(DeviationSettlement<Deviation>,
                "curve_market_session: Deviation must be a DeviationSettlement: name and money "
                "amount(energy deviation); e.g. catalogue_price_deviation");
  static_assert(LedgerSink<Sink>, "curve_market_session: Sink must be a LedgerSink (market/ledger_sink.hpp)");
  static_assert(MarketClock<Clock>, "curve_market_session: Clock must be a MarketClock (market/clock.hpp)");

 public:
  /// The book each period's limit orders rest in.
  using book_type = order_book<trade_log_listener>;

  /// A market on `curve`, settling deviations by `deviation`. Enrols the platform's pool (the
  /// curve's counterparty) and the grid (the deviations' counterparty) as its first participants.
  explicit curve_market_session(Curve curve, Deviation deviation, session_setup setup = curve_market_setup(),
                                Sink sink = Sink(), Clock clock = Clock())
      : setup_(std::move(setup)),
        curve_(std::move(curve)),
        deviation_(std::move(deviation)),
        sink_(std::move(sink)),
        clock_(std::move(clock)) {
    setup_.schedule.check(setup_.calendar.period_minutes());
    pool_ = roster_.enrol("curve pool");
    grid_ = roster_.enrol("grid");
  }

  /// Enrols a participant (a pile owner, an EV user) under `name`.
  participant_id enrol(std::string_view name) { return roster_.enrol(name); }
  /// The pool's account (the curve's counterparty).
  [[nodiscard]] participant_id pool() const noexcept { return pool_; }
  /// The grid's account (the deviations' counterparty).
  [[nodiscard]] participant_id grid() const noexcept { return grid_; }

  /// Submits a market-price order (type market: fills whole on the curve or is rejected with
  /// no_liquidity) or a limit-price order (type limit: trades with the book as far as it crosses,
  /// the rest as its time in force says). The order id must be new in the period.
  curve_order_result submit(trading_period delivery, const order_request& order) {
    period_book& book = book_of(delivery);
    book.timeline.require(session_phase::bidding, "submit", clock_.now());
    check_order(book, order);
    return order.type == order_type::market ? fill_on_curve(book, order) : place_in_book(book, order);
  }

  /// Cancels `owner`'s resting limit order `id`; returns the open quantity cancelled.
  energy cancel(trading_period delivery, order_id id, participant_id owner) {
    period_book& book = book_of(delivery);
    book.timeline.require(session_phase::bidding, "cancel", clock_.now());
    const std::optional<resting_order> resting = book.orders.find(id);
    detail::require(resting.has_value(), "id", id.value, "is not a resting order of this period");
    detail::require(resting->owner == owner, "owner", owner.value, "does not own the order");
    std::vector<bytes> records;
    log(records, curve_cancel_record{delivery, id, owner, resting->open, 0});
    static_cast<void>(book.orders.cancel(id));
    append(book, records);
    return resting->open;
  }

  /// Records `participant`'s metered net consumption over `delivery` (negative: net supply),
  /// once per participant and period, after delivery.
  void meter(trading_period delivery, participant_id participant, energy consumed) {
    period_book& book = book_of(delivery);
    book.timeline.require(session_phase::settlement, "meter", clock_.now());
    require_trader(participant, "participant");
    detail::require(!book.metered.contains(participant), "participant", participant.value,
                    "already has a meter reading for this period (a replay is refused)");
    std::vector<bytes> records;
    log(records, meter_reading{delivery, participant, consumed});
    book.metered.emplace(participant, consumed);
    append(book, records);
  }

  /// Settles `delivery` after its delivery: resting limit orders expire, deviations settle with
  /// the grid, and the period's records are sealed into one block. Once per period.
  curve_period_report settle(trading_period delivery) {
    period_book& book = book_of(delivery);
    book.timeline.require(session_phase::settlement, "settle", clock_.now());
    for (const auto& [who, net] : book.contracted)
      detail::require(book.metered.contains(who), "participant", who.value,
                      "traded in the period but has no meter reading");
    curve_period_report report = settlement_of(book);
    std::map<participant_id, money> next = balances_;
    for (const deviation_line& line : report.deviations) {
      next[line.participant] -= line.amount;
      next[grid_] += line.amount;
    }
    std::vector<bytes> records;
    for (const curve_cancel_record& c : report.expired) log(records, c);
    for (const deviation_line& line : report.deviations) log(records, line);
    append(book, records);
    seal(book.records, clock_.now());  // the sink refuses before changing anything, so the session is unchanged
    balances_ = std::move(next);
    settled_.insert(setup_.calendar.index(delivery));
    books_.erase(setup_.calendar.index(delivery));
    return report;
  }

  /// The curve in its current state.
  [[nodiscard]] const Curve& curve() const noexcept { return curve_; }
  /// The curve's spot price now.
  [[nodiscard]] price spot_price() const { return curve_.spot_price(); }
  /// Every trade so far, in order.
  [[nodiscard]] const std::vector<curve_trade_record>& trades() const noexcept { return trades_; }
  /// Each account's net money (negative: paid); they sum to zero.
  [[nodiscard]] const std::map<participant_id, money>& balances() const noexcept { return balances_; }
  /// One account's net money.
  [[nodiscard]] money balance(participant_id who) const {
    const auto found = balances_.find(who);
    return found == balances_.end() ? money::zero() : found->second;
  }
  /// Names and ids of every account.
  [[nodiscard]] const participant_roster& roster() const noexcept { return roster_; }
  /// The deviation policy.
  [[nodiscard]] const Deviation& deviation_rule() const noexcept { return deviation_; }
  /// The ledger sink (the chain, for a chain sink).
  [[nodiscard]] const Sink& sink() const noexcept { return sink_; }
  /// The clock (advance a manual clock through it).
  [[nodiscard]] Clock& clock() noexcept { return clock_; }

 private:
  struct period_book {
    period_book(trading_period d, const period_timeline& t) : delivery(d), timeline(t) {}
    trading_period delivery;
    period_timeline timeline;
    book_type orders;
    std::set<order_id> used_ids;
    std::map<participant_id, energy> contracted;  // net bought - sold, per participant who traded
    std::map<participant_id, energy> metered;
    energy curve_volume = energy::zero();
    energy book_volume = energy::zero();
    std::vector<bytes> records;
  };

  static std::string to_text(const trading_period& p) {
    return "day " + std::to_string(p.day) + " period " + std::to_string(p.slot);
  }
  period_book& book_of(trading_period delivery) {
    const std::int64_t index = setup_.calendar.index(delivery);
    if (settled_.contains(index))
      throw bad_input(std::string("delivery"), to_text(delivery), "is already settled (a replay is refused)");
    auto found = books_.find(index);
    if (found == books_.end())
      found = books_.emplace(index, period_book(delivery, period_timeline(setup_.calendar, setup_.schedule, delivery)))
                  .first;
    return found->second;
  }
  void require_trader(participant_id who, std::string_view field) const {
    detail::require(roster_.contains(who) && who != pool_ && who != grid_, field, who.value,
                    "is not an enrolled participant (the pool and the grid do not trade on their own account)");
  }
  void check_order(const period_book& book, const order_request& order) const {
    require_trader(order.owner, "order.owner");
    detail::require(order.id.value != 0, "order.id", order.id.value, "must not be 0");
    detail::require(!book.used_ids.contains(order.id), "order.id", order.id.value,
                    "was already submitted for this period (a replay is refused)");
    detail::require(order.order_side == side::buy || order.order_side == side::sell, "order.order_side",
                    static_cast<int>(order.order_side), "must be buy or sell");
    detail::require(order.type == order_type::market || order.type == order_type::limit, "order.type",
                    static_cast<int>(order.type), "must be market or limit");
    detail::require(order.quantity.is_positive(), "order.quantity", order.quantity.base(), "must be positive (Wh)");
    if (order.type == order_type::limit)
      detail::require(order.limit_price.is_positive(), "order.limit_price", order.limit_price.base(),
                      "must be positive for a limit order (micro-Token/kWh)");
  }

  curve_order_result fill_on_curve(period_book& book, const order_request& order) {
    curve_order_result result;
    const std::optional<curve_fill> fill = curve_.quote(order.order_side, order.quantity);
    if (!fill) {
      result.reason = reject_reason::no_liquidity;
      return result;
    }
    const bool buys = order.order_side == side::buy;
    const participant_id buyer = buys ? order.owner : pool_;
    const participant_id seller = buys ? pool_ : order.owner;
    const price average = unit_price_of(fill->amount, fill->quantity, rounding::nearest_even);
    trade deal{buys ? order.id : order_id{}, buys ? order_id{} : order.id, buyer, seller, fill->quantity,
               average, average, fill->amount, fill->amount};
    const curve_trade_record record{trades_.size() + 1, book.delivery, trade_venues::curve, now_seconds(), deal,
                                    fill->spot_before, fill->spot_after};
    std::vector<curve_trade_record> made{record};
    commit(book, order, made, fill->quantity, energy::zero());
    curve_.apply(*fill);  // noexcept, after everything that can throw
    result.status = order_status::filled;
    result.filled = fill->quantity;
    result.open = energy::zero();
    result.trades = std::move(made);
    return result;
  }

  curve_order_result place_in_book(period_book& book, const order_request& order) {
    book_type& orders = book.orders;
    orders.listener().trades.clear();
    const order_result placed = orders.add(order);  // a refusal leaves the book as it was
    curve_order_result result;
    result.status = placed.status;
    result.reason = placed.reason;
    if (placed.reason == reject_reason::cannot_fill_in_full) return result;  // an outcome, not an error
    if (!placed.accepted())
      throw bad_input("order", "id " + std::to_string(order.id.value),
                      std::string("was refused by the order book: ") + std::string(to_string(placed.reason)));
    const price spot = curve_.spot_price();
    std::vector<curve_trade_record> made;
    std::uint64_t number = trades_.size();
    for (const trade& t : orders.listener().trades)
      made.push_back({++number, book.delivery, trade_venues::book, now_seconds(), t, spot, spot});
    commit(book, order, made, energy::zero(), placed.filled);
    result.filled = placed.filled;
    result.open = placed.open;
    result.trades = std::move(made);
    return result;
  }

  // Books an accepted order and its trades: balances, contracted energy, volumes, records. Every
  // new figure is computed (and overflow-checked) before the first member changes.
  void commit(period_book& book, const order_request& order, const std::vector<curve_trade_record>& made,
              energy curve_volume, energy book_volume) {
    std::vector<bytes> records;
    log(records, curve_order_record{book.delivery, order, now_seconds()});
    std::map<participant_id, money> money_after;
    std::map<participant_id, energy> energy_after;
    const auto money_of = [&](participant_id who) -> money& {
      const auto [at, fresh] = money_after.try_emplace(who, balance(who));
      return at->second;
    };
    const auto energy_of = [&](participant_id who) -> energy& {
      const auto found = book.contracted.find(who);
      const auto [at, fresh] = energy_after.try_emplace(who, found == book.contracted.end() ? energy::zero() : found->second);
      return at->second;
    };
    for (const curve_trade_record& r : made) {
      log(records, r);
      money_of(r.deal.buyer) -= r.deal.buyer_paid;
      money_of(r.deal.seller) += r.deal.seller_received;
      if (r.deal.buyer != pool_) energy_of(r.deal.buyer) += r.deal.quantity;
      if (r.deal.seller != pool_) energy_of(r.deal.seller) -= r.deal.quantity;
    }
    const energy curve_total = book.curve_volume + curve_volume;
    const energy book_total = book.book_volume + book_volume;
    for (const auto& [who, amount] : money_after) balances_[who] = amount;
    for (const auto& [who, amount] : energy_after) book.contracted[who] = amount;
    trades_.insert(trades_.end(), made.begin(), made.end());
    book.used_ids.insert(order.id);
    book.curve_volume = curve_total;
    book.book_volume = book_total;
    append(book, records);
  }

  curve_period_report settlement_of(const period_book& book) const {
    curve_period_report report;
    report.delivery = book.delivery;
    report.curve_volume = book.curve_volume;
    report.book_volume = book.book_volume;
    report.spot_price = curve_.spot_price();
    for (const side s : {side::buy, side::sell})
      book.orders.for_each_order(s, [&](const resting_order& o) {
        report.expired.push_back({book.delivery, o.id, o.owner, o.open, 1});
      });
    for (const auto& [who, reading] : book.metered) {
      const auto found = book.contracted.find(who);
      const energy contracted = found == book.contracted.end() ? energy::zero() : found->second;
      const energy deviation = reading - contracted;
      report.deviations.push_back({book.delivery, who, contracted, reading, deviation, deviation_.amount(deviation)});
    }
    return report;
  }

  [[nodiscard]] std::uint64_t now_seconds() const {
    const market_time now = clock_.now();
    return now.seconds < 0 ? 0 : static_cast<std::uint64_t>(now.seconds);
  }
  template <class R>
  static void log(std::vector<bytes>& records, const R& record) {
    if constexpr (Sink::keeps_records) records.push_back(encode_record(record));
  }
  static void append(period_book& book, std::vector<bytes>& records) {
    if constexpr (Sink::keeps_records)
      for (bytes& r : records) book.records.push_back(std::move(r));
  }
  void seal(std::vector<bytes>& records, market_time now) {
    if constexpr (Sink::keeps_records) {
      for (bytes& record : records) sink_.put(std::move(record));
      records.clear();
      sink_.seal(now.seconds);
    }
  }

  session_setup setup_;
  Curve curve_;
  Deviation deviation_;
  [[no_unique_address]] Sink sink_;
  [[no_unique_address]] Clock clock_;
  participant_roster roster_;
  participant_id pool_;
  participant_id grid_;
  std::map<std::int64_t, period_book> books_;
  std::set<std::int64_t> settled_;
  std::vector<curve_trade_record> trades_;
  std::map<participant_id, money> balances_;
};

// --- Traceability ------------------------------------------------------------------------------

/// A trade found on the chain: the record and the block that holds it (paper 002's block id,
/// time stamp, previous hash and hash).
struct traced_curve_trade {
  /// Height of the block (paper 002's block id) and the record's index in it.
  record_location where;
  /// The block's timestamp.
  std::int64_t block_time = 0;
  /// The hash of the block before it (all zero bytes for the first block).
  digest previous_hash;
  /// The block's hash.
  digest block_hash;
  /// The trade as recorded.
  curve_trade_record record;
};

/// Traceability over a chain the curve market's sink wrote: "who sold what to whom, when, at what
/// price", from the chain alone. The chain is verified first; only blocks before the first that
/// does not verify are read.
class curve_trace {
 public:
  /// Verifies `ledger` and reads its trade and deviation records.
  template <Hasher H, Verifier V>
  explicit curve_trace(const chain<H, V>& ledger) {
    const ledger_trace<H, V> index(ledger, participant_registry{});
    verification_ = index.verification();
    const std::span<const block> blocks = ledger.blocks();
    for (const record_location& where : index.records_of_type(record_tags::curve_trade_record)) {
      const block& b = blocks[where.height];
      trades_.push_back({where, b.header.timestamp, b.header.previous_hash, b.header.hash,
                         decode_record<curve_trade_record>(b.records[where.index])});
    }
    for (const record_location& where : index.records_of_type(record_tags::deviation_line))
      deviations_.push_back(decode_record<deviation_line>(blocks[where.height].records[where.index]));
  }

  /// The chain's verification.
  [[nodiscard]] const chain_verification& verification() const noexcept { return verification_; }
  /// Every trade, in chain order.
  [[nodiscard]] const std::vector<traced_curve_trade>& trades() const noexcept { return trades_; }
  /// Trades in which `participant` sold.
  [[nodiscard]] std::vector<traced_curve_trade> sold_by(participant_id participant) const {
    return select([&](const curve_trade_record& r) { return r.deal.seller == participant; });
  }
  /// Trades in which `participant` bought.
  [[nodiscard]] std::vector<traced_curve_trade> bought_by(participant_id participant) const {
    return select([&](const curve_trade_record& r) { return r.deal.buyer == participant; });
  }
  /// Trades delivering in `period`.
  [[nodiscard]] std::vector<traced_curve_trade> trades_in(const trading_period& period) const {
    return select([&](const curve_trade_record& r) { return r.delivery == period; });
  }
  /// Every deviation line, in chain order.
  [[nodiscard]] const std::vector<deviation_line>& deviations() const noexcept { return deviations_; }

 private:
  template <class Predicate>
  std::vector<traced_curve_trade> select(Predicate keep) const {
    std::vector<traced_curve_trade> found;
    for (const traced_curve_trade& t : trades_)
      if (keep(t.record)) found.push_back(t);
    return found;
  }

  chain_verification verification_;
  std::vector<traced_curve_trade> trades_;
  std::vector<deviation_line> deviations_;
};

EVMARKET_END_NAMESPACE
