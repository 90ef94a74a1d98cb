// OCPP smart-charging profiles from an allocation (component evmarket::ocpp).
#include <evmarket/allocation/proportional.hpp>
#include <evmarket/interop/ocpp.hpp>

#include "../test_support.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace evmarket;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Paper 003, Table II: eight stations A..H, demands in kW, capacity margin 323 kW.
std::vector<station_request> table_ii_requests() {
  const std::vector<double> demands_kw{36, 48, 42, 66, 30, 66, 54, 48};
  std::vector<station_request> requests;
  for (std::size_t i = 0; i < demands_kw.size(); ++i) requests.push_back({station_id{i}, kilowatts(demands_kw[i])});
  return requests;
}

// 18:30-19:00 UTC on 2026-12-01: period 37 of 48 half-hour periods.
ocpp::schedule_window evening_window() {
  return ocpp::schedule_window::of(trading_calendar{48}, {0, 37},
                                   std::chrono::sys_days{std::chrono::year{2026} / 12 / 1});
}

// Table II's quotas in whole watts, worked out by hand: beta = 323/390; the shares beta * P_i in W
// are A 29815.385, B 39753.846, C 34784.615, D 54661.538, E 24846.154, F 54661.538, G 44723.077,
// H 39753.846. Their floors sum to 322996 W; the 4 W left go to the largest remainders B and H
// (.846), C (.615) and D (.538, tied with F: the earlier request wins).
// OCPP 2.0.1 SetChargingProfileRequest, ChargingStationMaxProfile at evseId 0, ids from 1.
const char* const expected_v2_0_1 = R"([
 {"evseId":0,"chargingProfile":{"id":1,"stackLevel":0,"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":1,"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":29815}]}]}},
 {"evseId":0,"chargingProfile":{"id":2,"stackLevel":0,"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":2,"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":39754}]}]}},
 {"evseId":0,"chargingProfile":{"id":3,"stackLevel":0,"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":3,"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":34785}]}]}},
 {"evseId":0,"chargingProfile":{"id":4,"stackLevel":0,"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":4,"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":54662}]}]}},
 {"evseId":0,"chargingProfile":{"id":5,"stackLevel":0,"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":5,"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":24846}]}]}},
 {"evseId":0,"chargingProfile":{"id":6,"stackLevel":0,"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":6,"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":54661}]}]}},
 {"evseId":0,"chargingProfile":{"id":7,"stackLevel":0,"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":7,"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":44723}]}]}},
 {"evseId":0,"chargingProfile":{"id":8,"stackLevel":0,"chargingProfilePurpose":"ChargingStationMaxProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":8,"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":39754}]}]}}
])";

