#pragma once
/// @file
/// The records the coalition market session (market/coalition_market.hpp) writes to its ledger
/// sink, type tags 0x054x. One round's block holds, in call order:
///   coalition_quote..., coalition_refusal... (pairs the security check refused),
///   coalition_trade... (peer-to-peer and SMES trades with the exact amounts paid),
///   storage_state (the SMES unit after the round), coalition_balance... (each account's net).

#include <evmarket/core/ids.hpp>
#include <evmarket/core/trade.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/ledger/encoding.hpp>
#include <evmarket/market/records.hpp>

#include <cstdint>

EVMARKET_BEGIN_NAMESPACE

namespace record_tags {
/// Tag of coalition_quote.
inline constexpr std::uint16_t coalition_quote = 0x0541;
/// Tag of coalition_refusal.
inline constexpr std::uint16_t coalition_refusal = 0x0542;
/// Tag of coalition_trade.
inline constexpr std::uint16_t coalition_trade = 0x0543;
/// Tag of storage_state.
inline constexpr std::uint16_t storage_state = 0x0544;
/// Tag of coalition_balance.
inline constexpr std::uint16_t coalition_balance = 0x0545;
}  // namespace record_tags

/// A prosumer's quote for a round: side 0 buys (a charging EV), side 1 sells (an EV or PV).
struct coalition_quote {
  /// The round (interval index).
  std::uint64_t round = 0;
  /// Who quoted.
  participant_id prosumer;
  /// 0 buys, 1 sells.
  std::uint16_t quote_side = 0;
  /// Energy wanted or offered.
  energy amount;
  /// The buyer's limit or the seller's reserve price per kWh.
  price limit;
  /// L^a (buyer) or L (seller) of eq. (7)-(8).
  std::uint16_t pairs = 1;
  /// 1 when the seller's energy is renewable (rooftop PV).
  std::uint16_t renewable = 0;
  /// Member-wise equality.
  friend bool operator==(const coalition_quote&, const coalition_quote&) = default;
};

/// A matched pair the security check refused, with the line it would have overloaded.
struct coalition_refusal {
  /// The round (interval index).
  std::uint64_t round = 0;
  /// The pair's seller.
  participant_id seller;
  /// The pair's buyer.
  participant_id buyer;
  /// The energy the pair was to trade.
  energy amount;
  /// The line that refused it (security_verdict::no_line when none is named).
  std::uint64_t line = 0;
  /// Member-wise equality.
  friend bool operator==(const coalition_refusal&, const coalition_refusal&) = default;
};

/// A trade of the round: route 0 peer to peer (nucleolus price), 1 the SMES sells, 2 it buys.
struct coalition_trade {
  /// The round (interval index).
  std::uint64_t round = 0;
  /// coalition_route: 0 peer, 1 storage sells, 2 storage buys.
  std::uint16_t route = 0;
  /// The trade with the exact amounts.
  trade deal;
  /// Member-wise equality.
  friend bool operator==(const coalition_trade&, const coalition_trade&) = default;
};

/// The storage unit after a round: energy taken in, stored, given out, and the state of charge.
struct storage_state {
  /// The round (interval index).
  std::uint64_t round = 0;
  /// Energy taken in.
  energy taken_in;
  /// Energy stored after the efficiency loss.
  energy stored;
  /// Energy given out.
  energy given_out;
  /// State of charge after the round.
  energy state_of_charge;
  /// Member-wise equality.
  friend bool operator==(const storage_state&, const storage_state&) = default;
};

/// An account's net money over a round (received - paid); the round's balances sum to zero.
struct coalition_balance {
  /// The round (interval index).
  std::uint64_t round = 0;
  /// The account.
  participant_id account;
  /// Received - paid.
  money net;
  /// Member-wise equality.
  friend bool operator==(const coalition_balance&, const coalition_balance&) = default;
};

EVMARKET_FIELD_RECORD(coalition_quote, &coalition_quote::round, &coalition_quote::prosumer,
                      &coalition_quote::quote_side, &coalition_quote::amount, &coalition_quote::limit,
                      &coalition_quote::pairs, &coalition_quote::renewable);
EVMARKET_FIELD_RECORD(coalition_refusal, &coalition_refusal::round, &coalition_refusal::seller,
                      &coalition_refusal::buyer, &coalition_refusal::amount, &coalition_refusal::line);
EVMARKET_FIELD_RECORD(coalition_trade, &coalition_trade::round, &coalition_trade::route, &coalition_trade::deal);
EVMARKET_FIELD_RECORD(storage_state, &storage_state::round, &storage_state::taken_in, &storage_state::stored,
                      &storage_state::given_out, &storage_state::state_of_charge);
EVMARKET_FIELD_RECORD(coalition_balance, &coalition_balance::round, &coalition_balance::account,
                      &coalition_balance::net);

EVMARKET_END_NAMESPACE
