// Paper 003 (Ping et al.), Table II, carried to the chargers: each station's whole-watt quota for
// the period 18:30-19:00 as an OCPP 2.0.1 SetChargingProfileRequest (ChargingStationMaxProfile)
// and as an OCPP 1.6 SetChargingProfile.req (ChargePointMaxProfile), in OCPP-J CALL frames.
// Exits 1 unless every limit is the station's quota and the limits sum to the 323 kW margin.
#include <evmarket/evmarket.hpp>
#include <evmarket/interop/ocpp.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

int main() {
  using namespace evmarket;
  const char* const names = "ABCDEFGH";
  const std::vector<double> demands_kw{36, 48, 42, 66, 30, 66, 54, 48};
  std::vector<station_request> requests;
  for (std::size_t i = 0; i < demands_kw.size(); ++i) requests.push_back({station_id{i}, kilowatts(demands_kw[i])});
  const allocation quotas = proportional_allocation{}.allocate(kilowatts(323), requests);

  // Paper 003 trades the energy of 18:30-19:00 during 18:00-18:30: period 37 of 48.
  const auto window =
      ocpp::schedule_window::of(trading_calendar{48}, {0, 37}, std::chrono::sys_days{std::chrono::year{2026} / 12 / 1});
  const auto v201 = ocpp::charging_profiles(requests, quotas, window);
  const auto v16 = ocpp::charging_profiles(requests, quotas, window, {.version = ocpp::protocol::v1_6});

  std::printf("Paper 003, Table II as OCPP charging profiles (margin 323 kW, beta = %.5f)\n\n",
              quotas.satisfaction.value());
  std::int64_t total = 0;
  bool exact = true;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto limit = v201[i]
                           .request["chargingProfile"]["chargingSchedule"][0]["chargingSchedulePeriod"][0]["limit"]
                           .get<std::int64_t>();
    const auto limit16 = v16[i]
                             .request["csChargingProfiles"]["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"]
                             .get<std::int64_t>();
    exact = exact && limit == quotas.quotas[i].base() && limit16 == limit;
    total += limit;
    std::printf("station %c  demand %2.0f kW  quota %6lld W\n  2.0.1: %s\n  1.6:   %s\n", names[i], demands_kw[i],
                static_cast<long long>(limit), v201[i].call("tableII-" + std::string(1, names[i])).dump().c_str(),
                v16[i].call("tableII-" + std::string(1, names[i])).dump().c_str());
  }
  const bool ok = exact && total == kilowatts(323).base();
  std::printf("\nlimits sum to %lld W: %s\n", static_cast<long long>(total),
              ok ? "every limit is the exact quota." : "MISMATCH");
  return ok ? 0 : 1;
}
