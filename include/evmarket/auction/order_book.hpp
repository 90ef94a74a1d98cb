#pragma once
/// @file
/// The continuous double auction: a limit order book with price-time priority (paper 000: bids
/// from high to low, offers from low to high, equal prices by arrival time), paper 002's market
/// and limit orders, time in force, all-or-none, self-trade prevention, and events through a
/// listener policy.
///
/// The rules, all of them tested in tests/auction_order_book_test.cpp:
/// - Matching happens only when an order arrives (add, or a replace that changes the price). The
///   arriving order walks the opposite side best price first, and within a price oldest first,
///   while the prices cross (a market order crosses every price).
/// - Trade price: a policy (TradePriceRule); by default the resting order's price.
/// - Market orders never rest. Against an empty opposite side a market order is rejected
///   (no_liquidity) and the book is unchanged; against an insufficient side it fills what there
///   is and the remainder is cancelled (status cancelled, whatever its time in force says).
/// - Immediate-or-cancel: the unfilled remainder is cancelled. Fill-or-kill: unless the whole
///   quantity can be filled on arrival the order is rejected (cannot_fill_in_full), book unchanged.
/// - All-or-none: an all-or-none order never trades part of its open quantity. Arriving, it
///   trades only if it can be filled completely at once; otherwise a good-till-cancel one rests
///   without trading and an immediate-or-cancel or market one is cancelled whole. Resting, it
///   trades only with an arriving order that takes all of its open quantity; a smaller arriving
///   order passes over it (it keeps its place in the queue) to the orders behind it. Hence a
///   resting all-or-none order may sit at a price that crosses the other side: "the book is not
///   crossed" holds for the orders without the condition, and best()/depth() include all orders.
///   Resting orders are not re-examined when the other side changes; only arrivals trade.
/// - Self-trade prevention (an option): when an arriving order meets a resting order of the
///   same owner, either the resting order is cancelled and matching goes on (cancel_resting) or
///   the arriving order's remainder is cancelled (cancel_incoming). A resting all-or-none order
///   the arriving order could not fill anyway is passed over first, not cancelled. A market order
///   meeting only its owner's orders is accepted and ends cancelled (the side was not empty).
/// - Cancel removes an order. Reduce by q keeps time priority; reducing by at least the open
///   quantity cancels the order. Replace (new price, new open quantity): a price change loses
///   time priority (the order leaves and arrives again, so it may trade at once); at the same
///   price a smaller quantity keeps priority and a larger one loses it (back of its queue) and
///   never trades at that moment. The order keeps its id, owner, side and all-or-none condition
///   (an all-or-none order that cannot fill at its new price rests without trading).
/// - Every rejection (bad quantity or price, unknown or duplicate id, invalid option, overflow,
///   no liquidity, cannot fill) is an order_result with a reason and an on_rejected event; the
///   book is left exactly as it was. Ids must be unique among resting orders; an id may be used
///   again once its order has left the book.
/// - Quantity is conserved: entered = filled + open + cancelled, for every order and in total.
/// - Listeners and price rules must not throw. After validation an operation does not throw:
///   the memory it might need is reserved first, so once warmed up the book does not allocate.
/// - Cost: an operation takes O(1) plus O(log L) to place a new price level among L levels, plus
///   O(k) for the k resting orders it trades with, cancels or passes over. Ids are found through
///   a flat open-addressing index; each price level is an intrusive FIFO over a pool of orders.

#include <evmarket/auction/order.hpp>
#include <evmarket/auction/trade.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/rounding.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/detail/order_book_index.hpp>

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// The best bid and the best offer; a zero quantity means that side is empty.
struct best_quote {
  /// Best bid price.
  price bid;
  /// Open quantity at the best bid (zero: no bids).
  energy bid_quantity;
  /// Best offer price.
  price ask;
  /// Open quantity at the best offer (zero: no offers).
  energy ask_quantity;

  /// True when a bid rests.
  [[nodiscard]] constexpr bool has_bid() const noexcept { return bid_quantity.is_positive(); }
  /// True when an offer rests.
  [[nodiscard]] constexpr bool has_ask() const noexcept { return ask_quantity.is_positive(); }

  /// Member-wise equality.
  friend bool operator==(const best_quote&, const best_quote&) = default;
};

/// One price level: its price, the open quantity resting there and how many orders hold it.
struct depth_level {
  /// The level's price.
  price level_price;
  /// Open quantity resting at it.
  energy quantity;
  /// Number of orders resting at it.
  std::uint32_t orders = 0;

