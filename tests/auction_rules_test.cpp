// The call auction's pricing rules: textbook oracles on one-unit orders, the defining
// properties of the truthful rules on divisible multi-unit orders (no trader gains by
// misreporting on a grid of deviations, individual rationality, budget sign), and exact books
// for every rule.
#include <evmarket/auction/call_auction.hpp>
#include <evmarket/auction/rules/mcafee.hpp>
#include <evmarket/auction/rules/midpoint_per_match.hpp>
#include <evmarket/auction/rules/pay_as_bid.hpp>
#include <evmarket/auction/rules/pay_as_offer.hpp>
#include <evmarket/auction/rules/sbba.hpp>
#include <evmarket/auction/rules/trade_reduction.hpp>
#include <evmarket/auction/rules/uniform_price.hpp>
#include <evmarket/auction/rules/vcg.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <vector>

using namespace evmarket;
using detail::int128;

namespace {

struct book {
  std::vector<call_order> bids, offers;
};

// Distinct whole-Token limits so the textbook rules' sets are unambiguous; one-kWh orders.
book unit_book(std::mt19937_64& rng, std::size_t nb, std::size_t ns) {
  std::vector<std::int64_t> prices(60);
  std::iota(prices.begin(), prices.end(), 1);
  std::shuffle(prices.begin(), prices.end(), rng);
  book b;
  for (std::size_t i = 0; i < nb; ++i)
    b.bids.push_back(
        {order_id{1 + i}, participant_id{1 + i}, kilowatt_hours(1), tokens_per_kwh(static_cast<double>(prices[i]))});
  for (std::size_t j = 0; j < ns; ++j)
    b.offers.push_back({order_id{100 + j}, participant_id{100 + j}, kilowatt_hours(1),
                        tokens_per_kwh(static_cast<double>(prices[nb + j]))});
  return b;
}

// Whole kWh 1..4 and whole Token 1..12: small markets with ties and partial fills.
book small_book(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> count(1, 4), kwh(1, 4), token(1, 12);
  book b;
  const int nb = count(rng), ns = count(rng);
  for (int i = 0; i < nb; ++i)
    b.bids.push_back({order_id{static_cast<std::uint64_t>(1 + i)}, participant_id{static_cast<std::uint64_t>(1 + i)},
                      kilowatt_hours(kwh(rng)), tokens_per_kwh(token(rng))});
  for (int j = 0; j < ns; ++j)
    b.offers.push_back({order_id{static_cast<std::uint64_t>(100 + j)},
                        participant_id{static_cast<std::uint64_t>(100 + j)}, kilowatt_hours(kwh(rng)),
                        tokens_per_kwh(token(rng))});
  return b;
}

// Energy and price (per kWh) a trader received; the buyer's or seller's price of each trade.
struct take {
  std::int64_t wh = 0;
  int128 paid = 0;  // sum of price x Wh (micro-Token x 1000), exact
};
std::map<std::uint64_t, take> takes(const call_auction_result& r) {
  std::map<std::uint64_t, take> out;
  for (const trade& t : r.trades) {
    out[t.buy_order.value].wh += t.quantity.base();
    out[t.buy_order.value].paid += static_cast<int128>(t.buyer_price.base()) * t.quantity.base();
    out[t.sell_order.value].wh += t.quantity.base();
    out[t.sell_order.value].paid += static_cast<int128>(t.seller_price.base()) * t.quantity.base();
  }
  return out;
}

// Exact utility (micro-Token x 1000) of a trader with true value `value` per kWh for up to
// `wanted` Wh: buyers value min(received, wanted); sellers bear the cost of what they sell and
// cannot sell more than `wanted`.
int128 utility(const call_auction_result& r, std::uint64_t order, side s, std::int64_t value, std::int64_t wanted) {
  const auto all = takes(r);
  const auto it = all.find(order);
  if (it == all.end()) return 0;
  if (s == side::buy) return static_cast<int128>(value) * std::min(it->second.wh, wanted) - it->second.paid;
  // A seller cannot deliver more than it holds: selling beyond its quantity is never a gain.
  if (it->second.wh > wanted) return std::numeric_limits<std::int64_t>::min();
  return it->second.paid - static_cast<int128>(value) * it->second.wh;
}

template <class Rule>
call_auction_result run(const book& b, Rule rule) {
  return call_auction<Rule>(std::move(rule)).clear(b.bids, b.offers);
}

// Checks a trader cannot gain by reporting any limit on `grid` (and, if `with_quantity`, any
// quantity 1..6 kWh); `tolerance` absorbs the rounding of per-trader average prices.
template <class Rule>
void check_no_profitable_deviation(const book& truth, Rule rule, bool with_quantity, int128 tolerance) {
  const call_auction_result honest = run(truth, rule);
  for (int s = 0; s < 2; ++s) {
    const side who = s == 0 ? side::buy : side::sell;
    const auto& orders = who == side::buy ? truth.bids : truth.offers;
    for (std::size_t i = 0; i < orders.size(); ++i) {
      const call_order me = orders[i];
      const int128 honest_utility = utility(honest, me.id.value, who, me.limit.base(), me.quantity.base());
      CHECK(honest_utility >= 0);  // individually rational
      for (int half_tokens = 1; half_tokens <= 27; ++half_tokens) {
        for (int kwh = 1; kwh <= (with_quantity ? 6 : 1); ++kwh) {
          book lie = truth;
          auto& mine = (who == side::buy ? lie.bids : lie.offers)[i];
          mine.limit = tokens_per_kwh(half_tokens / 2.0);
          if (with_quantity) mine.quantity = kilowatt_hours(kwh);
          const int128 lying_utility = utility(run(lie, rule), me.id.value, who, me.limit.base(), me.quantity.base());
          if (lying_utility > honest_utility + tolerance) {
            CAPTURE(who);
            CAPTURE(i);
            CAPTURE(half_tokens);
            CAPTURE(kwh);
            FAIL_CHECK("a misreport paid off");
          }
        }
      }
    }
  }
}

// A user-defined rule: every match at the offer price plus 1 Token/kWh, capped at the bid: a rule of one line.
struct markup {
  static constexpr std::string_view name = "markup";
  void apply(const call_market& m, clearing_builder& out) const {
    for (const auto& x : m.matches()) {
      const price p = std::min(m.bid(x.bid_rank).limit, m.offer(x.offer_rank).limit + tokens_per_kwh(1));
      out.record(x.bid_rank, x.offer_rank, x.quantity, p, p);
    }
  }
};

// A broken user-defined rule: trades more than the order holds.
struct greedy {
  static constexpr std::string_view name = "greedy";
  void apply(const call_market&, clearing_builder& out) const {
    out.record(0, 0, kilowatt_hours(3), tokens_per_kwh(20), tokens_per_kwh(20));
  }
};

// A broken user-defined rule: names a rank that does not exist.
struct beyond_the_books {
  static constexpr std::string_view name = "beyond";
  void apply(const call_market& m, clearing_builder& out) const {
    out.record(m.bid_count(), 0, kilowatt_hours(1), tokens_per_kwh(20), tokens_per_kwh(20));
  }
};

}  // namespace

