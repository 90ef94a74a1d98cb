// The call auction on arbitrary books under every pricing rule. Properties: bad input throws an
// evmarket::error (and leaves a held rule unchanged); otherwise no order trades beyond its
// quantity or its limit (individual rationality), buyers' payments minus sellers' receipts equal
// the surplus exactly, the volume is the same counted by trades, bids and offers and never
// exceeds Algorithm 1's volume, and positions() agrees with the per-order outcomes.
#include "fuzz_support.hpp"

#include <evmarket/auction/call_auction.hpp>
#include <evmarket/auction/metrics.hpp>
#include <evmarket/auction/rules/mcafee.hpp>
#include <evmarket/auction/rules/midpoint_per_match.hpp>
#include <evmarket/auction/rules/pay_as_bid.hpp>
#include <evmarket/auction/rules/pay_as_offer.hpp>
#include <evmarket/auction/rules/sbba.hpp>
#include <evmarket/auction/rules/trade_reduction.hpp>
#include <evmarket/auction/rules/uniform_price.hpp>
#include <evmarket/auction/rules/vcg.hpp>

#include <map>
#include <ratio>
#include <vector>

using namespace evmarket;
using evmarket_fuzz::edgy_int;

namespace {

std::vector<call_order> arbitrary_side(FuzzedDataProvider& in, std::uint64_t first_id) {
  std::vector<call_order> orders(in.ConsumeIntegralInRange<std::size_t>(0, 10));
  for (std::size_t k = 0; k < orders.size(); ++k) {
    orders[k].id = order_id{first_id + (in.ConsumeIntegralInRange<int>(0, 20) == 0 ? 0 : k)};
    orders[k].participant = participant_id{in.ConsumeIntegralInRange<std::uint64_t>(1, 6)};
    orders[k].quantity = watt_hours(edgy_int(in, 20'000));
    orders[k].limit = micro_tokens_per_kwh(edgy_int(in, 40'000'000));
  }
  return orders;
}

struct participant_totals {
  std::int64_t bought = 0, sold = 0;
  detail::int128 net = 0;
};

void check_result(const std::vector<call_order>& bids, const std::vector<call_order>& offers,
                  const call_auction_result& r) {
  FUZZ_CHECK(r.bid_outcomes.size() == bids.size() && r.offer_outcomes.size() == offers.size());
  detail::int128 paid = 0, received = 0, bid_volume = 0, offer_volume = 0, trade_volume = 0;
  std::map<std::uint64_t, participant_totals> expected;
  for (std::size_t i = 0; i < bids.size(); ++i) {
    const order_outcome& o = r.bid_outcomes[i];
    FUZZ_CHECK(!o.traded.is_negative() && o.traded <= bids[i].quantity && !o.amount.is_negative());
    paid += o.amount.base();
    bid_volume += o.traded.base();
    if (o.traded.is_positive()) {
      expected[bids[i].participant.value].bought += o.traded.base();
      expected[bids[i].participant.value].net += o.amount.base();
    }
  }
  for (std::size_t j = 0; j < offers.size(); ++j) {
    const order_outcome& o = r.offer_outcomes[j];
    FUZZ_CHECK(!o.traded.is_negative() && o.traded <= offers[j].quantity && !o.amount.is_negative());
    received += o.amount.base();
    offer_volume += o.traded.base();
    if (o.traded.is_positive()) {
      expected[offers[j].participant.value].sold += o.traded.base();
      expected[offers[j].participant.value].net -= o.amount.base();
    }
  }
  for (const trade& t : r.trades) {
    FUZZ_CHECK(t.quantity.is_positive());
    trade_volume += t.quantity.base();
    const auto b = std::find_if(bids.begin(), bids.end(), [&](const call_order& o) { return o.id == t.buy_order; });
    const auto s =
        std::find_if(offers.begin(), offers.end(), [&](const call_order& o) { return o.id == t.sell_order; });
    FUZZ_CHECK(b != bids.end() && s != offers.end());
    FUZZ_CHECK(t.buyer_price <= b->limit && t.seller_price >= s->limit);  // individually rational
  }
  FUZZ_CHECK(paid == r.buyers_paid.base() && received == r.sellers_received.base());
  FUZZ_CHECK(paid - received == r.auctioneer_surplus.base());
  FUZZ_CHECK(bid_volume == r.volume.base() && offer_volume == r.volume.base() && trade_volume == r.volume.base());
  FUZZ_CHECK(r.volume <= call_market(bids, offers).efficient_volume());
  FUZZ_CHECK((r.status == clearing_status::cleared) == !r.trades.empty());
  // positions() is the same money and energy, per participant.
  const std::vector<participant_position> positions = r.positions();
  std::size_t traded_participants = 0;
  for (const auto& [id, totals] : expected) traded_participants += totals.bought > 0 || totals.sold > 0 ? 1 : 0;
  FUZZ_CHECK(positions.size() == traded_participants);
  for (const participant_position& p : positions) {
    const auto it = expected.find(p.participant.value);
    FUZZ_CHECK(it != expected.end());
    FUZZ_CHECK(p.bought.base() == it->second.bought && p.sold.base() == it->second.sold);
    FUZZ_CHECK(p.net_payment.base() == it->second.net);
  }
  const clearing_metrics m = measure(bids, offers, r);
  FUZZ_CHECK(m.rationality_violations.empty());
}

template <class Rule>
void clear_with(const std::vector<call_order>& bids, const std::vector<call_order>& offers, Rule rule) {
  call_auction<Rule> auction(rule);
  try {
    const call_auction_result r = auction.clear(bids, offers);
    check_result(bids, offers, r);
    // Clearing the same books again on the same object gives the same answer for a stateless rule.
    if constexpr (std::is_empty_v<Rule>) FUZZ_CHECK(auction.clear(bids, offers).trades == r.trades);
  } catch (const error&) {
    // Bad input (zero or negative amounts, duplicate ids, overflow) is a typed error.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const auto seed = in.ConsumeIntegral<std::uint64_t>();
  const std::vector<call_order> bids = arbitrary_side(in, 1);
  const std::vector<call_order> offers = arbitrary_side(in, 1000);
  clear_with(bids, offers, midpoint_per_match{});
  clear_with(bids, offers, uniform_price<>{});
  clear_with(bids, offers, uniform_price<std::ratio<2, 7>>{});
  clear_with(bids, offers, pay_as_bid{});
  clear_with(bids, offers, pay_as_offer{});
  clear_with(bids, offers, mcafee{});
  clear_with(bids, offers, trade_reduction{});
  clear_with(bids, offers, vcg{});
  clear_with(bids, offers, sbba<>(seed));
  return 0;
}
