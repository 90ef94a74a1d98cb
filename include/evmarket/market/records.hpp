#pragma once
/// @file
/// Canonical encodings of the mechanisms' records (requests and allocations, orders, call-auction
/// orders, clearing positions, reservations and charging records), so each can be put on a ledger.
/// They live here, in the layer that composes mechanisms and ledger, because the ledger knows no
/// mechanism: it encodes only the core vocabulary (ids, quantities, periods, trades). Session
/// records (market/session_records.hpp) follow the same pattern.

#include <evmarket/allocation/allocation.hpp>
#include <evmarket/auction/call_auction.hpp>
#include <evmarket/auction/order.hpp>
#include <evmarket/credit/creditworthiness.hpp>
#include <evmarket/ledger/encoding.hpp>

#include <cstdint>
#include <string_view>

EVMARKET_BEGIN_NAMESPACE

namespace record_tags {
inline constexpr std::uint16_t station_request = 0x0101;
inline constexpr std::uint16_t allocation = 0x0102;
inline constexpr std::uint16_t order_request = 0x0202;
inline constexpr std::uint16_t call_order = 0x0203;
inline constexpr std::uint16_t participant_position = 0x0301;
inline constexpr std::uint16_t reservation = 0x0401;
inline constexpr std::uint16_t charging_record = 0x0402;
inline constexpr std::uint16_t settled_reservation = 0x0403;
}  // namespace record_tags

/// Declares `record_traits<type>` for a record that is nothing but its fields, written in the
/// order listed (detail::record_fields), with tag `record_tags::type`, format 1 and name "type".
#define EVMARKET_FIELD_RECORD(type, ...)                                  \
  template <>                                                             \
  struct record_traits<type> : detail::record_fields<type, __VA_ARGS__> { \
    static constexpr std::uint16_t tag = record_tags::type;               \
    static constexpr std::uint16_t version = 1;                           \
    static constexpr std::string_view name = #type;                       \
  }

namespace detail {
/// An enumeration as one byte, refusing values beyond its last enumerator on decode.
template <class Enum>
void encode_enum(encoder& out, Enum value) {
  out.u8(static_cast<std::uint8_t>(value));
}
template <class Enum>
Enum decode_enum(decoder& in, Enum last, std::string_view what) {
  const std::uint8_t value = in.u8();
  if (value > static_cast<std::uint8_t>(last)) in.fail(std::string(what) + " out of range");
  return static_cast<Enum>(value);
}
}  // namespace detail

/// station_request: station u64, demand i64 W, credit f64.
EVMARKET_FIELD_RECORD(station_request, &station_request::station, &station_request::demand, &station_request::credit);

/// allocation: quotas (u32 count, i64 W each), capacity, total demand, allocated (i64 W), and
/// the satisfaction rate's numerator and denominator (i64).
template <>
struct record_traits<allocation> {
  static constexpr std::uint16_t tag = record_tags::allocation;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "allocation";
  static void encode(encoder& out, const allocation& a) {
    out.length(a.quotas.size(), "allocation.quotas");
    for (power quota : a.quotas) out.amount(quota);
    out.amount(a.capacity);
    out.amount(a.total_demand);
    out.amount(a.allocated);
    out.i64(a.satisfaction.numerator);
    out.i64(a.satisfaction.denominator);
  }
  static allocation decode(decoder& in, std::uint16_t) {
    allocation a;
    a.quotas.resize(in.length(8));
    for (power& quota : a.quotas) quota = in.amount<power>();
    a.capacity = in.amount<power>();
    a.total_demand = in.amount<power>();
    a.allocated = in.amount<power>();
    a.satisfaction.numerator = in.i64();
    a.satisfaction.denominator = in.i64();
    if (a.satisfaction.denominator <= 0) in.fail("satisfaction denominator must be positive");
    return a;
  }
};

/// order_request: id, owner (u64), side, type, time in force (u8), limit price (i64
/// micro-Token/kWh), quantity (i64 Wh), all-or-none (u8 0/1).
template <>
struct record_traits<order_request> {
  static constexpr std::uint16_t tag = record_tags::order_request;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "order_request";
  static void encode(encoder& out, const order_request& o) {
    out.id(o.id);
    out.id(o.owner);
    detail::encode_side(out, o.order_side);
    detail::encode_enum(out, o.type);
    detail::encode_enum(out, o.duration);
    out.amount(o.limit_price);
    out.amount(o.quantity);
    out.u8(o.all_or_none ? 1 : 0);
  }
  static order_request decode(decoder& in, std::uint16_t) {
    order_request o;
    o.id = in.id<order_id>();
    o.owner = in.id<participant_id>();
    o.order_side = detail::decode_side(in);
    o.type = detail::decode_enum(in, order_type::market, "order_type");
    o.duration = detail::decode_enum(in, time_in_force::fill_or_kill, "time_in_force");
    o.limit_price = in.amount<price>();
    o.quantity = in.amount<energy>();
    const std::uint8_t flag = in.u8();
    if (flag > 1) in.fail("all_or_none must be 0 or 1");
    o.all_or_none = flag == 1;
    return o;
  }
};

/// call_order: id, participant (u64), quantity (i64 Wh), limit (i64 micro-Token/kWh).
EVMARKET_FIELD_RECORD(call_order, &call_order::id, &call_order::participant, &call_order::quantity, &call_order::limit);

/// participant_position (a clearing's outcome for one participant): participant (u64), bought,
/// sold (i64 Wh), net payment (i64 micro-Token).
EVMARKET_FIELD_RECORD(participant_position, &participant_position::participant, &participant_position::bought,
                      &participant_position::sold, &participant_position::net_payment);

/// reservation: user, station (u64), period (i64 day, i32 slot), amount (i64 Wh).
EVMARKET_FIELD_RECORD(reservation, &reservation::user, &reservation::station, &reservation::period,
                      &reservation::amount);

/// charging_record: user, station (u64), period (i64 day, i32 slot), delivered (i64 Wh).
EVMARKET_FIELD_RECORD(charging_record, &charging_record::user, &charging_record::station, &charging_record::period,
                      &charging_record::delivered);

/// settled_reservation (the input of a credit update): the reservation and the charging record,
/// each in its own envelope.
EVMARKET_FIELD_RECORD(settled_reservation, &settled_reservation::booked, &settled_reservation::actual);

EVMARKET_END_NAMESPACE
