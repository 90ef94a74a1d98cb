#pragma once
/// @file
/// What session C (paper 000's continuous market with P2P fallback, market/continuous_market.hpp)
/// shows its participants and writes to its ledger sink: the P2P quotes and broadcast, the period
/// report, and the records of every state change with their canonical encodings (type tags
/// 0x052x). A period's block holds, in call order:
///   window_order... period_trade... voided_trade... (the continuous window),
///   level_assignment... (the P2P ranking), quote_adjustment... voided_trade... confirmed_trade...
///   (the P2P rounds), fee_charge... (fee settlement), reputation_update... (after the period).

#include <evmarket/auction/order.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/trade.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/ledger/encoding.hpp>
#include <evmarket/market/records.hpp>
#include <evmarket/market/session_records.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

namespace record_tags {
///@{
/// The type tag of session C's record of that name.
inline constexpr std::uint16_t window_order = 0x0520;
inline constexpr std::uint16_t voided_trade = 0x0521;
inline constexpr std::uint16_t level_assignment = 0x0522;
inline constexpr std::uint16_t quote_adjustment = 0x0523;
inline constexpr std::uint16_t fee_charge = 0x0524;
inline constexpr std::uint16_t reputation_update = 0x0525;
///@}
}  // namespace record_tags

/// What is left of one order when the continuous window closes: it quotes in the P2P phase.
struct p2p_quote {
  /// The window order it continues (its id stays the quote's id).
  order_id id;
  /// The node that quotes.
  participant_id node;
  /// Bid (buy) or offer (sell).
  side quote_side = side::buy;
  /// The price it asks or bids (micro-Token/kWh).
  price limit;
  /// The energy still open in the P2P phase.
  energy open;
  /// When it was quoted (a session-wide sequence; an adjustment quotes anew): ties go to the earlier.
  std::uint64_t time = 0;
  /// Member-wise equality.
  friend bool operator==(const p2p_quote&, const p2p_quote&) = default;
};

/// A node's new terms in a quotation round (paper 000: "adjust the quotation or transaction volume").
struct quote_terms {
  /// The new price.
  price limit;
  /// The new volume (positive, at most what the quote has open).
  energy volume;
};

/// One node in the P2P ranking: its reputation, its level (0 = the most reputable) and the levels
/// of the sellers it may buy from (its matchable range).
struct ranked_node {
  /// The node.
  participant_id node;
  /// Its reputation when the window closed.
  double reputation = 0.0;
  /// Its reputation level; 0 is the top.
  std::uint32_t level = 0;
  /// The levels its matchable range holds, ascending.
  std::vector<std::uint32_t> range;
};

/// What the platform broadcasts when the P2P phase opens (paper 000 section B): the nodes by
/// reputation, descending, with their levels and ranges, and the open quotes sorted as they are
/// matched: bids high to low, offers low to high, equal prices by time. Congestion fees are the
/// SecurityCheck's (continuous_market_session::congestion_fee).
struct p2p_broadcast {
  /// Every enrolled node, by reputation descending (ties by id).
  std::vector<ranked_node> ranking;
  /// Open bids, high to low.
  std::vector<p2p_quote> bids;
  /// Open offers, low to high.
  std::vector<p2p_quote> offers;
};

/// The figures of one period (the report): volume traded in the continuous window and in
/// the P2P phase, trades the security check voided in each, and the congestion fees collected.
struct continuous_period_report {
  /// The delivery period.
  trading_period delivery;
  ///@{
  /// Energy traded (and trades made) in the continuous window.
  energy window_volume;
  std::uint64_t window_trades = 0;
  ///@}
  ///@{
  /// Energy traded (and trades confirmed) in the P2P phase.
  energy p2p_volume;
  std::uint64_t p2p_trades = 0;
  ///@}
  ///@{
  /// Trades the security check voided in the window and in the P2P phase.
  std::uint64_t window_voided = 0;
  std::uint64_t p2p_voided = 0;
  ///@}
  /// P2P quotation rounds run.
  std::uint64_t rounds = 0;
  /// Congestion fees moved to the operator at fee settlement.
  money fees;
  /// Member-wise equality.
  friend bool operator==(const continuous_period_report&, const continuous_period_report&) = default;
};

