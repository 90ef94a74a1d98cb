// The call auction: orders, every pricing rule, results, positions and the metrics.
#include "rules.hpp"

#include <memory>
#include <vector>

namespace evmarket_python {

any_rule make_rule(std::string_view rule, std::int64_t k_num, std::int64_t k_den, std::uint64_t seed) {
  if (rule == "midpoint_per_match") return em::midpoint_per_match{};
  if (rule == "pay_as_bid") return em::pay_as_bid{};
  if (rule == "pay_as_offer") return em::pay_as_offer{};
  if (rule == "mcafee") return em::mcafee{};
  if (rule == "trade_reduction") return em::trade_reduction{};
  if (rule == "vcg") return em::vcg{};
  if (rule == "sbba") return em::sbba<>(seed);
  if (rule == "uniform_price") {
    // k_num / k_den is in lowest terms (it comes from a Fraction).
    if (k_num == 0) return uniform_0{};
    if (k_num == 1 && k_den == 4) return uniform_1_4{};
    if (k_num == 1 && k_den == 3) return uniform_1_3{};
    if (k_num == 1 && k_den == 2) return uniform_1_2{};
    if (k_num == 2 && k_den == 3) return uniform_2_3{};
    if (k_num == 3 && k_den == 4) return uniform_3_4{};
    if (k_num == 1 && k_den == 1) return uniform_1{};
    throw_bad_input("k", std::to_string(k_num) + "/" + std::to_string(k_den),
                    "uniform_price offers k in {0, 1/4, 1/3, 1/2, 2/3, 3/4, 1}");
  }
  throw_bad_input("rule", std::string(rule), std::string("must be one of: ") + rule_names);
}

namespace {

// k as numerator/denominator from a Python number (Fraction, int, float such as 0.5).
std::pair<std::int64_t, std::int64_t> k_ratio(const py::handle& k) {
  const em::exact_rational r = to_rational(k, "k");
  const auto num = boost::multiprecision::numerator(r), den = boost::multiprecision::denominator(r);
  if (num < 0 || num > den || den > 12) throw_bad_input("k", r.str(), "uniform_price offers k in {0, 1/4, 1/3, 1/2, 2/3, 3/4, 1}");
  return {num.convert_to<std::int64_t>(), den.convert_to<std::int64_t>()};
}

// A call auction chosen by rule name, keeping its state (SBBA's lottery) between clearings.
class py_call_auction {
 public:
  py_call_auction(std::string rule, const py::object& k, std::uint64_t seed) : rule_(std::move(rule)) {
    const auto [num, den] = k_ratio(k);
    auction_ = make_call_auction(rule_, num, den, seed);
  }
  em::call_auction_result clear(const std::vector<em::call_order>& bids, const std::vector<em::call_order>& offers) {
    py::gil_scoped_release unlocked;
    return std::visit([&](auto& auction) { return auction.clear(bids, offers); }, auction_);
  }
  [[nodiscard]] const std::string& rule() const noexcept { return rule_; }

