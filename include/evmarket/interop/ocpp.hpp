#pragma once
/// @file
/// OCPP smart-charging profiles from an allocation: the messages a charging-station management
/// system sends so that each station draws no more than its quota for the trading period.
///
/// Component `evmarket::ocpp` (needs nlohmann/json, Debian `nlohmann-json3-dev`, MIT). It writes
///  - OCPP 2.0.1 `SetChargingProfileRequest` (Part 2, use case K01): `evseId` and a
///    `chargingProfile` of purpose `ChargingStationMaxProfile` (evseId 0: the whole station) or
///    `TxDefaultProfile` (one EVSE), kind `Absolute`, one `chargingSchedule` in W;
///  - OCPP 1.6 `SetChargingProfile.req`: `connectorId` and `csChargingProfiles` of purpose
///    `ChargePointMaxProfile` (connector 0) or `TxDefaultProfile` (one connector), kind `Absolute`.
///
/// Each schedule starts at the trading period's first second (`startSchedule`, RFC 3339 UTC),
/// lasts the period (`duration` in s) and has one period (`startPeriod` 0) whose `limit` is the
/// station's quota. Both versions type `limit` as a decimal with at most one fractional digit; the
/// library's power is a whole number of watts, so every limit is written as a JSON integer in W,
/// exactly the quota: never rounded, never above it.
///
/// ```cpp
/// const allocation quotas = proportional_allocation{}.allocate(kilowatts(323), requests);
/// const auto window = ocpp::schedule_window::of(trading_calendar{48}, {0, 37}, std::chrono::sys_days{...});
/// for (const ocpp::profile_message& m : ocpp::charging_profiles(requests, quotas, window, {}))
///   send(m.station, m.call("msg-1").dump());   // [2,"msg-1","SetChargingProfile",{...}]
/// ```

#include <evmarket/allocation/allocation.hpp>
#include <evmarket/core/error.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/units.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <span>
#include <string>
#include <vector>

EVMARKET_BEGIN_NAMESPACE
namespace ocpp {

/// The OCPP edition the messages follow.
enum class protocol {
  v1_6,    ///< OCPP 1.6 (JSON): `SetChargingProfile.req`.
  v2_0_1,  ///< OCPP 2.0.1: `SetChargingProfileRequest`.
};

/// Which limit the profile sets.
enum class profile_purpose {
  /// The station's overall limit: `ChargingStationMaxProfile` (2.0.1, evseId 0) or
  /// `ChargePointMaxProfile` (1.6, connectorId 0). The quota bounds the station in total.
  station_max,
  /// `TxDefaultProfile` on one EVSE (2.0.1) or connector (1.6): the default limit of the
  /// transactions there. For stations with a single EVSE.
  tx_default,
};

/// One station's quota, when the quotas do not come from an `allocation`.
struct station_quota {
  /// The station the message is for (the caller routes it to that station's connection).
  station_id station;
  /// The power the station may draw during the period; must not be negative.
  power quota;
};

/// The trading period in wall-clock time: where the absolute schedule starts and how long it runs.
struct schedule_window {
  /// First second of the period (UTC).
  std::chrono::sys_seconds start;
  /// Length of the period; positive, at most 2^31 - 1 s (OCPP integers are 32-bit).
  std::chrono::seconds duration{0};

