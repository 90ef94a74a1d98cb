// The market layer: paper 003's quota market session with a pricing rule chosen by name, its
// settlement, and the radial feeder's security check.
#include "rules.hpp"

#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace evmarket_python {
namespace {

template <class Rule>
using quota_session_of = em::quota_market_session<em::proportional_allocation, Rule>;
using any_quota_session = rule_variant<quota_session_of>;
using int64_array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

em::trading_period period(std::int64_t day, std::int32_t slot) { return {day, slot}; }

// One station column of run_period's input: a 1-D int64 array of `n` entries.
const std::int64_t* column(const int64_array& values, std::size_t n, const char* field) {
  if (values.ndim() != 1 || static_cast<std::size_t>(values.shape(0)) != n)
    throw_bad_input(field, "shape " + std::to_string(values.ndim() == 1 ? values.shape(0) : -1),
                    "must be a 1-D array with one entry per station");
  return values.data();
}

// The quota market session behind Python's QuotaMarketSession: every call visits the session
// instantiated for the chosen rule.
class py_quota_session {
 public:
  py_quota_session(const std::string& rule, const py::object& k, std::uint64_t seed) : rule_(rule) {
    const em::exact_rational r = to_rational(k, "k");
    const auto num = boost::multiprecision::numerator(r).convert_to<std::int64_t>();
    const auto den = boost::multiprecision::denominator(r).convert_to<std::int64_t>();
    session_ = std::visit(
        [](auto chosen) {
          return any_quota_session(std::in_place_type<quota_session_of<decltype(chosen)>>, em::session_setup(),
                                   em::proportional_allocation(), std::move(chosen));
        },
        make_rule(rule, num, den, seed));
  }
  template <class F>
  decltype(auto) visit(F&& f) {
    return std::visit(std::forward<F>(f), session_);
  }
  [[nodiscard]] const std::string& rule() const noexcept { return rule_; }

  em::quota_period_report run_period(std::int64_t day, std::int32_t slot, em::power margin,
                                     const std::vector<em::station_id>& stations, const int64_array& demand,
                                     const int64_array& deposit, const int64_array& sells,
                                     const int64_array& order_quantity, const int64_array& order_limit,
                                     const int64_array& metered) {
    const std::size_t n = stations.size();
    const std::int64_t *d = column(demand, n, "demand"), *dep = column(deposit, n, "deposit"),
                       *s = column(sells, n, "sells"), *q = column(order_quantity, n, "order_quantity"),
                       *l = column(order_limit, n, "order_limit"), *m = column(metered, n, "metered");
    em::quota_period_input input{period(day, slot), margin, {}};
    input.stations.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
      input.stations.push_back({stations[i], em::watts(d[i]), em::micro_tokens(dep[i]),
                                s[i] != 0 ? em::side::sell : em::side::buy, em::watt_hours(q[i]),
                                em::micro_tokens_per_kwh(l[i]), em::watt_hours(m[i])});
    py::gil_scoped_release unlocked;
    return visit([&](auto& session) { return session.run_period(input); });
  }