  /// Member-wise equality.
  friend bool operator==(const depth_level&, const depth_level&) = default;
};

/// Lifetime quantity totals over all orders: entered = filled + open + cancelled.
struct book_totals {
  /// Quantity of accepted orders, plus replace increases.
  energy entered;
  /// Quantity filled, counted on both orders of each trade (twice the traded volume).
  energy filled;
  /// Quantity cancelled (cancels, reductions, unfilled remainders, self-trade prevention).
  energy cancelled;
  /// Quantity resting in the book now.
  energy open;
  /// Traded volume (each trade counted once).
  energy traded;

  /// Member-wise equality.
  friend bool operator==(const book_totals&, const book_totals&) = default;
};

/// The prices a trade-price rule chooses between: the resting order's limit and the arriving
/// order's (absent for a market order).
struct match_prices {
  /// The resting order's limit price.
  price resting;
  /// The arriving order's limit price (unused when it is a market order).
  price incoming;
  /// True when the arriving order is a market order.
  bool incoming_is_market = false;
  /// The arriving order's side.
  side incoming_side = side::buy;
};

/// TradePriceRule: the price at which an arriving order trades with a resting one. A policy so
/// that a market can pass price improvement to either side. It must return a price both orders
/// accept (between the two limits; against a market order, no worse for the resting order than
/// its own limit) and must not throw: it is called inside the non-throwing matching walk.
template <class Rule>
concept TradePriceRule = requires(const Rule& rule, const match_prices& prices) {
  { rule.trade_price(prices) } -> std::same_as<price>;
};

/// Trades at the resting order's price, the usual continuous-market rule (the arriving order
/// gets any price improvement).
struct resting_order_price {
  /// The resting order's limit price.
  [[nodiscard]] constexpr price trade_price(const match_prices& m) const noexcept { return m.resting; }
};

/// Trades at the midpoint of the two limits, rounded down to a whole micro-Token/kWh; at the
/// resting price when the arriving order is a market order (it has no limit to average).
struct midpoint_of_limits {
  /// The midpoint of the two limits, or the resting price against a market order.
  [[nodiscard]] price trade_price(const match_prices& m) const noexcept {
    if (m.incoming_is_market) return m.resting;
    const detail::int128 sum = static_cast<detail::int128>(m.resting.base()) + m.incoming.base();
    // Both limits are positive, so floor division is a shift.
    return micro_tokens_per_kwh(static_cast<std::int64_t>(sum >> 1));
  }
};

/// OrderBookListener: receives the book's events as they happen. Quantities are energy;
/// `open_after` is the order's open quantity after the event (0 when it left the book). For each
/// trade the order of events is on_trade, on_fill (resting order), on_fill (arriving order).
/// Every cancelled quantity has its on_cancelled, including a replace's reduction (which follows
/// on_replaced).
/// on_best_changed comes once at the end of an operation that changed the best bid or offer
/// (price or quantity). Derive from null_order_book_listener and override what you need.
template <class Listener>
concept OrderBookListener = requires(Listener& listener, const order_request& request, order_id id,
                                     book_operation operation, reject_reason reason, const trade& executed,
                                     energy quantity, price level, const best_quote& quote) {
  listener.on_accepted(request);
  listener.on_rejected(id, operation, reason);
  listener.on_trade(executed);
  listener.on_fill(id, quantity, level, quantity);
  listener.on_cancelled(id, quantity, quantity);
  listener.on_replaced(id, level, quantity);
  listener.on_best_changed(quote);
};

/// Ignores every event; the optimiser removes the calls, so it costs nothing.
struct null_order_book_listener {
  ///@{
  /// An event the OrderBookListener concept describes; ignored.
  constexpr void on_accepted(const order_request&) noexcept {}
  constexpr void on_rejected(order_id, book_operation, reject_reason) noexcept {}
  constexpr void on_trade(const trade&) noexcept {}
  constexpr void on_fill(order_id, energy /*filled*/, price, energy /*open_after*/) noexcept {}
  constexpr void on_cancelled(order_id, energy /*cancelled*/, energy /*open_after*/) noexcept {}
  constexpr void on_replaced(order_id, price, energy /*open*/) noexcept {}
  constexpr void on_best_changed(const best_quote&) noexcept {}
  ///@}
};

static_assert(OrderBookListener<null_order_book_listener>);
static_assert(TradePriceRule<resting_order_price> && TradePriceRule<midpoint_of_limits>);

