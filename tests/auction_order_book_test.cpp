// Continuous double auction: the order book's rules, its bad-input handling, and random operation
// sequences checked against a simple reference book (sorted vectors) after every operation.
#include "order_book_reference.hpp"

#include <evmarket/auction/order_book.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <new>
#include <optional>
#include <random>
#include <string>
#include <vector>

// Counts heap allocations, so a test can show that a warmed-up book does not allocate.
namespace {
std::atomic<std::size_t> allocation_count{0};
}
void* operator new(std::size_t size) {
  ++allocation_count;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// GCC 12 at -O3 sees through the replaced operator new and wrongly reports free() as mismatched.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

using namespace evmarket;
using namespace evmarket_test;

namespace {

order_request bid(std::uint64_t id, std::uint64_t owner, std::int64_t limit, std::int64_t quantity) {
  return limit_order(oid(id), who(owner), side::buy, px(limit), wh(quantity));
}
order_request ask(std::uint64_t id, std::uint64_t owner, std::int64_t limit, std::int64_t quantity) {
  return limit_order(oid(id), who(owner), side::sell, px(limit), wh(quantity));
}
order_request with(order_request r, time_in_force tif, bool all_or_none = false) {
  r.duration = tif;
  r.all_or_none = all_or_none;
  return r;
}

// Records every event, and the per-order quantities the events imply.
struct recorder : null_order_book_listener {
  std::vector<trade> trades;
  std::vector<std::string> events;
  std::map<std::uint64_t, std::int64_t> filled;
  std::map<std::uint64_t, std::int64_t> cancelled;
  std::vector<reject_reason> rejections;
  std::vector<best_quote> best_changes;

  void on_accepted(const order_request& r) { events.push_back("accepted " + std::to_string(r.id.value)); }
  void on_rejected(order_id id, book_operation, reject_reason reason) {
    rejections.push_back(reason);
    events.push_back("rejected " + std::to_string(id.value) + " " + std::string(to_string(reason)));
  }
  void on_trade(const trade& t) {
    trades.push_back(t);
    events.push_back("trade " + std::to_string(t.buy_order.value) + "/" + std::to_string(t.sell_order.value) + " " +
                     std::to_string(t.quantity.base()) + " @" + std::to_string(t.buyer_price.base()));
  }
  void on_fill(order_id id, energy q, price, energy open_after) {
    filled[id.value] += q.base();
    events.push_back("fill " + std::to_string(id.value) + " " + std::to_string(q.base()) + " open " +
                     std::to_string(open_after.base()));
  }
  void on_cancelled(order_id id, energy q, energy open_after) {
    cancelled[id.value] += q.base();
    events.push_back("cancelled " + std::to_string(id.value) + " " + std::to_string(q.base()) + " open " +
                     std::to_string(open_after.base()));
  }
  void on_replaced(order_id id, price p, energy open) {
    events.push_back("replaced " + std::to_string(id.value) + " @" + std::to_string(p.base()) + " " +
                     std::to_string(open.base()));
  }
  void on_best_changed(const best_quote& q) { best_changes.push_back(q); }
};

using recorded_book = order_book<recorder>;

std::vector<resting_order> orders_of(const auto& book, side s) {
  std::vector<resting_order> out;
  book.for_each_order(s, [&](const resting_order& o) { out.push_back(o); });
  return out;
}
std::vector<std::uint64_t> ids_of(const auto& book, side s) {
  std::vector<std::uint64_t> out;
  book.for_each_order(s, [&](const resting_order& o) { out.push_back(o.id.value); });
  return out;
}


// Compares everything observable of the book with the reference.
void check_same(const recorded_book& book, reference_book& ref, std::size_t trades_before_op, bool every_order) {
  for (side s : {side::buy, side::sell}) {
    const auto got = orders_of(book, s);
    std::vector<resting_order> want_orders;
    for (const auto& o : ref.book_side(s))
      want_orders.push_back(
          {oid(o.id), who(o.owner), o.order_side, px(o.limit), wh(o.open), wh(o.filled), wh(o.entered), o.all_or_none});
    REQUIRE(got == want_orders);
    const auto& want = ref.book_side(s);
    if (!got.empty()) CHECK(book.find(got.back().id) == std::optional<resting_order>(got.back()));
    // Depth: the levels aggregated from the reference's orders.
    std::vector<depth_level> levels;
    for (const auto& o : want) {
      if (levels.empty() || levels.back().level_price.base() != o.limit) levels.push_back({px(o.limit), wh(0), 0});
      levels.back().quantity += wh(o.open);
      ++levels.back().orders;
    }
    CHECK(book.level_count(s) == levels.size());
    const std::size_t top = std::min<std::size_t>(5, levels.size());
    CHECK(book.depth(s, 5) ==
          std::vector<depth_level>(levels.begin(), levels.begin() + static_cast<std::ptrdiff_t>(top)));
  }
  CHECK(book.size() == ref.bids.size() + ref.asks.size());
  // Not crossed among the orders that can trade any part of their quantity.
  std::optional<std::int64_t> best_bid, best_ask;
  for (const auto& o : orders_of(book, side::buy))
    if (!o.all_or_none && !best_bid) best_bid = o.limit_price.base();
  for (const auto& o : orders_of(book, side::sell))
    if (!o.all_or_none && !best_ask) best_ask = o.limit_price.base();
  if (best_bid && best_ask) CHECK(*best_bid < *best_ask);
  // The same trades, in the same order.
  REQUIRE(book.listener().trades.size() == ref.trades.size());
  for (std::size_t t = trades_before_op; t < ref.trades.size(); ++t) {
    CAPTURE(t);
    CHECK(book.listener().trades[t] == ref.trades[t]);
  }
  // Quantity conservation, in total and per order: filled + open + cancelled = entered.
  const book_totals& totals = book.totals();
  std::int64_t open = 0;
  for (const auto* v : {&ref.bids, &ref.asks})
    for (const auto& o : *v) open += o.open;
  CHECK(totals.entered.base() == ref.entered);
  CHECK(totals.filled.base() == ref.filled);
  CHECK(totals.cancelled.base() == ref.cancelled);
  CHECK(totals.traded.base() == ref.traded);
  CHECK(totals.open.base() == open);
  CHECK(totals.entered == totals.filled + totals.open + totals.cancelled);
  if (!every_order) return;
  for (const auto& entry : ref.lives) {
    const std::uint64_t id = entry.first;
    const life& l = entry.second;
    const auto in_book = book.find(oid(id));
    const std::int64_t still_open = in_book ? in_book->open.base() : 0;
    const auto count = [&](const std::map<std::uint64_t, std::int64_t>& m) {
      const auto it = m.find(id);
      return it == m.end() ? std::int64_t{0} : it->second;
    };
    CAPTURE(id);
    CHECK((count(book.listener().filled) == l.filled && count(book.listener().cancelled) == l.cancelled &&
           l.filled + still_open + l.cancelled == l.entered));
  }
}

}  // namespace

TEST_CASE("paper 000's priority: bids high to low, offers low to high, equal prices by arrival") {
  recorded_book book;
  CHECK(book.add(bid(1, 1, 20, 5)).status == order_status::resting);
  CHECK(book.add(bid(2, 2, 22, 5)).status == order_status::resting);
  CHECK(book.add(bid(3, 3, 20, 7)).status == order_status::resting);
  CHECK(book.add(bid(4, 4, 21, 5)).status == order_status::resting);
  CHECK(book.add(ask(5, 5, 30, 5)).status == order_status::resting);
  CHECK(book.add(ask(6, 6, 25, 5)).status == order_status::resting);
  CHECK(book.add(ask(7, 7, 30, 2)).status == order_status::resting);
  CHECK(ids_of(book, side::buy) == std::vector<std::uint64_t>{2, 4, 1, 3});
  CHECK(ids_of(book, side::sell) == std::vector<std::uint64_t>{6, 5, 7});
  CHECK(book.best() == best_quote{px(22), wh(5), px(25), wh(5)});
  CHECK(book.best_bid() == px(22));
  CHECK(book.best_ask() == px(25));
  CHECK(book.depth(side::buy, 2) == std::vector<depth_level>{{px(22), wh(5), 1}, {px(21), wh(5), 1}});
  CHECK(book.depth(side::buy, 10).size() == 3);
  CHECK(book.depth(side::buy, 10)[2] == depth_level{px(20), wh(12), 2});
  CHECK(book.depth(side::sell, 10) == std::vector<depth_level>{{px(25), wh(5), 1}, {px(30), wh(7), 2}});
  depth_level fixed[1];
  CHECK(book.depth(side::sell, fixed) == 1);
  CHECK(fixed[0] == depth_level{px(25), wh(5), 1});

  // A sell at 20 for 12 takes 2 (22), then 4 (21), then 1 (20, earlier than 3), each at its price.
  const order_result r = book.add(ask(8, 8, 20, 12));
  CHECK(r == result(order_status::filled, 12, 0, 0));
  const auto& trades = book.listener().trades;
  REQUIRE(trades.size() == 3);
  CHECK(trades[0] == priced_trade(oid(2), oid(8), who(2), who(8), wh(5), px(22), px(22)));
  CHECK(trades[1] == priced_trade(oid(4), oid(8), who(4), who(8), wh(5), px(21), px(21)));
  CHECK(trades[2] == priced_trade(oid(1), oid(8), who(1), who(8), wh(2), px(20), px(20)));
  CHECK(book.find(oid(1))->open == wh(3));
  CHECK(book.find(oid(1))->filled == wh(2));
  CHECK_FALSE(book.find(oid(2)).has_value());
  CHECK(ids_of(book, side::buy) == std::vector<std::uint64_t>{1, 3});
  CHECK(book.totals().traded == wh(12));
}

TEST_CASE("events: accepted, trade, fills, best changed; one best event per operation") {
  recorded_book book;
  CHECK(book.add(ask(1, 1, 100, 10)).accepted());
  REQUIRE(book.listener().best_changes.size() == 1);
  CHECK(book.listener().best_changes[0] == best_quote{px(0), wh(0), px(100), wh(10)});
  book.listener().events.clear();
  CHECK(book.add(bid(2, 2, 105, 4)) == result(order_status::filled, 4, 0, 0));
  CHECK(book.listener().events ==
        std::vector<std::string>{"accepted 2", "trade 2/1 4 @100", "fill 1 4 open 6", "fill 2 4 open 0"});
  REQUIRE(book.listener().best_changes.size() == 2);
  CHECK(book.listener().best_changes[1] == best_quote{px(0), wh(0), px(100), wh(6)});
  // A bid below the best offer changes the bid side only; a deeper one changes nothing at the top.
  CHECK(book.add(bid(3, 3, 90, 1)).status == order_status::resting);
  CHECK(book.listener().best_changes.size() == 3);
  CHECK(book.add(bid(4, 3, 80, 1)).status == order_status::resting);
  CHECK(book.listener().best_changes.size() == 3);
}

TEST_CASE("trades at the resting order's price by default; the price rule is a policy") {
  SUBCASE("resting price: the arriving order gets the improvement") {
    recorded_book book;
    CHECK(book.add(ask(1, 1, 100, 10)).accepted());
    CHECK(book.add(bid(2, 2, 120, 10)).status == order_status::filled);
    CHECK(book.listener().trades.at(0).buyer_price == px(100));
    CHECK(book.listener().trades.at(0).single_price());
  }
  SUBCASE("midpoint of the limits, rounded down; a market order pays the resting price") {
    order_book<recorder, midpoint_of_limits> book;
    CHECK(book.add(ask(1, 1, 100, 10)).accepted());
    CHECK(book.add(bid(2, 2, 121, 4)).status == order_status::filled);
    CHECK(book.listener().trades.at(0).buyer_price == px(110));
    CHECK(book.listener().trades.at(0).seller_price == px(110));
    CHECK(book.add(market_order(oid(3), who(3), side::buy, wh(2))).status == order_status::filled);
    CHECK(book.listener().trades.at(1).buyer_price == px(100));
  }
}

TEST_CASE("market orders: rejected against an empty side, remainder cancelled, never resting") {
  recorded_book book;
  // Empty opposite side: rejected, nothing changes.
  CHECK(book.add(market_order(oid(1), who(1), side::buy, wh(5))) ==
        result(order_status::rejected, 0, 0, 0, reject_reason::no_liquidity));
  CHECK(book.empty());
  CHECK(book.totals() == book_totals{});
  CHECK(book.listener().rejections == std::vector<reject_reason>{reject_reason::no_liquidity});
  // Bids on its own side do not count as liquidity for a market buy.
  CHECK(book.add(bid(2, 2, 50, 5)).accepted());
  CHECK(book.add(market_order(oid(3), who(1), side::buy, wh(5))).reason == reject_reason::no_liquidity);
  // Insufficient: fills what there is at every price, the rest is cancelled.
  CHECK(book.add(ask(4, 3, 100, 3)).accepted());
  CHECK(book.add(ask(5, 3, 500, 4)).accepted());
  CHECK(book.add(market_order(oid(6), who(1), side::buy, wh(10))) == result(order_status::cancelled, 7, 3, 0));
  CHECK(book.listener().trades.size() == 2);
  CHECK(book.listener().trades[1].buyer_price == px(500));
  CHECK_FALSE(book.find(oid(6)).has_value());
  CHECK(book.level_count(side::sell) == 0);
  // Good-till-cancel does not make a market order rest.
  CHECK(book.add(ask(7, 3, 100, 1)).accepted());
  order_request gtc_market = market_order(oid(8), who(1), side::buy, wh(4));
  gtc_market.duration = time_in_force::good_till_cancel;
  CHECK(book.add(gtc_market) == result(order_status::cancelled, 1, 3, 0));
  CHECK(ids_of(book, side::buy) == std::vector<std::uint64_t>{2});
  // A market sell trades down the bids.
  CHECK(book.add(market_order(oid(9), who(4), side::sell, wh(2))) == result(order_status::filled, 2, 0, 0));
  CHECK(book.find(oid(2))->open == wh(3));
}

TEST_CASE("time in force: immediate-or-cancel and fill-or-kill") {
  recorded_book book;
  CHECK(book.add(ask(1, 1, 100, 5)).accepted());
  CHECK(book.add(ask(2, 1, 110, 5)).accepted());
  SUBCASE("IOC fills what crosses, cancels the rest, never rests") {
    CHECK(book.add(with(bid(3, 2, 105, 8), time_in_force::immediate_or_cancel)) ==
          result(order_status::cancelled, 5, 3, 0));
    CHECK(book.add(with(bid(4, 2, 90, 8), time_in_force::immediate_or_cancel)) ==
          result(order_status::cancelled, 0, 8, 0));
    CHECK(book.level_count(side::buy) == 0);
  }
  SUBCASE("FOK fills completely or is rejected with the book unchanged") {
    const auto before = orders_of(book, side::sell);
    CHECK(book.add(with(bid(3, 2, 105, 8), time_in_force::fill_or_kill)) ==
          result(order_status::rejected, 0, 0, 0, reject_reason::cannot_fill_in_full));
    CHECK(orders_of(book, side::sell) == before);
    CHECK(book.listener().trades.empty());
    CHECK(book.add(with(bid(4, 2, 110, 8), time_in_force::fill_or_kill)) == result(order_status::filled, 8, 0, 0));
    CHECK(book.find(oid(2))->open == wh(2));
  }
}

TEST_CASE("all-or-none: whole open quantity at once, or not at all") {
  recorded_book book;
  CHECK(book.add(ask(1, 1, 100, 5)).accepted());
  SUBCASE("arriving: trades only when it can be filled completely") {
    CHECK(book.add(with(bid(2, 2, 100, 8), time_in_force::good_till_cancel, true)) ==
          result(order_status::resting, 0, 0, 8));  // rests without trading
    CHECK(book.listener().trades.empty());
    CHECK(book.add(with(bid(3, 2, 100, 8), time_in_force::immediate_or_cancel, true)) ==
          result(order_status::cancelled, 0, 8, 0));
    CHECK(book.add(with(bid(4, 2, 100, 5), time_in_force::immediate_or_cancel, true)) ==
          result(order_status::filled, 5, 0, 0));
  }
  SUBCASE("resting: a smaller arriving order passes over it to the orders behind") {
    CHECK(book.add(with(ask(2, 2, 100, 10), time_in_force::good_till_cancel, true)).accepted());
    CHECK(book.add(ask(3, 3, 100, 4)).accepted());
    CHECK(book.add(bid(4, 4, 100, 8)) == result(order_status::filled, 8, 0, 0));
    REQUIRE(book.listener().trades.size() == 2);
    CHECK(book.listener().trades[0].sell_order == oid(1));
    CHECK(book.listener().trades[1].sell_order == oid(3));
    CHECK(book.find(oid(2))->open == wh(10));
    CHECK(ids_of(book, side::sell) == std::vector<std::uint64_t>{2, 3});  // it kept its place
    // An arriving order that takes all of it trades with it.
    CHECK(book.add(bid(5, 4, 100, 11)) == result(order_status::filled, 11, 0, 0));
    CHECK(book.listener().trades[2].sell_order == oid(2));
    CHECK(book.listener().trades[2].quantity == wh(10));
    CHECK(book.listener().trades[3].sell_order == oid(3));
    CHECK(book.empty());
  }
  SUBCASE("a resting all-or-none order may cross; the book shows it") {
    CHECK(book.add(with(ask(2, 2, 90, 10), time_in_force::good_till_cancel, true)).accepted());
    CHECK(book.add(bid(3, 3, 95, 4)).status == order_status::resting);
    CHECK(book.best() == best_quote{px(95), wh(4), px(90), wh(10)});
  }
}

TEST_CASE("cancel, reduce and replace: what keeps time priority and what loses it") {
  recorded_book book;
  for (std::uint64_t id = 1; id <= 3; ++id) CHECK(book.add(bid(id, id, 100, 10)).accepted());
  CHECK(book.add(bid(4, 4, 99, 10)).accepted());
  SUBCASE("cancel") {
    CHECK(book.cancel(oid(2)) == result(order_status::cancelled, 0, 10, 0));
    CHECK(ids_of(book, side::buy) == std::vector<std::uint64_t>{1, 3, 4});
    CHECK(book.cancel(oid(2)) == result(order_status::rejected, 0, 0, 0, reject_reason::unknown_order_id));
  }
  SUBCASE("reduce keeps priority; reducing by the open quantity or more cancels") {
    CHECK(book.reduce(oid(1), wh(4)) == result(order_status::resting, 0, 4, 6));
    CHECK(ids_of(book, side::buy) == std::vector<std::uint64_t>{1, 2, 3, 4});
    CHECK(book.depth(side::buy, 1)[0] == depth_level{px(100), wh(26), 3});
    CHECK(book.reduce(oid(1), wh(60)) == result(order_status::cancelled, 0, 6, 0));
    CHECK(ids_of(book, side::buy) == std::vector<std::uint64_t>{2, 3, 4});
  }
  SUBCASE("replace: smaller quantity keeps priority") {
    book.listener().events.clear();
    CHECK(book.replace(oid(1), px(100), wh(3)) == result(order_status::resting, 0, 7, 3));
    CHECK(ids_of(book, side::buy) == std::vector<std::uint64_t>{1, 2, 3, 4});
    CHECK(book.listener().events == std::vector<std::string>{"replaced 1 @100 3", "cancelled 1 7 open 3"});
  }
  SUBCASE("replace: larger quantity loses priority") {
    CHECK(book.replace(oid(1), px(100), wh(12)) == result(order_status::resting, 0, 0, 12));
    CHECK(ids_of(book, side::buy) == std::vector<std::uint64_t>{2, 3, 1, 4});
    CHECK(book.find(oid(1))->entered == wh(12));
    CHECK(book.totals().entered == wh(42));
  }
  SUBCASE("replace: same quantity and price changes nothing") {
    CHECK(book.replace(oid(1), px(100), wh(10)) == result(order_status::resting, 0, 0, 10));
    CHECK(ids_of(book, side::buy) == std::vector<std::uint64_t>{1, 2, 3, 4});
  }
  SUBCASE("replace: a price change loses priority, even back to the old price") {
    CHECK(book.replace(oid(1), px(99), wh(10)).status == order_status::resting);
    CHECK(ids_of(book, side::buy) == std::vector<std::uint64_t>{2, 3, 4, 1});
    CHECK(book.replace(oid(1), px(100), wh(10)).status == order_status::resting);
    CHECK(ids_of(book, side::buy) == std::vector<std::uint64_t>{2, 3, 1, 4});
  }
  SUBCASE("replace: a price change that crosses trades at once") {
    CHECK(book.add(ask(5, 5, 105, 4)).accepted());
    CHECK(book.replace(oid(4), px(110), wh(6)) == result(order_status::resting, 4, 4, 2));
    CHECK(book.listener().trades.at(0) == priced_trade(oid(4), oid(5), who(4), who(5), wh(4), px(105), px(105)));
    CHECK(ids_of(book, side::buy) == std::vector<std::uint64_t>{4, 1, 2, 3});
  }
  CHECK(book.totals().entered == book.totals().filled + book.totals().open + book.totals().cancelled);
}

TEST_CASE("self-trade prevention: a station never trades with itself") {
  const auto setup = [](auto& book) {
    CHECK(book.add(ask(1, 7, 100, 5)).accepted());  // station 7
    CHECK(book.add(ask(2, 8, 101, 5)).accepted());
  };
  SUBCASE("off: the station trades with itself") {
    recorded_book book;
    setup(book);
    CHECK(book.add(bid(3, 7, 101, 6)).status == order_status::filled);
    CHECK(book.listener().trades.at(0).seller == who(7));
  }
  SUBCASE("cancel resting: its own offer is cancelled and matching goes on") {
    recorded_book book(order_book_options{self_trade_prevention::cancel_resting});
    setup(book);
    CHECK(book.add(bid(3, 7, 101, 6)) == result(order_status::resting, 5, 0, 1));
    REQUIRE(book.listener().trades.size() == 1);
    CHECK(book.listener().trades[0].seller == who(8));
    CHECK_FALSE(book.find(oid(1)).has_value());
    CHECK(book.listener().cancelled.at(1) == 5);
  }
  SUBCASE("cancel incoming: the arriving order's remainder is cancelled") {
    recorded_book book(order_book_options{self_trade_prevention::cancel_incoming});
    setup(book);
    CHECK(book.add(bid(3, 7, 101, 6)) == result(order_status::cancelled, 0, 6, 0));
    CHECK(book.listener().trades.empty());
    CHECK(book.find(oid(1))->open == wh(5));
    // Fill-or-kill cannot get past its own order: rejected, book unchanged.
    CHECK(book.add(with(bid(4, 7, 101, 6), time_in_force::fill_or_kill)).reason == reject_reason::cannot_fill_in_full);
    CHECK(book.find(oid(1))->open == wh(5));
  }
}

TEST_CASE("bad input is rejected with a reason and leaves the book unchanged") {
  recorded_book book;
  CHECK(book.add(bid(1, 1, 100, 10)).accepted());
  CHECK(book.add(ask(2, 2, 110, 10)).accepted());
  const auto bids = orders_of(book, side::buy);
  const auto asks = orders_of(book, side::sell);
  const book_totals totals = book.totals();
  const std::size_t trades = book.listener().trades.size();
  const auto rejected = [](reject_reason why) { return result(order_status::rejected, 0, 0, 0, why); };

  CHECK(book.add(bid(3, 1, 100, 0)) == rejected(reject_reason::non_positive_quantity));
  CHECK(book.add(bid(3, 1, 100, -5)) == rejected(reject_reason::non_positive_quantity));
  CHECK(book.add(bid(3, 1, 0, 5)) == rejected(reject_reason::non_positive_price));
  CHECK(book.add(ask(3, 1, -1, 5)) == rejected(reject_reason::non_positive_price));
  CHECK(book.add(bid(1, 9, 90, 5)) == rejected(reject_reason::duplicate_order_id));
  CHECK(book.add(ask(2, 9, 200, 5)) == rejected(reject_reason::duplicate_order_id));
  order_request odd = bid(3, 1, 100, 5);
  odd.order_side = static_cast<side>(7);
  CHECK(book.add(odd) == rejected(reject_reason::invalid_option));
  odd = bid(3, 1, 100, 5);
  odd.type = static_cast<order_type>(9);
  CHECK(book.add(odd) == rejected(reject_reason::invalid_option));
  odd = bid(3, 1, 100, 5);
  odd.duration = static_cast<time_in_force>(9);
  CHECK(book.add(odd) == rejected(reject_reason::invalid_option));
  CHECK(book.add(bid(3, 1, 100, std::numeric_limits<std::int64_t>::max())) == rejected(reject_reason::overflow));
  CHECK(book.cancel(oid(99)) == rejected(reject_reason::unknown_order_id));
  CHECK(book.reduce(oid(99), wh(1)) == rejected(reject_reason::unknown_order_id));
  CHECK(book.reduce(oid(1), wh(0)) == rejected(reject_reason::non_positive_quantity));
  CHECK(book.reduce(oid(1), wh(-3)) == rejected(reject_reason::non_positive_quantity));
  CHECK(book.replace(oid(99), px(100), wh(1)) == rejected(reject_reason::unknown_order_id));
  CHECK(book.replace(oid(1), px(100), wh(0)) == rejected(reject_reason::non_positive_quantity));
  CHECK(book.replace(oid(1), px(0), wh(5)) == rejected(reject_reason::non_positive_price));
  CHECK(book.replace(oid(1), px(100), energy::max()) == rejected(reject_reason::overflow));
  // A market order ignores its price field, so a zero price is fine for it.
  CHECK(book.add(market_order(oid(4), who(3), side::buy, wh(1))).status == order_status::filled);
  CHECK(book.listener().rejections.size() == 18);

  CHECK(orders_of(book, side::buy) == bids);
  CHECK(book.totals().entered == totals.entered + wh(1));
  CHECK(book.listener().trades.size() == trades + 1);
  CHECK(orders_of(book, side::sell).at(0).open == asks.at(0).open - wh(1));
}

TEST_CASE("the book's totals reach the 64-bit limit without overflowing") {
  order_book<> book;
  const std::int64_t big = std::numeric_limits<std::int64_t>::max() / 2;
  CHECK(book.add(bid(1, 1, 100, big)).status == order_status::resting);
  CHECK(book.add(ask(2, 2, 100, big)).status == order_status::filled);
  CHECK(book.add(bid(3, 1, 100, 2)).reason == reject_reason::overflow);
  CHECK(book.add(bid(3, 1, 100, 1)).status == order_status::resting);
  CHECK(book.totals().entered == energy::max());
  CHECK(book.totals().entered == book.totals().filled + book.totals().open + book.totals().cancelled);
}

TEST_CASE("an id can be used again once its order has left the book; clear keeps nothing") {
  order_book<> book;
  CHECK(book.add(bid(1, 1, 100, 5)).accepted());
  CHECK(book.add(ask(2, 2, 100, 5)).status == order_status::filled);
  CHECK(book.add(bid(1, 1, 100, 5)).status == order_status::resting);
  book.clear();
  CHECK(book.empty());
  CHECK(book.level_count(side::buy) == 0);
  CHECK(book.totals() == book_totals{});
  CHECK(book.add(bid(1, 1, 100, 5)).status == order_status::resting);
  CHECK(book.best() == best_quote{px(100), wh(5), px(0), wh(0)});
}

namespace {

// One random operation on both books; `tag` selects the kind so the mix covers every rule.
struct random_driver {
  explicit random_driver(std::uint64_t seed) : rng(seed) {}

  std::mt19937_64 rng;
  std::uint64_t next_id = 1;
  std::vector<std::uint64_t> used;  // ids ever submitted (some still resting)

  std::int64_t uniform(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  }

  std::uint64_t some_id() {
    if (used.empty() || uniform(0, 9) == 0) return 1'000'000 + static_cast<std::uint64_t>(uniform(0, 5));
    return used[static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(used.size()) - 1))];
  }

  order_request random_order() {
    order_request r;
    r.id = oid(uniform(0, 40) == 0 && !used.empty() ? some_id() : next_id++);
    r.owner = who(static_cast<std::uint64_t>(uniform(1, 4)));
    r.order_side = uniform(0, 1) ? side::buy : side::sell;
    const std::int64_t kind = uniform(0, 99);
    r.type = kind < 12 ? order_type::market : order_type::limit;
    r.duration = kind < 12   ? time_in_force::immediate_or_cancel
                 : kind < 22 ? time_in_force::immediate_or_cancel
                 : kind < 30 ? time_in_force::fill_or_kill
                             : time_in_force::good_till_cancel;
    r.all_or_none = uniform(0, 6) == 0;
    // Bids centred below offers so the book has depth, with overlap so many orders cross.
    const std::int64_t centre = r.order_side == side::buy ? 100 : 104;
    r.limit_price = r.type == order_type::market ? px(0) : px(centre + uniform(-6, 6));
    r.quantity = wh(uniform(1, 12));
    if (uniform(0, 60) == 0) r.quantity = wh(-uniform(0, 3));
    if (uniform(0, 60) == 0 && r.type == order_type::limit) r.limit_price = px(-uniform(0, 2));
    used.push_back(r.id.value);
    return r;
  }
};