 private:
  std::string rule_;
  any_quota_session session_;
};

void bind_settlement(py::module_& m) {
  py::enum_<em::demand_status>(m, "DemandStatus")
      .value("accepted", em::demand_status::accepted)
      .value("deposit_insufficient", em::demand_status::deposit_insufficient);
  py::enum_<em::quota_order_status>(m, "QuotaOrderStatus")
      .value("accepted", em::quota_order_status::accepted)
      .value("auction_not_held", em::quota_order_status::auction_not_held)
      .value("exceeds_quota", em::quota_order_status::exceeds_quota)
      .value("deposit_insufficient", em::quota_order_status::deposit_insufficient);
  py::class_<em::settlement_line>(m, "SettlementLine", "One station's settlement (money in micro-Token, energy in Wh).")
      .def_property_readonly("day", [](const em::settlement_line& l) { return l.delivery.day; })
      .def_property_readonly("slot", [](const em::settlement_line& l) { return l.delivery.slot; })
      .def_readonly("station", &em::settlement_line::station)
      .def_readonly("deposit", &em::settlement_line::deposit)
      .def_readonly("fee", &em::settlement_line::fee)
      .def_readonly("penalty", &em::settlement_line::penalty)
      .def_readonly("auction_payment", &em::settlement_line::auction_payment, "positive pays, negative receives")
      .def_readonly("unpaid", &em::settlement_line::unpaid)
      .def_readonly("withdrawn", &em::settlement_line::withdrawn)
      .def_readonly("initial_quota", &em::settlement_line::initial_quota)
      .def_readonly("final_quota", &em::settlement_line::final_quota)
      .def_readonly("metered", &em::settlement_line::metered)
      .def_readonly("over_consumption", &em::settlement_line::over_consumption);
  py::class_<em::money_transfer>(m, "MoneyTransfer", "One movement of money between two accounts (micro-Token).")
      .def_readonly("sender", &em::money_transfer::from)
      .def_readonly("receiver", &em::money_transfer::to)
      .def_readonly("amount", &em::money_transfer::amount);
  py::class_<em::period_settlement>(m, "PeriodSettlement", "The outcome of settling one period.")
      .def_readonly("lines", &em::period_settlement::lines)
      .def_readonly("transfers", &em::period_settlement::transfers)
      .def_readonly("auction_surplus", &em::period_settlement::auction_surplus)
      .def_readonly("operator_income", &em::period_settlement::operator_income)
      .def("escrow_balance", &em::period_settlement::escrow_balance);
  py::class_<em::quota_period_report>(m, "QuotaPeriodReport", "Every step's outcome of one quota market period.")
      .def_readonly("quotas", &em::quota_period_report::quotas)
      .def_property_readonly("demands",
                             [](const em::quota_period_report& r) {
                               std::vector<std::pair<em::demand_status, em::money>> out;
                               for (const auto& d : r.demands) out.emplace_back(d.status, d.required_deposit);
                               return out;
                             })
      .def_property_readonly("orders",
                             [](const em::quota_period_report& r) {
                               std::vector<std::pair<em::quota_order_status, em::order_id>> out;
                               for (const auto& o : r.orders) out.emplace_back(o.status, o.id);
                               return out;
                             })
      .def_readonly("clearing", &em::quota_period_report::clearing)
      .def_readonly("settlement", &em::quota_period_report::settlement);
}

void bind_quota_session(py::module_& m) {
  using s = py_quota_session;
  py::class_<s>(m, "QuotaMarketSession",
                "Paper 003's two-stage quota market (Steps 1-6): beta pre-allocation, a call auction with the "
                "named pricing rule, time-of-use fees and over-consumption penalties, settled from escrow. Each "
                "call names its delivery period (day, slot of 30 minutes) and checks its phase against the "
                "session's clock (set_time).")
      .def(py::init<const std::string&, const py::object&, std::uint64_t>(), py::arg("rule") = "midpoint_per_match",
           py::arg("k") = py::float_(0.5), py::arg("seed") = 0, "rule: as CallAuction's")
      .def_property_readonly("rule", &s::rule)
      .def(
          "enrol_station",
          [](s& self, const std::string& name) { return self.visit([&](auto& q) { return q.enrol_station(name); }); },
          py::arg("name"), "Enrols a station and returns its id.")
      .def(
          "set_time",
          [](s& self, std::int64_t day, int hour, int minute) {
            self.visit([&](auto& q) { q.clock().set(em::market_time::at(day, hour, minute)); });
          },
          py::arg("day"), py::arg("hour"), py::arg("minute"), "Sets the session's clock.")
      .def(
          "broadcast_margin",
          [](s& self, std::int64_t day, std::int32_t slot, em::power margin) {
            self.visit([&](auto& q) { q.broadcast_margin(period(day, slot), margin); });
          },
          py::arg("day"), py::arg("slot"), py::arg("margin"), "Step 1: opens the period with the margin (W).")
      .def(
          "submit_demand",
          [](s& self, std::int64_t day, std::int32_t slot, em::station_id station, em::power demand, em::money deposit,
             double credit) {
            const auto r = self.visit(
                [&](auto& q) { return q.submit_demand(period(day, slot), station, demand, deposit, credit); });
            return std::make_pair(r.status, r.required_deposit);
          },
          py::arg("day"), py::arg("slot"), py::arg("station"), py::arg("demand"), py::arg("deposit"),
          py::arg("credit") = 1.0, "Step 2: demand (W) and deposit (micro-Token); returns (status, required deposit).")
      .def(
          "pre_allocate",
          [](s& self, std::int64_t day, std::int32_t slot) {
            return self.visit([&](auto& q) { return q.pre_allocate(period(day, slot)); });
          },
          py::arg("day"), py::arg("slot"), "Step 3: the beta pre-allocation (an Allocation).")
      .def(
          "submit_order",
          [](s& self, std::int64_t day, std::int32_t slot, em::station_id station, em::side order_side,
             em::energy quantity, em::price limit) {
            const auto r = self.visit(
                [&](auto& q) { return q.submit_order(period(day, slot), station, order_side, quantity, limit); });
            return std::make_pair(r.status, r.id);
          },
          py::arg("day"), py::arg("slot"), py::arg("station"), py::arg("side"), py::arg("quantity"), py::arg("limit"),
          "Step 4: a bid or offer of quota energy (Wh at micro-Token/kWh); returns (status, order id).")
      .def(
          "clear",
          [](s& self, std::int64_t day, std::int32_t slot) {
            return self.visit([&](auto& q) { return q.clear(period(day, slot)); });
          },
          py::arg("day"), py::arg("slot"), "Step 5: the call auction (a CallAuctionResult).")
      .def(
          "record_metering",
          [](s& self, std::int64_t day, std::int32_t slot, em::station_id station, em::energy metered) {
            self.visit([&](auto& q) { q.record_metering(period(day, slot), station, metered); });
          },
          py::arg("day"), py::arg("slot"), py::arg("station"), py::arg("metered"), "Step 6: the meter's energy (Wh).")
      .def(
          "settle",
          [](s& self, std::int64_t day, std::int32_t slot) {
            return self.visit([&](auto& q) { return q.settle(period(day, slot)); });
          },
          py::arg("day"), py::arg("slot"), "Settles the period after delivery (a PeriodSettlement).")
      .def("run_period", &s::run_period, py::arg("day"), py::arg("slot"), py::arg("margin"), py::arg("stations"),
           py::arg("demand"), py::arg("deposit"), py::arg("sells"), py::arg("order_quantity"), py::arg("order_limit"),
           py::arg("metered"),
           "Drives a whole period through every phase, one entry per station in each array (int64: W, micro-Token, "
           "0 buy / 1 sell, Wh, micro-Token/kWh, Wh; quantity 0: no order). Returns a QuotaPeriodReport.")
      .def("open_periods", [](s& self) { return self.visit([](auto& q) { return q.open_periods(); }); })
      .def("__repr__", [](const s& self) { return "QuotaMarketSession(rule='" + self.rule() + "')"; });
}

void bind_network(py::module_& m) {
  py::class_<em::security_verdict>(m, "SecurityVerdict", "Whether a trade passed the security check.")
      .def_readonly("passed", &em::security_verdict::passed)
      .def_readonly("ticket", &em::security_verdict::ticket, "what release() takes back (0: not passed)")
      .def_property_readonly("congested_line",
                             [](const em::security_verdict& v) -> py::object {
                               if (v.congested_line == em::security_verdict::no_line) return py::none();
                               return py::int_(v.congested_line);
                             })
      .def("__bool__", [](const em::security_verdict& v) { return v.passed; });
  py::class_<em::radial_feeder>(m, "RadialFeeder",
                                "A radial distribution feeder (bus 0 at the transformer, lines with thermal limits "
                                "in W): the security check of papers 000 and 004.")
      .def(py::init([](std::size_t bus_count,
                       const std::vector<std::tuple<em::bus_index, em::bus_index, em::power>>& lines,
                       em::power transformer_limit) {
             std::vector<em::feeder_line> spec;
             for (const auto& [a, b, limit] : lines) spec.push_back({a, b, limit});
             return em::radial_feeder(bus_count, spec, transformer_limit);
           }),
           py::arg("bus_count"), py::arg("lines"), py::arg("transformer_limit"),
           "lines: (bus, bus, limit W) for each of the bus_count - 1 lines of a tree")
      .def("set_base_load", &em::radial_feeder::set_base_load, py::arg("bus"), py::arg("load"))
      .def("place", &em::radial_feeder::place, py::arg("participant"), py::arg("bus"))
      .def("bus_of", &em::radial_feeder::bus_of, py::arg("participant"))
      .def("post_congestion_fee", &em::radial_feeder::post_congestion_fee, py::arg("line"), py::arg("fee_per_kwh"))
      .def("check_and_reserve", &em::radial_feeder::check_and_reserve, py::arg("seller"), py::arg("buyer"),
           py::arg("flow"))
      .def("release", &em::radial_feeder::release, py::arg("ticket"))
      .def("release_all", &em::radial_feeder::release_all)
      .def("flow", &em::radial_feeder::flow, py::arg("line"))
      .def("utilisation", &em::radial_feeder::utilisation, py::arg("line"))
      .def("headroom", &em::radial_feeder::headroom, py::arg("line"))
      .def("transformer_flow", &em::radial_feeder::transformer_flow)
      .def("congestion_fee", &em::radial_feeder::congestion_fee, py::arg("seller"), py::arg("buyer"))
      .def("path", &em::radial_feeder::path, py::arg("start"), py::arg("end"))
      .def_property_readonly("bus_count", &em::radial_feeder::bus_count)
      .def_property_readonly("line_count", &em::radial_feeder::line_count);
}

}  // namespace

void bind_market(py::module_& m) {
  bind_settlement(m);
  bind_quota_session(m);
  bind_network(m);
}

}  // namespace evmarket_python
