// The call auction (paper 003 Step 5 / Algorithm 1): sorting, matching, money and quantity
// conservation, bad input, and paper 003's Table III cleared by the two rules its text and its
// Table IV imply.
#include <evmarket/allocation/proportional.hpp>
#include <evmarket/auction/call_auction.hpp>
#include <evmarket/auction/rules/midpoint_per_match.hpp>
#include <evmarket/auction/rules/sbba.hpp>
#include <evmarket/auction/rules/uniform_price.hpp>
#include <evmarket/core/period.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <tuple>
#include <vector>

using namespace evmarket;

namespace {

// Paper 003, Table III (stations A-H are participants 1-8; order ids equal participant ids).
struct table_iii {
  std::vector<call_order> bids{{order_id{2}, participant_id{2}, kilowatt_hours(6.5), tokens_per_kwh(24)},     // B
                               {order_id{4}, participant_id{4}, kilowatt_hours(10.9), tokens_per_kwh(26)},    // D
                               {order_id{5}, participant_id{5}, kilowatt_hours(3.2), tokens_per_kwh(28)},     // E
                               {order_id{7}, participant_id{7}, kilowatt_hours(5.4), tokens_per_kwh(20)}};    // G
  std::vector<call_order> offers{{order_id{1}, participant_id{1}, kilowatt_hours(3.2), tokens_per_kwh(25)},   // A
                                 {order_id{3}, participant_id{3}, kilowatt_hours(9.8), tokens_per_kwh(22)},   // C
                                 {order_id{6}, participant_id{6}, kilowatt_hours(7.2), tokens_per_kwh(19)},   // F
                                 {order_id{8}, participant_id{8}, kilowatt_hours(6.8), tokens_per_kwh(16)}};  // H
};

std::map<std::uint64_t, money> net_payments(const call_auction_result& r) {
  std::map<std::uint64_t, money> out;
  for (const participant_position& p : r.positions()) out[p.participant.value] = p.net_payment;
  return out;
}

// price (uToken/kWh) x energy (Wh) / 1000, halves to even: written independently of the library.
std::int64_t value_of(std::int64_t unit_price, std::int64_t wh) {
  const detail::int128 product = static_cast<detail::int128>(unit_price) * wh;
  detail::int128 q = product / 1000, r = product % 1000;
  if (2 * r > 1000 || (2 * r == 1000 && q % 2 != 0)) ++q;
  return static_cast<std::int64_t>(q);
}

// The paper's Algorithm 1, literally: sorted vectors, the front pair matched and the exhausted
// front removed. Returns (bid input index, offer input index, Wh) per non-empty transaction.
std::vector<std::tuple<std::size_t, std::size_t, std::int64_t>> algorithm_1(const std::vector<call_order>& bids,
                                                                            const std::vector<call_order>& offers) {
  struct entry {
    std::int64_t limit, left;
    std::size_t index;
  };
  std::vector<entry> b, s;
  for (std::size_t i = 0; i < bids.size(); ++i) b.push_back({bids[i].limit.base(), bids[i].quantity.base(), i});
  for (std::size_t j = 0; j < offers.size(); ++j) s.push_back({offers[j].limit.base(), offers[j].quantity.base(), j});
  std::stable_sort(b.begin(), b.end(), [](const entry& x, const entry& y) { return x.limit > y.limit; });
  std::stable_sort(s.begin(), s.end(), [](const entry& x, const entry& y) { return x.limit < y.limit; });
  std::vector<std::tuple<std::size_t, std::size_t, std::int64_t>> out;
  while (!b.empty() && !s.empty() && b.front().limit >= s.front().limit) {
    const std::int64_t amount = std::min(b.front().left, s.front().left);
    if (amount > 0)
      out.emplace_back(b.front().index, s.front().index, amount);  // the paper's zero transaction is skipped
    b.front().left -= amount;
    s.front().left -= amount;
    if (b.front().left == 0)
      b.erase(b.begin());
    else
      s.erase(s.begin());
  }
  return out;
}

std::vector<call_order> random_side(std::mt19937_64& rng, std::size_t n, std::uint64_t first_id, std::int64_t max_price,
                                    std::int64_t max_wh) {
  std::uniform_int_distribution<std::int64_t> price_of(1, max_price), wh_of(1, max_wh);
  std::vector<call_order> orders(n);
  for (std::size_t i = 0; i < n; ++i)
    orders[i] = {order_id{first_id + i}, participant_id{first_id + i}, watt_hours(wh_of(rng)),
                 micro_tokens_per_kwh(price_of(rng))};
  return orders;
}

}  // namespace