void run_random(self_trade_prevention stp, std::uint64_t seed, int operations) {
  recorded_book book(order_book_options{stp});
  reference_book ref;
  ref.stp = stp;
  random_driver driver(seed);
  for (int step = 0; step < operations; ++step) {
    CAPTURE(step);
    const std::size_t trades_before = ref.trades.size();
    const std::size_t best_events_before = book.listener().best_changes.size();
    const best_quote best_before = book.best();
    const std::int64_t op = driver.uniform(0, 99);
    order_result got, want;
    if (op < 60) {
      const order_request r = driver.random_order();
      CAPTURE(r.id);
      want = ref.add(r);
      got = book.add(r);
    } else if (op < 72) {
      const std::uint64_t id = driver.some_id();
      want = ref.cancel(id);
      got = book.cancel(oid(id));
    } else if (op < 82) {
      const std::uint64_t id = driver.some_id();
      const std::int64_t amount = driver.uniform(-1, 8);
      want = ref.reduce(id, amount);
      got = book.reduce(oid(id), wh(amount));
    } else {
      const std::uint64_t id = driver.some_id();
      const reference_order* o = ref.find(id);
      std::int64_t new_price = driver.uniform(94, 110);
      if (o && driver.uniform(0, 2) == 0) new_price = o->limit;  // quantity-only replace
      if (driver.uniform(0, 50) == 0) new_price = 0;
      const std::int64_t new_open = driver.uniform(0, 14);
      want = ref.replace(id, new_price, new_open);
      got = book.replace(oid(id), px(new_price), wh(new_open));
    }
    CHECK(got == want);
    check_same(book, ref, trades_before, step % 50 == 0 || step + 1 == operations);
    // Exactly one best-changed event when, and only when, the best bid or offer changed.
    const best_quote best_after = book.best();
    const std::size_t events = book.listener().best_changes.size() - best_events_before;
    CHECK(events == (best_after == best_before ? 0u : 1u));
    if (events == 1) CHECK(book.listener().best_changes.back() == best_after);
  }
  // The mix really exercised the rules.
  CHECK(ref.trades.size() > static_cast<std::size_t>(operations) / 10);
  CHECK(book.totals().cancelled.is_positive());
}

}  // namespace

