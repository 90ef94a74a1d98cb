// A consumer that builds evmarket as part of its own tree with add_subdirectory.
#include <evmarket/evmarket.hpp>

#include <array>
#include <iostream>

int main() {
  using namespace evmarket;
  const std::array<station_request, 3> requests{
      {{station_id{1}, watts(1)}, {station_id{2}, watts(1)}, {station_id{3}, watts(1)}}};
  const allocation result = proportional_allocation{}.allocate(watts(2), requests);
  std::cout << "satisfaction " << result.satisfaction.value() << '\n';
  return result.allocated == watts(2) && result.quotas[2] == watts(0) ? 0 : 1;
}
