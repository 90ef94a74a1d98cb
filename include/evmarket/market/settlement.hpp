#pragma once
/// @file
/// Settlement of a period: each station's line (fee, penalty, auction payment, withdrawal) and the
/// money transfers between the stations, the operator and the escrow that holds the deposits.
/// Every amount is computed once and carried: the auction payment is the sum of the amounts the
/// clearing's trades carry, never recomputed.

#include <evmarket/core/ids.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/market/session_records.hpp>

#include <cstdint>
#include <limits>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// The account that holds the stations' deposits during a period (the paper's smart contract).
inline constexpr participant_id escrow_account{std::numeric_limits<std::uint64_t>::max()};

/// One movement of money between two accounts.
struct money_transfer {
  participant_id from;
  participant_id to;
  money amount;
  friend bool operator==(const money_transfer&, const money_transfer&) = default;
};

/// The outcome of settling a period.
struct period_settlement {
  trading_period delivery;
  /// One line per station that submitted demand, in submission order.
  std::vector<settlement_line> lines;
  /// The auction's surplus (buyers paid - sellers received), which goes to the operator.
  money auction_surplus;
  /// What the operator received in all: fees + penalties - unpaid + auction surplus.
  money operator_income;
  /// Every movement of money of the period, deposits included; they net to zero on the escrow.
  std::vector<money_transfer> transfers;

  /// The escrow's balance after every transfer (zero when the books balance, which they must).
  [[nodiscard]] money escrow_balance() const {
    money balance = money::zero();
    for (const money_transfer& t : transfers) {
      if (t.to == escrow_account) balance += t.amount;
      if (t.from == escrow_account) balance -= t.amount;
    }
    return balance;
  }
};

namespace detail {
/// Fills a line's withdrawal and unpaid amount from its deposit and what it owes: the deposit
/// pays the auction first (other stations are owed it), then the fee and the penalty; what it
/// cannot cover is unpaid. Never leaves a deposit negative.
inline void close_settlement_line(settlement_line& line) {
  const money owed = line.fee + line.penalty + line.auction_payment;
  if (owed <= line.deposit) {
    line.withdrawn = line.deposit - owed;
    line.unpaid = money::zero();
  } else {
    line.withdrawn = money::zero();
    line.unpaid = owed - line.deposit;
  }
}

/// The transfers of a settled period: deposits into escrow, fees and penalties (less what went
/// unpaid) and the auction surplus to the operator, withdrawals back to the stations.
inline void record_transfers(period_settlement& s, participant_id operator_account) {
  money to_operator = s.auction_surplus;
  for (const settlement_line& line : s.lines) {
    s.transfers.push_back({line.station, escrow_account, line.deposit});
    to_operator += line.fee + line.penalty - line.unpaid;
  }
  if (!to_operator.is_negative())
    s.transfers.push_back({escrow_account, operator_account, to_operator});
  else
    s.transfers.push_back({operator_account, escrow_account, -to_operator});
  for (const settlement_line& line : s.lines)
    if (line.withdrawn.is_positive()) s.transfers.push_back({escrow_account, line.station, line.withdrawn});
  s.operator_income = to_operator;
}
}  // namespace detail

EVMARKET_END_NAMESPACE
