#pragma once
/// @file
/// Orders for the continuous double auction (paper 002's "market-price" and "limit-price"
/// orders, paper 000's order book): what a participant submits, and what the book answers.

#include <evmarket/auction/trade.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/units.hpp>

#include <cstdint>
#include <ostream>
#include <string_view>

EVMARKET_BEGIN_NAMESPACE

/// How an order's price is set.
enum class order_type : std::uint8_t {
  /// Trades only at its limit price or better; what it cannot fill at once may rest in the book
  /// (paper 002's "limit-price" order).
  limit,
  /// Trades at once against the opposite side at whatever prices rest there and never rests
  /// (paper 002's "market-price" order).
  market,
};

/// How long an order may wait for a counterparty.
enum class time_in_force : std::uint8_t {
  /// Rests in the book until filled or cancelled.
  good_till_cancel,
  /// Fills what it can on arrival; the remainder is cancelled.
  immediate_or_cancel,
  /// Fills completely on arrival or is rejected, leaving the book unchanged.
  fill_or_kill,
};

/// What a participant submits to the order book.
struct order_request {
  /// The order's id, unique among the book's orders.
  order_id id;
  /// The participant who submitted it.
  participant_id owner;
  /// Buy or sell.
  side order_side = side::buy;
  /// Limit or market order.
  order_type type = order_type::limit;
  /// How long it may rest: good till cancel, immediate or cancel, fill or kill.
  time_in_force duration = time_in_force::good_till_cancel;
  /// Worst acceptable price (highest for a bid, lowest for an offer); must be positive for a
  /// limit order, ignored for a market order.
  price limit_price;
  /// Energy to buy or sell; must be positive.
  energy quantity;
  /// Trade only when the whole open quantity is filled at once (see order_book for the rule).
  bool all_or_none = false;

  /// Member-wise equality.
  friend bool operator==(const order_request&, const order_request&) = default;
};

/// A good-till-cancel limit order.
[[nodiscard]] constexpr order_request limit_order(order_id id, participant_id owner, side s, price limit,
                                                  energy quantity) noexcept {
  return {id, owner, s, order_type::limit, time_in_force::good_till_cancel, limit, quantity, false};
}

/// A market order (it never rests: whatever it cannot fill at once is cancelled).
[[nodiscard]] constexpr order_request market_order(order_id id, participant_id owner, side s,
                                                   energy quantity) noexcept {
  return {id, owner, s, order_type::market, time_in_force::immediate_or_cancel, price::zero(), quantity, false};
}

/// Where an order stands after an operation on the book.
enum class order_status : std::uint8_t {
  rejected,   ///< refused; the book is unchanged (see reject_reason)
  resting,    ///< open in the book (possibly partly filled)
  filled,     ///< completely filled; no longer in the book
  cancelled,  ///< left the book (or never entered it) with some quantity unfilled
};

/// Why the book refused an operation. Every rejection leaves the book exactly as it was.
enum class reject_reason : std::uint8_t {
  none,                   ///< not rejected
  non_positive_quantity,  ///< quantity (or the reduction) was zero or negative
  non_positive_price,     ///< a limit price was zero or negative
  duplicate_order_id,     ///< an order with this id is already resting in the book
  unknown_order_id,       ///< no order with this id rests in the book
  invalid_option,         ///< side, type or time in force outside its enumeration
  no_liquidity,           ///< a market order met an empty opposite side
  cannot_fill_in_full,    ///< a fill-or-kill order could not be filled completely on arrival
  overflow,  ///< the book's quantity totals or the order's value (limit x quantity) would leave 64 bits, or it holds
             ///< 2^32 - 1 orders
};

/// The operation a rejection refers to.
enum class book_operation : std::uint8_t { add, cancel, reduce, replace };

/// Short lowercase name of a status, for messages and logs.
[[nodiscard]] constexpr std::string_view to_string(order_status s) noexcept {
  switch (s) {
    case order_status::rejected:
      return "rejected";
    case order_status::resting:
      return "resting";
    case order_status::filled:
      return "filled";
    case order_status::cancelled:
      return "cancelled";
  }
  return "?";
}

/// Short lowercase name of a reject reason, for messages and logs.
[[nodiscard]] constexpr std::string_view to_string(reject_reason r) noexcept {
  switch (r) {
    case reject_reason::none:
      return "none";
    case reject_reason::non_positive_quantity:
      return "non-positive quantity";
    case reject_reason::non_positive_price:
      return "non-positive price";
    case reject_reason::duplicate_order_id:
      return "duplicate order id";
    case reject_reason::unknown_order_id:
      return "unknown order id";
    case reject_reason::invalid_option:
      return "invalid option";
    case reject_reason::no_liquidity:
      return "no liquidity";
    case reject_reason::cannot_fill_in_full:
      return "cannot fill in full";
    case reject_reason::overflow:
      return "overflow";
  }
  return "?";
}

/// Prints the status's name.
inline std::ostream& operator<<(std::ostream& out, order_status s) { return out << to_string(s); }
/// Prints the reason's name.
inline std::ostream& operator<<(std::ostream& out, reject_reason r) { return out << to_string(r); }

/// What one operation (add, cancel, reduce, replace) did to one order. The trades it caused go
/// to the book's listener.
struct order_result {
  /// What happened to the order.
  order_status status = order_status::rejected;
  /// Why it was rejected (none when it was accepted).
  reject_reason reason = reject_reason::none;
  /// Energy this operation filled.
  energy filled;
  /// Energy this operation cancelled (an unfilled remainder, a cancel, a reduction).
  energy cancelled;
  /// Energy still open in the book afterwards.
  energy open;

  /// True unless the operation was rejected.
  [[nodiscard]] constexpr bool accepted() const noexcept { return status != order_status::rejected; }

  /// Member-wise equality.
  friend bool operator==(const order_result&, const order_result&) = default;
};

/// A resting order as the book holds it.
struct resting_order {
  /// The order's id.
  order_id id;
  /// The participant who owns it.
  participant_id owner;
  /// Its side.
  side order_side = side::buy;
  /// Its limit price.
  price limit_price;
  /// Energy still open.
  energy open;
  /// Energy filled over the order's life.
  energy filled;
  /// Energy entered over the order's life (the original quantity plus replace increases); the
  /// rest, entered - filled - open, was cancelled.
  energy entered;
  /// True when the order trades only in full.
  bool all_or_none = false;

  /// Member-wise equality.
  friend bool operator==(const resting_order&, const resting_order&) = default;
};

EVMARKET_END_NAMESPACE