/// Keeps every trade, in execution order (for settlement, tests and examples). Events arrive
/// inside the book's non-throwing matching, so running out of memory here terminates; reserve
/// `trades` ahead where that matters.
struct trade_log_listener : null_order_book_listener {
  /// Every trade, in the order it happened.
  std::vector<trade> trades;
  /// Appends the trade to `trades`.
  void on_trade(const trade& t) { trades.push_back(t); }
};

/// What the book does when an arriving order meets a resting order of the same owner.
enum class self_trade_prevention : std::uint8_t {
  none,             ///< they trade (a station may trade with itself)
  cancel_resting,   ///< the resting order is cancelled; matching goes on
  cancel_incoming,  ///< the arriving order's remainder is cancelled; matching stops
};

/// Run-time options of an order book.
struct order_book_options {
  /// What to do when an order would trade with a resting order of the same owner.
  self_trade_prevention self_trade = self_trade_prevention::none;
};

namespace detail {

inline constexpr std::uint32_t no_slot = order_id_index::npos;

/// A resting order inside the book: one node of its price level's FIFO.
struct book_node {
  std::uint64_t id = 0;
  std::uint64_t owner = 0;
  std::int64_t limit = 0;
  std::int64_t open = 0;
  std::int64_t filled = 0;
  std::int64_t entered = 0;
  std::uint32_t prev = no_slot;
  std::uint32_t next = no_slot;  // also the free-list link
  std::uint32_t level = no_slot;
  side order_side = side::buy;
  bool all_or_none = false;
};

/// A price level: aggregate open quantity, order count, and its FIFO of nodes.
struct book_level {
  std::int64_t level_price = 0;
  std::int64_t total = 0;
  std::uint32_t count = 0;
  std::uint32_t head = no_slot;  // also the free-list link
  std::uint32_t tail = no_slot;
};

/// One entry of a side's price ladder, kept sorted so that the best price is at the back.
struct ladder_entry {
  std::int64_t level_price = 0;
  std::uint32_t level = no_slot;
};

}  // namespace detail

/// A continuous double auction over one product (energy for one trading period). Listener
/// receives the events (OrderBookListener); PriceRule sets trade prices (TradePriceRule). The
/// rules are stated at the top of this header. Single writer: one thread at a time (const
/// queries from several threads are safe while nobody modifies the book).
template <class Listener = null_order_book_listener, class PriceRule = resting_order_price>
class order_book {
  static_assert(OrderBookListener<Listener>,
                "order_book: the listener must provide on_accepted, on_rejected, on_trade, on_fill, on_cancelled, "
                "on_replaced and on_best_changed; derive it from null_order_book_listener to get no-op defaults");
  static_assert(TradePriceRule<PriceRule>,
                "order_book: the price rule must provide `price trade_price(const match_prices&) const`; "
                "use resting_order_price for the usual rule");

 public:
  order_book() = default;
  /// A book with these options, this listener and this trade-price rule.
  explicit order_book(order_book_options chosen, Listener events = Listener{}, PriceRule pricing = PriceRule{})
      : options_(chosen), listener_(std::move(events)), rule_(std::move(pricing)) {}

  /// Submits an order; it trades at once as far as it crosses, and the rest rests or is
  /// cancelled as its type and time in force say.
  order_result add(const order_request& request) {
    const reject_reason invalid = validate(request);
    if (invalid != reject_reason::none) return reject(request.id, book_operation::add, invalid);
    const bool market = request.type == order_type::market;
    const side other = opposite(request.order_side);
    if (market && ladder(other).empty()) return reject(request.id, book_operation::add, reject_reason::no_liquidity);
    const std::int64_t quantity = request.quantity.base();
    const std::int64_t limit = request.limit_price.base();
    bool may_trade = true;
    if (request.all_or_none || request.duration == time_in_force::fill_or_kill) {
      may_trade = can_fill(request.order_side, request.owner.value, market, limit, quantity);
      if (!may_trade && request.duration == time_in_force::fill_or_kill)
        return reject(request.id, book_operation::add, reject_reason::cannot_fill_in_full);
    }
    reserve_one(request.order_side);

    const best_quote before = best();
    listener_.on_accepted(request);
    totals_.entered += request.quantity;
    const std::uint32_t slot = take_node();
    detail::book_node& node = nodes_[slot];
    node = {request.id.value,   request.owner.value, limit,           quantity,        0,
            quantity,           detail::no_slot,     detail::no_slot, detail::no_slot, request.order_side,
            request.all_or_none};
    const bool rest = !market && request.duration == time_in_force::good_till_cancel;
    order_result result = arrive(slot, market, rest, may_trade);
    announce_best(before);
    return result;
  }