TEST_CASE("paper 003: Algorithm 1 (midpoint per match) gives the payments its text implies") {
  // Matches: E-H 3.2 kWh @ 22, D-H 3.6 @ 21, D-F 7.2 @ 22.5, D-C 0.1 @ 24, B-C 6.5 @ 23; G and A
  // do not trade (G's 20 < C's 22). Payments: E 70.4, D 75.6 + 162 + 2.4 = 240.0, B 149.5;
  // H -(70.4 + 75.6) = -146.0, F -162.0, C -(2.4 + 149.5) = -151.9 (see the papers' README).
  const table_iii t;
  const call_auction_result r = call_auction<midpoint_per_match>{}.clear(t.bids, t.offers);
  CHECK(r.status == clearing_status::cleared);
  CHECK(r.rule == "midpoint per match");
  REQUIRE(r.trades.size() == 5);
  CHECK(r.trades[0].buyer == participant_id{5});
  CHECK(r.trades[0].seller == participant_id{8});
  CHECK(r.trades[0].quantity == kilowatt_hours(3.2));
  CHECK(r.trades[0].buyer_price == tokens_per_kwh(22));
  CHECK(r.trades[2].buyer_price == tokens_per_kwh(22.5));
  const auto pay = net_payments(r);
  CHECK(pay.size() == 6);  // A and G pay nothing
  CHECK(pay.at(5) == tokens(70.4));
  CHECK(pay.at(4) == tokens(240.0));
  CHECK(pay.at(2) == tokens(149.5));
  CHECK(pay.at(8) == tokens(-146.0));
  CHECK(pay.at(6) == tokens(-162.0));
  CHECK(pay.at(3) == tokens(-151.9));
  CHECK(r.volume == kilowatt_hours(20.6));
  CHECK(r.auctioneer_surplus == money::zero());
  CHECK(r.lowest_price == tokens_per_kwh(21));
  CHECK(r.highest_price == tokens_per_kwh(24));
  CHECK_FALSE(r.uniform_price());
  // Outcomes line up with the input: G (bids[3]) and A (offers[0]) did not trade.
  CHECK(r.bid_outcomes[3] == order_outcome{});
  CHECK(r.offer_outcomes[0] == order_outcome{});
  CHECK(r.bid_outcomes[1] == order_outcome{kilowatt_hours(10.9), tokens(240.0)});
  CHECK(r.offer_outcomes[1] == order_outcome{kilowatt_hours(6.6), tokens(151.9)});
}

TEST_CASE("paper 003: uniform price k = 1/2 gives Table IV's price 23 and its rows D, E, F, H") {
  // The marginal pair is B's bid 24 and C's offer 22: (24 + 22) / 2 = 23. Table IV prints
  // D 250.7 (10.9 x 23), E 73.6 (3.2 x 23), F -165.6 (7.2 x 23), H -156.4 (6.8 x 23); its rows
  // B (73.6) and C (-225.4) are misprints: B buys 6.5 kWh (149.5) and C sells 6.6 kWh (-151.8),
  // the only quantities that conserve energy (see the papers' README).
  const table_iii t;
  const call_auction_result r = clear_call<uniform_price<std::ratio<1, 2>>>(t.bids, t.offers);
  CHECK(r.uniform_price());
  CHECK(r.lowest_price == tokens_per_kwh(23));
  const auto pay = net_payments(r);
  CHECK(pay.at(4) == tokens(250.7));
  CHECK(pay.at(5) == tokens(73.6));
  CHECK(pay.at(6) == tokens(-165.6));
  CHECK(pay.at(8) == tokens(-156.4));
  CHECK(pay.at(2) == tokens(149.5));
  CHECK(pay.at(3) == tokens(-151.8));
  CHECK(pay.count(1) == 0);
  CHECK(pay.count(7) == 0);
  CHECK(r.auctioneer_surplus == money::zero());
  for (const participant_position& p : r.positions()) CHECK((p.bought.is_zero() || p.sold.is_zero()));
}

