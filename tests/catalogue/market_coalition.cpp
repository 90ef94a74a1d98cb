// Catalogue rows for market/coalition_market.hpp and market/smes.hpp: bad quotes, out-of-phase
// calls, replays and a bad storage unit. "Unchanged" is checked on the round's quotes and trades,
// the storage's state of charge and the day's sums.
#include "catalogue.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace evmarket;
using evmarket_catalogue::section;

using coalition = coalition_market_session<>;

smes_parameters unit() {
  return {kilowatt_hours(100), kilowatts(40), 900'000, kilowatt_hours(20), tokens_per_kwh(0.4), tokens_per_kwh(0.9)};
}

// A session at `hour`:`minute` of day 0 with prosumers 2 (bus 8) and 3 (bus 9); round 5 opened at
// 05:00 when `open`, with prosumer 2 quoting a buy when `quoted`.
coalition session_at(int hour, int minute, bool open, bool quoted = false) {
  coalition c({}, paper004_day::feeder(), smes(unit()));
  const participant_id u = c.enrol_prosumer("u"), v = c.enrol_prosumer("v");
  c.security().place(u, 8);
  c.security().place(v, 9);
  c.security().place(c.storage_account(), 7);
  c.clock().set(market_time::at(0, 5, 0));
  if (open) c.open_round();
  if (quoted) c.submit_buy(u, {kilowatt_hours(4), tokens_per_kwh(1), 1, 0, 0});
  c.clock().set(market_time::at(0, hour, minute));
  return c;
}
std::vector<std::int64_t> state(const coalition& c) {
  std::vector<std::int64_t> out{c.storage().state_of_charge().base(), c.totals().proposed.base()};
  if (c.current_round()) {
    out.push_back(static_cast<std::int64_t>(c.current_round()->round));
    out.push_back(static_cast<std::int64_t>(c.current_round()->buyers.size()));
    out.push_back(static_cast<std::int64_t>(c.current_round()->sellers.size()));
    out.push_back(static_cast<std::int64_t>(c.current_round()->trades.size()));
  }
  return out;
}
seller_quote pv(energy offer) {
  seller_quote s;
  s.offer = offer;
  s.reserve = tokens_per_kwh(0.3);
  return s;
}

const bool registered = evmarket_catalogue::add_section(110, "market coalition session", [](section& s) {
  const participant_id u{2}, v{3};
  const std::string what = "round, quotes, trades, SoC";
  s.on<bad_input>(
      "coalition_market_session::submit_buy", "zero demand", "demand", "0", [] { return session_at(5, 0, true); },
      [u](coalition& c) { c.submit_buy(u, {watt_hours(0), tokens_per_kwh(1), 1, 0, 0}); }, state, what);
  s.on<bad_input>(
      "coalition_market_session::submit_buy", "L^a of zero", "max_pairs", "0", [] { return session_at(5, 0, true); },
      [u](coalition& c) { c.submit_buy(u, {watt_hours(10), tokens_per_kwh(1), 0, 0, 0}); }, state, what);
  s.on<bad_input>(
      "coalition_market_session::submit_buy", "NaN distance", "distance_km", "NaN",
      [] { return session_at(5, 0, true); },
      [u](coalition& c) { c.submit_buy(u, {watt_hours(10), tokens_per_kwh(1), 1, 0, std::nan("")}); }, state, what);
  s.on<bad_input>(
      "coalition_market_session::submit_buy", "a second quote this round (replay)", "prosumer", "2",
      [] { return session_at(5, 1, true, true); },
      [u](coalition& c) { c.submit_buy(u, {watt_hours(10), tokens_per_kwh(1), 1, 0, 0}); }, state, what);
  s.on<bad_input>(
      "coalition_market_session::submit_sell", "an id never enrolled", "prosumer", "9",
      [] { return session_at(5, 0, true); }, [](coalition& c) { c.submit_sell(participant_id{9}, pv(watt_hours(5))); },
      state, what);
  s.on<bad_input>(
      "coalition_market_session::submit_sell", "negative offer", "offer", "-5", [] { return session_at(5, 0, true); },
      [v](coalition& c) { c.submit_sell(v, pv(watt_hours(-5))); }, state, what);
  s.on<bad_input>(
      "coalition_market_session::submit_sell", "an EV transfer efficiency above 1", "eta", "1.2",
      [] { return session_at(5, 0, true); },
      [v](coalition& c) {
        seller_quote q = pv(watt_hours(5));
        q.kind = seller_kind::ev;
        q.eta = 1.2;
        c.submit_sell(v, q);
      },
      state, what);
  s.on<phase_error>(
      "coalition_market_session::submit_sell", "after the quotes close (minute 40)", "submit_sell", "day 0 05:41:00",
      [] { return session_at(5, 41, true); }, [v](coalition& c) { c.submit_sell(v, pv(watt_hours(5))); }, state, what);
  s.on<bad_input>(
      "coalition_market_session::open_round", "the same round again (replay)", "round", "5",
      [] { return session_at(5, 2, true); }, [](coalition& c) { (void)c.open_round(); }, state, what);
  s.on<phase_error>(
      "coalition_market_session::open_round", "after the quotes close", "open_round", "day 0 06:45:00",
      [] { return session_at(6, 45, false); }, [](coalition& c) { (void)c.open_round(); }, state, what);
  s.on<phase_error>(
      "coalition_market_session::clear", "while quotes are open", "clear", "day 0 05:10:00",
      [] { return session_at(5, 10, true, true); }, [](coalition& c) { (void)c.clear(); }, state, what);
  s.on<bad_input>(
      "coalition_market_session::settle", "a round not cleared", "round", "5",
      [] { return session_at(5, 55, true, true); }, [](coalition& c) { (void)c.settle(); }, state, what);
  s.call<bad_input>("coalition_market_session::coalition_market_session", "clearing closes before the quotes",
                    "quotes_close", "50", [] { (void)coalition({60, 50, 40}, paper004_day::feeder(), smes(unit())); });
  s.call<bad_input>("smes::smes", "round-trip efficiency above 100 %", "efficiency_ppm", "1000001", [] {
    smes_parameters p = unit();
    p.efficiency_ppm = 1'000'001;
    (void)smes(p);
  });
  s.call<bad_input>("smes::smes", "initial charge above the capacity", "initial_charge", "100001", [] {
    smes_parameters p = unit();
    p.initial_charge = watt_hours(100'001);
    (void)smes(p);
  });
  s.on<bad_input>(
      "smes::charge", "more than charge_room()", "amount", "50001",
      [] {
        smes x(unit());
        x.begin_interval(60);
        return x;
      },
      [](smes& x) { (void)x.charge(watt_hours(50'001)); },
      [](const smes& x) { return std::vector<std::int64_t>{x.state_of_charge().base(), x.charge_room().base()}; },
      "SoC, charge room");
});

}  // namespace