  /// Cancels a resting order.
  order_result cancel(order_id id) {
    const std::uint32_t slot = index_.find(id.value);
    if (slot == detail::no_slot) return reject(id, book_operation::cancel, reject_reason::unknown_order_id);
    const best_quote before = best();
    const energy cancelled = watt_hours(nodes_[slot].open);
    cancel_resting(slot);
    announce_best(before);
    return {order_status::cancelled, reject_reason::none, energy::zero(), cancelled, energy::zero()};
  }

  /// Reduces a resting order's open quantity by `amount`, keeping its time priority; reducing by
  /// the whole open quantity or more cancels it.
  order_result reduce(order_id id, energy amount) {
    if (!amount.is_positive()) return reject(id, book_operation::reduce, reject_reason::non_positive_quantity);
    const std::uint32_t slot = index_.find(id.value);
    if (slot == detail::no_slot) return reject(id, book_operation::reduce, reject_reason::unknown_order_id);
    if (amount.base() >= nodes_[slot].open) return cancel(id);
    const best_quote before = best();
    shrink(slot, amount.base());
    listener_.on_cancelled(id, amount, watt_hours(nodes_[slot].open));
    announce_best(before);
    return {order_status::resting, reject_reason::none, energy::zero(), amount, watt_hours(nodes_[slot].open)};
  }

  /// Replaces a resting order's price and open quantity. A price change loses time priority
  /// (the order arrives again and may trade); at the same price a smaller quantity keeps
  /// priority and a larger one goes to the back of its queue.
  order_result replace(order_id id, price new_price, energy new_open) {
    if (!new_open.is_positive()) return reject(id, book_operation::replace, reject_reason::non_positive_quantity);
    if (!new_price.is_positive()) return reject(id, book_operation::replace, reject_reason::non_positive_price);
    const std::uint32_t slot = index_.find(id.value);
    if (slot == detail::no_slot) return reject(id, book_operation::replace, reject_reason::unknown_order_id);
    const std::int64_t open = nodes_[slot].open;
    const std::int64_t increase = new_open.base() > open ? new_open.base() - open : 0;
    std::int64_t entered_after = 0;
    if (__builtin_add_overflow(totals_.entered.base(), increase, &entered_after) ||
        !value_fits(new_price.base(), new_open.base()))
      return reject(id, book_operation::replace, reject_reason::overflow);
    const side own = nodes_[slot].order_side;
    reserve_one(own);

    const best_quote before = best();
    listener_.on_replaced(id, new_price, new_open);
    const std::int64_t decrease = open > new_open.base() ? open - new_open.base() : 0;
    if (decrease > 0) listener_.on_cancelled(id, watt_hours(decrease), new_open);
    totals_.entered = watt_hours(entered_after);
    totals_.cancelled += watt_hours(decrease);
    order_result result;
    if (new_price.base() == nodes_[slot].limit) {
      if (decrease > 0) shrink_level_only(slot, decrease);
      if (increase > 0) {
        unlink(slot);
        detail::book_node& node = nodes_[slot];
        node.open += increase;
        node.entered += increase;
        link_back(slot);
      }
      totals_.open = totals_.open + watt_hours(increase) - watt_hours(decrease);
      result = {order_status::resting, reject_reason::none, energy::zero(), watt_hours(decrease),
                watt_hours(nodes_[slot].open)};
    } else {
      unlink(slot);
      totals_.open -= watt_hours(open);
      index_.erase(id.value);
      detail::book_node& node = nodes_[slot];
      node.open = new_open.base();
      node.entered += increase;
      node.limit = new_price.base();
      bool may_trade = true;
      if (node.all_or_none) may_trade = can_fill(node.order_side, node.owner, false, node.limit, node.open);
      result = arrive(slot, false, true, may_trade);
      result.cancelled += watt_hours(decrease);
    }
    announce_best(before);
    return result;
  }

  /// The best bid and offer (all resting orders, all-or-none ones included).
  [[nodiscard]] best_quote best() const noexcept {
    best_quote quote{};
    if (!bids_.empty()) {
      const detail::book_level& level = levels_[bids_.back().level];
      quote.bid = micro_tokens_per_kwh(level.level_price);
      quote.bid_quantity = watt_hours(level.total);
    }
    if (!asks_.empty()) {
      const detail::book_level& level = levels_[asks_.back().level];
      quote.ask = micro_tokens_per_kwh(level.level_price);
      quote.ask_quantity = watt_hours(level.total);
    }
    return quote;
  }