 private:
  std::string rule_;
  any_call_auction auction_;
};

void bind_orders(py::module_& m) {
  py::enum_<em::side>(m, "Side", "Which side of the market an order is on.")
      .value("buy", em::side::buy, "a bid: wants energy, pays money")
      .value("sell", em::side::sell, "an offer: gives energy, receives money");

  py::class_<em::trade> trade(m, "Trade", "One execution: `quantity` Wh pass from `seller` to `buyer`.");
#define EVMARKET_PYTHON_TRADE_PROPERTY(field, doc) \
  trade.def_property_readonly(#field, [](const em::trade& t) { return plain(t.field); }, doc);
  EVMARKET_PYTHON_TRADE_FIELDS(EVMARKET_PYTHON_TRADE_PROPERTY)
#undef EVMARKET_PYTHON_TRADE_PROPERTY
  trade.def("single_price", &em::trade::single_price, "True when buyer and seller trade at one price.")
      .def("__eq__", [](const em::trade& a, const em::trade& b) { return a == b; })
      .def("__repr__", [](const em::trade& t) {
        return "Trade(buyer=" + std::to_string(t.buyer.value) + ", seller=" + std::to_string(t.seller.value) +
               ", quantity=" + std::to_string(t.quantity.base()) + " Wh, buyer_price=" +
               std::to_string(t.buyer_price.base()) + ", seller_price=" + std::to_string(t.seller_price.base()) +
               " uToken/kWh)";
      });

  py::class_<em::call_order>(m, "CallOrder",
                             "A bid or offer in a call auction: up to `quantity` Wh at a unit price no worse than "
                             "`limit` micro-Token/kWh. Divisible.")
      .def(py::init([](em::order_id id, em::participant_id participant, em::energy quantity, em::price limit) {
             return em::call_order{id, participant, quantity, limit};
           }),
           py::arg("id"), py::arg("participant"), py::arg("quantity"), py::arg("limit"))
      .def_readwrite("id", &em::call_order::id, "order id (int)")
      .def_readwrite("participant", &em::call_order::participant, "participant id (int)")
      .def_readwrite("quantity", &em::call_order::quantity, "energy to trade (Wh, positive)")
      .def_readwrite("limit", &em::call_order::limit, "limit price (micro-Token/kWh, positive)")
      .def("__eq__", [](const em::call_order& a, const em::call_order& b) { return a == b; })
      .def("__repr__", [](const em::call_order& o) {
        return "CallOrder(id=" + std::to_string(o.id.value) + ", participant=" + std::to_string(o.participant.value) +
               ", quantity=" + std::to_string(o.quantity.base()) + ", limit=" + std::to_string(o.limit.base()) + ")";
      });
}

void bind_results(py::module_& m) {
  py::enum_<em::clearing_status>(m, "ClearingStatus")
      .value("cleared", em::clearing_status::cleared)
      .value("no_trade", em::clearing_status::no_trade);
  py::class_<em::order_outcome>(m, "OrderOutcome", "What one order received: energy traded and money moved.")
      .def_readonly("traded", &em::order_outcome::traded, "energy traded (Wh)")
      .def_readonly("amount", &em::order_outcome::amount, "money paid (bid) or received (offer), micro-Token")
      .def("__repr__", [](const em::order_outcome& o) {
        return "OrderOutcome(traded=" + std::to_string(o.traded.base()) + ", amount=" + std::to_string(o.amount.base()) +
               ")";
      });
  py::class_<em::participant_position>(m, "ParticipantPosition", "A participant's net position after a clearing.")
      .def_readonly("participant", &em::participant_position::participant)
      .def_readonly("bought", &em::participant_position::bought, "energy bought (Wh)")
      .def_readonly("sold", &em::participant_position::sold, "energy sold (Wh)")
      .def_readonly("net_payment", &em::participant_position::net_payment,
                    "money paid minus received (micro-Token; negative receives)")
      .def("__repr__", [](const em::participant_position& p) {
        return "ParticipantPosition(participant=" + std::to_string(p.participant.value) +
               ", bought=" + std::to_string(p.bought.base()) + ", sold=" + std::to_string(p.sold.base()) +
               ", net_payment=" + std::to_string(p.net_payment.base()) + ")";
      });
  py::class_<em::call_auction_result>(m, "CallAuctionResult", "The outcome of one call-auction clearing.")
      .def_readonly("status", &em::call_auction_result::status)
      .def_readonly("rule", &em::call_auction_result::rule, "the pricing rule's name")
      .def_readonly("trades", &em::call_auction_result::trades)
      .def_readonly("bid_outcomes", &em::call_auction_result::bid_outcomes, "one per bid, input order")
      .def_readonly("offer_outcomes", &em::call_auction_result::offer_outcomes, "one per offer, input order")
      .def_readonly("volume", &em::call_auction_result::volume, "energy traded (Wh)")
      .def_readonly("buyers_paid", &em::call_auction_result::buyers_paid, "micro-Token")
      .def_readonly("sellers_received", &em::call_auction_result::sellers_received, "micro-Token")
      .def_readonly("auctioneer_surplus", &em::call_auction_result::auctioneer_surplus,
                    "buyers_paid - sellers_received (micro-Token; negative: deficit)")
      .def_readonly("lowest_price", &em::call_auction_result::lowest_price, "micro-Token/kWh")
      .def_readonly("highest_price", &em::call_auction_result::highest_price, "micro-Token/kWh")
      .def("uniform_price", &em::call_auction_result::uniform_price, "True when every trade is at one price")
      .def("positions", &em::call_auction_result::positions, "net position per participant, ascending by id")
      .def("__repr__", [](const em::call_auction_result& r) {
        return "CallAuctionResult(rule='" + std::string(r.rule) + "', trades=" + std::to_string(r.trades.size()) +
               ", volume=" + std::to_string(r.volume.base()) + " Wh, surplus=" +
               std::to_string(r.auctioneer_surplus.base()) + " uToken)";
      });
}

void bind_metrics(py::module_& m) {
  py::enum_<em::budget_balance>(m, "BudgetBalance")
      .value("balanced", em::budget_balance::balanced)
      .value("surplus", em::budget_balance::surplus)
      .value("deficit", em::budget_balance::deficit);
  py::class_<em::rationality_violation>(m, "RationalityViolation", "An order that traded beyond its limit.")
      .def_readonly("side", &em::rationality_violation::of)
      .def_readonly("index", &em::rationality_violation::index, "position among the bids or offers")
      .def_readonly("utility", &em::rationality_violation::utility, "micro-Token (negative or zero)");
  py::class_<em::clearing_metrics>(m, "ClearingMetrics", "What one clearing achieved, measured at the reported limits.")
      .def_readonly("rule", &em::clearing_metrics::rule)
      .def_readonly("volume", &em::clearing_metrics::volume, "Wh")
      .def_readonly("efficient_volume", &em::clearing_metrics::efficient_volume, "Wh")
      .def_readonly("gains_from_trade", &em::clearing_metrics::gains_from_trade, "micro-Token")
      .def_readonly("efficient_gains", &em::clearing_metrics::efficient_gains, "micro-Token")
      .def_readonly("bid_utilities", &em::clearing_metrics::bid_utilities, "micro-Token per bid")
      .def_readonly("offer_utilities", &em::clearing_metrics::offer_utilities, "micro-Token per offer")
      .def_readonly("buyers_utility", &em::clearing_metrics::buyers_utility, "micro-Token")
      .def_readonly("sellers_utility", &em::clearing_metrics::sellers_utility, "micro-Token")
      .def_readonly("auctioneer_surplus", &em::clearing_metrics::auctioneer_surplus, "micro-Token")
      .def_readonly("balance", &em::clearing_metrics::balance)
      .def_readonly("rationality_violations", &em::clearing_metrics::rationality_violations)
      .def_readonly("lowest_price", &em::clearing_metrics::lowest_price, "micro-Token/kWh")
      .def_readonly("highest_price", &em::clearing_metrics::highest_price, "micro-Token/kWh")
      .def_readonly("average_buyer_price", &em::clearing_metrics::average_buyer_price, "micro-Token/kWh")
      .def_readonly("efficiency", &em::clearing_metrics::efficiency, "gains / efficient gains (1 when none possible)")
      .def_property_readonly("volume_share", &em::clearing_metrics::volume_share)
      .def("__repr__", [](const em::clearing_metrics& x) {
        return "ClearingMetrics(rule='" + std::string(x.rule) + "', efficiency=" + std::to_string(x.efficiency) +
               ", volume_share=" + std::to_string(x.volume_share()) +
               ", surplus=" + std::to_string(x.auctioneer_surplus.base()) + ")";
      });
  m.def(
      "measure",
      [](const std::vector<em::call_order>& bids, const std::vector<em::call_order>& offers,
         const em::call_auction_result& result) { return em::measure(bids, offers, result); },
      py::arg("bids"), py::arg("offers"), py::arg("result"),
        "Measures `result`, the clearing of `bids` and `offers` (efficiency, utilities, budget balance, IR).");
}

}  // namespace

void bind_auction(py::module_& m) {
  bind_orders(m);
  bind_results(m);
  bind_metrics(m);
  py::class_<py_call_auction>(m, "CallAuction",
                              "A sealed-bid double auction (paper 003 Algorithm 1) with a pricing rule chosen by "
                              "name; keeps the rule's state (SBBA's seeded lottery) between clearings.")
      .def(py::init<std::string, py::object, std::uint64_t>(), py::arg("rule") = "uniform_price",
           py::arg("k") = py::float_(0.5), py::arg("seed") = 0,
           "rule: one of midpoint_per_match, uniform_price (k in {0, 1/4, 1/3, 1/2, 2/3, 3/4, 1}), pay_as_bid, "
           "pay_as_offer, mcafee, trade_reduction, vcg, sbba (seed: the lottery's seed)")
      .def("clear", &py_call_auction::clear, py::arg("bids"), py::arg("offers"),
           "Clears one call: bids and offers (lists of CallOrder) in, trades and payments out.")
      .def_property_readonly("rule", &py_call_auction::rule)
      .def("__repr__", [](const py_call_auction& a) { return "CallAuction(rule='" + a.rule() + "')"; });
  m.def(
      "clear_call",
      [](const std::vector<em::call_order>& bids, const std::vector<em::call_order>& offers, std::string rule,
         const py::object& k, std::uint64_t seed) { return py_call_auction(std::move(rule), k, seed).clear(bids, offers); },
      py::arg("bids"), py::arg("offers"), py::arg("rule") = "uniform_price", py::arg("k") = py::float_(0.5),
      py::arg("seed") = 0, "Clears one call with a fresh auction of the named rule (see CallAuction).");
  m.attr("PRICING_RULES") = py::make_tuple("midpoint_per_match", "uniform_price", "pay_as_bid", "pay_as_offer",
                                           "mcafee", "trade_reduction", "vcg", "sbba");
}

}  // namespace evmarket_python