TEST_CASE("one-unit orders: McAfee, trade reduction, VCG and SBBA agree with their textbook definitions") {
  std::mt19937_64 rng(1992);
  for (int trial = 0; trial < 400; ++trial) {
    CAPTURE(trial);
    const std::size_t nb = 1 + rng() % 7, ns = 1 + rng() % 7;
    const book bk = unit_book(rng, nb, ns);
    std::vector<std::int64_t> b, s;  // limits in Token, sorted
    for (const auto& o : bk.bids) b.push_back(o.limit.base() / 1'000'000);
    for (const auto& o : bk.offers) s.push_back(o.limit.base() / 1'000'000);
    std::sort(b.rbegin(), b.rend());
    std::sort(s.begin(), s.end());
    std::size_t k = 0;
    while (k < nb && k < ns && b[k] >= s[k]) ++k;
    const auto volume_kwh = [](const call_auction_result& r) { return r.volume.base() / 1000; };
    const auto prices = [](const call_auction_result& r) {
      std::set<std::int64_t> buyer, seller;
      for (const trade& t : r.trades) {
        buyer.insert(t.buyer_price.base());
        seller.insert(t.seller_price.base());
      }
      return std::pair{buyer, seller};
    };
    const auto tokens_of = [](double t) { return static_cast<std::int64_t>(t * 1'000'000); };

    // McAfee (1992).
    {
      const auto r = run(bk, mcafee{});
      bool all_k = false;
      if (k > 0 && k < nb && k < ns) {
        const double p0 = static_cast<double>(b[k] + s[k]) / 2;
        all_k = static_cast<double>(s[k - 1]) <= p0 && p0 <= static_cast<double>(b[k - 1]);
        if (all_k) {
          CHECK(volume_kwh(r) == static_cast<std::int64_t>(k));
          CHECK(prices(r).first == std::set<std::int64_t>{tokens_of(p0)});
          CHECK(prices(r).second == std::set<std::int64_t>{tokens_of(p0)});
        }
      }
      if (!all_k) {
        CHECK(volume_kwh(r) == (k == 0 ? 0 : static_cast<std::int64_t>(k - 1)));
        if (k > 1) {
          CHECK(prices(r).first == std::set<std::int64_t>{b[k - 1] * 1'000'000});
          CHECK(prices(r).second == std::set<std::int64_t>{s[k - 1] * 1'000'000});
        }
      }
      for (const trade& t : r.trades) {  // only the k - 1 (or k) best traders
        CHECK(t.buyer_price >= tokens_per_kwh(static_cast<double>(s[k - 1])));
      }
    }
    // Trade reduction: the k - 1 best pairs at b_k and s_k.
    {
      const auto r = run(bk, trade_reduction{});
      CHECK(volume_kwh(r) == (k == 0 ? 0 : static_cast<std::int64_t>(k - 1)));
      for (const trade& t : r.trades) {
        CHECK(t.buyer_price.base() == b[k - 1] * 1'000'000);
        CHECK(t.seller_price.base() == s[k - 1] * 1'000'000);
      }
      CHECK(r.auctioneer_surplus.base() ==
            (k == 0 ? 0 : (b[k - 1] - s[k - 1]) * 1'000'000 * static_cast<std::int64_t>(k - 1)));
    }
    // VCG: k trades; buyers pay max(b_{k+1}, s_k), sellers receive min(s_{k+1}, b_k).
    {
      const auto r = run(bk, vcg{});
      CHECK(volume_kwh(r) == static_cast<std::int64_t>(k));
      if (k > 0) {
        const std::int64_t buyer_pays = std::max(k < nb ? b[k] : 0, s[k - 1]) * 1'000'000;
        const std::int64_t seller_gets = (k < ns ? std::min(s[k], b[k - 1]) : b[k - 1]) * 1'000'000;
        for (const trade& t : r.trades) {
          CHECK(t.buyer_price.base() == buyer_pays);
          CHECK(t.seller_price.base() == seller_gets);
        }
      }
    }
    // SBBA: p = min(b_k, s_{k+1}); all k trade at s_{k+1}, or the k - 1 best buyers at b_k with
    // k - 1 of the k best sellers.
    {
      const auto r = run(bk, sbba<>(static_cast<std::uint64_t>(trial)));
      CHECK(r.auctioneer_surplus == money::zero());
      if (k > 0 && k < ns && s[k] <= b[k - 1]) {
        CHECK(volume_kwh(r) == static_cast<std::int64_t>(k));
        for (const trade& t : r.trades) CHECK(t.buyer_price.base() == s[k] * 1'000'000);
      } else {
        CHECK(volume_kwh(r) == (k == 0 ? 0 : static_cast<std::int64_t>(k - 1)));
        for (const trade& t : r.trades) {
          CHECK(t.buyer_price.base() == b[k - 1] * 1'000'000);
          const auto seller =
              std::find_if(bk.offers.begin(), bk.offers.end(), [&](auto& o) { return o.id == t.sell_order; });
          CHECK(seller->limit.base() <= s[k - 1] * 1'000'000);  // one of the k best sellers
        }
      }
    }
  }
}

