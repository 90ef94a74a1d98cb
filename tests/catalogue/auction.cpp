// Catalogue rows for auction/: the continuous order book, the call auction under every pricing
// rule, the call market and the metrics.
#include "catalogue.hpp"

#include <limits>
#include <memory>
#include <sstream>
#include <tuple>

namespace {

using namespace evmarket;
using evmarket_catalogue::same;
using evmarket_catalogue::section;
using evmarket_catalogue::verdict;

constexpr std::int64_t max64 = std::numeric_limits<std::int64_t>::max();

// ---- the continuous order book: rejections are status values (order_result + on_rejected) ----

/// Keeps the last rejection event, so a row can show what the book told its listener.
struct rejection_listener : null_order_book_listener {
  std::string last;
  void on_rejected(order_id id, book_operation operation, reject_reason reason) {
    static constexpr const char* names[] = {"add", "cancel", "reduce", "replace"};
    std::ostringstream text;
    text << names[static_cast<int>(operation)] << ' ' << id << ": " << to_string(reason);
    last = text.str();
  }
};
using book = order_book<rejection_listener>;

/// Every resting order (both sides, priority order) and the lifetime totals.
auto snapshot_book(const book& b) {
  std::vector<resting_order> orders;
  for (side s : {side::buy, side::sell}) b.for_each_order(s, [&](const resting_order& o) { orders.push_back(o); });
  return std::tuple(orders, b.totals());
}

/// A book with two bids and two offers resting (ids 1-4), after one trade (ids 5/6 filled).
book populated() {
  book b;
  b.add(limit_order(order_id{1}, participant_id{10}, side::buy, tokens_per_kwh(1.0), kilowatt_hours(5)));
  b.add(limit_order(order_id{2}, participant_id{11}, side::buy, tokens_per_kwh(0.9), kilowatt_hours(3)));
  b.add(limit_order(order_id{3}, participant_id{12}, side::sell, tokens_per_kwh(1.2), kilowatt_hours(4)));
  b.add(limit_order(order_id{4}, participant_id{13}, side::sell, tokens_per_kwh(1.3), kilowatt_hours(6)));
  b.add(limit_order(order_id{5}, participant_id{14}, side::sell, tokens_per_kwh(1.0), kilowatt_hours(1)));
  return b;
}
book one_sided() {
  book b;
  b.add(limit_order(order_id{1}, participant_id{10}, side::buy, tokens_per_kwh(1.0), kilowatt_hours(5)));
  return b;
}
/// A book whose entered total is one Wh below 2^63 - 1 Wh.
book nearly_full() {
  book b;
  b.add(limit_order(order_id{1}, participant_id{10}, side::buy, micro_tokens_per_kwh(1), watt_hours(max64 - 1)));
  return b;
}

/// A book that has entered 2^63 - 1 Wh in total, 10 Wh of it cancelled: order 1 rests with the rest.
book entered_to_the_limit() {
  book b;
  b.add(limit_order(order_id{2}, participant_id{11}, side::buy, micro_tokens_per_kwh(1), watt_hours(10)));
  b.add(limit_order(order_id{1}, participant_id{10}, side::buy, micro_tokens_per_kwh(1), watt_hours(max64 - 10)));
  b.cancel(order_id{2});
  return b;
}

std::string reason_name(reject_reason r) {
  static constexpr const char* names[] = {"none", "non_positive_quantity", "non_positive_price", "duplicate_order_id",
                                          "unknown_order_id", "invalid_option", "no_liquidity",
                                          "cannot_fill_in_full", "overflow"};
  return std::string("reject_reason::") + names[static_cast<int>(r)];
}

/// The verdict of an order-book operation: its reject reason and the rejection event.
verdict of(const book& b, const order_result& r) {
  if (r.accepted()) return {};
  return {reason_name(r.reason), b.listener().last};
}

void book_row(section& s, std::string entry, std::string input, reject_reason expected, std::string id,
              book (*make)(), std::function<order_result(book&)> act) {
  const std::string reason(to_string(expected));
  s.on_status(std::move(entry), std::move(input), reason_name(expected), id, reason, make,
              [act](book& b) { return of(b, act(b)); }, snapshot_book);
}

order_request with(order_request r, auto change) {
  change(r);
  return r;
}

void order_book_rows(section& s) {
  const auto bid = [](std::uint64_t id, double limit, double kwh) {
    return limit_order(order_id{id}, participant_id{20}, side::buy, tokens_per_kwh(limit), kilowatt_hours(kwh));
  };
  const auto add = [](order_request r) { return [r](book& b) { return b.add(r); }; };
  using R = reject_reason;
  const std::string a = "order_book::add";
  book_row(s, a, "zero quantity", R::non_positive_quantity, "O9", populated, add(bid(9, 1, 0)));
  book_row(s, a, "negative quantity", R::non_positive_quantity, "O9", populated,
           add(with(bid(9, 1, 1), [](order_request& r) { r.quantity = watt_hours(-5); })));
  book_row(s, a, "zero limit price", R::non_positive_price, "O9", populated, add(bid(9, 0, 1)));
  book_row(s, a, "negative limit price", R::non_positive_price, "O9", populated, add(bid(9, -1, 1)));
  book_row(s, a, "duplicate id of a resting bid", R::duplicate_order_id, "O1", populated, add(bid(1, 1, 1)));
  book_row(s, a, "duplicate id of a resting offer (replayed add)", R::duplicate_order_id, "O3", populated,
           add(limit_order(order_id{3}, participant_id{12}, side::sell, tokens_per_kwh(1.2), kilowatt_hours(4))));
  book_row(s, a, "side outside its enumeration", R::invalid_option, "O9", populated,
           add(with(bid(9, 1, 1), [](order_request& r) { r.order_side = static_cast<side>(7); })));
  book_row(s, a, "order type outside its enumeration", R::invalid_option, "O9", populated,
           add(with(bid(9, 1, 1), [](order_request& r) { r.type = static_cast<order_type>(9); })));
  book_row(s, a, "time in force outside its enumeration", R::invalid_option, "O9", populated,
           add(with(bid(9, 1, 1), [](order_request& r) { r.duration = static_cast<time_in_force>(3); })));
  book_row(s, a, "market order against an empty side", R::no_liquidity, "O9", one_sided,
           add(market_order(order_id{9}, participant_id{20}, side::buy, kilowatt_hours(1))));
  book_row(s, a, "market order with zero quantity", R::non_positive_quantity, "O9", populated,
           add(market_order(order_id{9}, participant_id{20}, side::buy, energy::zero())));
  book_row(s, a, "fill-or-kill larger than the opposite side", R::cannot_fill_in_full, "O9", populated,
           add(with(bid(9, 2, 100), [](order_request& r) { r.duration = time_in_force::fill_or_kill; })));
  book_row(s, a, "overflow: entered total beyond 2^63 Wh", R::overflow, "O9", nearly_full,
           add(with(bid(9, 1, 1), [](order_request& r) { r.quantity = watt_hours(2); })));
  const auto cancel = [](std::uint64_t id) { return [id](book& b) { return b.cancel(order_id{id}); }; };
  book_row(s, "order_book::cancel", "unknown id", R::unknown_order_id, "O77", populated, cancel(77));
  book_row(s, "order_book::cancel", "id of an order already filled (replayed cancel)", R::unknown_order_id, "O5",
           populated, cancel(5));
  book_row(s, "order_book::cancel", "id cancelled twice", R::unknown_order_id, "O2",
           [] {
             book b = populated();
             b.cancel(order_id{2});
             return b;
           },
           cancel(2));
  const auto reduce = [](std::uint64_t id, std::int64_t wh) {
    return [id, wh](book& b) { return b.reduce(order_id{id}, watt_hours(wh)); };
  };
  book_row(s, "order_book::reduce", "zero reduction", R::non_positive_quantity, "O1", populated, reduce(1, 0));
  book_row(s, "order_book::reduce", "negative reduction", R::non_positive_quantity, "O1", populated, reduce(1, -10));
  book_row(s, "order_book::reduce", "unknown id", R::unknown_order_id, "O77", populated, reduce(77, 10));
  book_row(s, "order_book::reduce", "id of a filled order", R::unknown_order_id, "O5", populated, reduce(5, 10));
  const auto replace = [](std::uint64_t id, std::int64_t micro, std::int64_t wh) {
    return [id, micro, wh](book& b) { return b.replace(order_id{id}, micro_tokens_per_kwh(micro), watt_hours(wh)); };
  };
  book_row(s, "order_book::replace", "zero quantity", R::non_positive_quantity, "O1", populated, replace(1, 10, 0));
  book_row(s, "order_book::replace", "negative quantity", R::non_positive_quantity, "O1", populated,
           replace(1, 10, -1));
  book_row(s, "order_book::replace", "zero price", R::non_positive_price, "O1", populated, replace(1, 0, 10));
  book_row(s, "order_book::replace", "negative price", R::non_positive_price, "O1", populated, replace(1, -3, 10));
  book_row(s, "order_book::replace", "unknown id", R::unknown_order_id, "O77", populated, replace(77, 10, 10));
  book_row(s, "order_book::replace", "id of a filled order", R::unknown_order_id, "O5", populated, replace(5, 10, 10));
  book_row(s, "order_book::replace", "overflow: increase beyond 2^63 Wh entered", R::overflow, "O1",
           entered_to_the_limit, replace(1, 1, max64 - 5));
}

// ---- the call auction: every pricing rule refuses the same bad books ----

struct books {
  std::vector<call_order> bids;
  std::vector<call_order> offers;
};
call_order order(std::uint64_t id, std::int64_t wh, std::int64_t micro) {
  return {order_id{id}, participant_id{id + 100}, watt_hours(wh), micro_tokens_per_kwh(micro)};
}
books good_books() { return {{order(1, 5000, 30), order(2, 3000, 25)}, {order(3, 4000, 20), order(4, 2000, 28)}}; }

/// The bad books every rule must refuse: {input, field, value, books, error}.
struct bad_book {
  std::string input, field, value;
  books bad;
  bool overflow = false;
};
std::vector<bad_book> bad_books() {
  std::vector<bad_book> out;
  const auto edit = [](auto change) {
    books b = good_books();
    change(b);
    return b;
  };
  out.push_back({"zero bid quantity", "bids[1].quantity", "0", edit([](books& b) { b.bids[1].quantity = energy::zero(); })});
  out.push_back({"negative offer quantity", "offers[0].quantity", "-7",
                 edit([](books& b) { b.offers[0].quantity = watt_hours(-7); })});
  out.push_back({"zero bid limit", "bids[0].limit", "0", edit([](books& b) { b.bids[0].limit = price::zero(); })});
  out.push_back({"negative offer limit", "offers[1].limit", "-1",
                 edit([](books& b) { b.offers[1].limit = micro_tokens_per_kwh(-1); })});
  out.push_back({"duplicate id across the sides", "orders.id", "2", edit([](books& b) { b.offers[0].id = order_id{2}; })});
  out.push_back({"duplicate id within a side (replayed bid)", "orders.id", "1",
                 edit([](books& b) { b.bids.push_back(b.bids[0]); })});
  out.push_back({"overflow: a side's total quantity beyond 2^63 Wh", "energy arithmetic", "9223372036854775807 + 3000",
                 edit([](books& b) { b.bids[0].quantity = watt_hours(max64); }), true});
  return out;
}

/// The rule's observable state: what it does with the good books next.
template <class Rule>
auto next_clearing(const call_auction<Rule>& auction) {
  call_auction<Rule> copy = auction;
  const books b = good_books();
  const call_auction_result r = copy.clear(b.bids, b.offers);
  return std::tuple(r.trades, r.bid_outcomes, r.offer_outcomes, r.buyers_paid, r.sellers_received);
}

template <class Rule>
void call_auction_rows(section& s, const std::string& rule_name, Rule rule) {
  for (const bad_book& c : bad_books()) {
    const auto make = [rule] {
      call_auction<Rule> auction(rule);
      const books b = good_books();
      (void)auction.clear(b.bids, b.offers);  // warm: a failed clearing must not disturb the kept state
      return auction;
    };
    const auto act = [bad = c.bad](call_auction<Rule>& auction) { (void)auction.clear(bad.bids, bad.offers); };
    const std::string entry = "call_auction<" + rule_name + ">::clear";
    if (c.overflow)
      s.on<overflow_error>(entry, c.input, c.field, c.value, make, act, next_clearing<Rule>, "rule state");
    else
      s.on<bad_input>(entry, c.input, c.field, c.value, make, act, next_clearing<Rule>, "rule state");
  }
}

// clear_into: the same refusals as clear(); the result it was given is left as it was.
template <class Rule>
struct auction_with_result {
  call_auction<Rule> auction;
  call_auction_result result;
};

template <class Rule>
void clear_into_rows(section& s, const std::string& rule_name, Rule rule) {
  for (const bad_book& c : bad_books()) {
    const auto make = [rule] {
      auction_with_result<Rule> held{call_auction<Rule>(rule), {}};
      const books b = good_books();
      held.auction.clear_into(b.bids, b.offers, held.result);
      return held;
    };
    const auto act = [bad = c.bad](auction_with_result<Rule>& held) {
      held.auction.clear_into(bad.bids, bad.offers, held.result);
    };
    const auto snap = [](const auction_with_result<Rule>& held) {
      const call_auction_result& r = held.result;
      return std::tuple(next_clearing(held.auction), r.trades, r.bid_outcomes, r.offer_outcomes, r.buyers_paid,
                        r.sellers_received, r.volume);
    };
    const std::string entry = "call_auction<" + rule_name + ">::clear_into";
    if (c.overflow)
      s.on<overflow_error>(entry, c.input, c.field, c.value, make, act, snap, "rule state, result");
    else
      s.on<bad_input>(entry, c.input, c.field, c.value, make, act, snap, "rule state, result");
  }
}

/// A call market's observable state: its books and Algorithm 1's matching.
auto snapshot_market(const call_market& m) {
  std::vector<std::tuple<std::uint32_t, std::uint32_t, energy>> matches;
  for (const auto& x : m.matches()) matches.emplace_back(x.bid_rank, x.offer_rank, x.quantity);
  return std::tuple(std::vector<call_order>(m.bids().begin(), m.bids().end()),
                    std::vector<call_order>(m.offers().begin(), m.offers().end()), matches, m.efficient_volume());
}

void call_market_rows(section& s) {
  static const books kept = good_books();  // the market refers to its books
  for (const bad_book& c : bad_books()) {
    const auto make = [] { return std::make_unique<call_market>(kept.bids, kept.offers); };
    const auto act = [bad = c.bad](std::unique_ptr<call_market>& m) { m->assign(bad.bids, bad.offers); };
    const auto snap = [](const std::unique_ptr<call_market>& m) { return snapshot_market(*m); };
    if (c.overflow)
      s.on<overflow_error>("call_market::assign", c.input, c.field, c.value, make, act, snap);
    else
      s.on<bad_input>("call_market::assign", c.input, c.field, c.value, make, act, snap);
  }
  for (const bad_book& c : bad_books()) {
    if (c.overflow)
      s.call<overflow_error>("clear_call<pay_as_bid>", c.input, c.field, c.value,
                             [bad = c.bad] { (void)clear_call<pay_as_bid>(bad.bids, bad.offers); });
    else
      s.call<bad_input>("clear_call<pay_as_bid>", c.input, c.field, c.value,
                        [bad = c.bad] { (void)clear_call<pay_as_bid>(bad.bids, bad.offers); });
  }
}

void metrics_rows(section& s) {
  struct measured {
    books b;
    call_auction_result r;
  };
  const auto cleared = [](auto change) {
    return [change] {
      measured m{good_books(), {}};
      m.r = clear_call<midpoint_per_match>(m.b.bids, m.b.offers);
      change(m);
      return m;
    };
  };
  const auto run = [](measured& m) { (void)measure(m.b.bids, m.b.offers, m.r); };
  const auto snap = [](const measured& m) { return std::tuple(m.b.bids, m.b.offers, m.r.trades); };
  s.on<bad_input>("measure", "result of other books (one bid fewer)", "result.bid_outcomes", "2",
                  cleared([](measured& m) { m.b.bids.erase(m.b.bids.begin()); }), run, snap, "arguments");
  s.on<bad_input>("measure", "a trade naming an offer that was renamed", "result.trades[0]", "1",
                  cleared([](measured& m) {
                    for (call_order& o : m.b.offers) o.id = order_id{o.id.value + 50};
                  }),
                  run, snap, "arguments");
  s.on<bad_input>("measure", "books with a zero quantity", "bids[0].quantity", "0",
                  cleared([](measured& m) { m.b.bids[0].quantity = energy::zero(); }), run, snap, "arguments");
}

const bool registered = evmarket_catalogue::add_section(30, "auction", [](section& s) {
  order_book_rows(s);
  call_auction_rows(s, "midpoint_per_match", midpoint_per_match{});
  call_auction_rows(s, "uniform_price<>", uniform_price<>{});
  call_auction_rows(s, "pay_as_bid", pay_as_bid{});
  call_auction_rows(s, "pay_as_offer", pay_as_offer{});
  call_auction_rows(s, "mcafee", mcafee{});
  call_auction_rows(s, "trade_reduction", trade_reduction{});
  call_auction_rows(s, "vcg", vcg{});
  call_auction_rows(s, "sbba<>", sbba<>(42));
  clear_into_rows(s, "midpoint_per_match", midpoint_per_match{});
  clear_into_rows(s, "sbba<>", sbba<>(42));
  call_market_rows(s);
  metrics_rows(s);
});

}  // namespace
