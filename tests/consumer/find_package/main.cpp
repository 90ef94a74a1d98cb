// A consumer of an installed evmarket, found through find_package(... COMPONENTS lp).
#include <evmarket/lp.hpp>

#include <array>
#include <iostream>

int main() {
  using namespace evmarket;
  const std::array<station_request, 2> requests{{{station_id{1}, kilowatts(30)}, {station_id{2}, kilowatts(10)}}};
  const allocation result = proportional_allocation{}.allocate(kilowatts(20), requests);
  std::cout << "quotas " << result.quotas[0] << ", " << result.quotas[1] << '\n';
  return result.quotas[0] == kilowatts(15) && result.quotas[1] == kilowatts(5) ? 0 : 1;
}