TEST_CASE("SBBA's lottery excludes each of the k best sellers equally often, reproducibly by seed") {
  // Bids 10, 9, 8 and offers 1, 2, 3 (one kWh each): k = 3, no fourth offer, so buyers 10 and
  // 9 buy at 8 and one of the three sellers is left out.
  book bk;
  for (int i = 0; i < 3; ++i) {
    bk.bids.push_back({order_id{static_cast<std::uint64_t>(1 + i)}, participant_id{static_cast<std::uint64_t>(1 + i)},
                       kilowatt_hours(1), tokens_per_kwh(10 - i)});
    bk.offers.push_back({order_id{static_cast<std::uint64_t>(10 + i)},
                         participant_id{static_cast<std::uint64_t>(10 + i)}, kilowatt_hours(1), tokens_per_kwh(1 + i)});
  }
  call_auction<sbba<>> auction(sbba<>(2016));
  std::map<std::uint64_t, int> left_out;
  const int draws = 3000;
  for (int d = 0; d < draws; ++d) {
    const auto r = auction.clear(bk.bids, bk.offers);
    REQUIRE(r.volume == kilowatt_hours(2));
    CHECK(r.lowest_price == tokens_per_kwh(8));
    CHECK(r.uniform_price());
    std::set<std::uint64_t> sold;
    for (const trade& t : r.trades) sold.insert(t.sell_order.value);
    for (std::uint64_t id = 10; id < 13; ++id)
      if (!sold.count(id)) ++left_out[id];
  }
  for (std::uint64_t id = 10; id < 13; ++id) {
    CAPTURE(id);
    CHECK(left_out[id] > draws / 3 - 150);  // about 5 standard deviations
    CHECK(left_out[id] < draws / 3 + 150);
  }
  // The same seed draws the same lotteries.
  call_auction<sbba<>> a(sbba<>(7)), b(sbba<>(7));
  for (int d = 0; d < 20; ++d) CHECK(a.clear(bk.bids, bk.offers).trades == b.clear(bk.bids, bk.offers).trades);
}

