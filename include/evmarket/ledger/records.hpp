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
struct record_traits<call_order> {
  static constexpr std::uint16_t tag = record_tags::call_order;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "call_order";
  static void encode(encoder& out, const call_order& o) {
    out.id(o.id);
    out.id(o.participant);
    out.amount(o.quantity);
    out.amount(o.limit);
  }
  static call_order decode(decoder& in, std::uint16_t) {
    call_order o;
    o.id = in.id<order_id>();
    o.participant = in.id<participant_id>();
    o.quantity = in.amount<energy>();
    o.limit = in.amount<price>();
    return o;
  }
};

/// participant_position (a clearing's outcome for one participant): participant (u64), bought,
/// sold (i64 Wh), net payment (i64 micro-Token).
template <>
struct record_traits<participant_position> {
  static constexpr std::uint16_t tag = record_tags::participant_position;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "participant_position";
  static void encode(encoder& out, const participant_position& p) {
    out.id(p.participant);
    out.amount(p.bought);
    out.amount(p.sold);
    out.amount(p.net_payment);
  }
  static participant_position decode(decoder& in, std::uint16_t) {
    participant_position p;
    p.participant = in.id<participant_id>();
    p.bought = in.amount<energy>();
    p.sold = in.amount<energy>();
    p.net_payment = in.amount<money>();
    return p;
  }
};

/// reservation: user, station (u64), period (i64 day, i32 slot), amount (i64 Wh).
template <>
struct record_traits<reservation> {
  static constexpr std::uint16_t tag = record_tags::reservation;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "reservation";
  static void encode(encoder& out, const reservation& r) {
    out.id(r.user);
    out.id(r.station);
    out.period(r.period);
    out.amount(r.amount);
  }
  static reservation decode(decoder& in, std::uint16_t) {
    reservation r;
    r.user = in.id<user_id>();
    r.station = in.id<station_id>();
    r.period = in.period();
    r.amount = in.amount<energy>();
    return r;
  }
};

/// charging_record: user, station (u64), period (i64 day, i32 slot), delivered (i64 Wh).
template <>
struct record_traits<charging_record> {
  static constexpr std::uint16_t tag = record_tags::charging_record;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "charging_record";
  static void encode(encoder& out, const charging_record& r) {
    out.id(r.user);
    out.id(r.station);
    out.period(r.period);
    out.amount(r.delivered);
  }
  static charging_record decode(decoder& in, std::uint16_t) {
    charging_record r;
    r.user = in.id<user_id>();
    r.station = in.id<station_id>();
    r.period = in.period();
    r.delivered = in.amount<energy>();
    return r;
  }
};

/// settled_reservation (the input of a credit update): the reservation and the charging record,
/// each in its own envelope.
template <>
struct record_traits<settled_reservation> {
  static constexpr std::uint16_t tag = record_tags::settled_reservation;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "settled_reservation";
  static void encode(encoder& out, const settled_reservation& s) {
    encode_into(out, s.booked);
    encode_into(out, s.actual);
  }
  static settled_reservation decode(decoder& in, std::uint16_t) {
    settled_reservation s;
    s.booked = decode_from<reservation>(in);
    s.actual = decode_from<charging_record>(in);
    return s;
  }
};

EVMARKET_END_NAMESPACE