TEST_CASE("Algorithm 1 agrees with a literal transcription of the paper on random books") {
  std::mt19937_64 rng(20260003);
  for (int trial = 0; trial < 300; ++trial) {
    CAPTURE(trial);
    const std::size_t nb = rng() % 12, ns = rng() % 12;
    // Few distinct prices and quantities: many ties and simultaneous exhaustion.
    const std::int64_t top_price = trial % 2 == 0 ? 6 : 1'000'000'000;
    const auto bids = random_side(rng, nb, 1, top_price, trial % 3 == 0 ? 3 : 50'000);
    const auto offers = random_side(rng, ns, 1000, top_price, trial % 3 == 0 ? 3 : 50'000);
    const call_market market(bids, offers);
    const auto expected = algorithm_1(bids, offers);
    REQUIRE(market.matches().size() == expected.size());
    std::int64_t volume = 0;
    for (std::size_t k = 0; k < expected.size(); ++k) {
      const auto& m = market.matches()[k];
      CHECK(market.bid_index(m.bid_rank) == std::get<0>(expected[k]));
      CHECK(market.offer_index(m.offer_rank) == std::get<1>(expected[k]));
      CHECK(m.quantity.base() == std::get<2>(expected[k]));
      volume += std::get<2>(expected[k]);
    }
    CHECK(market.efficient_volume().base() == volume);
    // Ranks: bids by limit high to low, offers low to high, ties in input order.
    for (std::size_t r = 1; r < nb; ++r) {
      CHECK(market.bid(r - 1).limit >= market.bid(r).limit);
      if (market.bid(r - 1).limit == market.bid(r).limit) CHECK(market.bid_index(r - 1) < market.bid_index(r));
    }
    for (std::size_t r = 1; r < ns; ++r) {
      CHECK(market.offer(r - 1).limit <= market.offer(r).limit);
      if (market.offer(r - 1).limit == market.offer(r).limit) CHECK(market.offer_index(r - 1) < market.offer_index(r));
    }
  }
}

TEST_CASE("ranking large books: the radix sort equals a stable comparison sort") {
  std::mt19937_64 rng(77);
  // One price (no radix pass), a few, millions (packed 64-bit items), and the whole int64 range
  // (16-byte items).
  for (const std::int64_t top :
       {std::int64_t{1}, std::int64_t{3}, std::int64_t{5'000'000}, std::numeric_limits<std::int64_t>::max()}) {
    CAPTURE(top);
    const auto bids = random_side(rng, 3000, 1, top, 10);
    const auto offers = random_side(rng, 2500, 10'000, top, 10);
    const call_market market(bids, offers);
    std::vector<std::size_t> bid_ref(bids.size()), offer_ref(offers.size());
    for (std::size_t i = 0; i < bid_ref.size(); ++i) bid_ref[i] = i;
    for (std::size_t i = 0; i < offer_ref.size(); ++i) offer_ref[i] = i;
    std::stable_sort(bid_ref.begin(), bid_ref.end(),
                     [&](std::size_t a, std::size_t b) { return bids[a].limit > bids[b].limit; });
    std::stable_sort(offer_ref.begin(), offer_ref.end(),
                     [&](std::size_t a, std::size_t b) { return offers[a].limit < offers[b].limit; });
    bool same = true;
    for (std::size_t r = 0; r < bid_ref.size(); ++r) same = same && market.bid_index(r) == bid_ref[r];
    for (std::size_t r = 0; r < offer_ref.size(); ++r) same = same && market.offer_index(r) == offer_ref[r];
    CHECK(same);
  }
}

TEST_CASE("conservation: energy and money balance exactly on random books, including fractional values") {
  std::mt19937_64 rng(4242);
  for (int trial = 0; trial < 200; ++trial) {
    CAPTURE(trial);
    // Odd Wh and odd micro-Token prices: price x quantity is rarely a whole micro-Token.
    const auto bids = random_side(rng, 1 + rng() % 20, 1, 999'999, 9'999);
    const auto offers = random_side(rng, 1 + rng() % 20, 100, 999'999, 9'999);
    for (const bool uniform : {false, true}) {
      const call_auction_result r = uniform ? clear_call<uniform_price<std::ratio<1, 3>>>(bids, offers)
                                            : clear_call<midpoint_per_match>(bids, offers);
      std::vector<std::int64_t> bought(bids.size()), sold(offers.size()), paid(bids.size()), received(offers.size());
      std::int64_t volume = 0, all_paid = 0, all_received = 0;
      for (const trade& t : r.trades) {
        const auto bi = static_cast<std::size_t>(
            std::find_if(bids.begin(), bids.end(), [&](auto& o) { return o.id == t.buy_order; }) - bids.begin());
        const auto si = static_cast<std::size_t>(
            std::find_if(offers.begin(), offers.end(), [&](auto& o) { return o.id == t.sell_order; }) - offers.begin());
        REQUIRE(bi < bids.size());
        REQUIRE(si < offers.size());
        CHECK(t.single_price());
        CHECK(t.buyer_price <= bids[bi].limit);
        CHECK(t.seller_price >= offers[si].limit);
        bought[bi] += t.quantity.base();
        sold[si] += t.quantity.base();
        paid[bi] += value_of(t.buyer_price.base(), t.quantity.base());
        received[si] += value_of(t.seller_price.base(), t.quantity.base());
        volume += t.quantity.base();
      }
      for (std::size_t i = 0; i < bids.size(); ++i) {
        CHECK(r.bid_outcomes[i].traded.base() == bought[i]);
        CHECK(r.bid_outcomes[i].amount.base() == paid[i]);
        CHECK(bought[i] <= bids[i].quantity.base());
        all_paid += paid[i];
      }
      for (std::size_t j = 0; j < offers.size(); ++j) {
        CHECK(r.offer_outcomes[j].traded.base() == sold[j]);
        CHECK(r.offer_outcomes[j].amount.base() == received[j]);
        CHECK(sold[j] <= offers[j].quantity.base());
        all_received += received[j];
      }
      CHECK(r.volume.base() == volume);
      CHECK(r.buyers_paid.base() == all_paid);
      CHECK(r.sellers_received.base() == all_received);
      CHECK(r.auctioneer_surplus.base() == all_paid - all_received);
      CHECK(r.auctioneer_surplus == money::zero());  // one price per trade: the same amount changes hands
      std::int64_t net = 0;
      for (const participant_position& p : r.positions()) net += p.net_payment.base();
      CHECK(net == r.auctioneer_surplus.base());
      if (uniform && !r.trades.empty()) CHECK(r.uniform_price());
    }
  }
}

TEST_CASE("no trade is a status, not an error") {
  const table_iii t;
  const std::vector<call_order> none;
  for (const auto& r : {clear_call<midpoint_per_match>(none, t.offers), clear_call<midpoint_per_match>(t.bids, none),
                        clear_call<midpoint_per_match>(none, none)}) {
    CHECK(r.status == clearing_status::no_trade);
    CHECK(r.trades.empty());
    CHECK(r.volume == energy::zero());
    CHECK(r.auctioneer_surplus == money::zero());
  }
  // Books that do not cross: highest bid 20 below lowest offer 21.
  const std::vector<call_order> bids{{order_id{1}, participant_id{1}, kilowatt_hours(1), tokens_per_kwh(20)}};
  const std::vector<call_order> offers{{order_id{2}, participant_id{2}, kilowatt_hours(1), tokens_per_kwh(21)}};
  const auto r = clear_call<uniform_price<>>(bids, offers);
  CHECK(r.status == clearing_status::no_trade);
  CHECK(r.bid_outcomes.size() == 1);
  CHECK(r.bid_outcomes[0] == order_outcome{});
  // Equal limits cross (bid >= offer).
  const std::vector<call_order> at{{order_id{3}, participant_id{3}, kilowatt_hours(1), tokens_per_kwh(21)}};
  CHECK(clear_call<uniform_price<>>(at, offers).volume == kilowatt_hours(1));
}

TEST_CASE("bad input: a typed error naming the field and value, and nothing changes") {
  const table_iii t;
  auto expect_bad = [](std::vector<call_order> bids, std::vector<call_order> offers, const char* field,
                       const char* value) {
    try {
      (void)clear_call<midpoint_per_match>(bids, offers);
      FAIL("expected bad_input");
    } catch (const bad_input& e) {
      CHECK(e.field() == field);
      CHECK(e.value() == value);
    }
  };
  auto bids = t.bids;
  bids[2].quantity = energy::zero();
  expect_bad(bids, t.offers, "bids[2].quantity", "0");
  auto offers = t.offers;
  offers[1].quantity = watt_hours(-5);
  expect_bad(t.bids, offers, "offers[1].quantity", "-5");
  bids = t.bids;
  bids[0].limit = price::zero();
  expect_bad(bids, t.offers, "bids[0].limit", "0");
  offers = t.offers;
  offers[3].limit = micro_tokens_per_kwh(-1);
  expect_bad(t.bids, offers, "offers[3].limit", "-1");
  // Duplicate order ids: within a side, across sides, ascending or not.
  bids = t.bids;
  bids[1].id = bids[0].id;
  expect_bad(bids, t.offers, "orders.id", "2");
  offers = t.offers;
  offers[3].id = order_id{7};  // G's bid id, ids ascending on both sides
  expect_bad(t.bids, offers, "orders.id", "7");
  offers = t.offers;
  std::reverse(offers.begin(), offers.end());
  offers[0].id = order_id{4};  // D's bid id, offers not ascending
  expect_bad(t.bids, offers, "orders.id", "4");
  // A side whose quantities overflow 64 bits.
  bids = t.bids;
  bids[0].quantity = energy::max();
  CHECK_THROWS_AS(clear_call<midpoint_per_match>(bids, t.offers), overflow_error);

  // All-or-nothing: a failed clearing leaves a stateful rule's lottery untouched.
  call_auction<sbba<>> auction(sbba<>(99));
  const auto before = auction.rule().engine();
  bids = t.bids;
  bids[3].limit = micro_tokens_per_kwh(-2);
  CHECK_THROWS_AS(auction.clear(bids, t.offers), bad_input);
  CHECK(auction.rule().engine() == before);
  (void)auction.clear(t.bids, t.offers);
  CHECK_FALSE(auction.rule().engine() == before);
}

TEST_CASE("uniform price k picks the marginal pair's price; k = 0 and 1 are the marginal offer and bid") {
  const table_iii t;
  CHECK(clear_call<uniform_price<std::ratio<0>>>(t.bids, t.offers).lowest_price == tokens_per_kwh(22));
  CHECK(clear_call<uniform_price<std::ratio<1>>>(t.bids, t.offers).lowest_price == tokens_per_kwh(24));
  CHECK(clear_call<uniform_price<std::ratio<1, 4>>>(t.bids, t.offers).lowest_price == tokens_per_kwh(22.5));
  // Rounding of the price: 1/3 of the way from 22 to 24 Token/kWh is 22.666666... -> 22.666667.
  CHECK(clear_call<uniform_price<std::ratio<1, 3>>>(t.bids, t.offers).lowest_price == micro_tokens_per_kwh(22'666'667));
  CHECK(uniform_price<std::ratio<1, 2>>::clearing_price(micro_tokens_per_kwh(5), micro_tokens_per_kwh(2)) ==
        micro_tokens_per_kwh(4));  // 3.5 -> 4 (halves to even)
  CHECK(uniform_price<std::ratio<1, 2>>::clearing_price(micro_tokens_per_kwh(4), micro_tokens_per_kwh(1)) ==
        micro_tokens_per_kwh(2));  // 2.5 -> 2
}

TEST_CASE("a call auction reuses its memory across clearings without carrying anything over") {
  std::mt19937_64 rng(515);
  call_auction<midpoint_per_match> auction;
  for (int trial = 0; trial < 12; ++trial) {
    CAPTURE(trial);
    const std::size_t n = trial % 3 == 0 ? 2000 : 1 + rng() % 30;  // big and small books in turn
    const auto bids = random_side(rng, n, 1, 40'000'000, 20'000);
    const auto offers = random_side(rng, n + 3, 1'000'000, 40'000'000, 20'000);
    const auto reused = auction.clear(bids, offers);
    const auto fresh = clear_call<midpoint_per_match>(bids, offers);
    CHECK(reused.trades == fresh.trades);
    CHECK(reused.bid_outcomes == fresh.bid_outcomes);
    CHECK(reused.offer_outcomes == fresh.offer_outcomes);
    CHECK(reused.volume == fresh.volume);
    CHECK(reused.buyers_paid == fresh.buyers_paid);
  }
}

TEST_CASE("clear_into refills one result across clearings exactly as fresh clearings would") {
  std::mt19937_64 rng(516);
  call_auction<sbba<>> reusing(sbba<>(9));
  call_auction<sbba<>> fresh(sbba<>(9));  // the same lottery, drawn in the same order
  call_auction_result result;
  for (int trial = 0; trial < 12; ++trial) {
    CAPTURE(trial);
    const std::size_t n = trial % 3 == 0 ? 2000 : rng() % 30;  // big, small and empty books in turn
    const auto bids = random_side(rng, n, 1, 40'000'000, 20'000);
    const auto offers = random_side(rng, n + 3, 1'000'000, 40'000'000, 20'000);
    reusing.clear_into(bids, offers, result);
    const call_auction_result expected = fresh.clear(bids, offers);
    CHECK(result.status == expected.status);
    CHECK(result.rule == expected.rule);
    CHECK(result.trades == expected.trades);
    CHECK(result.bid_outcomes == expected.bid_outcomes);
    CHECK(result.offer_outcomes == expected.offer_outcomes);
    CHECK(result.volume == expected.volume);
    CHECK(result.buyers_paid == expected.buyers_paid);
    CHECK(result.sellers_received == expected.sellers_received);
    CHECK(result.auctioneer_surplus == expected.auctioneer_surplus);
    CHECK(result.lowest_price == expected.lowest_price);
    CHECK(result.highest_price == expected.highest_price);
  }
}

TEST_CASE("a participant with orders on both sides gets one net position") {
  const std::vector<call_order> bids{{order_id{1}, participant_id{9}, kilowatt_hours(2), tokens_per_kwh(30)},
                                     {order_id{2}, participant_id{5}, kilowatt_hours(1), tokens_per_kwh(25)}};
  const std::vector<call_order> offers{{order_id{3}, participant_id{5}, kilowatt_hours(2), tokens_per_kwh(10)},
                                       {order_id{4}, participant_id{9}, kilowatt_hours(1), tokens_per_kwh(20)}};
  const auto r = clear_call<uniform_price<>>(bids, offers);
  // Matches: P9 buys 2 from P5, P5 buys 1 from P9; marginal pair 25 / 20 -> price 22.5.
  const auto positions = r.positions();
  REQUIRE(positions.size() == 2);
  CHECK(positions[0] == participant_position{participant_id{5}, kilowatt_hours(1), kilowatt_hours(2), tokens(-22.5)});
  CHECK(positions[1] == participant_position{participant_id{9}, kilowatt_hours(2), kilowatt_hours(1), tokens(22.5)});
}

TEST_CASE("paper 003's two stages compose: beta quotas -> offers within quotas -> clearing -> final quotas") {
  // Stage 1 (Table II): 323 kW shared over demands 36..66 kW. Stage 2 (Table III): sellers offer
  // part of their half-hour quota energy; the clearing moves energy between quotas, and the total
  // stays what the transformer allows.
  const std::vector<double> demand_kw{36, 48, 42, 66, 30, 66, 54, 48};
  std::vector<station_request> requests;
  for (std::size_t i = 0; i < demand_kw.size(); ++i) requests.push_back({station_id{i + 1}, kilowatts(demand_kw[i])});
  const allocation quotas = proportional_allocation{}.allocate(kilowatts(323), requests);
  const trading_calendar calendar;  // half-hour periods
  std::map<std::uint64_t, energy> holding;
  energy total = energy::zero();
  for (std::size_t i = 0; i < requests.size(); ++i) {
    holding[i + 1] = calendar.energy_in_period(quotas.quotas[i], rounding::down);
    total += holding[i + 1];
  }
  const table_iii t;
  for (const call_order& offer : t.offers) CHECK(offer.quantity <= holding.at(offer.participant.value));
  const call_auction_result r = call_auction<uniform_price<>>{}.clear(t.bids, t.offers);
  energy after = energy::zero();
  for (const participant_position& p : r.positions()) holding[p.participant.value] += p.bought - p.sold;
  for (const auto& [station, e] : holding) {
    CHECK_FALSE(e.is_negative());
    after += e;
  }
  CHECK(after == total);
  CHECK(holding.at(4) == calendar.energy_in_period(quotas.quotas[3], rounding::down) + kilowatt_hours(10.9));  // D
}