TEST_CASE("McAfee and trade reduction on divisible multi-unit orders: no profitable misreport of the limit") {
  // Per-order application (one order per trader, flat value per kWh up to its quantity): both
  // are truthful in the limit price; quantities are taken as reported.
  std::mt19937_64 rng(2002);
  for (int trial = 0; trial < 150; ++trial) {
    CAPTURE(trial);
    const book truth = small_book(rng);
    check_no_profitable_deviation(truth, mcafee{}, false, 0);
    check_no_profitable_deviation(truth, trade_reduction{}, false, 0);
  }
}

TEST_CASE("per-order trade reduction takes quantities as reported: withholding quantity can pay") {
  // Bids 11 (4 kWh), 8 (4 kWh), 4 (2 kWh); offers 2 (1 kWh), 4 (2 kWh), 11 (4 kWh). Honestly, the
  // 11-bid is the only bid Algorithm 1 fills, so it is the marginal bid and nothing trades.
  // Asking for 1 kWh makes the 8-bid marginal: the 11-bid buys 1 kWh at 8 and gains 3 Token.
  book truth;
  truth.bids = {{order_id{1}, participant_id{1}, kilowatt_hours(2), tokens_per_kwh(4)},
                {order_id{2}, participant_id{2}, kilowatt_hours(4), tokens_per_kwh(8)},
                {order_id{3}, participant_id{3}, kilowatt_hours(4), tokens_per_kwh(11)}};
  truth.offers = {{order_id{100}, participant_id{100}, kilowatt_hours(1), tokens_per_kwh(2)},
                  {order_id{101}, participant_id{101}, kilowatt_hours(4), tokens_per_kwh(11)},
                  {order_id{102}, participant_id{102}, kilowatt_hours(2), tokens_per_kwh(4)}};
  const auto honest = run(truth, trade_reduction{});
  CHECK(honest.status == clearing_status::no_trade);
  book lie = truth;
  lie.bids[2].quantity = kilowatt_hours(1);
  const auto lying = run(lie, trade_reduction{});
  CHECK(lying.bid_outcomes[2] == order_outcome{kilowatt_hours(1), tokens(8)});
  CHECK(utility(lying, 3, side::buy, tokens_per_kwh(11).base(), kilowatt_hours(4).base()) == 3'000'000'000);
}

TEST_CASE("SBBA on one-unit orders: no profitable misreport of the limit, for any fixed lottery") {
  std::mt19937_64 rng(2016);
  for (int trial = 0; trial < 150; ++trial) {
    CAPTURE(trial);
    book truth = unit_book(rng, 1 + rng() % 5, 1 + rng() % 5);
    // Whole-Token limits 1..13 so the half-Token deviation grid covers every rank.
    for (auto& o : truth.bids) o.limit = tokens_per_kwh(static_cast<double>(1 + o.limit.base() / 1'000'000 % 13));
    for (auto& o : truth.offers) o.limit = tokens_per_kwh(static_cast<double>(1 + o.limit.base() / 1'000'000 % 13));
    check_no_profitable_deviation(truth, sbba<>(static_cast<std::uint64_t>(trial)), false, 0);
  }
}

TEST_CASE("SBBA on multi-unit orders is budget balanced and rational but not strategy-proof") {
  // Bids 9 (1 kWh), 6 (1 kWh), 4 (3 kWh); offers 3 (3 kWh), 5 (1 kWh). Algorithm 1 fills bids 9
  // and 6 and 1 kWh of bid 4 from the 3 kWh offer; the marginal bid 4 is filled in part, so
  // p = 4: bids 9 and 6 buy 2 kWh at 4, and the seller earns 2 x (4 - 3) = 2 Token.
  book truth;
  truth.bids = {{order_id{1}, participant_id{1}, kilowatt_hours(1), tokens_per_kwh(6)},
                {order_id{2}, participant_id{2}, kilowatt_hours(3), tokens_per_kwh(4)},
                {order_id{3}, participant_id{3}, kilowatt_hours(1), tokens_per_kwh(9)}};
  truth.offers = {{order_id{100}, participant_id{100}, kilowatt_hours(3), tokens_per_kwh(3)},
                  {order_id{101}, participant_id{101}, kilowatt_hours(1), tokens_per_kwh(5)}};
  const auto honest = run(truth, sbba<>(1));
  CHECK(honest.lowest_price == tokens_per_kwh(4));
  CHECK(honest.offer_outcomes[0] == order_outcome{kilowatt_hours(2), tokens(8)});
  // Asking 4.5 prices the third kWh out: bid 6 becomes marginal, p = 6, bid 9 buys 1 kWh, and
  // the seller earns 1 x (6 - 3) = 3 Token > 2. (With one-unit orders this cannot happen.)
  book lie = truth;
  lie.offers[0].limit = tokens_per_kwh(4.5);
  const auto lying = run(lie, sbba<>(1));
  CHECK(lying.lowest_price == tokens_per_kwh(6));
  CHECK(lying.offer_outcomes[0] == order_outcome{kilowatt_hours(1), tokens(6)});
  CHECK(utility(lying, 100, side::sell, tokens_per_kwh(3).base(), kilowatt_hours(3).base()) >
        utility(honest, 100, side::sell, tokens_per_kwh(3).base(), kilowatt_hours(3).base()));
  CHECK(honest.auctioneer_surplus == money::zero());
  CHECK(lying.auctioneer_surplus == money::zero());
}

TEST_CASE("VCG on divisible multi-unit orders: no profitable misreport of limit or quantity") {
  // A trader's average VCG price is rounded to the micro-Token/kWh: at most 0.5 micro-Token per
  // kWh on up to 6 + 4 kWh either way, so gains below 10 micro-Token (10,000 in exact units)
  // are rounding, not manipulation.
  std::mt19937_64 rng(1973);
  for (int trial = 0; trial < 60; ++trial) {
    CAPTURE(trial);
    check_no_profitable_deviation(small_book(rng), vcg{}, true, 10'000);
  }
}

TEST_CASE("VCG payments equal each trader's externality computed by brute force over kWh units") {
  // Welfare oracle: expand every order into one-kWh units and match greedily (highest bid unit
  // with lowest offer unit while bid >= offer). A buyer's VCG payment is W(without it) -
  // (W(all) - its value); a seller's receipt is (W(all) + its cost) - W(without it).
  std::mt19937_64 rng(1961);
  const auto welfare = [](const book& b, std::uint64_t without) {
    std::vector<std::int64_t> bu, su;
    for (const auto& o : b.bids)
      if (o.id.value != without)
        bu.insert(bu.end(), static_cast<std::size_t>(o.quantity.base() / 1000), o.limit.base());
    for (const auto& o : b.offers)
      if (o.id.value != without)
        su.insert(su.end(), static_cast<std::size_t>(o.quantity.base() / 1000), o.limit.base());
    std::sort(bu.rbegin(), bu.rend());
    std::sort(su.begin(), su.end());
    std::int64_t w = 0;
    for (std::size_t u = 0; u < bu.size() && u < su.size() && bu[u] >= su[u]; ++u) w += bu[u] - su[u];
    return w;  // micro-Token (whole kWh units)
  };
  for (int trial = 0; trial < 300; ++trial) {
    CAPTURE(trial);
    const book bk = small_book(rng);
    const auto r = run(bk, vcg{});
    const std::int64_t all = welfare(bk, 0);
    const auto got = takes(r);
    for (const auto& o : bk.bids) {
      const auto it = got.find(o.id.value);
      const std::int64_t kwh = it == got.end() ? 0 : it->second.wh / 1000;
      const std::int64_t expected = welfare(bk, o.id.value) - (all - o.limit.base() * kwh);
      const int128 paid = it == got.end() ? 0 : it->second.paid;        // exact: average price x Wh
      CHECK(static_cast<std::int64_t>(paid / 1000) >= expected - kwh);  // within 0.5 uToken/kWh x kWh
      CHECK(static_cast<std::int64_t>(paid / 1000) <= expected + kwh);
    }
    for (const auto& o : bk.offers) {
      const auto it = got.find(o.id.value);
      const std::int64_t kwh = it == got.end() ? 0 : it->second.wh / 1000;
      const std::int64_t expected = all + o.limit.base() * kwh - welfare(bk, o.id.value);
      const int128 received = it == got.end() ? 0 : it->second.paid;
      CHECK(static_cast<std::int64_t>(received / 1000) >= expected - kwh);
      CHECK(static_cast<std::int64_t>(received / 1000) <= expected + kwh);
    }
    CHECK(r.volume.base() % 1000 == 0);
    CHECK(r.auctioneer_surplus <= micro_tokens(20));  // a deficit (or zero), up to rounding
  }
}

TEST_CASE("every rule: individually rational, within quantities, books balanced, budget sign as stated") {
  std::mt19937_64 rng(31337);
  auto check_rule = [&](const book& bk, auto rule, int sign) {
    const auto r = run(bk, rule);
    std::int64_t paid = 0, received = 0;
    for (std::size_t i = 0; i < bk.bids.size(); ++i) {
      CHECK(r.bid_outcomes[i].traded <= bk.bids[i].quantity);
      paid += r.bid_outcomes[i].amount.base();
    }
    for (std::size_t j = 0; j < bk.offers.size(); ++j) {
      CHECK(r.offer_outcomes[j].traded <= bk.offers[j].quantity);
      received += r.offer_outcomes[j].amount.base();
    }
    for (const trade& t : r.trades) {
      const auto b = std::find_if(bk.bids.begin(), bk.bids.end(), [&](auto& o) { return o.id == t.buy_order; });
      const auto s = std::find_if(bk.offers.begin(), bk.offers.end(), [&](auto& o) { return o.id == t.sell_order; });
      CHECK(t.buyer_price <= b->limit);
      CHECK(t.seller_price >= s->limit);
      if (sign >= 0) CHECK(t.buyer_price >= t.seller_price);
    }
    CHECK(paid == r.buyers_paid.base());
    CHECK(received == r.sellers_received.base());
    CHECK(paid - received == r.auctioneer_surplus.base());
    CHECK(r.volume <= call_market(bk.bids, bk.offers).efficient_volume());
    if (sign == 0) CHECK(r.auctioneer_surplus == money::zero());
    if (sign > 0) CHECK(!r.auctioneer_surplus.is_negative());
  };
  for (int trial = 0; trial < 150; ++trial) {
    CAPTURE(trial);
    // Fractional everything: Wh and micro-Token/kWh that rarely multiply to whole micro-Token.
    book bk;
    const std::size_t nb = 1 + rng() % 9, ns = 1 + rng() % 9;
    for (std::size_t i = 0; i < nb; ++i)
      bk.bids.push_back({order_id{1 + i}, participant_id{1 + i},
                         watt_hours(1 + static_cast<std::int64_t>(rng() % 9999)),
                         micro_tokens_per_kwh(1 + static_cast<std::int64_t>(rng() % 30'000'001))});
    for (std::size_t j = 0; j < ns; ++j)
      bk.offers.push_back({order_id{100 + j}, participant_id{100 + j},
                           watt_hours(1 + static_cast<std::int64_t>(rng() % 9999)),
                           micro_tokens_per_kwh(1 + static_cast<std::int64_t>(rng() % 30'000'001))});
    check_rule(bk, midpoint_per_match{}, 0);
    check_rule(bk, uniform_price<std::ratio<2, 7>>{}, 0);
    check_rule(bk, pay_as_bid{}, 0);
    check_rule(bk, pay_as_offer{}, 0);
    check_rule(bk, mcafee{}, 1);
    check_rule(bk, trade_reduction{}, 1);
    check_rule(bk, sbba<>(static_cast<std::uint64_t>(trial)), 0);
    check_rule(bk, vcg{}, -1);
    // The rules that keep Algorithm 1's allocation trade the efficient volume.
    const energy efficient = call_market(bk.bids, bk.offers).efficient_volume();
    CHECK(run(bk, midpoint_per_match{}).volume == efficient);
    CHECK(run(bk, vcg{}).volume == efficient);
  }
}

TEST_CASE("McAfee and trade reduction ration the long side in proportion to quantity, to the Wh") {
  // Bids 10 (3 kWh) and 9 (1 kWh) against offers 1 (1 kWh), 2 (2 kWh), 3 (3 kWh), 20: Algorithm 1
  // fills the bids (4 kWh) from offers 1, 2 and 1 kWh of 3. Trade reduction excludes bid 9 and
  // offer 3: buyer 10 buys 3 kWh at 9 from offers 1 and 2 (3 kWh), nothing to ration.
  book bk;
  bk.bids = {{order_id{1}, participant_id{1}, kilowatt_hours(3), tokens_per_kwh(10)},
             {order_id{2}, participant_id{2}, kilowatt_hours(1), tokens_per_kwh(9)}};
  bk.offers = {{order_id{11}, participant_id{11}, kilowatt_hours(1), tokens_per_kwh(1)},
               {order_id{12}, participant_id{12}, kilowatt_hours(2), tokens_per_kwh(2)},
               {order_id{13}, participant_id{13}, kilowatt_hours(3), tokens_per_kwh(3)},
               {order_id{14}, participant_id{14}, kilowatt_hours(1), tokens_per_kwh(20)}};
  auto r = run(bk, trade_reduction{});
  CHECK(r.volume == kilowatt_hours(3));
  CHECK(r.bid_outcomes[0] == order_outcome{kilowatt_hours(3), tokens(27)});
  // Sellers receive the excluded offer's 3 Token/kWh.
  CHECK(r.offer_outcomes[0] == order_outcome{kilowatt_hours(1), tokens(3)});
  CHECK(r.offer_outcomes[1] == order_outcome{kilowatt_hours(2), tokens(6)});
  CHECK(r.auctioneer_surplus == tokens(27 - 9));
  // A buyer of 2 kWh at 10 joins: bids 10 (3), 10 (2), 9 (1); trade reduction keeps both
  // 10-bids (5 kWh) and offers 1, 2 (3 kWh): buyers are rationed 3 x 3/5 = 1.8 and 3 x 2/5 = 1.2.
  bk.bids.push_back({order_id{3}, participant_id{3}, kilowatt_hours(2), tokens_per_kwh(10)});
  r = run(bk, trade_reduction{});
  CHECK(r.volume == kilowatt_hours(3));
  CHECK(r.bid_outcomes[0].traded == kilowatt_hours(1.8));
  CHECK(r.bid_outcomes[2].traded == kilowatt_hours(1.2));
  // Awkward shares are whole Wh summing exactly: 1000 Wh among 3 equal buyers -> 334, 333, 333.
  book thirds;
  for (std::uint64_t i = 0; i < 3; ++i)
    thirds.bids.push_back({order_id{1 + i}, participant_id{1 + i}, kilowatt_hours(1), tokens_per_kwh(10)});
  thirds.bids.push_back({order_id{4}, participant_id{4}, kilowatt_hours(1), tokens_per_kwh(5)});
  thirds.offers = {{order_id{11}, participant_id{11}, kilowatt_hours(1), tokens_per_kwh(1)},
                   {order_id{12}, participant_id{12}, kilowatt_hours(3), tokens_per_kwh(2)}};
  r = run(thirds, trade_reduction{});  // marginal: bid 4 (5) and offer 12 (2) excluded
  CHECK(r.volume == kilowatt_hours(1));
  CHECK(r.bid_outcomes[0].traded == watt_hours(334));
  CHECK(r.bid_outcomes[1].traded == watt_hours(333));
  CHECK(r.bid_outcomes[2].traded == watt_hours(333));
  CHECK(r.buyers_paid == tokens(5));  // every buyer pays the excluded bid's 5 Token/kWh
  CHECK(r.sellers_received == tokens(2));
}

TEST_CASE("a user-defined rule plugs in through the PricingRule concept") {
  static_assert(PricingRule<markup>);
  static_assert(!PricingRule<int>);
  book bk;
  bk.bids = {{order_id{1}, participant_id{1}, kilowatt_hours(2), tokens_per_kwh(30)}};
  bk.offers = {{order_id{2}, participant_id{2}, kilowatt_hours(3), tokens_per_kwh(10)}};
  const auto r = run(bk, markup{});
  CHECK(r.rule == "markup");
  CHECK(r.buyers_paid == tokens(22));
  // A rule that trades more than an order holds is refused.
  CHECK_THROWS_AS(run(bk, greedy{}), error);
  CHECK_THROWS_AS(run(bk, beyond_the_books{}), error);
}