  /// The window of `period` in `calendar`, day 0 of the calendar being `first_day` (UTC).
  /// Throws bad_input for days more than 10,000 years from 1970 or from `first_day` (the messages
  /// themselves accept the years 0000-9999, which RFC 3339 can write).
  [[nodiscard]] static schedule_window of(const trading_calendar& calendar, trading_period period,
                                          std::chrono::sys_days first_day) {
    const std::int32_t minute = calendar.start_minute(period);  // validates the slot
    // Checked before any arithmetic, so that no day count can overflow the seconds below.
    constexpr std::int64_t span = 3'660'000;  // days in 10,000 years, and a margin
    const std::int64_t first = first_day.time_since_epoch().count();
    evmarket::detail::require(first >= -span && first <= span, "first_day", first,
                              "must lie within 10,000 years of 1970 (days since 1970-01-01)");
    evmarket::detail::require(period.day >= -span && period.day <= span, "period.day", period.day,
                              "must lie within 10,000 years of first_day");
    const std::chrono::sys_days day = first_day + std::chrono::days{period.day};
    return {std::chrono::sys_seconds{day} + std::chrono::minutes{minute},
            std::chrono::minutes{calendar.period_minutes()}};
  }
};

/// How the messages are numbered and where they apply.
struct profile_options {
  /// OCPP 2.0.1 by default.
  protocol version = protocol::v2_0_1;
  /// The station's overall limit by default.
  profile_purpose purpose = profile_purpose::station_max;
  /// EVSE (2.0.1) or connector (1.6) id: 0 for `station_max` (the specifications require it),
  /// at least 1 for `tx_default` (0 there would give every EVSE the whole quota).
  std::int32_t evse_id = 0;
  /// The i-th message's profile (and, in 2.0.1, schedule) id is first_profile_id + i; positive.
  std::int32_t first_profile_id = 1;
  /// Precedence among profiles of one purpose (higher wins); not negative.
  std::int32_t stack_level = 0;
};

/// One message: the payload and the station it is for.
struct profile_message {
  /// The station whose connection the message is sent on (OCPP payloads do not name it).
  station_id station;
  /// The request payload (`SetChargingProfileRequest` or `SetChargingProfile.req`).
  nlohmann::json request;

