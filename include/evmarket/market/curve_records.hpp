#pragma once
/// @file
/// The records the curve-priced market (market/curve_market.hpp, paper 002) writes to its ledger
/// sink, and their canonical encodings (type tags 0x055x). A period's block holds, in call order:
///   curve_order_record... (every accepted order), curve_trade_record... (every fill, on the
///   curve or in the book, with the exact amounts paid), curve_cancel_record... (cancels, and the
///   limit orders still resting when the period settles), meter_reading..., deviation_line...
/// Paper 002's block structure (block id, block data, time stamp, previous hash, hash) is the
/// block header's height, records, timestamp, previous_hash and hash; each trade record carries
/// its own number and market time as well, so a trade answers "who sold what to whom, when, at
/// what price" on its own.

#include <evmarket/auction/order.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/trade.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/ledger/encoding.hpp>
#include <evmarket/market/records.hpp>

#include <cstdint>
#include <string_view>

EVMARKET_BEGIN_NAMESPACE

/// Ledger record tags of session E (0x055x).
namespace record_tags {
/// Tag of curve_order_record.
inline constexpr std::uint16_t curve_order_record = 0x0550;
/// Tag of curve_trade_record.
inline constexpr std::uint16_t curve_trade_record = 0x0551;
/// Tag of curve_cancel_record.
inline constexpr std::uint16_t curve_cancel_record = 0x0552;
/// Tag of deviation_line.
inline constexpr std::uint16_t deviation_line = 0x0553;
}  // namespace record_tags

/// Where a trade of the curve market was made (stored as a u16 in curve_trade_record::venue).
namespace trade_venues {
/// A market-price order filled on the Bancor curve, against the curve's pool.
inline constexpr std::uint16_t curve = 0;
/// Two limit orders crossed in the order book.
inline constexpr std::uint16_t book = 1;
}  // namespace trade_venues

/// An order the session accepted, and when (market time, seconds).
struct curve_order_record {
  /// The delivery period the order trades energy for.
  trading_period delivery;
  /// The order as submitted.
  order_request order;
  /// Market time of the submission.
  std::uint64_t at = 0;
  /// Member-wise equality.
  friend bool operator==(const curve_order_record&, const curve_order_record&) = default;
};

/// One trade: paper 002's block data for a transaction. `number` counts the session's trades from
/// 1; `at` is the market time (seconds) it was made; `deal` names buyer, seller, quantity, the
/// price per kWh and the exact amounts that changed hands; a curve trade also carries the curve's
/// spot price before and after it (a book trade carries the curve's spot price at that moment in
/// both).
struct curve_trade_record {
  /// The trade's number in the session (1, 2, ...).
  std::uint64_t number = 0;
  /// The delivery period the energy is for.
  trading_period delivery;
  /// trade_venues::curve or trade_venues::book.
  std::uint16_t venue = trade_venues::curve;
  /// Market time of the trade (seconds).
  std::uint64_t at = 0;
  /// Buyer, seller, quantity, prices and the exact amounts paid and received.
  trade deal;
  /// The curve's spot price before the trade.
  price spot_before;
  /// The curve's spot price after the trade.
  price spot_after;
  /// Member-wise equality.
  friend bool operator==(const curve_trade_record&, const curve_trade_record&) = default;
};

/// A limit order that left the book unfilled: cancelled by its owner, or still resting when the
/// period settled (`expired` 1).
struct curve_cancel_record {
  /// The delivery period of the order.
  trading_period delivery;
  /// The order.
  order_id order;
  /// Its owner.
  participant_id owner;
  /// The open quantity that was cancelled.
  energy cancelled;
  /// 1 when the order expired at settlement, 0 when its owner cancelled it.
  std::uint16_t expired = 0;
  /// Member-wise equality.
  friend bool operator==(const curve_cancel_record&, const curve_cancel_record&) = default;
};

/// One participant's deviation between contracted and metered energy, settled with the grid
/// (paper 002: the grid enterprise provides or buys the difference at the catalogue price).
/// Energy is net consumption (bought - sold; negative: net supply). `amount` > 0: the participant
/// paid the grid; < 0: the grid paid the participant.
struct deviation_line {
  /// The delivery period.
  trading_period delivery;
  /// The participant.
  participant_id participant;
  /// Net energy the participant's trades contracted (bought - sold).
  energy contracted;
  /// Net energy its meter read over delivery.
  energy metered;
  /// metered - contracted.
  energy deviation;
  /// What the participant paid the grid for the deviation (negative: received).
  money amount;
  /// Member-wise equality.
  friend bool operator==(const deviation_line&, const deviation_line&) = default;
};

/// curve_order_record: delivery, the order (own envelope), time (u64 s).
EVMARKET_FIELD_RECORD(curve_order_record, &curve_order_record::delivery, &curve_order_record::order,
                      &curve_order_record::at);
/// curve_trade_record: number, delivery, venue, time, the trade (own envelope), spot prices.
EVMARKET_FIELD_RECORD(curve_trade_record, &curve_trade_record::number, &curve_trade_record::delivery,
                      &curve_trade_record::venue, &curve_trade_record::at, &curve_trade_record::deal,
                      &curve_trade_record::spot_before, &curve_trade_record::spot_after);
/// curve_cancel_record: delivery, order, owner, cancelled (Wh), expired flag.
EVMARKET_FIELD_RECORD(curve_cancel_record, &curve_cancel_record::delivery, &curve_cancel_record::order,
                      &curve_cancel_record::owner, &curve_cancel_record::cancelled, &curve_cancel_record::expired);
/// deviation_line: delivery, participant, contracted, metered, deviation (Wh), amount (micro-Token).
EVMARKET_FIELD_RECORD(deviation_line, &deviation_line::delivery, &deviation_line::participant,
                      &deviation_line::contracted, &deviation_line::metered, &deviation_line::deviation,
                      &deviation_line::amount);

EVMARKET_END_NAMESPACE
