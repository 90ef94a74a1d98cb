// Catalogue rows for market/network.hpp: a feeder's topology, the operator's inputs and the
// check. "Unchanged" is checked on every line's flow, the transformer's, and each reservation.
#include "catalogue.hpp"

#include <string>
#include <vector>

namespace {

using namespace evmarket;
using evmarket_catalogue::section;

// Buses 0-1-2 in a chain (20 kW lines), participants 1 and 2 at buses 1 and 2, one 5 kW trade
// reserved (ticket 1).
radial_feeder chain() {
  const std::vector<feeder_line> lines{{0, 1, kilowatts(20)}, {1, 2, kilowatts(20)}};
  radial_feeder feeder(3, lines, kilowatts(50));
  feeder.place(participant_id{1}, 1);
  feeder.place(participant_id{2}, 2);
  static_cast<void>(feeder.check_and_reserve(participant_id{1}, participant_id{2}, kilowatts(5)));
  return feeder;
}
std::vector<std::int64_t> flows(const radial_feeder& feeder) {
  return {feeder.flow(0).base(), feeder.flow(1).base(), feeder.transformer_flow().base(),
          feeder.congestion_fee(participant_id{1}, participant_id{2}).base()};
}
radial_feeder build(std::size_t buses, std::vector<feeder_line> lines, power limit = kilowatts(50)) {
  return radial_feeder(buses, lines, limit);
}

const bool registered = evmarket_catalogue::add_section(105, "market network", [](section& s) {
  const std::string ctor = "radial_feeder::radial_feeder";
  s.call<bad_input>(ctor, "no bus at all", "bus_count", "0", [] { (void)build(0, {}); });
  s.call<bad_input>(ctor, "lines not bus_count - 1", "lines", "1", [] { (void)build(3, {{0, 1, kilowatts(5)}}); });
  s.call<bad_input>(ctor, "a line closes a cycle", "lines[1]", "1-0", [] {
    (void)build(3, {{0, 1, kilowatts(5)}, {1, 0, kilowatts(5)}});
  });
  s.call<bad_input>(ctor, "a line to an unknown bus", "lines[1].second_bus", "7", [] {
    (void)build(3, {{0, 1, kilowatts(5)}, {1, 7, kilowatts(5)}});
  });
  s.call<bad_input>(ctor, "negative line limit", "lines[0].limit", "-1", [] { (void)build(2, {{0, 1, watts(-1)}}); });
  s.call<bad_input>(ctor, "negative transformer limit", "transformer_limit", "-1", [] {
    (void)build(2, {{0, 1, kilowatts(5)}}, watts(-1));
  });
  s.on<bad_input>(
      "radial_feeder::set_base_load", "unknown bus", "bus", "3", chain,
      [](radial_feeder& f) { f.set_base_load(3, kilowatts(1)); }, flows, "flows");
  s.on<bad_input>(
      "radial_feeder::place", "unknown bus", "bus", "9", chain, [](radial_feeder& f) { f.place(participant_id{4}, 9); },
      flows, "flows");
  s.on<bad_input>(
      "radial_feeder::check_and_reserve", "zero flow", "flow", "0", chain,
      [](radial_feeder& f) { (void)f.check_and_reserve(participant_id{1}, participant_id{2}, watts(0)); }, flows,
      "flows");
  s.on<bad_input>(
      "radial_feeder::check_and_reserve", "a participant never placed", "participant", "8", chain,
      [](radial_feeder& f) { (void)f.check_and_reserve(participant_id{8}, participant_id{2}, watts(5)); }, flows,
      "flows");
  s.on<bad_input>(
      "radial_feeder::release", "a ticket never issued", "ticket", "2", chain, [](radial_feeder& f) { f.release(2); },
      flows, "flows");
  s.on<bad_input>(
      "radial_feeder::release", "a ticket released twice", "ticket", "1",
      [] {
        radial_feeder f = chain();
        f.release(1);
        return f;
      },
      [](radial_feeder& f) { f.release(1); }, flows, "flows");
  s.on<bad_input>(
      "radial_feeder::post_congestion_fee", "negative fee", "fee_per_kwh", "-1", chain,
      [](radial_feeder& f) { f.post_congestion_fee(0, micro_tokens_per_kwh(-1)); }, flows, "flows");
  s.on<bad_input>(
      "radial_feeder::post_congestion_fee", "unknown line", "line", "2", chain,
      [](radial_feeder& f) { f.post_congestion_fee(2, micro_tokens_per_kwh(1)); }, flows, "flows");
  s.on<bad_input>(
      "radial_feeder::utilisation", "unknown line", "line", "5", chain,
      [](radial_feeder& f) { (void)f.utilisation(5); }, flows, "flows");
  s.call<bad_input>("transformer_limit_only::transformer_limit_only", "negative limit", "limit", "-1",
                    [] { (void)transformer_limit_only(watts(-1)); });
  s.on<bad_input>(
      "transformer_limit_only::release", "a ticket never issued", "ticket", "1",
      [] { return transformer_limit_only(kilowatts(1)); }, [](transformer_limit_only& t) { t.release(1); },
      [](const transformer_limit_only& t) { return t.reserved().base(); }, "reserved");
});

}  // namespace
