// Mechanism metrics for one call-auction clearing: volume and gains against the efficient
// maximum, utilities, budget balance, individual-rationality violations, prices.
#include <evmarket/auction/metrics.hpp>
#include <evmarket/auction/rules/mcafee.hpp>
#include <evmarket/auction/rules/midpoint_per_match.hpp>
#include <evmarket/auction/rules/pay_as_bid.hpp>
#include <evmarket/auction/rules/pay_as_offer.hpp>
#include <evmarket/auction/rules/sbba.hpp>
#include <evmarket/auction/rules/trade_reduction.hpp>
#include <evmarket/auction/rules/uniform_price.hpp>
#include <evmarket/auction/rules/vcg.hpp>

#include <doctest/doctest.h>

#include <random>
#include <vector>

using namespace evmarket;

namespace {

// Paper 003, Table III (stations A-H = participants 1-8).
const std::vector<call_order> bids{{order_id{2}, participant_id{2}, kilowatt_hours(6.5), tokens_per_kwh(24)},
                                   {order_id{4}, participant_id{4}, kilowatt_hours(10.9), tokens_per_kwh(26)},
                                   {order_id{5}, participant_id{5}, kilowatt_hours(3.2), tokens_per_kwh(28)},
                                   {order_id{7}, participant_id{7}, kilowatt_hours(5.4), tokens_per_kwh(20)}};
const std::vector<call_order> offers{{order_id{1}, participant_id{1}, kilowatt_hours(3.2), tokens_per_kwh(25)},
                                     {order_id{3}, participant_id{3}, kilowatt_hours(9.8), tokens_per_kwh(22)},
                                     {order_id{6}, participant_id{6}, kilowatt_hours(7.2), tokens_per_kwh(19)},
                                     {order_id{8}, participant_id{8}, kilowatt_hours(6.8), tokens_per_kwh(16)}};

// A rule that breaks its limits: every match at the offer's limit + 5 Token/kWh, even above the bid.
struct overcharge {
  static constexpr std::string_view name = "overcharge";
  void apply(const call_market& m, clearing_builder& out) const {
    for (const auto& x : m.matches()) {
      const price p = m.offer(x.offer_rank).limit + tokens_per_kwh(5);
      out.record(x.bid_rank, x.offer_rank, x.quantity, p, p);
    }
  }
};

}  // namespace

TEST_CASE("paper 003 under Algorithm 1: efficient, balanced, every trader gains") {
  const auto r = clear_call<midpoint_per_match>(bids, offers);
  const clearing_metrics m = measure(bids, offers, r);
  CHECK(m.rule == "midpoint per match");
  CHECK(m.volume == kilowatt_hours(20.6));
  CHECK(m.efficient_volume == kilowatt_hours(20.6));
  CHECK(m.volume_share() == 1.0);
  // Gains: 3.2 x (28-16) + 3.6 x (26-16) + 7.2 x (26-19) + 0.1 x (26-22) + 6.5 x (24-22) = 138.2.
  CHECK(m.gains_from_trade == tokens(138.2));
  CHECK(m.efficient_gains == tokens(138.2));
  CHECK(m.efficiency == 1.0);
  CHECK(m.balance == budget_balance::balanced);
  CHECK(m.rationality_violations.empty());
  // E buys 3.2 kWh worth 28 at 22: 19.2; C sells 6.6 kWh costing 22 for 151.9: 6.7; A and G: 0.
  CHECK(m.bid_utilities[2] == tokens(19.2));
  CHECK(m.offer_utilities[1] == tokens(6.7));
  CHECK(m.bid_utilities[3] == money::zero());
  CHECK(m.offer_utilities[0] == money::zero());
  CHECK(m.buyers_utility + m.sellers_utility + m.auctioneer_surplus == m.gains_from_trade);
  CHECK(m.lowest_price == tokens_per_kwh(21));
  CHECK(m.highest_price == tokens_per_kwh(24));
  // Buyers paid 70.4 + 240 + 149.5 = 459.9 for 20.6 kWh: 22.325243 Token/kWh.
  CHECK(m.average_buyer_price == micro_tokens_per_kwh(22'325'243));
}

TEST_CASE("paper 003 under trade reduction: a surplus and a measured efficiency loss") {
  const auto r = clear_call<trade_reduction>(bids, offers);
  const clearing_metrics m = measure(bids, offers, r);
  // B (bid 24) and C (offer 22) are the marginal pair and are excluded: E and D (14.1 kWh) buy at
  // 24 from H and F (14.0 kWh) at 22; buyers are rationed 14.0 x 3.2/14.1 and 14.0 x 10.9/14.1.
  CHECK(m.volume == kilowatt_hours(14));
  CHECK(m.volume_share() == doctest::Approx(14.0 / 20.6));
  CHECK(m.balance == budget_balance::surplus);
  CHECK(m.auctioneer_surplus == tokens(14 * 2));
  CHECK(m.efficiency < 1.0);
  CHECK(m.rationality_violations.empty());
  // Gains realised = sum (bid - offer) x q over the trades, within rounding of the parts.
  const auto parts = m.buyers_utility + m.sellers_utility + m.auctioneer_surplus;
  CHECK((parts - m.gains_from_trade).base() <= static_cast<std::int64_t>(r.trades.size()));
  CHECK((m.gains_from_trade - parts).base() <= static_cast<std::int64_t>(r.trades.size()));
}

