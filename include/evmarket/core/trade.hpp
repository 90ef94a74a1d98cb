#pragma once
/// @file
/// What every mechanism that moves energy for money produces: a trade between a buyer and a
/// seller, carrying the exact amounts of money that changed hands. The call auction, the order
/// book, peer-to-peer matching and curve-priced settlement all produce this one record, and
/// settlement, positions, metrics and the ledger read its amounts: money is computed once, by the
/// mechanism that cleared the trade, and never recomputed with another rounding.
///
/// The money rule (trade_amount): price (micro-Token/kWh) x quantity (Wh) / 1000, rounded to the
/// nearest micro-Token with halves to even, on each side on its own. A trade at one price
/// therefore moves exactly the same amount from buyer to seller, and a clearing's books balance
/// exactly: buyers' payments - sellers' receipts == the auctioneer's surplus, to the micro-Token.

#include <evmarket/core/ids.hpp>
#include <evmarket/core/units.hpp>

#include <cstdint>
#include <ostream>

EVMARKET_BEGIN_NAMESPACE

/// Which side of the market an order is on.
enum class side : std::uint8_t {
  buy,   ///< a bid: wants quota (energy), pays money
  sell,  ///< an offer: gives quota, receives money
};

/// The other side of the market.
[[nodiscard]] constexpr side opposite(side s) noexcept { return s == side::buy ? side::sell : side::buy; }

/// Prints "buy" or "sell".
inline std::ostream& operator<<(std::ostream& out, side s) { return out << (s == side::buy ? "buy" : "sell"); }

/// The money `amount` of energy is worth at `unit_price`: price x energy / 1000 in micro-Token,
/// rounded half to even. The library's one rounding rule for the money of a trade (see the file
/// comment). Exact; throws overflow_error when the result does not fit 64 bits.
[[nodiscard]] inline money trade_amount(price unit_price, energy amount) {
  std::int64_t product;
  if (!__builtin_mul_overflow(unit_price.base(), amount.base(), &product) && product >= 0) {
    // The common case in one 64-bit multiply; the general one goes through 128 bits.
    const std::int64_t whole = product / energy::scale;
    const std::int64_t rest = product % energy::scale;
    const bool up = 2 * rest > energy::scale || (2 * rest == energy::scale && whole % 2 != 0);
    return micro_tokens(up ? whole + 1 : whole);
  }
  return cost(unit_price, amount, rounding::nearest_even);
}

/// One execution: `quantity` of energy passes from `seller` to `buyer`. The buyer pays
/// `buyer_price` per kWh and the seller receives `seller_price` per kWh; they are equal except
/// under mechanisms that are not budget balanced (McAfee's rule, trade reduction, VCG), where the
/// difference is the auctioneer's surplus (or deficit). `buyer_paid` and `seller_received` are
/// the exact amounts that changed hands, fixed by the mechanism when it cleared the trade.
struct trade {
  order_id buy_order;
  order_id sell_order;
  participant_id buyer;
  participant_id seller;
  energy quantity;
  price buyer_price;
  price seller_price;
  /// Money the buyer paid for this trade (micro-Token).
  money buyer_paid;
  /// Money the seller received for this trade (micro-Token).
  money seller_received;

  /// True when buyer and seller trade at one price (budget balanced for this trade).
  [[nodiscard]] bool single_price() const noexcept { return buyer_price == seller_price; }
  /// buyer_paid - seller_received: what the market operator keeps (negative: pays in).
  [[nodiscard]] money operator_margin() const { return buyer_paid - seller_received; }

  friend bool operator==(const trade&, const trade&) = default;
};

/// A trade whose amounts follow the library's money rule (trade_amount on each side); what every
/// built-in mechanism records. One price on both sides moves one amount.
[[nodiscard]] inline trade priced_trade(order_id buy_order, order_id sell_order, participant_id buyer,
                                        participant_id seller, energy quantity, price buyer_price,
                                        price seller_price) {
  const money paid = trade_amount(buyer_price, quantity);
  const money received = buyer_price == seller_price ? paid : trade_amount(seller_price, quantity);
  return {buy_order, sell_order, buyer, seller, quantity, buyer_price, seller_price, paid, received};
}

EVMARKET_END_NAMESPACE
