#pragma once
/// @file
/// A seeded day like paper 004's case study, for the coalition market session: 15 EV users,
/// 5 rooftop PV systems and 1 SMES unit on a radial feeder that congests at the evening peak,
/// 24 hourly rounds. The paper does not publish its data; this day has the same shape:
/// - feeder: the transformer (bus 0) feeds a PV branch (bus 1, the PV systems at buses 2-6) and
///   a residential branch (bus 7, the EVs at buses 8-22, the SMES unit at bus 7). The line
///   0-7 carries the residential base load, which peaks at 16:00-21:00 within a few kW of its
///   limit: trades from the PV branch into the residential branch are refused there, trades
///   inside the branch (EV to EV, the SMES unit to an EV) are not.
/// - PV output follows the sun from 06:00 to 19:00; EVs mostly charge in the evening, some
///   discharge at midday and in the evening; buyers' limits follow a time-of-use tariff.
/// - the SMES unit (200 kWh, 60 kW, 90 % round trip) buys surplus at 0.40 Token/kWh and sells
///   at 0.90 Token/kWh.
/// Random draws use the engine's output directly (std::mt19937_64 is fully specified), so a
/// seed gives the same day with every standard library.

#include <evmarket/market/coalition_market.hpp>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <string>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// One prosumer's quote for one hour (none, a buy or a sell).
struct paper004_quote {
  /// 0: no quote this hour; 1: buys; 2: sells.
  int kind = 0;
  /// The quote when kind is 1.
  buyer_quote buy;
  /// The quote when kind is 2.
  seller_quote sell;
};

/// A generated day: who stands where and what everyone quotes each hour.
struct paper004_day {
  /// The prosumers' names (EV users, then PV systems).
  std::vector<std::string> names;
  /// Each prosumer's bus.
  std::vector<bus_index> buses;
  /// quotes[hour][prosumer].
  std::vector<std::vector<paper004_quote>> quotes;
  /// Base load of the residential branch (bus 7) per hour, W.
  std::vector<power> residential_load;
  /// The SMES unit's parameters.
  smes_parameters storage{kilowatt_hours(200), kilowatts(60), 900'000, kilowatt_hours(40), tokens_per_kwh(0.40),
                          tokens_per_kwh(0.90)};
  /// The SMES unit's bus.
  bus_index storage_bus = 7;

  /// The feeder of the file comment (fresh, nobody placed).
  [[nodiscard]] static radial_feeder feeder() {
    std::vector<feeder_line> lines{{0, 1, kilowatts(250)}, {0, 7, kilowatts(80)}};
    for (bus_index b = 2; b <= 6; ++b) lines.push_back({1, b, kilowatts(50)});
    for (bus_index b = 8; b <= 22; ++b) lines.push_back({7, b, kilowatts(25)});
    return radial_feeder(23, lines, kilowatts(400));
  }
};