TEST_CASE("every rule on random books: no rationality violations, shares within [0, 1], sums agree") {
  std::mt19937_64 rng(8);
  auto check = [&](const std::vector<call_order>& b, const std::vector<call_order>& o, auto rule, budget_balance sign) {
    const auto r = clear_call(b, o, rule);
    const clearing_metrics m = measure(b, o, r);
    CHECK(m.rationality_violations.empty());
    CHECK(m.volume <= m.efficient_volume);
    CHECK(m.volume_share() >= 0.0);
    CHECK(m.volume_share() <= 1.0);
    CHECK(m.efficiency <= 1.0 + 1e-12);
    CHECK(m.efficiency >= 0.0);
    CHECK(m.gains_from_trade <= m.efficient_gains);
    for (const money u : m.bid_utilities) CHECK_FALSE(u.is_negative());
    for (const money u : m.offer_utilities) CHECK_FALSE(u.is_negative());
    if (sign == budget_balance::balanced) CHECK(m.balance == budget_balance::balanced);
    if (sign == budget_balance::surplus) CHECK(m.balance != budget_balance::deficit);
    const auto parts = m.buyers_utility + m.sellers_utility + m.auctioneer_surplus;
    const auto slack = static_cast<std::int64_t>(2 * r.trades.size() + 1);  // one rounding per trade side
    CHECK((parts - m.gains_from_trade).base() <= slack);
    CHECK((m.gains_from_trade - parts).base() <= slack);
  };
  for (int trial = 0; trial < 100; ++trial) {
    CAPTURE(trial);
    std::vector<call_order> b, o;
    const std::size_t nb = 1 + rng() % 10, no = 1 + rng() % 10;
    for (std::size_t i = 0; i < nb; ++i)
      b.push_back({order_id{1 + i}, participant_id{1 + i}, watt_hours(1 + static_cast<std::int64_t>(rng() % 20'000)),
                   micro_tokens_per_kwh(1 + static_cast<std::int64_t>(rng() % 50'000'000))});
    for (std::size_t j = 0; j < no; ++j)
      o.push_back({order_id{100 + j}, participant_id{100 + j},
                   watt_hours(1 + static_cast<std::int64_t>(rng() % 20'000)),
                   micro_tokens_per_kwh(1 + static_cast<std::int64_t>(rng() % 50'000'000))});
    check(b, o, midpoint_per_match{}, budget_balance::balanced);
    check(b, o, uniform_price<>{}, budget_balance::balanced);
    check(b, o, pay_as_bid{}, budget_balance::balanced);
    check(b, o, pay_as_offer{}, budget_balance::balanced);
    check(b, o, mcafee{}, budget_balance::surplus);
    check(b, o, trade_reduction{}, budget_balance::surplus);
    check(b, o, sbba<>(static_cast<std::uint64_t>(trial)), budget_balance::balanced);
    check(b, o, vcg{}, budget_balance::deficit);
    // The allocation-preserving rules realise the efficient gains exactly.
    CHECK(measure(b, o, clear_call<pay_as_offer>(b, o)).efficiency == 1.0);
  }
}

TEST_CASE("VCG runs a deficit on paper 003") {
  const clearing_metrics m = measure(bids, offers, clear_call<vcg>(bids, offers));
  CHECK(m.balance == budget_balance::deficit);
  CHECK(m.auctioneer_surplus.is_negative());
  CHECK(m.efficiency == 1.0);
  CHECK(m.rationality_violations.empty());
}

TEST_CASE("a rule that breaks a limit is reported, with the order and its loss") {
  const auto r = clear_call<overcharge>(bids, offers);
  const clearing_metrics m = measure(bids, offers, r);
  // Offer + 5 exceeds the bid where the spread is below 5: D-C (26 vs 22 + 5) and B-C (24 vs 27).
  REQUIRE(m.rationality_violations.size() == 2);
  CHECK(m.rationality_violations[0].of == side::buy);
  CHECK(m.rationality_violations[0].index == 0);  // B: 6.5 kWh x (24 - 27) = -19.5
  CHECK(m.rationality_violations[0].utility == tokens(-19.5));
  CHECK(m.rationality_violations[1].index == 1);  // D: gains on H and F, loses 0.1 on C
  CHECK(m.rationality_violations[1].utility.is_positive());
}

TEST_CASE("metrics of a clearing that does not belong to the books are refused") {
  const auto r = clear_call<midpoint_per_match>(bids, offers);
  const std::vector<call_order> fewer(bids.begin(), bids.begin() + 2);
  CHECK_THROWS_AS(measure(fewer, offers, r), bad_input);
  std::vector<call_order> renamed = bids;
  renamed[2].id = order_id{50};
  CHECK_THROWS_AS(measure(renamed, offers, r), bad_input);
  // Nothing traded: shares are 1 only when nothing could trade.
  const std::vector<call_order> none;
  const auto empty = clear_call<mcafee>(none, offers);
  const clearing_metrics m = measure(none, offers, empty);
  CHECK(m.volume_share() == 1.0);
  CHECK(m.efficiency == 1.0);
  CHECK(m.average_buyer_price == price::zero());
}