  /// The highest bid price, if any bid rests.
  [[nodiscard]] std::optional<price> best_bid() const noexcept {
    if (bids_.empty()) return std::nullopt;
    return micro_tokens_per_kwh(bids_.back().level_price);
  }
  /// The lowest offer price, if any offer rests.
  [[nodiscard]] std::optional<price> best_ask() const noexcept {
    if (asks_.empty()) return std::nullopt;
    return micro_tokens_per_kwh(asks_.back().level_price);
  }

  /// Fills `out` with the best levels of side `s`, best first; returns how many it wrote.
  std::size_t depth(side s, std::span<depth_level> out) const noexcept {
    const auto& entries = ladder(s);
    const std::size_t count = std::min(out.size(), entries.size());
    for (std::size_t k = 0; k < count; ++k) {
      const detail::book_level& level = levels_[entries[entries.size() - 1 - k].level];
      out[k] = {micro_tokens_per_kwh(level.level_price), watt_hours(level.total), level.count};
    }
    return count;
  }
  /// The best `levels` levels of side `s`, best first.
  [[nodiscard]] std::vector<depth_level> depth(side s, std::size_t levels) const {
    std::vector<depth_level> out(std::min(levels, ladder(s).size()));
    depth(s, std::span<depth_level>(out));
    return out;
  }

  /// The resting order with this id, if there is one.
  [[nodiscard]] std::optional<resting_order> find(order_id id) const noexcept {
    const std::uint32_t slot = index_.find(id.value);
    if (slot == detail::no_slot) return std::nullopt;
    return view(nodes_[slot]);
  }

  /// Calls `visit(const resting_order&)` for every order of side `s` in priority order.
  template <class Visitor>
  void for_each_order(side s, Visitor&& visit) const {
    const auto& entries = ladder(s);
    for (std::size_t k = entries.size(); k > 0; --k)
      for (std::uint32_t n = levels_[entries[k - 1].level].head; n != detail::no_slot; n = nodes_[n].next)
        visit(view(nodes_[n]));
  }

  /// Number of resting orders.
  [[nodiscard]] std::size_t size() const noexcept { return index_.size(); }
  /// True when no order rests.
  [[nodiscard]] bool empty() const noexcept { return index_.size() == 0; }
  /// Number of price levels on side `s`.
  [[nodiscard]] std::size_t level_count(side s) const noexcept { return ladder(s).size(); }
  /// Lifetime quantity totals (entered = filled + open + cancelled).
  [[nodiscard]] const book_totals& totals() const noexcept { return totals_; }
  /// The options the book was built with.
  [[nodiscard]] const order_book_options& options() const noexcept { return options_; }
  ///@{
  /// The listener receiving the events (held by value; read what it gathered here).
  [[nodiscard]] Listener& listener() noexcept { return listener_; }
  [[nodiscard]] const Listener& listener() const noexcept { return listener_; }
  ///@}

  /// Reserves room for `orders` resting orders over `levels` price levels per side, so the
  /// book does not allocate until it holds more.
  void reserve(std::size_t orders, std::size_t levels) {
    index_.reserve(orders + 1);
    nodes_.reserve(orders + 1);
    levels_.reserve(2 * levels + 2);
    bids_.reserve(levels + 1);
    asks_.reserve(levels + 1);
  }

  /// Removes every order without events and resets the totals; keeps the memory.
  void clear() noexcept {
    nodes_.clear();
    levels_.clear();
    bids_.clear();
    asks_.clear();
    index_.clear();
    free_node_ = detail::no_slot;
    free_level_ = detail::no_slot;
    totals_ = {};
  }

 private:
  using ladder_type = std::vector<detail::ladder_entry>;
  static constexpr std::size_t max_orders = detail::no_slot - 1;

  [[nodiscard]] ladder_type& ladder(side s) noexcept { return s == side::buy ? bids_ : asks_; }
  [[nodiscard]] const ladder_type& ladder(side s) const noexcept { return s == side::buy ? bids_ : asks_; }

  [[nodiscard]] static resting_order view(const detail::book_node& n) noexcept {
    return {order_id{n.id},     participant_id{n.owner}, n.order_side,          micro_tokens_per_kwh(n.limit),
            watt_hours(n.open), watt_hours(n.filled),    watt_hours(n.entered), n.all_or_none};
  }

