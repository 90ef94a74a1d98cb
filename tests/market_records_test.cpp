// Canonical encodings of the auction and credit records: round trips, layout, hostile bytes.
#include <evmarket/market/records.hpp>

#include <doctest/doctest.h>

#include <random>
#include <vector>

using namespace evmarket;

namespace {

template <Record T>
void check_hostile(const T& sample) {
  const bytes encoded = encode_record(sample);
  for (std::size_t cut = 0; cut < encoded.size(); ++cut)
    CHECK_THROWS_AS(decode_record<T>(byte_view(encoded).first(cut)), decode_error);
  std::mt19937_64 rng(record_traits<T>::tag);
  for (int round = 0; round < 2'000; ++round) {
    bytes mutated = encoded;
    mutated[rng() % mutated.size()] ^= static_cast<std::uint8_t>(1U << (rng() % 8));
    try {
      const T back = decode_record<T>(mutated);
      CHECK(encode_record(back) == mutated);  // whatever decodes is canonical
    } catch (const decode_error&) {
    }
  }
}

}  // namespace

TEST_CASE("order requests round-trip; out-of-range enumerations are refused") {
  const order_request orders[] = {
      limit_order(order_id{1}, participant_id{2}, side::sell, tokens_per_kwh(1.2), kilowatt_hours(3)),
      market_order(order_id{3}, participant_id{4}, side::buy, kilowatt_hours(1.5)),
      {order_id{5}, participant_id{6}, side::buy, order_type::limit, time_in_force::fill_or_kill, tokens_per_kwh(0.9),
       watt_hours(700), true},
  };
  for (const order_request& o : orders) CHECK(decode_record<order_request>(encode_record(o)) == o);
  bytes encoded = encode_record(orders[2]);
  // body: id 8, owner 8, then side, type, time in force, ... all-or-none last.
  const std::size_t side_at = record_envelope_size + 16;
  CHECK(encoded[side_at] == 0);
  CHECK(encoded[side_at + 2] == 2);
  CHECK(encoded.back() == 1);
  for (std::size_t field = 0; field < 3; ++field) {
    bytes bad = encoded;
    bad[side_at + field] = 3;
    CHECK_THROWS_AS(decode_record<order_request>(bad), decode_error);
  }
  bytes bad_flag = encoded;
  bad_flag.back() = 2;
  CHECK_THROWS_AS(decode_record<order_request>(bad_flag), decode_error);
  check_hostile(orders[2]);
}

TEST_CASE("call orders and clearing positions round-trip") {
  const call_order bid{order_id{9}, participant_id{1}, kilowatt_hours(30), tokens_per_kwh(1.1)};
  CHECK(decode_record<call_order>(encode_record(bid)) == bid);
  const participant_position position{participant_id{4}, kilowatt_hours(12), kilowatt_hours(2), tokens(-3.5)};
  CHECK(decode_record<participant_position>(encode_record(position)) == position);
  check_hostile(bid);
  check_hostile(position);
}

TEST_CASE("reservations, charging records and settled reservations round-trip") {
  const reservation booked{user_id{7}, station_id{3}, {2, 36}, kilowatt_hours(20)};
  const charging_record actual{user_id{7}, station_id{3}, {2, 37}, kilowatt_hours(18.5)};
  const settled_reservation settled{booked, actual};
  const settled_reservation back = decode_record<settled_reservation>(encode_record(settled));
  CHECK(back.booked.user == booked.user);
  CHECK(back.booked.station == booked.station);
  CHECK(back.booked.period == booked.period);
  CHECK(back.booked.amount == booked.amount);
  CHECK(back.actual.period == actual.period);
  CHECK(back.actual.delivered == actual.delivered);
  CHECK(encode_record(back) == encode_record(settled));
  // A settled reservation holding a charging record where the reservation belongs is refused.
  encoder swapped;
  swapped.u16(record_tags::settled_reservation);
  swapped.u16(1);
  encoder body;
  encode_into(body, actual);
  encode_into(body, actual);
  swapped.blob(body.buffer());
  CHECK_THROWS_AS(decode_record<settled_reservation>(swapped.buffer()), decode_error);
  check_hostile(booked);
  check_hostile(settled);
}
