// Canonical encoding of ledger records: layout, round trips, and hostile input.
#include <evmarket/allocation/proportional.hpp>
#include <evmarket/ledger/encoding.hpp>
#include <evmarket/market/records.hpp>
#include <evmarket/ledger/participants.hpp>
#include <evmarket/ledger/sealed.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace evmarket;

namespace {

// A user-defined record plugged in through the customization point.
struct meter_reading {
  participant_id meter;
  energy delivered;
  std::string note;
  friend bool operator==(const meter_reading&, const meter_reading&) = default;
};

}  // namespace

template <>
struct evmarket::record_traits<meter_reading> {
  static constexpr std::uint16_t tag = record_tags::user_defined + 7;
  static constexpr std::uint16_t version = 2;
  static constexpr std::string_view name = "meter_reading";
  static void encode(encoder& out, const meter_reading& r) {
    out.id(r.meter);
    out.amount(r.delivered);
    out.text(r.note);
  }
  static meter_reading decode(decoder& in, std::uint16_t format) {
    meter_reading r;
    r.meter = in.id<participant_id>();
    r.delivered = in.amount<energy>();
    if (format >= 2) r.note = in.text();  // format 1 had no note
    return r;
  }
};

namespace {

trade sample_trade() {
  return priced_trade(order_id{7}, order_id{9}, participant_id{1}, participant_id{2}, watt_hours(12'500),
                      micro_tokens_per_kwh(1'230'000), micro_tokens_per_kwh(1'200'000));
}

void append_le(bytes& out, std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

// Every record's bytes, each decoded with the decoder of its own tag (the fuzz target).
void decode_any(byte_view input) {
  const record_view view = peek_record(input);
  switch (view.tag) {
    case record_tags::station_request: static_cast<void>(decode_record<station_request>(input)); break;
    case record_tags::allocation: static_cast<void>(decode_record<allocation>(input)); break;
    case record_tags::trade: static_cast<void>(decode_record<trade>(input)); break;
    case record_tags::confirmed_trade: static_cast<void>(decode_record<confirmed_trade>(input)); break;
    case record_tags::sealed_record: static_cast<void>(decode_record<sealed_record>(input)); break;
    default: static_cast<void>(decode_record<meter_reading>(input)); break;
  }
}

std::vector<bytes> sample_records() {
  const std::vector<station_request> requests{{station_id{1}, kilowatts(36), 0.5},
                                              {station_id{2}, kilowatts(48), 1.25},
                                              {station_id{3}, kilowatts(42), 0.0}};
  const allocation shared = proportional_allocation{}.allocate(kilowatts(100), requests);
  confirmed_trade confirmed{sample_trade(), {3, 37}, 4, 5, bytes{1, 2, 3}, bytes{4, 5}};
  return {encode_record(requests[1]), encode_record(shared), encode_record(sample_trade()),
          encode_record(confirmed), encode_record(sealed_record{0x0301, 0x0201, bytes(24, 9), bytes(40, 3)}),
          encode_record(meter_reading{participant_id{4}, watt_hours(-3), "ok"})};
}

}  // namespace

TEST_CASE("a trade encodes to the documented little-endian layout") {
  // Built by hand from the format description, independently of the encoder: 1.23 Token/kWh x
  // 12.5 kWh = 15.375 Token paid, 1.2 x 12.5 = 15 Token received.
  bytes expected;
  append_le(expected, record_tags::trade, 2);
  append_le(expected, 2, 2);   // format version
  append_le(expected, 72, 4);  // body: 9 fields of 8 bytes
  for (std::uint64_t field : {7ULL, 9ULL, 1ULL, 2ULL, 12'500ULL, 1'230'000ULL, 1'200'000ULL, 15'375'000ULL,
                              15'000'000ULL})
    append_le(expected, field, 8);
  CHECK(encode_record(sample_trade()) == expected);
}

TEST_CASE("a format-1 trade (no amounts) reads with the amounts its mechanism paid") {
  // 0.1 wrote 7 fields; every 0.1 mechanism paid price x quantity to the nearest micro-Token,
  // halves to even: 1.000001 Token/kWh x 0.5 kWh = 0.5000005 -> 0.500000 Token.
  bytes old;
  append_le(old, record_tags::trade, 2);
  append_le(old, 1, 2);
  append_le(old, 56, 4);
  for (std::uint64_t field : {1ULL, 2ULL, 3ULL, 4ULL, 500ULL, 1'000'001ULL, 1'000'001ULL}) append_le(old, field, 8);
  const trade t = decode_record<trade>(old);
  CHECK(t.quantity == watt_hours(500));
  CHECK(t.buyer_paid == micro_tokens(500'000));
  CHECK(t.seller_received == micro_tokens(500'000));
}

TEST_CASE("negative amounts are two's complement and doubles canonical") {
  encoder out;
  out.i64(-2);
  out.real(-0.0);
  out.real(std::nan("1"));
  const bytes& b = out.buffer();
  REQUIRE(b.size() == 24);
  for (std::size_t i = 0; i < 8; ++i) CHECK(b[i] == (i == 0 ? 0xFE : 0xFF));
  for (std::size_t i = 8; i < 16; ++i) CHECK(b[i] == 0);  // -0 is written as +0
  decoder in(b);
  CHECK(in.i64() == -2);
  CHECK(in.real() == 0.0);
  CHECK(std::isnan(in.real()));
  // Encoding -0.0 and +0.0 credit gives one byte string: equal values hash equally.
  CHECK(encode_record(station_request{station_id{1}, watts(5), -0.0}) ==
        encode_record(station_request{station_id{1}, watts(5), 0.0}));
}

TEST_CASE("every record round-trips, and its bytes are canonical") {
  const std::vector<station_request> requests{{station_id{3}, kilowatts(36), 0.75}, {station_id{8}, watts(0), 2.0}};
  for (const station_request& r : requests) {
    const station_request back = decode_record<station_request>(encode_record(r));
    CHECK(back.station == r.station);
    CHECK(back.demand == r.demand);
    CHECK(back.credit == r.credit);
  }
  const allocation shared = proportional_allocation{}.allocate(kilowatts(50), requests);
  const allocation back = decode_record<allocation>(encode_record(shared));
  CHECK(back.quotas == shared.quotas);
  CHECK(back.capacity == shared.capacity);
  CHECK(back.total_demand == shared.total_demand);
  CHECK(back.allocated == shared.allocated);
  CHECK(back.satisfaction.numerator == shared.satisfaction.numerator);
  CHECK(back.satisfaction.denominator == shared.satisfaction.denominator);
  CHECK(decode_record<trade>(encode_record(sample_trade())) == sample_trade());
  const confirmed_trade confirmed{sample_trade(), {2, 47}, 11, 12, bytes(64, 0xAB), bytes(64, 0xCD)};
  CHECK(decode_record<confirmed_trade>(encode_record(confirmed)) == confirmed);
  const meter_reading reading{participant_id{5}, watt_hours(77), "m\0x"};
  CHECK(decode_record<meter_reading>(encode_record(reading)) == reading);
  // Every sample: decoding then re-encoding gives the same bytes.
  for (const bytes& encoded : sample_records()) {
    CAPTURE(peek_record(encoded).tag);
    const record_view view = peek_record(encoded);
    CHECK(view.body.size() + record_envelope_size == encoded.size());
  }
}

TEST_CASE("older format versions still decode; newer and unknown ones are refused") {
  encoder v1;
  v1.u16(record_traits<meter_reading>::tag);
  v1.u16(1);
  v1.u32(16);
  v1.u64(5);
  v1.i64(10);
  const meter_reading old = decode_record<meter_reading>(v1.buffer());
  CHECK(old.meter == participant_id{5});
  CHECK(old.delivered == watt_hours(10));
  CHECK(old.note.empty());

  bytes newer = encode_record(sample_trade());
  newer[2] = 3;  // version 3 of trade does not exist yet
  CHECK_THROWS_AS(decode_record<trade>(newer), decode_error);
  newer[2] = 0;
  CHECK_THROWS_AS(decode_record<trade>(newer), decode_error);
  bytes other = encode_record(sample_trade());
  CHECK_THROWS_AS(decode_record<station_request>(other), decode_error);  // wrong tag
  other.push_back(0);
  CHECK_THROWS_AS(decode_record<trade>(other), decode_error);  // trailing byte
  CHECK(holds_record<trade>(encode_record(sample_trade())));
  CHECK_FALSE(holds_record<allocation>(encode_record(sample_trade())));
}

TEST_CASE("invalid field values are refused") {
  confirmed_trade confirmed{sample_trade(), {2, 5}, 1, 1, {}, {}};
  bytes encoded = encode_record(confirmed);
  // The period's slot follows the nested trade (8 + 72 bytes) and the day (8 bytes).
  const std::size_t slot_at = record_envelope_size + record_envelope_size + 72 + 8;
  encoded[slot_at + 3] = 0x80;  // slot becomes negative
  CHECK_THROWS_AS(decode_record<confirmed_trade>(encoded), decode_error);

  encoder bad_real;
  bad_real.u64(0x8000000000000000ULL);  // -0.0 is never written
  decoder in(bad_real.buffer());
  CHECK_THROWS_AS(in.real(), decode_error);

  allocation zero_denominator{{watts(1)}, watts(1), watts(1), watts(1), {1, 1}};
  bytes a = encode_record(zero_denominator);
  for (std::size_t i = a.size() - 8; i < a.size(); ++i) a[i] = 0;
  CHECK_THROWS_AS(decode_record<allocation>(a), decode_error);
}

TEST_CASE("an oversized length is refused before anything is allocated") {
  encoder out;
  out.u16(record_tags::allocation);
  out.u16(1);
  out.u32(4 + 8 * 5 + 16);
  out.u32(0xFFFFFFFFU);  // four billion quotas claimed in a 60-byte body
  for (int i = 0; i < 7; ++i) out.u64(0);
  try {
    static_cast<void>(decode_record<allocation>(out.buffer()));
    FAIL("an oversized count was accepted");
  } catch (const decode_error& e) {
    CHECK(e.offset() == record_envelope_size);
  }
  bytes envelope = encode_record(sample_trade());
  envelope[4] = 0xFF;  // body length beyond the input
  CHECK_THROWS_AS(decode_record<trade>(envelope), decode_error);
}

TEST_CASE("every truncation of every record is a decode_error") {
  for (const bytes& encoded : sample_records()) {
    for (std::size_t cut = 0; cut < encoded.size(); ++cut) {
      CAPTURE(cut);
      CHECK_THROWS_AS(decode_any(byte_view(encoded).first(cut)), decode_error);
    }
    CHECK_NOTHROW(decode_any(encoded));
  }
}

TEST_CASE("random and mutated bytes never crash: decode_error, or a canonical record") {
  std::mt19937_64 rng(20261122);
  const std::vector<bytes> samples = sample_records();
  std::size_t decoded = 0;
  for (int round = 0; round < 20'000; ++round) {
    bytes input;
    if (round % 2 == 0) {
      input.resize(rng() % 96);
      for (auto& b : input) b = static_cast<std::uint8_t>(rng());
      if (input.size() >= 2 && round % 4 == 0) {  // aim at a real tag so bodies get exercised
        const bytes& sample = samples[rng() % samples.size()];
        input[0] = sample[0];
        input[1] = sample[1];
      }
    } else {
      input = samples[rng() % samples.size()];
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) input[rng() % input.size()] ^= static_cast<std::uint8_t>(1U << (rng() % 8));
    }
    try {
      decode_any(input);
      ++decoded;
    } catch (const decode_error&) {
    }
  }
  CHECK(decoded > 0);  // some mutations (of values, not structure) still decode
}

TEST_CASE("a decoded record re-encodes to the same bytes (one encoding per record)") {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 2'000; ++round) {
    bytes input = encode_record(confirmed_trade{sample_trade(), {1, 2}, 3, 4, bytes(3, 1), bytes(2, 2)});
    input[record_envelope_size + record_envelope_size + rng() % 56] ^= static_cast<std::uint8_t>(rng() | 1U);
    const confirmed_trade back = decode_record<confirmed_trade>(input);
    CHECK(encode_record(back) == input);
  }
}