// OCPP 1.6 SetChargingProfile.req, TxDefaultProfile on connector 1, ids from 101, stack level 2.
const char* const expected_v1_6 = R"([
 {"connectorId":1,"csChargingProfiles":{"chargingProfileId":101,"stackLevel":2,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":29815}]}}},
 {"connectorId":1,"csChargingProfiles":{"chargingProfileId":102,"stackLevel":2,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":39754}]}}},
 {"connectorId":1,"csChargingProfiles":{"chargingProfileId":103,"stackLevel":2,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":34785}]}}},
 {"connectorId":1,"csChargingProfiles":{"chargingProfileId":104,"stackLevel":2,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":54662}]}}},
 {"connectorId":1,"csChargingProfiles":{"chargingProfileId":105,"stackLevel":2,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":24846}]}}},
 {"connectorId":1,"csChargingProfiles":{"chargingProfileId":106,"stackLevel":2,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":54661}]}}},
 {"connectorId":1,"csChargingProfiles":{"chargingProfileId":107,"stackLevel":2,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":44723}]}}},
 {"connectorId":1,"csChargingProfiles":{"chargingProfileId":108,"stackLevel":2,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"startSchedule":"2026-12-01T18:30:00Z","duration":1800,"chargingRateUnit":"W","chargingSchedulePeriod":[{"startPeriod":0,"limit":39754}]}}}
])";

// Compares every field by its JSON pointer, so a failure names the field that differs.
void check_same_fields(const json& actual, const json& expected) {
  const json flat_actual = actual.flatten();
  const json flat_expected = expected.flatten();
  // Plain loop variables, not structured bindings: doctest's INFO captures them in a lambda.
  for (const auto& item : flat_expected.items()) {
    const std::string pointer = item.key();
    const json& value = item.value();
    INFO("field ", pointer);
    REQUIRE(flat_actual.contains(pointer));
    CHECK(flat_actual.at(pointer) == value);
    // 29815, not 29815.0 or "29815" (signed or unsigned storage of an integer is the same JSON).
    CHECK(std::string(flat_actual.at(pointer).type_name()) == value.type_name());
    CHECK(flat_actual.at(pointer).is_number_integer() == value.is_number_integer());
  }
  for (const auto& item : flat_actual.items()) {
    const std::string pointer = item.key();
    INFO("unexpected field ", pointer);
    CHECK(flat_expected.contains(pointer));
  }
}

json payloads(const std::vector<ocpp::profile_message>& messages) {
  json all = json::array();
  for (const auto& m : messages) all.push_back(m.request);
  return all;
}

// The schemas' required members and the members they allow (additionalProperties false), for
// the parts the library writes: OCPP 2.0.1 SetChargingProfileRequest and OCPP 1.6 SetChargingProfile.
void check_members(const json& object, const std::set<std::string>& required, const std::set<std::string>& allowed) {
  for (const auto& name : required) CHECK_MESSAGE(object.contains(name), "missing required ", name);
  for (const auto& item : object.items()) {
    const std::string name = item.key();
    CHECK_MESSAGE(allowed.count(name) == 1, "not in the schema: ", name);
  }
}

void check_schema_v2_0_1(const json& request) {
  check_members(request, {"evseId", "chargingProfile"}, {"customData", "evseId", "chargingProfile"});
  const json& profile = request.at("chargingProfile");
  check_members(profile, {"id", "stackLevel", "chargingProfilePurpose", "chargingProfileKind", "chargingSchedule"},
                {"customData", "id", "stackLevel", "chargingProfilePurpose", "chargingProfileKind", "recurrencyKind",
                 "validFrom", "validTo", "chargingSchedule", "transactionId"});
  const std::set<std::string> purposes{"ChargingStationExternalConstraints", "ChargingStationMaxProfile",
                                       "TxDefaultProfile", "TxProfile"};
  CHECK(purposes.count(profile.at("chargingProfilePurpose").get<std::string>()) == 1);
  REQUIRE(profile.at("chargingSchedule").is_array());
  CHECK(profile.at("chargingSchedule").size() >= 1);
  CHECK(profile.at("chargingSchedule").size() <= 3);
  for (const json& schedule : profile.at("chargingSchedule")) {
    check_members(schedule, {"id", "chargingRateUnit", "chargingSchedulePeriod"},
                  {"customData", "id", "startSchedule", "duration", "chargingRateUnit", "chargingSchedulePeriod",
                   "minChargingRate", "salesTariff"});
    for (const json& period : schedule.at("chargingSchedulePeriod"))
      check_members(period, {"startPeriod", "limit"},
                    {"customData", "startPeriod", "limit", "numberPhases", "phaseToUse"});
  }
}

void check_schema_v1_6(const json& request) {
  check_members(request, {"connectorId", "csChargingProfiles"}, {"connectorId", "csChargingProfiles"});
  const json& profile = request.at("csChargingProfiles");
  check_members(
      profile, {"chargingProfileId", "stackLevel", "chargingProfilePurpose", "chargingProfileKind", "chargingSchedule"},
      {"chargingProfileId", "transactionId", "stackLevel", "chargingProfilePurpose", "chargingProfileKind",
       "recurrencyKind", "validFrom", "validTo", "chargingSchedule"});
  const std::set<std::string> purposes{"ChargePointMaxProfile", "TxDefaultProfile", "TxProfile"};
  CHECK(purposes.count(profile.at("chargingProfilePurpose").get<std::string>()) == 1);
  const json& schedule = profile.at("chargingSchedule");
  check_members(schedule, {"chargingRateUnit", "chargingSchedulePeriod"},
                {"duration", "startSchedule", "chargingRateUnit", "chargingSchedulePeriod", "minChargingRate"});
  for (const json& period : schedule.at("chargingSchedulePeriod"))
    check_members(period, {"startPeriod", "limit"}, {"startPeriod", "limit", "numberPhases"});
}

}  // namespace

TEST_CASE("paper 003 Table II: OCPP 2.0.1 station maximum profiles, field by field") {
  const auto requests = table_ii_requests();
  const allocation quotas = proportional_allocation{}.allocate(kilowatts(323), requests);
  const auto messages = ocpp::charging_profiles(requests, quotas, evening_window());
  REQUIRE(messages.size() == 8);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    CHECK(messages[i].station == requests[i].station);
    check_schema_v2_0_1(messages[i].request);
  }
  check_same_fields(payloads(messages), json::parse(expected_v2_0_1));
}

TEST_CASE("paper 003 Table II: OCPP 1.6 TxDefaultProfile on connector 1, field by field") {
  const auto requests = table_ii_requests();
  const allocation quotas = proportional_allocation{}.allocate(kilowatts(323), requests);
  const ocpp::profile_options options{.version = ocpp::protocol::v1_6,
                                      .purpose = ocpp::profile_purpose::tx_default,
                                      .evse_id = 1,
                                      .first_profile_id = 101,
                                      .stack_level = 2};
  const auto messages = ocpp::charging_profiles(requests, quotas, evening_window(), options);
  REQUIRE(messages.size() == 8);
  for (const auto& m : messages) check_schema_v1_6(m.request);
  check_same_fields(payloads(messages), json::parse(expected_v1_6));
}

TEST_CASE("OCPP 2.0.1 TxDefaultProfile names the EVSE and the 1.6 maximum profile connector 0") {
  const std::vector<ocpp::station_quota> quotas{{station_id{42}, watts(7400)}};
  const ocpp::schedule_window window{std::chrono::sys_days{std::chrono::year{2027} / 1 / 1}, 900s};
  const auto tx = ocpp::charging_profiles(quotas, window, {.purpose = ocpp::profile_purpose::tx_default, .evse_id = 2});
  check_same_fields(tx.at(0).request, json::parse(R"({"evseId":2,"chargingProfile":{"id":1,"stackLevel":0,
    "chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":[{"id":1,
    "startSchedule":"2027-01-01T00:00:00Z","duration":900,"chargingRateUnit":"W",
    "chargingSchedulePeriod":[{"startPeriod":0,"limit":7400}]}]}})"));
  const auto max16 = ocpp::charging_profiles(quotas, window, {.version = ocpp::protocol::v1_6});
  check_same_fields(max16.at(0).request, json::parse(R"({"connectorId":0,"csChargingProfiles":{"chargingProfileId":1,
    "stackLevel":0,"chargingProfilePurpose":"ChargePointMaxProfile","chargingProfileKind":"Absolute",
    "chargingSchedule":{"startSchedule":"2027-01-01T00:00:00Z","duration":900,"chargingRateUnit":"W",
    "chargingSchedulePeriod":[{"startPeriod":0,"limit":7400}]}}})"));
  CHECK(max16.at(0).call("m-7") == json::parse(R"([2,"m-7","SetChargingProfile",)" + max16.at(0).request.dump() + "]"));
}

TEST_CASE("schedule windows and RFC 3339 start times") {
  const trading_calendar half_hours{48};
  const auto first_day = std::chrono::sys_days{std::chrono::year{2024} / 2 / 28};
  const auto last = ocpp::schedule_window::of(half_hours, {1, 47}, first_day);  // 2024 is a leap year
  CHECK(last.duration == 1800s);
  const auto messages = ocpp::charging_profiles(std::vector<ocpp::station_quota>{{station_id{1}, watts(0)}}, last);
  CHECK(messages.at(0).request["chargingProfile"]["chargingSchedule"][0]["startSchedule"] == "2024-02-29T23:30:00Z");
  const ocpp::schedule_window before_epoch{std::chrono::sys_seconds{-1s}, 1s};
  const auto old = ocpp::charging_profiles(std::vector<ocpp::station_quota>{{station_id{1}, watts(1)}}, before_epoch);
  CHECK(old.at(0).request["chargingProfile"]["chargingSchedule"][0]["startSchedule"] == "1969-12-31T23:59:59Z");
}

TEST_CASE("random allocations: every limit is exactly the quota, ids count up, the station is carried") {
  std::mt19937_64 rng(17);
  for (int round = 0; round < 200; ++round) {
    const auto n = std::uniform_int_distribution<std::size_t>(1, 30)(rng);
    std::vector<station_request> requests;
    for (std::size_t i = 0; i < n; ++i)
      requests.push_back(
          {station_id{1000 + 3 * i}, watts(std::uniform_int_distribution<std::int64_t>(0, 350'000)(rng))});
    const auto margin = watts(std::uniform_int_distribution<std::int64_t>(0, 2'000'000)(rng));
    const allocation result = proportional_allocation{}.allocate(margin, requests);
    const bool v16 = round % 2 == 1;
    const ocpp::profile_options options{.version = v16 ? ocpp::protocol::v1_6 : ocpp::protocol::v2_0_1,
                                        .first_profile_id = 1 + round};
    const auto messages = ocpp::charging_profiles(requests, result, evening_window(), options);
    REQUIRE(messages.size() == n);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const json& request = messages[i].request;
      const json& profile = v16 ? request["csChargingProfiles"] : request["chargingProfile"];
      const json& schedule = v16 ? profile["chargingSchedule"] : profile["chargingSchedule"][0];
      const json& limit = schedule["chargingSchedulePeriod"][0]["limit"];
      REQUIRE(limit.is_number_integer());
      CHECK(limit.get<std::int64_t>() == result.quotas[i].base());
      CHECK(limit.get<std::int64_t>() <= requests[i].demand.base());
      CHECK(profile[v16 ? "chargingProfileId" : "id"] == 1 + round + static_cast<int>(i));
      CHECK(messages[i].station == requests[i].station);
      total += limit.get<std::int64_t>();
      // The dumped text parses back to the same message (what a station receives).
      CHECK(json::parse(request.dump()) == request);
    }
    CHECK(total == result.allocated.base());
    CHECK(total <= margin.base());
  }
}

TEST_CASE("bad input names the field and produces nothing") {
  using evmarket_test::field_of;
  const auto window = evening_window();
  const std::vector<ocpp::station_quota> ok{{station_id{1}, watts(100)}, {station_id{2}, watts(200)}};
  CHECK(field_of([&] {
          (void)ocpp::charging_profiles(std::vector<ocpp::station_quota>{{station_id{1}, watts(-1)}}, window);
        }) == "quotas[0].quota");
  CHECK(field_of([&] {
          (void)ocpp::charging_profiles(
              std::vector<ocpp::station_quota>{{station_id{4}, watts(1)}, {station_id{4}, watts(2)}}, window);
        }) == "quotas.station");
  CHECK(field_of([&] { (void)ocpp::charging_profiles(ok, window, {.evse_id = 1}); }) == "options.evse_id");
  CHECK(field_of([&] {
          (void)ocpp::charging_profiles(ok, window, {.purpose = ocpp::profile_purpose::tx_default, .evse_id = 0});
        }) == "options.evse_id");
  CHECK(field_of([&] { (void)ocpp::charging_profiles(ok, window, {.first_profile_id = 0}); }) ==
        "options.first_profile_id");
  CHECK(field_of([&] {
          (void)ocpp::charging_profiles(ok, window, {.first_profile_id = std::numeric_limits<std::int32_t>::max()});
        }) == "options.first_profile_id");
  CHECK(field_of([&] { (void)ocpp::charging_profiles(ok, window, {.stack_level = -1}); }) == "options.stack_level");
  CHECK(field_of([&] { (void)ocpp::charging_profiles(ok, {window.start, 0s}); }) == "window.duration");
  CHECK(field_of([&] {
          (void)ocpp::charging_profiles(ok, {window.start, std::chrono::seconds{1LL << 31}});
        }) == "window.duration");
  // Start times RFC 3339 cannot write, and days whose seconds would overflow.
  using std::chrono::sys_days;
  using std::chrono::year;
  CHECK(field_of([&] { (void)ocpp::charging_profiles(ok, {sys_days{year{10000} / 1 / 1}, 60s}); }) == "window.start");
  CHECK(field_of([&] { (void)ocpp::charging_profiles(ok, {sys_days{year{-1} / 12 / 31}, 60s}); }) == "window.start");
  CHECK(ocpp::charging_profiles(ok, {sys_days{year{0} / 1 / 1}, 60s})
            .at(0)
            .request["chargingProfile"]["chargingSchedule"][0]["startSchedule"] == "0000-01-01T00:00:00Z");
  const trading_calendar calendar{48};
  const sys_days epoch{year{1970} / 1 / 1};
  CHECK(field_of([&] {
          (void)ocpp::schedule_window::of(calendar, {std::numeric_limits<std::int64_t>::max(), 0}, epoch);
        }) == "period.day");
  CHECK(field_of([&] {
          (void)ocpp::schedule_window::of(calendar, {0, 0}, sys_days{std::chrono::days{1LL << 40}});
        }) == "first_day");
  CHECK(field_of([&] { (void)ocpp::schedule_window::of(calendar, {0, 48}, epoch); }) == "period.slot");
  // One id left for one message is enough; two are not.
  const std::vector<ocpp::station_quota> single{{station_id{1}, watts(5)}};
  CHECK(
      ocpp::charging_profiles(single, window, {.first_profile_id = std::numeric_limits<std::int32_t>::max()}).size() ==
      1);
  const auto requests = table_ii_requests();
  const allocation other = proportional_allocation{}.allocate(kilowatts(10), std::span(requests).first(3));
  CHECK(field_of([&] { (void)ocpp::charging_profiles(requests, other, window); }) == "result.quotas.size()");
}