/// A node's meter after delivery: how much of the energy it traded in the period it delivered on
/// (took, when it bought; left to others, when it sold). Paper 000's reputation input.
struct delivery_reading {
  /// The node.
  participant_id node;
  /// Energy it delivered on (not negative).
  energy delivered;
};

/// An order entered in the continuous window.
struct window_order {
  /// The delivery period.
  trading_period delivery;
  /// The order as the book received it.
  order_request order;
  /// Member-wise equality.
  friend bool operator==(const window_order&, const window_order&) = default;
};

/// A trade the security check voided: phase 0 = continuous window, 1 = P2P; the line named by the
/// check (security_verdict::no_line when none was named).
struct voided_trade {
  /// The delivery period.
  trading_period delivery;
  /// 0: the continuous window; 1: the P2P phase.
  std::uint16_t phase = 0;
  /// The trade the check refused.
  trade deal;
  /// The line the check named (security_verdict::no_line: none).
  std::uint64_t congested_line = 0;
  /// Member-wise equality.
  friend bool operator==(const voided_trade&, const voided_trade&) = default;
};

/// A node's place in the P2P ranking.
struct level_assignment {
  /// The delivery period.
  trading_period delivery;
  /// The node.
  participant_id node;
  /// Its reputation when the window closed.
  double reputation = 0.0;
  /// Its level; 0 is the top.
  std::uint64_t level = 0;
  /// Member-wise equality.
  friend bool operator==(const level_assignment&, const level_assignment&) = default;
};

/// A quote's new terms for the next round (a node's call or the Adjustment policy); volume zero:
/// the node left.
struct quote_adjustment {
  /// The delivery period.
  trading_period delivery;
  /// The quote (its window order's id).
  order_id quote;
  /// The round it was adjusted before.
  std::uint64_t round = 0;
  /// The new price.
  price limit;
  /// The new volume; zero: the node left.
  energy volume;
  /// Member-wise equality.
  friend bool operator==(const quote_adjustment&, const quote_adjustment&) = default;
};

/// Congestion fees a node paid the operator at fee settlement.
struct fee_charge {
  /// The delivery period.
  trading_period delivery;
  /// The node that paid.
  participant_id payer;
  /// What it paid (micro-Token).
  money fee;
  /// Member-wise equality.
  friend bool operator==(const fee_charge&, const fee_charge&) = default;
};

/// A node's reputation before and after the period, from what it traded and delivered.
struct reputation_update {
  /// The delivery period.
  trading_period delivery;
  /// The node.
  participant_id node;
  /// Energy it traded in the period.
  energy contracted;
  /// Energy it delivered on.
  energy delivered;
  /// Reputation before the update.
  double before = 0.0;
  /// Reputation after it.
  double after = 0.0;
  /// Member-wise equality.
  friend bool operator==(const reputation_update&, const reputation_update&) = default;
};

EVMARKET_FIELD_RECORD(window_order, &window_order::delivery, &window_order::order);
EVMARKET_FIELD_RECORD(voided_trade, &voided_trade::delivery, &voided_trade::phase, &voided_trade::deal,
                      &voided_trade::congested_line);
EVMARKET_FIELD_RECORD(level_assignment, &level_assignment::delivery, &level_assignment::node,
                      &level_assignment::reputation, &level_assignment::level);
EVMARKET_FIELD_RECORD(quote_adjustment, &quote_adjustment::delivery, &quote_adjustment::quote, &quote_adjustment::round,
                      &quote_adjustment::limit, &quote_adjustment::volume);
EVMARKET_FIELD_RECORD(fee_charge, &fee_charge::delivery, &fee_charge::payer, &fee_charge::fee);
EVMARKET_FIELD_RECORD(reputation_update, &reputation_update::delivery, &reputation_update::node,
                      &reputation_update::contracted, &reputation_update::delivered, &reputation_update::before,
                      &reputation_update::after);

EVMARKET_END_NAMESPACE
