// A consumer of an installed evmarket, found through find_package(... COMPONENTS lp clp sodium openssl ocpp).
#include <evmarket/interop/ocpp.hpp>
#include <evmarket/ledger/openssl.hpp>
#include <evmarket/ledger/sodium.hpp>
#include <evmarket/clp.hpp>
#include <evmarket/lp.hpp>

#include <array>
#include <cstdint>
#include <iostream>

int main() {
  using namespace evmarket;
  // The core: beta allocation.
  const std::array<station_request, 2> requests{{{station_id{1}, kilowatts(30)}, {station_id{2}, kilowatts(10)}}};
  const allocation result = proportional_allocation{}.allocate(kilowatts(20), requests);
  const bool core_ok = result.quotas[0] == kilowatts(15) && result.quotas[1] == kilowatts(5);

  // evmarket::lp: the nucleolus of a 2 x 2 assignment game is 3/2 for everyone.
  const nucleolus_result prices = nucleolus(assignment_game<double>({{3, 2}, {2, 3}}));
  // evmarket::clp: the same on COIN-OR Clp.
  const nucleolus_result clp_prices = nucleolus<clp_backend>(assignment_game<double>({{3, 2}, {2, 3}}));
  const bool lp_ok = prices.certified() && prices.exact_allocation.at(0) == exact_rational(3, 2) &&
                     clp_prices.certified() && clp_prices.exact_allocation == prices.exact_allocation;

  // evmarket::sodium and evmarket::openssl agree on SHA-256.
  const std::array<std::uint8_t, 3> abc{'a', 'b', 'c'};
  const bool ledger_ok = sodium::sha256{}.hash(abc) == openssl::sha256{}.hash(abc);

  // evmarket::ocpp: the quotas as OCPP 2.0.1 station limits.
  const auto window =
      ocpp::schedule_window{std::chrono::sys_seconds{std::chrono::seconds{1800}}, std::chrono::seconds{1800}};
  const auto profiles = ocpp::charging_profiles(requests, result, window);
  const bool ocpp_ok =
      profiles.size() == 2 &&
      profiles[1].request["chargingProfile"]["chargingSchedule"][0]["chargingSchedulePeriod"][0]["limit"] == 5000;

  std::cout << "core " << core_ok << ", lp " << lp_ok << ", ledger " << ledger_ok << ", ocpp " << ocpp_ok << '\n';
  return core_ok && lp_ok && ledger_ok && ocpp_ok ? 0 : 1;
}
