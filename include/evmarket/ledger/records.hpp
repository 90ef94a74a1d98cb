#pragma once
/// @file
/// Canonical encodings of the auction and credit records (orders, call-auction orders,
/// participants' clearing positions, reservations and charging records), so each can be put on
/// a ledger. The core records (station_request, allocation, trade) live in encoding.hpp.

#include <evmarket/auction/call_auction.hpp>
#include <evmarket/auction/order.hpp>
#include <evmarket/credit/creditworthiness.hpp>
#include <evmarket/ledger/encoding.hpp>

#include <cstdint>
#include <string_view>

EVMARKET_BEGIN_NAMESPACE

namespace record_tags {
inline constexpr std::uint16_t order_request = 0x0202;
inline constexpr std::uint16_t call_order = 0x0203;
inline constexpr std::uint16_t participant_position = 0x0301;
inline constexpr std::uint16_t reservation = 0x0401;
inline constexpr std::uint16_t charging_record = 0x0402;
inline constexpr std::uint16_t settled_reservation = 0x0403;
}  // namespace record_tags

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
template <>
struct record_traits<call_order> : detail::record_fields<call_order, &call_order::id, &call_order::participant,
                                                         &call_order::quantity, &call_order::limit> {
  static constexpr std::uint16_t tag = record_tags::call_order;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "call_order";
};

/// participant_position (a clearing's outcome for one participant): participant (u64), bought,
/// sold (i64 Wh), net payment (i64 micro-Token).
template <>
struct record_traits<participant_position>
    : detail::record_fields<participant_position, &participant_position::participant, &participant_position::bought,
                            &participant_position::sold, &participant_position::net_payment> {
  static constexpr std::uint16_t tag = record_tags::participant_position;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "participant_position";
};

/// reservation: user, station (u64), period (i64 day, i32 slot), amount (i64 Wh).
template <>
struct record_traits<reservation> : detail::record_fields<reservation, &reservation::user, &reservation::station,
                                                          &reservation::period, &reservation::amount> {
  static constexpr std::uint16_t tag = record_tags::reservation;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "reservation";
};

/// charging_record: user, station (u64), period (i64 day, i32 slot), delivered (i64 Wh).
template <>
struct record_traits<charging_record>
    : detail::record_fields<charging_record, &charging_record::user, &charging_record::station,
                            &charging_record::period, &charging_record::delivered> {
  static constexpr std::uint16_t tag = record_tags::charging_record;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "charging_record";
};

/// settled_reservation (the input of a credit update): the reservation and the charging record,
/// each in its own envelope.
template <>
struct record_traits<settled_reservation>
    : detail::record_fields<settled_reservation, &settled_reservation::booked, &settled_reservation::actual> {
  static constexpr std::uint16_t tag = record_tags::settled_reservation;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "settled_reservation";
};

EVMARKET_END_NAMESPACE
