#pragma once
/// @file
/// The records a market session writes to its ledger sink, one per accepted state change, and
/// their canonical encodings (type tags 0x05xx). A period's block holds, in call order:
///   margin_broadcast, demand_submission..., period_allocation, order_submission...,
///   period_trade... (each with the exact amounts paid), meter_reading..., settlement_line...
/// and for the reservation market reservation_record..., station_report..., period_allocation,
/// confirmed_trade... (the two-party signed charges), credit_update...

#include <evmarket/auction/call_auction.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/trade.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/credit/creditworthiness.hpp>
#include <evmarket/ledger/encoding.hpp>
#include <evmarket/market/records.hpp>

#include <cstdint>
#include <string_view>

EVMARKET_BEGIN_NAMESPACE

namespace record_tags {
inline constexpr std::uint16_t margin_broadcast = 0x0501;
inline constexpr std::uint16_t demand_submission = 0x0502;
inline constexpr std::uint16_t period_allocation = 0x0503;
inline constexpr std::uint16_t order_submission = 0x0504;
inline constexpr std::uint16_t period_trade = 0x0505;
inline constexpr std::uint16_t meter_reading = 0x0506;
inline constexpr std::uint16_t settlement_line = 0x0507;
inline constexpr std::uint16_t reservation_record = 0x0510;
inline constexpr std::uint16_t station_report = 0x0511;
inline constexpr std::uint16_t credit_update = 0x0512;
}  // namespace record_tags

/// The operator's capacity margin for a delivery period (paper 003 Step 1).
struct margin_broadcast {
  trading_period delivery;
  power margin;
  friend bool operator==(const margin_broadcast&, const margin_broadcast&) = default;
};

/// A station's demand and the deposit it paid into escrow (paper 003 Step 2).
struct demand_submission {
  trading_period delivery;
  station_id station;
  power demand;
  money deposit;
  /// The station's total creditworthiness as submitted (1 when the market does not rate credit).
  double credit = 1.0;
  friend bool operator==(const demand_submission&, const demand_submission&) = default;
};

/// The pre-allocation of a period (paper 003 Step 3, paper 001 Step 4); quotas in request order.
struct period_allocation {
  trading_period delivery;
  allocation result;
  friend bool operator==(const period_allocation& a, const period_allocation& b) {
    return a.delivery == b.delivery && a.result.quotas == b.result.quotas && a.result.capacity == b.result.capacity &&
           a.result.allocated == b.result.allocated;
  }
};

/// A bid (side 0) or offer (side 1) for quota (paper 003 Step 4).
struct order_submission {
  trading_period delivery;
  std::uint16_t order_side = 0;
  call_order order;
  friend bool operator==(const order_submission&, const order_submission&) = default;
};

/// A trade cleared for a period, with the exact amounts that changed hands.
struct period_trade {
  trading_period delivery;
  trade deal;
  friend bool operator==(const period_trade&, const period_trade&) = default;
};

/// A station's metered energy over the delivery period (paper 003 Step 6).
struct meter_reading {
  trading_period delivery;
  station_id station;
  energy metered;
  friend bool operator==(const meter_reading&, const meter_reading&) = default;
};

/// One station's settlement (paper 003 Step 6 and withdrawal). Identity, exact to the
/// micro-Token: deposit + unpaid == fee + penalty + auction_payment + withdrawn.
struct settlement_line {
  trading_period delivery;
  station_id station;
  money deposit;
  /// The tariff's fee, the over-consumption penalty, and the auction's net payment (positive
  /// pays, negative receives: paper 003 Table IV's sign).
  money fee;
  money penalty;
  money auction_payment;
  /// What the deposit could not cover (owed to the operator), and what the station withdrew.
  money unpaid;
  money withdrawn;
  energy initial_quota;
  energy final_quota;
  energy metered;
  energy over_consumption;
  friend bool operator==(const settlement_line&, const settlement_line&) = default;
};

/// A user's reservation as the session numbered it.
struct reservation_record {
  std::uint64_t number = 0;
  reservation booked;
  friend bool operator==(const reservation_record& a, const reservation_record& b) {
    return a.number == b.number && a.booked.user == b.booked.user && a.booked.station == b.booked.station &&
           a.booked.period == b.booked.period && a.booked.amount == b.booked.amount;
  }
};

/// A station's report to the operator (paper 001 Step 3): forecast demand and total credit.
struct station_report {
  trading_period delivery;
  station_request request;
  friend bool operator==(const station_report& a, const station_report& b) {
    return a.delivery == b.delivery && a.request.station == b.request.station && a.request.demand == b.request.demand &&
           a.request.credit == b.request.credit;
  }
};

/// A user's credit before and after a settled reservation (paper 001 eq. 1-2).
struct credit_update {
  trading_period delivery;
  user_id user;
  std::uint64_t reservation_number = 0;
  double before = 0.0;
  double after = 0.0;
  friend bool operator==(const credit_update&, const credit_update&) = default;
};

EVMARKET_FIELD_RECORD(margin_broadcast, &margin_broadcast::delivery, &margin_broadcast::margin);
EVMARKET_FIELD_RECORD(demand_submission, &demand_submission::delivery, &demand_submission::station,
                      &demand_submission::demand, &demand_submission::deposit, &demand_submission::credit);
EVMARKET_FIELD_RECORD(period_allocation, &period_allocation::delivery, &period_allocation::result);
EVMARKET_FIELD_RECORD(order_submission, &order_submission::delivery, &order_submission::order_side,
                      &order_submission::order);
EVMARKET_FIELD_RECORD(period_trade, &period_trade::delivery, &period_trade::deal);
EVMARKET_FIELD_RECORD(meter_reading, &meter_reading::delivery, &meter_reading::station, &meter_reading::metered);
EVMARKET_FIELD_RECORD(settlement_line, &settlement_line::delivery, &settlement_line::station, &settlement_line::deposit,
                      &settlement_line::fee, &settlement_line::penalty, &settlement_line::auction_payment,
                      &settlement_line::unpaid, &settlement_line::withdrawn, &settlement_line::initial_quota,
                      &settlement_line::final_quota, &settlement_line::metered, &settlement_line::over_consumption);
EVMARKET_FIELD_RECORD(reservation_record, &reservation_record::number, &reservation_record::booked);
EVMARKET_FIELD_RECORD(station_report, &station_report::delivery, &station_report::request);
EVMARKET_FIELD_RECORD(credit_update, &credit_update::delivery, &credit_update::user, &credit_update::reservation_number,
                      &credit_update::before, &credit_update::after);

EVMARKET_END_NAMESPACE
