// Paper 001 (charging-right trading with creditworthiness): the AHP weights, Table III (user
// credit after settlement) and Table I (charging rights by creditworthiness), each printed beside
// evmarket's figures. Exits 1 if a figure disagrees beyond the tolerance stated for it.
#include <evmarket/evmarket.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

namespace {

double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

}  // namespace

int main() {
  using namespace evmarket;
  int mismatches = 0;

  // --- AHP weights: time, location, electricity --------------------------------------------------
  const pairwise_matrix judgments = pairwise_matrix::from_rows({{1, 5, 7}, {1. / 5, 1, 3}, {1. / 7, 1. / 3, 1}});
  const ahp_result ahp = analytic_hierarchy<>{}.evaluate(judgments);
  const char* criteria[] = {"time", "location", "electricity"};
  const double printed_percent[] = {73.064, 18.839, 8.096};
  std::printf("Paper 001, AHP weights from [[1, 5, 7], [1/5, 1, 3], [1/7, 1/3, 1]] (principal eigenvector)\n");
  std::printf("%-12s %10s %12s\n", "criterion", "paper %", "evmarket %");
  for (std::size_t i = 0; i < 3; ++i) {
    const bool same = round_to(100 * ahp.weights[i], 3) == printed_percent[i];
    mismatches += same ? 0 : 1;
    std::printf("%-12s %10.3f %12.3f  %s\n", criteria[i], printed_percent[i], 100 * ahp.weights[i],
                same ? "ok" : "MISMATCH");
  }
  const bool cr_same = round_to(ahp.consistency.ratio, 3) == 0.056;
  mismatches += cr_same ? 0 : 1;
  std::printf("lambda_max %.6f, CI %.6f, CR %.3f with RI(3) = %.2f (expected 0.056)  %s\n\n",
              ahp.consistency.lambda_max, ahp.consistency.index, ahp.consistency.ratio, ahp.consistency.random_index,
              cr_same ? "ok" : "MISMATCH");

  // --- Table III: user credit after settlement --------------------------------------------------
  // Stations A..E are ids 1..5; an hourly calendar (11:00-12:00 is slot 11); reserved and traded
  // power over the one-hour period are energies in kWh.
  struct user_row {
    const char* name;
    double before;  // Table II
    std::uint64_t reserved_station;
    double reserved_kw;
    std::int32_t reserved_hour;
    std::uint64_t traded_station;  // Table III
    double traded_kw;
    std::int32_t traded_hour;
    double printed_after;
  };
  const std::vector<user_row> users{{"user1", 8.25, 1, 32, 11, 1, 34.35, 10, 7.79},
                                    {"user2", 6.73, 4, 34, 13, 3, 36.56, 13, 7.35},
                                    {"user3", 9.21, 2, 40, 14, 2, 32.33, 15, 8.59},
                                    {"user4", 7.65, 5, 30, 15, 5, 31.64, 15, 8.65},
                                    {"user5", 8.34, 3, 36, 17, 3, 35.89, 17, 9.34}};
  const char* station_names = "?ABCDE";
  // Paper 001's printed weights, its rules (same period, same station, within 10 %), cap 10.
  user_credit_book<> book;
  std::vector<settled_reservation> settlements;
  for (std::size_t k = 0; k < users.size(); ++k) {
    const user_row& u = users[k];
    const user_id id{k + 1};
    book.enrol(id, u.before);
    settlements.push_back({{id, station_id{u.reserved_station}, {0, u.reserved_hour}, kilowatt_hours(u.reserved_kw)},
                           {id, station_id{u.traded_station}, {0, u.traded_hour}, kilowatt_hours(u.traded_kw)}});
  }
  const auto& rule = book.rule();
  std::printf("Paper 001, Table III: creditworthiness after settlement (printed to 2 decimals)\n");
  std::printf("%-6s %7s %9s %9s %7s %7s %7s %9s %10s\n", "user", "before", "reserved", "traded", "A_time", "A_loc",
              "A_elec", "paper", "evmarket");
  std::vector<conformance> verdicts;
  for (const settled_reservation& s : settlements) verdicts.push_back(rule.assess(s.booked, s.actual));
  book.settle_all(settlements);
  for (std::size_t k = 0; k < users.size(); ++k) {
    const user_row& u = users[k];
    const double after = book.credit(user_id{k + 1});
    const bool same = round_to(after, 2) == u.printed_after;
    mismatches += same ? 0 : 1;
    char reserved[16], traded[16];
    std::snprintf(reserved, sizeof reserved, "%c %02d:00", station_names[u.reserved_station], u.reserved_hour);
    std::snprintf(traded, sizeof traded, "%c %02d:00", station_names[u.traded_station], u.traded_hour);
    std::printf("%-6s %7.2f %9s %9s %+7d %+7d %+7d %9.2f %10.5f  %s\n", u.name, u.before, reserved, traded,
                verdicts[k].time, verdicts[k].location, verdicts[k].amount, u.printed_after, after,
                same ? "ok" : "MISMATCH");
  }
  std::printf("\n");

  // --- Table I: charging rights by creditworthiness ---------------------------------------------
  struct station_row {
    const char* name;
    double demand_kw;
    double credit;
    double printed_kw;
  };
  const std::vector<station_row> stations{
      {"A", 380, 90.87, 296.95}, {"B", 701, 165.33, 655.35}, {"D", 1120, 256.74, 1090.50}, {"E", 991, 233.18, 957.18}};
  std::vector<station_request> requests;
  for (std::size_t i = 0; i < stations.size(); ++i)
    requests.push_back({station_id{i}, kilowatts(stations[i].demand_kw), stations[i].credit});
  const power capacity = kilowatts(3000);
  const allocation inverse = inverse_credit_curtailment{}.allocate(capacity, requests);
  const allocation strict = strict_credit_priority{}.allocate(capacity, requests);
  // No simple rule reproduces the four printed rows exactly (the printed rights sum to 2999.98 kW;
  // see the papers' README). Curtailment inversely proportional to credit, using the capacity
  // exactly, comes closest: within 1.2 kW of every row (station E is printed 1.19 kW low).
  constexpr double tolerance_kw = 1.2;
  std::printf("Paper 001, Table I: charging rights, capacity %.0f kW, demand %.0f kW\n", capacity.display(),
              inverse.total_demand.display());
  std::printf("%-8s %10s %8s %10s %14s %10s %14s\n", "station", "demand kW", "credit", "paper kW", "inverse kW",
              "diff kW", "strict kW");
  double printed_total = 0.0;
  for (std::size_t i = 0; i < stations.size(); ++i) {
    const double diff = inverse.quotas[i].display() - stations[i].printed_kw;
    const bool close = std::abs(diff) <= tolerance_kw;
    mismatches += close ? 0 : 1;
    printed_total += stations[i].printed_kw;
    std::printf("%-8s %10.0f %8.2f %10.2f %14.3f %+10.3f %14.3f  %s\n", stations[i].name, stations[i].demand_kw,
                stations[i].credit, stations[i].printed_kw, inverse.quotas[i].display(), diff,
                strict.quotas[i].display(), close ? "ok" : "MISMATCH");
  }
  std::printf("%-8s %10.0f %8s %10.2f %14.3f %10s %14.3f\n\n", "total", inverse.total_demand.display(), "",
              printed_total, inverse.allocated.display(), "", strict.allocated.display());

  std::printf("%s\n", mismatches == 0 ? "AHP weights and Table III reproduced to the printed digits; "
                                        "Table I within 1.2 kW per station."
                                      : "Paper 001 NOT reproduced.");
  return mismatches == 0 ? 0 : 1;
}