TEST_CASE("random operations match the reference book after every operation") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    SUBCASE("no self-trade prevention") { run_random(self_trade_prevention::none, seed, 1500); }
    SUBCASE("cancel resting") { run_random(self_trade_prevention::cancel_resting, seed, 1500); }
    SUBCASE("cancel incoming") { run_random(self_trade_prevention::cancel_incoming, seed, 1500); }
  }
}

TEST_CASE("random operations with the midpoint price rule match the reference") {
  order_book<recorder, midpoint_of_limits> book;
  reference_book ref;
  ref.midpoint = true;
  random_driver driver(77);
  for (int step = 0; step < 1500; ++step) {
    CAPTURE(step);
    const order_request r = driver.random_order();
    CHECK(book.add(r) == ref.add(r));
    if (driver.uniform(0, 4) == 0) {
      const std::uint64_t id = driver.some_id();
      CHECK(book.cancel(oid(id)) == ref.cancel(id));
    }
  }
  REQUIRE(book.listener().trades.size() == ref.trades.size());
  CHECK(book.listener().trades == ref.trades);
  CHECK(ref.trades.size() > 150);
}

TEST_CASE("a warmed-up book does not allocate") {
  order_book<> book;
  book.reserve(4096, 64);
  random_driver driver(5);
  std::vector<order_request> stream;
  for (int i = 0; i < 20000; ++i) stream.push_back(driver.random_order());
  std::vector<std::uint64_t> cancels;
  for (int i = 0; i < 20000; ++i) cancels.push_back(driver.some_id());
  // Warm-up pass over the same stream, then a second pass on a cleared book.
  for (int pass = 0; pass < 2; ++pass) {
    book.clear();
    const std::size_t before = allocation_count.load();
    std::size_t accepted = 0;
    for (std::size_t i = 0; i < stream.size(); ++i) {
      accepted += book.add(stream[i]).accepted() ? 1 : 0;
      accepted += book.cancel(oid(cancels[i])).accepted() ? 1 : 0;
    }
    const std::size_t allocations = allocation_count.load() - before;
    CHECK(accepted > stream.size() / 2);
    if (pass == 1) CHECK(allocations == 0);
  }
}