  [[nodiscard]] reject_reason validate(const order_request& r) const noexcept {
    if (r.order_side != side::buy && r.order_side != side::sell) return reject_reason::invalid_option;
    if (r.type != order_type::limit && r.type != order_type::market) return reject_reason::invalid_option;
    if (r.duration != time_in_force::good_till_cancel && r.duration != time_in_force::immediate_or_cancel &&
        r.duration != time_in_force::fill_or_kill)
      return reject_reason::invalid_option;
    if (!r.quantity.is_positive()) return reject_reason::non_positive_quantity;
    if (r.type == order_type::limit && !r.limit_price.is_positive()) return reject_reason::non_positive_price;
    if (index_.find(r.id.value) != detail::no_slot) return reject_reason::duplicate_order_id;
    // Slots are 32-bit; the last values are the "no slot" marker.
    if (nodes_.size() >= max_orders && free_node_ == detail::no_slot) return reject_reason::overflow;
    std::int64_t entered_after = 0;
    // Every other total (a level's, a side's, filled, cancelled) is bounded by the entered one.
    if (__builtin_add_overflow(totals_.entered.base(), r.quantity.base(), &entered_after))
      return reject_reason::overflow;
    if (r.type == order_type::limit && !value_fits(r.limit_price.base(), r.quantity.base()))
      return reject_reason::overflow;
    return reject_reason::none;
  }

  // An order's value at its limit (price x quantity, in micro-Token) must fit 64 bits: then so
  // does every trade it can make (a trade's price lies between the two orders' limits and its
  // quantity under both orders' own), so no matching can overflow half way through.
  static bool value_fits(std::int64_t unit_price, std::int64_t quantity) noexcept {
    return static_cast<detail::int128>(unit_price) * quantity / energy::scale <
           std::numeric_limits<std::int64_t>::max();
  }

  order_result reject(order_id id, book_operation operation, reject_reason reason) {
    listener_.on_rejected(id, operation, reason);
    return {order_status::rejected, reason, energy::zero(), energy::zero(), energy::zero()};
  }

  /// Makes sure the operation can finish without allocating: one node, one level, one ladder
  /// entry on `own` and one index cell.
  void reserve_one(side own) {
    if (free_node_ == detail::no_slot && nodes_.size() == nodes_.capacity()) nodes_.reserve(2 * nodes_.size() + 16);
    if (free_level_ == detail::no_slot) {
      levels_.emplace_back();
      levels_.back().head = free_level_;
      free_level_ = static_cast<std::uint32_t>(levels_.size() - 1);
    }
    ladder_type& entries = ladder(own);
    if (entries.size() == entries.capacity()) entries.reserve(2 * entries.size() + 16);
    index_.reserve(index_.size() + 1);
  }

  std::uint32_t take_node() noexcept {
    if (free_node_ != detail::no_slot) {
      const std::uint32_t slot = free_node_;
      free_node_ = nodes_[slot].next;
      return slot;
    }
    nodes_.emplace_back();  // capacity reserved by reserve_one
    return static_cast<std::uint32_t>(nodes_.size() - 1);
  }
  void release_node(std::uint32_t slot) noexcept {
    nodes_[slot].next = free_node_;
    free_node_ = slot;
  }

  [[nodiscard]] static bool better(side s, std::int64_t a, std::int64_t b) noexcept {
    return s == side::buy ? a > b : a < b;
  }

  /// Position in side `s`'s ladder of `level_price` (or where it would go).
  [[nodiscard]] std::size_t ladder_position(side s, std::int64_t level_price) const noexcept {
    const ladder_type& entries = ladder(s);
    // Sorted worse-to-better, so lower_bound under "worse than" finds the price or its slot.
    const auto it =
        std::lower_bound(entries.begin(), entries.end(), level_price,
                         [s](const detail::ladder_entry& e, std::int64_t p) { return better(s, p, e.level_price); });
    return static_cast<std::size_t>(it - entries.begin());
  }