namespace detail {

// A uniform draw in [low, high] from the engine's output (no distribution object: those are
// implementation-defined).
inline double draw(std::mt19937_64& rng, double low, double high) {
  return low + (high - low) * static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

inline double tariff_at(int hour) { return hour >= 16 && hour < 22 ? 1.20 : hour >= 8 && hour < 16 ? 0.80 : 0.50; }

inline paper004_quote ev_quote(std::mt19937_64& rng, int hour) {
  const bool evening = hour >= 16 && hour < 22, midday = hour >= 10 && hour < 16;
  const double buy_chance = evening ? 0.55 : midday ? 0.40 : 0.10;
  const double sell_chance = evening ? 0.15 : midday ? 0.15 : 0.05;
  const double roll = draw(rng, 0, 1);
  paper004_quote q;
  if (roll < buy_chance) {
    q.kind = 1;
    q.buy = {kilowatt_hours(draw(rng, 4, 12)), tokens_per_kwh(tariff_at(hour)), 2, 0.15, draw(rng, 0.5, 4)};
  } else if (roll < buy_chance + sell_chance) {
    q.kind = 2;
    q.sell.kind = seller_kind::ev;
    q.sell.offer = kilowatt_hours(draw(rng, 3, 8));
    q.sell.reserve = tokens_per_kwh(draw(rng, 0.60, 0.75));
    q.sell.pairs = 1;
    q.sell.p_0 = 0.5;
    q.sell.eta = 0.9;
    q.sell.lambda_kwh_per_km = 0.15;
    q.sell.distance_km = draw(rng, 0.5, 4);
    q.sell.depreciation = 0.2;
  }
  return q;
}

inline paper004_quote pv_quote(std::mt19937_64& rng, int hour, double peak_kw) {
  paper004_quote q;
  const double sun = hour >= 6 && hour <= 19 ? std::sin(std::numbers::pi * (hour - 5.5) / 14.0) : 0.0;
  const double kwh = peak_kw * sun * draw(rng, 0.85, 1.0);
  if (kwh < 0.1) return q;
  q.kind = 2;
  q.sell.kind = seller_kind::pv;
  q.sell.offer = kilowatt_hours(kwh);
  q.sell.reserve = tokens_per_kwh(draw(rng, 0.25, 0.35));
  q.sell.pairs = 2;
  q.sell.k_pv = 0.05;
  return q;
}

}  // namespace detail

/// The day of seed `seed` (see the file comment).
[[nodiscard]] inline paper004_day make_paper004_day(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  paper004_day day;
  for (int u = 1; u <= 15; ++u) {
    day.names.push_back("EV user " + std::to_string(u));
    day.buses.push_back(static_cast<bus_index>(7 + u));
  }
  std::vector<double> peak;
  for (int p = 1; p <= 5; ++p) {
    day.names.push_back("PV " + std::to_string(p));
    day.buses.push_back(static_cast<bus_index>(1 + p));
    peak.push_back(detail::draw(rng, 10, 16));
  }
  for (int hour = 0; hour < 24; ++hour) {
    std::vector<paper004_quote> row;
    for (int u = 0; u < 15; ++u) row.push_back(detail::ev_quote(rng, hour));
    for (int p = 0; p < 5; ++p) row.push_back(detail::pv_quote(rng, hour, peak[static_cast<std::size_t>(p)]));
    day.quotes.push_back(std::move(row));
    const bool peak_hour = hour >= 16 && hour < 22;
    day.residential_load.push_back(kilowatts(peak_hour ? detail::draw(rng, 76, 79) : detail::draw(rng, 10, 30)));
  }
  return day;
}

/// The session the paper's day runs on, over a storage unit, a ledger sink and a nucleolus solver.
template <class StorageUnit, class Sink = null_ledger_sink, class Nucleolus = exact_assignment_nucleolus>
using paper004_session = coalition_market_session<paper004_benefit, max_benefit_matching, radial_feeder, StorageUnit,
                                                  Nucleolus, Sink, manual_clock>;

/// Runs `day` on a new session over `unit`, `sink` and `nucleolus` (day 0, rounds 0-23: quotes at hh:00,
/// clearing at hh:40, settlement at hh:50) and returns the session; `visit(round, session)` sees
/// each settled round.
template <class StorageUnit, class Sink = null_ledger_sink, class Visit,
          class Nucleolus = exact_assignment_nucleolus>
[[nodiscard]] paper004_session<StorageUnit, Sink, Nucleolus> run_paper004_day(const paper004_day& day, StorageUnit unit,
                                                                              Sink sink, Visit visit,
                                                                              Nucleolus nucleolus = Nucleolus()) {
  paper004_session<StorageUnit, Sink, Nucleolus> session({}, paper004_day::feeder(), std::move(unit), {}, {},
                                                         std::move(nucleolus), std::move(sink));
  std::vector<participant_id> ids;
  for (std::size_t k = 0; k < day.names.size(); ++k) {
    ids.push_back(session.enrol_prosumer(day.names[k]));
    session.security().place(ids.back(), day.buses[k]);
  }
  session.security().place(session.storage_account(), day.storage_bus);
  for (int hour = 0; hour < 24; ++hour) {
    session.clock().set(market_time::at(0, hour, 0));
    session.security().set_base_load(7, day.residential_load[static_cast<std::size_t>(hour)]);
    session.open_round();
    const auto& row = day.quotes[static_cast<std::size_t>(hour)];
    for (std::size_t k = 0; k < row.size(); ++k) {
      if (row[k].kind == 1) session.submit_buy(ids[k], row[k].buy);
      if (row[k].kind == 2) session.submit_sell(ids[k], row[k].sell);
    }
    session.clock().set(market_time::at(0, hour, 40));
    session.clear();
    session.clock().set(market_time::at(0, hour, 50));
    visit(session.settle(), session);
  }
  return session;
}

/// run_paper004_day with a null sink and nothing to visit.
template <class StorageUnit>
[[nodiscard]] paper004_session<StorageUnit> run_paper004_day(const paper004_day& day, StorageUnit unit) {
  return run_paper004_day(day, std::move(unit), null_ledger_sink{}, [](const coalition_round&, const auto&) {});
}

EVMARKET_END_NAMESPACE