TEST_CASE("the id index agrees with std::map under sequential, strided and random ids") {
  const auto keys_for = [](int pattern, std::mt19937_64& rng) {
    std::vector<std::uint64_t> keys;
    for (std::uint64_t i = 0; i < 3000; ++i) {
      switch (pattern) {
        case 0:
          keys.push_back(i);
          break;  // sequential
        case 1:
          keys.push_back(i * 32 + 7);
          break;  // the run length
        case 2:
          keys.push_back(i << 20);
          break;  // a shard in the low bits
        case 3:
          keys.push_back(rng());
          break;  // random 64-bit
        default:
          keys.push_back(std::numeric_limits<std::uint64_t>::max() - i);
          break;  // top of range
      }
    }
    return keys;
  };
  for (int pattern = 0; pattern < 5; ++pattern) {
    CAPTURE(pattern);
    std::mt19937_64 rng(static_cast<std::uint64_t>(pattern) + 100);
    const auto keys = keys_for(pattern, rng);
    detail::order_id_index index;
    std::map<std::uint64_t, std::uint32_t> oracle;
    bool agrees = true;
    for (int round = 0; round < 20000; ++round) {
      const std::uint64_t key = keys[std::uniform_int_distribution<std::size_t>(0, keys.size() - 1)(rng)];
      const auto it = oracle.find(key);
      agrees = agrees && index.find(key) == (it == oracle.end() ? detail::order_id_index::npos : it->second);
      if (it == oracle.end()) {
        const auto value = static_cast<std::uint32_t>(round);
        index.reserve(index.size() + 1);
        index.insert(key, value);
        oracle.emplace(key, value);
      } else if (rng() % 3 != 0) {
        index.erase(key);
        oracle.erase(it);
      }
      agrees = agrees && index.size() == oracle.size();
    }
    for (const std::uint64_t key : keys) {
      const auto it = oracle.find(key);
      agrees = agrees && index.find(key) == (it == oracle.end() ? detail::order_id_index::npos : it->second);
    }
    CHECK(agrees);
    CHECK(oracle.size() > 100);
    index.clear();
    CHECK(index.size() == 0);
    CHECK(index.find(keys.front()) == detail::order_id_index::npos);
  }
}