  /// Appends the node at the back of its price level's queue, creating the level if needed.
  void link_back(std::uint32_t slot) noexcept {
    detail::book_node& node = nodes_[slot];
    ladder_type& entries = ladder(node.order_side);
    std::uint32_t level_slot = detail::no_slot;
    // The back (best) level is the common case for a resting remainder; check it first.
    if (!entries.empty() && entries.back().level_price == node.limit) {
      level_slot = entries.back().level;
    } else {
      const std::size_t at = ladder_position(node.order_side, node.limit);
      if (at < entries.size() && entries[at].level_price == node.limit) {
        level_slot = entries[at].level;
      } else {
        level_slot = free_level_;  // reserved by reserve_one
        free_level_ = levels_[level_slot].head;
        levels_[level_slot] = {node.limit, 0, 0, detail::no_slot, detail::no_slot};
        entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(at), {node.limit, level_slot});
      }
    }
    detail::book_level& level = levels_[level_slot];
    node.level = level_slot;
    node.prev = level.tail;
    node.next = detail::no_slot;
    if (level.tail != detail::no_slot)
      nodes_[level.tail].next = slot;
    else
      level.head = slot;
    level.tail = slot;
    level.total += node.open;
    ++level.count;
  }

  /// Takes the node out of its level's queue, removing the level when it empties.
  void unlink(std::uint32_t slot) noexcept {
    detail::book_node& node = nodes_[slot];
    // Kept before remove_from_level clears node.level: an emptied level is found and freed by it.
    const std::uint32_t level_slot = node.level;
    detail::book_level& level = levels_[level_slot];
    remove_from_level(slot, level);
    if (level.count == 0) {
      ladder_type& entries = ladder(node.order_side);
      const std::size_t at =
          entries.back().level == level_slot ? entries.size() - 1 : ladder_position(node.order_side, node.limit);
      entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(at));
      free_level(level_slot);
    }
  }

  void free_level(std::uint32_t level_slot) noexcept {
    levels_[level_slot].head = free_level_;
    free_level_ = level_slot;
  }

  /// Removes a resting order with its open quantity cancelled.
  void cancel_resting(std::uint32_t slot) noexcept {
    detail::book_node& node = nodes_[slot];
    const energy cancelled = watt_hours(node.open);
    totals_.cancelled += cancelled;
    totals_.open -= cancelled;
    unlink(slot);
    index_.erase(node.id);
    node.open = 0;
    listener_.on_cancelled(order_id{node.id}, cancelled, energy::zero());
    release_node(slot);
  }

  /// Reduces a resting order in place (priority kept), with the totals.
  void shrink(std::uint32_t slot, std::int64_t amount) noexcept {
    shrink_level_only(slot, amount);
    totals_.cancelled += watt_hours(amount);
    totals_.open -= watt_hours(amount);
  }
  void shrink_level_only(std::uint32_t slot, std::int64_t amount) noexcept {
    detail::book_node& node = nodes_[slot];
    node.open -= amount;
    levels_[node.level].total -= amount;
  }

  [[nodiscard]] static bool crosses(side incoming, bool market, std::int64_t limit, std::int64_t level_price) noexcept {
    if (market) return true;
    return incoming == side::buy ? level_price <= limit : level_price >= limit;
  }

  /// Whether an arriving order could fill `quantity` completely now: the matching walk of
  /// arrive(), without changing anything.
  [[nodiscard]] bool can_fill(side incoming, std::uint64_t owner, bool market, std::int64_t limit,
                              std::int64_t quantity) const noexcept {
    const ladder_type& entries = ladder(opposite(incoming));
    std::int64_t remaining = quantity;
    for (std::size_t k = entries.size(); k > 0; --k) {
      const detail::ladder_entry entry = entries[k - 1];
      if (!crosses(incoming, market, limit, entry.level_price)) return false;
      for (std::uint32_t n = levels_[entry.level].head; n != detail::no_slot; n = nodes_[n].next) {
        const detail::book_node& resting = nodes_[n];
        if (resting.all_or_none && resting.open > remaining) continue;
        if (options_.self_trade != self_trade_prevention::none && resting.owner == owner) {
          if (options_.self_trade == self_trade_prevention::cancel_incoming) return false;
          continue;
        }
        remaining -= std::min(resting.open, remaining);
        if (remaining == 0) return true;
      }
    }
    return false;
  }

  /// The arriving order in node `slot` (not linked, not indexed, its open quantity counted in
  /// totals_.entered only) trades if `may_trade`, then rests if `may_rest` or has its remainder
  /// cancelled.
  order_result arrive(std::uint32_t slot, bool market, bool may_rest, bool may_trade) noexcept {
    bool stopped = false;
    std::int64_t filled = 0;
    if (may_trade) filled = match(slot, market, stopped);
    detail::book_node& node = nodes_[slot];
    const order_id id{node.id};
    if (node.open == 0) {
      release_node(slot);
      return {order_status::filled, reject_reason::none, watt_hours(filled), energy::zero(), energy::zero()};
    }
    if (may_rest && !stopped) {
      totals_.open += watt_hours(node.open);
      link_back(slot);
      index_.insert(node.id, slot);
      return {order_status::resting, reject_reason::none, watt_hours(filled), energy::zero(), watt_hours(node.open)};
    }
    const energy cancelled = watt_hours(node.open);
    totals_.cancelled += cancelled;
    node.open = 0;
    listener_.on_cancelled(id, cancelled, energy::zero());
    release_node(slot);
    return {order_status::cancelled, reject_reason::none, watt_hours(filled), cancelled, energy::zero()};
  }

  /// The matching walk: trades the arriving order in `slot` against the opposite side. Returns
  /// the quantity filled; `stopped` is set when self-trade prevention cancelled the remainder.
  std::int64_t match(std::uint32_t slot, bool market, bool& stopped) noexcept {
    detail::book_node& in = nodes_[slot];
    const side incoming_side = in.order_side;
    ladder_type& entries = ladder(opposite(incoming_side));
    const bool prevent = options_.self_trade != self_trade_prevention::none;
    std::int64_t filled = 0;
    for (std::size_t k = entries.size(); k > 0 && in.open > 0 && !stopped;) {
      --k;
      const detail::ladder_entry entry = entries[k];
      if (!crosses(incoming_side, market, in.limit, entry.level_price)) break;
      detail::book_level& level = levels_[entry.level];
      std::uint32_t n = level.head;
      while (n != detail::no_slot && in.open > 0) {
        detail::book_node& resting = nodes_[n];
        const std::uint32_t next = resting.next;
        if (resting.all_or_none && resting.open > in.open) {
          n = next;
          continue;
        }
        if (prevent && resting.owner == in.owner) {
          if (options_.self_trade == self_trade_prevention::cancel_incoming) {
            stopped = true;
            break;
          }
          remove_from_level(n, level);
          const energy cancelled = watt_hours(resting.open);
          totals_.cancelled += cancelled;
          totals_.open -= cancelled;
          index_.erase(resting.id);
          resting.open = 0;
          listener_.on_cancelled(order_id{resting.id}, cancelled, energy::zero());
          release_node(n);
          n = next;
          continue;
        }
        const std::int64_t quantity = std::min(resting.open, in.open);
        const price at = rule_.trade_price(
            {micro_tokens_per_kwh(entry.level_price), micro_tokens_per_kwh(in.limit), market, incoming_side});
        resting.open -= quantity;
        resting.filled += quantity;
        level.total -= quantity;
        in.open -= quantity;
        in.filled += quantity;
        filled += quantity;
        const energy amount = watt_hours(quantity);
        totals_.traded += amount;
        totals_.filled += amount + amount;
        totals_.open -= amount;
        const bool buying = incoming_side == side::buy;
        listener_.on_trade(priced_trade(
            buying ? order_id{in.id} : order_id{resting.id}, buying ? order_id{resting.id} : order_id{in.id},
            buying ? participant_id{in.owner} : participant_id{resting.owner},
            buying ? participant_id{resting.owner} : participant_id{in.owner}, amount, at, at));
        listener_.on_fill(order_id{resting.id}, amount, at, watt_hours(resting.open));
        listener_.on_fill(order_id{in.id}, amount, at, watt_hours(in.open));
        if (resting.open == 0) {
          remove_from_level(n, level);
          index_.erase(resting.id);
          release_node(n);
        }
        n = next;
      }
      if (level.count == 0) {
        entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(k));
        free_level(entry.level);
      }
    }
    return filled;
  }

  /// Unlinks a node from `level`, leaving the level in place even when empty (the matching walk
  /// removes empty levels itself; unlink does it for everyone else).
  void remove_from_level(std::uint32_t slot, detail::book_level& level) noexcept {
    detail::book_node& node = nodes_[slot];
    if (node.prev != detail::no_slot)
      nodes_[node.prev].next = node.next;
    else
      level.head = node.next;
    if (node.next != detail::no_slot)
      nodes_[node.next].prev = node.prev;
    else
      level.tail = node.prev;
    level.total -= node.open;
    --level.count;
    node.level = detail::no_slot;
  }

  void announce_best(const best_quote& before) {
    const best_quote after = best();
    if (!(after == before)) listener_.on_best_changed(after);
  }

  order_book_options options_{};
  [[no_unique_address]] Listener listener_{};
  [[no_unique_address]] PriceRule rule_{};
  std::vector<detail::book_node> nodes_;
  std::vector<detail::book_level> levels_;
  ladder_type bids_;  // ascending price: best (highest) at the back
  ladder_type asks_;  // descending price: best (lowest) at the back
  detail::order_id_index index_;
  std::uint32_t free_node_ = detail::no_slot;
  std::uint32_t free_level_ = detail::no_slot;
  book_totals totals_{};
};

EVMARKET_END_NAMESPACE
