// The continuous double auction: one order at a time, or a batch of NumPy arrays in one call
// (the loop runs in C++ without the GIL, trades come back as arrays).
#include "common.hpp"

#include <array>
#include <vector>

namespace evmarket_python {

namespace {

// Keeps the trades column by column, ready to become NumPy arrays.
struct column_listener : em::null_order_book_listener {
#define EVMARKET_PYTHON_TRADE_COLUMN(field, doc) std::vector<decltype(plain(em::trade{}.field))> field;
  EVMARKET_PYTHON_TRADE_FIELDS(EVMARKET_PYTHON_TRADE_COLUMN)
#undef EVMARKET_PYTHON_TRADE_COLUMN
  void on_trade(const em::trade& t) {
#define EVMARKET_PYTHON_TRADE_PUSH(field, doc) field.push_back(plain(t.field));
    EVMARKET_PYTHON_TRADE_FIELDS(EVMARKET_PYTHON_TRADE_PUSH)
#undef EVMARKET_PYTHON_TRADE_PUSH
  }
  // Moves the columns out as a dict of NumPy arrays and starts afresh.
  py::dict take() {
    py::dict out;
#define EVMARKET_PYTHON_TRADE_TAKE(field, doc) \
  out[#field] = py::array(static_cast<py::ssize_t>(field.size()), field.data()); \
  field.clear();
    EVMARKET_PYTHON_TRADE_FIELDS(EVMARKET_PYTHON_TRADE_TAKE)
#undef EVMARKET_PYTHON_TRADE_TAKE
    return out;
  }
};

using book_type = em::order_book<column_listener>;

em::side side_from(std::string_view s) {
  if (s == "buy") return em::side::buy;
  if (s == "sell") return em::side::sell;
  throw_bad_input("side", std::string(s), "must be 'buy' or 'sell'");
}

em::time_in_force duration_from(std::string_view s) {
  if (s == "gtc") return em::time_in_force::good_till_cancel;
  if (s == "ioc") return em::time_in_force::immediate_or_cancel;
  if (s == "fok") return em::time_in_force::fill_or_kill;
  throw_bad_input("time_in_force", std::string(s), "must be 'gtc', 'ioc' or 'fok'");
}

template <class T>
using column = py::array_t<T, py::array::c_style | py::array::forcecast>;

// Runs the batch: sides (0 buy, 1 sell; or bool is_sell), prices (micro-Token/kWh), quantities (Wh).
py::dict add_batch(book_type& book, std::uint64_t& next_id, const column<std::int8_t>& sides,
                   const column<std::int64_t>& prices, const column<std::int64_t>& quantities, std::uint64_t owner) {
  const py::ssize_t n = sides.size();
  if (prices.size() != n || quantities.size() != n)
    throw_bad_input("prices, quantities", std::to_string(prices.size()) + ", " + std::to_string(quantities.size()),
                    "must have as many entries as sides (" + std::to_string(n) + ")");
  const std::int8_t* s = sides.data();
  for (py::ssize_t i = 0; i < n; ++i)
    if (s[i] != 0 && s[i] != 1)
      throw_bad_input("sides[" + std::to_string(i) + "]", std::to_string(s[i]), "must be 0 (buy) or 1 (sell)");
  const std::int64_t* p = prices.data();
  const std::int64_t* q = quantities.data();
  py::array_t<std::uint8_t> status(n);
  py::array_t<std::uint64_t> ids(n);
  std::uint8_t* st = status.mutable_data();
  std::uint64_t* id = ids.mutable_data();
  {
    py::gil_scoped_release unlocked;
    for (py::ssize_t i = 0; i < n; ++i) {
      id[i] = next_id++;
      const em::order_result r =
          book.add(em::limit_order(em::order_id{id[i]}, em::participant_id{owner}, s[i] ? em::side::sell : em::side::buy,
                                   em::micro_tokens_per_kwh(p[i]), em::watt_hours(q[i])));
      st[i] = static_cast<std::uint8_t>(r.status);
    }
  }
  py::dict out = book.listener().take();
  out["order_ids"] = ids;
  out["status"] = status;
  return out;
}

void bind_values(py::module_& m) {
  py::enum_<em::order_status>(m, "OrderStatus")
      .value("rejected", em::order_status::rejected)
      .value("resting", em::order_status::resting)
      .value("filled", em::order_status::filled)
      .value("cancelled", em::order_status::cancelled);
  py::enum_<em::reject_reason>(m, "RejectReason")
      .value("none", em::reject_reason::none)
      .value("non_positive_quantity", em::reject_reason::non_positive_quantity)
      .value("non_positive_price", em::reject_reason::non_positive_price)
      .value("duplicate_order_id", em::reject_reason::duplicate_order_id)
      .value("unknown_order_id", em::reject_reason::unknown_order_id)
      .value("invalid_option", em::reject_reason::invalid_option)
      .value("no_liquidity", em::reject_reason::no_liquidity)
      .value("cannot_fill_in_full", em::reject_reason::cannot_fill_in_full)
      .value("overflow", em::reject_reason::overflow);
  py::class_<em::order_result>(m, "OrderResult", "What one operation did to one order.")
      .def_readonly("status", &em::order_result::status)
      .def_readonly("reason", &em::order_result::reason)
      .def_readonly("filled", &em::order_result::filled, "Wh filled by this operation")
      .def_readonly("cancelled", &em::order_result::cancelled, "Wh cancelled by this operation")
      .def_readonly("open", &em::order_result::open, "Wh still open afterwards")
      .def("accepted", &em::order_result::accepted)
      .def("__repr__", [](const em::order_result& r) {
        return std::string("OrderResult(status=") + std::string(em::to_string(r.status)) +
               ", reason=" + std::string(em::to_string(r.reason)) + ", filled=" + std::to_string(r.filled.base()) +
               ", open=" + std::to_string(r.open.base()) + ")";
      });
  py::class_<em::depth_level>(m, "DepthLevel", "One price level of the book.")
      .def_readonly("price", &em::depth_level::level_price, "micro-Token/kWh")
      .def_readonly("quantity", &em::depth_level::quantity, "Wh open at this price")
      .def_readonly("orders", &em::depth_level::orders)
      .def("__repr__", [](const em::depth_level& d) {
        return "DepthLevel(price=" + std::to_string(d.level_price.base()) + ", quantity=" +
               std::to_string(d.quantity.base()) + ", orders=" + std::to_string(d.orders) + ")";
      });
}

}  // namespace

void bind_order_book(py::module_& m) {
  bind_values(m);
  struct py_book {
    book_type book;
    std::uint64_t next_id = 1;
  };
  py::class_<py_book>(m, "OrderBook",
                      "A price-time-priority limit order book (continuous double auction). Prices in "
                      "micro-Token/kWh, quantities in Wh; trades accumulate until take_trades().")
      .def(py::init<>())
      .def(
          "add",
          [](py_book& b, em::order_id id, em::participant_id owner, std::string_view s, em::price limit,
             em::energy quantity, std::string_view type, std::string_view tif, bool all_or_none) {
            em::order_request r{id, owner, side_from(s), em::order_type::limit, duration_from(tif), limit, quantity,
                                all_or_none};
            if (type == "market") {
              r = em::market_order(id, owner, side_from(s), quantity);
              r.all_or_none = all_or_none;
            } else if (type != "limit") {
              throw_bad_input("type", std::string(type), "must be 'limit' or 'market'");
            }
            if (id.value >= b.next_id) b.next_id = id.value + 1;
            return b.book.add(r);
          },
          py::arg("id"), py::arg("owner"), py::arg("side"), py::arg("price"), py::arg("quantity"),
          py::arg("type") = "limit", py::arg("time_in_force") = "gtc", py::arg("all_or_none") = false,
          "Submits one order (side 'buy'/'sell'; type 'limit'/'market'; time_in_force 'gtc'/'ioc'/'fok').")
      .def(
          "add_batch",
          [](py_book& b, const column<std::int8_t>& sides, const column<std::int64_t>& prices,
             const column<std::int64_t>& quantities, std::uint64_t owner) {
            return add_batch(b.book, b.next_id, sides, prices, quantities, owner);
          },
          py::arg("sides"), py::arg("prices"), py::arg("quantities"), py::arg("owner") = 0,
          "Adds good-till-cancel limit orders from arrays: sides (0 buy, 1 sell), prices (micro-Token/kWh), "
          "quantities (Wh). Ids are assigned in sequence. Returns a dict of arrays: the trades' fields, plus "
          "order_ids and status (OrderStatus values) per order. The loop runs without the GIL.")
      .def("cancel", [](py_book& b, em::order_id id) { return b.book.cancel(id); }, py::arg("id"))
      .def("reduce", [](py_book& b, em::order_id id, em::energy amount) { return b.book.reduce(id, amount); },
           py::arg("id"), py::arg("amount"))
      .def("replace",
           [](py_book& b, em::order_id id, em::price p, em::energy open) { return b.book.replace(id, p, open); },
           py::arg("id"), py::arg("price"), py::arg("open"))
      .def("best_bid", [](const py_book& b) { return b.book.best_bid(); }, "best bid price or None")
      .def("best_ask", [](const py_book& b) { return b.book.best_ask(); }, "best offer price or None")
      .def("depth", [](const py_book& b, std::string_view s, std::size_t levels) { return b.book.depth(side_from(s), levels); },
           py::arg("side"), py::arg("levels") = 5)
      .def("take_trades", [](py_book& b) { return b.book.listener().take(); },
           "The trades since the last call, as a dict of NumPy arrays (one per Trade field).")
      .def("clear", [](py_book& b) { b.book.clear(); }, "Empties the book (trades not yet taken are kept).")
      .def("reserve", [](py_book& b, std::size_t orders, std::size_t levels) { b.book.reserve(orders, levels); },
           py::arg("orders"), py::arg("levels"))
      .def("__len__", [](const py_book& b) { return b.book.size(); })
      .def_property_readonly("traded_volume", [](const py_book& b) { return b.book.totals().traded; }, "Wh");
}

}  // namespace evmarket_python