  /// The OCPP-J CALL frame carrying the payload: [2, message_id, "SetChargingProfile", request].
  [[nodiscard]] nlohmann::json call(const std::string& message_id) const {
    return nlohmann::json::array({2, message_id, "SetChargingProfile", request});
  }
};

namespace detail {

using evmarket::detail::describe;
using evmarket::detail::element_field;
using evmarket::detail::require;

/// RFC 3339 UTC date-time of a whole second, as both OCPP editions require: 2026-12-01T18:30:00Z.
inline std::string rfc3339(std::chrono::sys_seconds when) {
  using namespace std::chrono;
  // Range first: the calendar conversions below are then exact.
  require(when >= sys_days{year{0} / 1 / 1} && when < sys_days{year{10000} / 1 / 1}, "window.start",
          when.time_since_epoch().count(), "must lie in the years 0000-9999 (RFC 3339), in s since 1970");
  const auto day = floor<days>(when);
  const year_month_day date{day};
  const hh_mm_ss time{when - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return text;
}

/// Checks the options and the window; throws bad_input naming the field.
inline void validate(const schedule_window& window, const profile_options& options, std::size_t count) {
  constexpr std::int64_t largest = std::numeric_limits<std::int32_t>::max();
  require(window.duration.count() > 0 && window.duration.count() <= largest, "window.duration", window.duration.count(),
          "must be positive and fit a 32-bit OCPP integer (s)");
  if (options.purpose == profile_purpose::station_max)
    require(options.evse_id == 0, "options.evse_id", options.evse_id,
            "must be 0 for a station-wide maximum profile (OCPP requires it)");
  else
    require(options.evse_id >= 1, "options.evse_id", options.evse_id,
            "must name one EVSE (>= 1) for TxDefaultProfile, so the quota is not granted to each EVSE");
  require(options.stack_level >= 0, "options.stack_level", options.stack_level, "must not be negative");
  require(options.first_profile_id >= 1, "options.first_profile_id", options.first_profile_id, "must be positive");
  require(static_cast<std::int64_t>(count) <= largest - options.first_profile_id + 1, "options.first_profile_id",
          options.first_profile_id, "leaves too few 32-bit ids for the messages");
}

/// Rejects a negative quota or a station named twice (its second profile would replace the first).
inline void validate(std::span<const station_quota> quotas) {
  for (std::size_t i = 0; i < quotas.size(); ++i)
    if (quotas[i].quota.is_negative())
      throw bad_input(element_field("quotas", i, "quota"), describe(quotas[i].quota.base()),
                      "must not be negative (W)");
  std::vector<station_id> ids(quotas.size());
  std::transform(quotas.begin(), quotas.end(), ids.begin(), [](const station_quota& q) { return q.station; });
  std::sort(ids.begin(), ids.end());
  const auto duplicate = std::adjacent_find(ids.begin(), ids.end());
  if (duplicate != ids.end()) throw bad_input("quotas.station", describe(duplicate->value), "appears more than once");
}

/// The one-period schedule body both editions share (2.0.1 adds an `id`).
inline nlohmann::json schedule(power quota, const schedule_window& window) {
  return {{"startSchedule", rfc3339(window.start)},
          {"duration", window.duration.count()},
          {"chargingRateUnit", "W"},
          {"chargingSchedulePeriod", nlohmann::json::array({{{"startPeriod", 0}, {"limit", quota.base()}}})}};
}

/// OCPP 2.0.1 SetChargingProfileRequest: evseId and a ChargingProfileType holding one ChargingScheduleType.
inline nlohmann::json request_v2_0_1(power quota, const schedule_window& window, const profile_options& options,
                                     std::int32_t id) {
  nlohmann::json body = schedule(quota, window);
  body["id"] = id;
  const char* purpose =
      options.purpose == profile_purpose::station_max ? "ChargingStationMaxProfile" : "TxDefaultProfile";
  return {{"evseId", options.evse_id},
          {"chargingProfile",
           {{"id", id},
            {"stackLevel", options.stack_level},
            {"chargingProfilePurpose", purpose},
            {"chargingProfileKind", "Absolute"},
            {"chargingSchedule", nlohmann::json::array({body})}}}};
}

/// OCPP 1.6 SetChargingProfile.req: connectorId and csChargingProfiles holding one ChargingSchedule.
inline nlohmann::json request_v1_6(power quota, const schedule_window& window, const profile_options& options,
                                   std::int32_t id) {
  const char* purpose = options.purpose == profile_purpose::station_max ? "ChargePointMaxProfile" : "TxDefaultProfile";
  return {{"connectorId", options.evse_id},
          {"csChargingProfiles",
           {{"chargingProfileId", id},
            {"stackLevel", options.stack_level},
            {"chargingProfilePurpose", purpose},
            {"chargingProfileKind", "Absolute"},
            {"chargingSchedule", schedule(quota, window)}}}};
}

}  // namespace detail

/// One message per station, in the order given: its quota as the limit over `window`.
/// Throws bad_input (naming the field) for a negative quota, a station named twice, or options
/// the specification forbids; nothing is produced then.
[[nodiscard]] inline std::vector<profile_message> charging_profiles(std::span<const station_quota> quotas,
                                                                    const schedule_window& window,
                                                                    const profile_options& options = {}) {
  detail::validate(window, options, quotas.size());
  detail::validate(quotas);
  std::vector<profile_message> messages;
  messages.reserve(quotas.size());
  for (std::size_t i = 0; i < quotas.size(); ++i) {
    const auto id = static_cast<std::int32_t>(options.first_profile_id + static_cast<std::int64_t>(i));
    messages.push_back({quotas[i].station, options.version == protocol::v2_0_1
                                               ? detail::request_v2_0_1(quotas[i].quota, window, options, id)
                                               : detail::request_v1_6(quotas[i].quota, window, options, id)});
  }
  return messages;
}

/// The messages for an allocation: `result.quotas[i]` is the limit of `requests[i].station`.
/// Throws bad_input when the allocation does not belong to the requests (sizes differ).
[[nodiscard]] inline std::vector<profile_message> charging_profiles(std::span<const station_request> requests,
                                                                    const allocation& result,
                                                                    const schedule_window& window,
                                                                    const profile_options& options = {}) {
  detail::require(result.quotas.size() == requests.size(), "result.quotas.size()", result.quotas.size(),
                  "must equal requests.size() (the allocation of these requests)");
  std::vector<station_quota> quotas(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) quotas[i] = {requests[i].station, result.quotas[i]};
  return charging_profiles(quotas, window, options);
}

}  // namespace ocpp
EVMARKET_END_NAMESPACE
