// Paper 002 (Li, shared private piles): "market-price" orders trade at once with one or more
// suppliers; "limit-price" orders state an expected price and quantity and wait for a response.
// Paper 000 (Xue et al.) orders the book: offers from low to high, bids from high to low, equal
// prices by time. The papers print no figures for this, so the example checks the book's trades
// against the ones these rules imply (worked out by hand below) and exits 1 if any differs.
#include <evmarket/evmarket.hpp>

#include <cstdio>
#include <string>
#include <vector>

int main() {
  using namespace evmarket;
  const auto supplier = [](std::uint64_t n) { return participant_id{100 + n}; };
  const auto user = [](std::uint64_t n) { return participant_id{200 + n}; };
  std::uint64_t next = 1;
  const auto offer = [&](std::uint64_t who, double token_per_kwh, double kwh) {
    return limit_order(order_id{next++}, supplier(who), side::sell, tokens_per_kwh(token_per_kwh), kilowatt_hours(kwh));
  };

  order_book<trade_log_listener> book;
  int failures = 0;
  const auto expect = [&](bool ok, const char* what) {
    if (!ok) {
      std::printf("MISMATCH: %s\n", what);
      ++failures;
    }
  };

  // Private-pile owners post limit-price offers; S3 offers at S2's price, but later.
  (void)book.add(offer(1, 1.30, 10));
  (void)book.add(offer(2, 1.20, 15));
  (void)book.add(offer(3, 1.20, 8));
  (void)book.add(offer(4, 1.50, 20));
  std::printf("Offers, in the order the book matches them (low to high, equal prices by time):\n");
  book.for_each_order(side::sell, [](const resting_order& o) {
    std::printf("  S%llu: %5.1f kWh at %.2f Token/kWh\n", static_cast<unsigned long long>(o.owner.value - 100),
                o.open.display(), o.limit_price.display());
  });

  // U1: a market-price order for 30 kWh trades at once with three suppliers, best price first.
  const order_result u1 = book.add(market_order(order_id{next++}, user(1), side::buy, kilowatt_hours(30)));
  expect(u1.status == order_status::filled && u1.filled == kilowatt_hours(30), "U1 filled 30 kWh");
  // U2: a limit-price order for 12 kWh at 1.40 takes S1's last 3 kWh and waits with the rest.
  const order_result u2 =
      book.add(limit_order(order_id{next++}, user(2), side::buy, tokens_per_kwh(1.40), kilowatt_hours(12)));
  expect(u2.status == order_status::resting && u2.open == kilowatt_hours(9), "U2 waits with 9 kWh");
  // S5 responds to U2's waiting order: the trade is at the waiting (resting) order's price.
  const order_result s5 = book.add(offer(5, 1.35, 9));
  expect(s5.status == order_status::filled, "S5 filled against U2");
  // U3: a market-price order larger than what is offered fills what there is; the rest is cancelled.
  const order_result u3 = book.add(market_order(order_id{next++}, user(3), side::buy, kilowatt_hours(25)));
  expect(u3.status == order_status::cancelled && u3.filled == kilowatt_hours(20) && u3.cancelled == kilowatt_hours(5),
         "U3 fills 20 kWh, 5 kWh cancelled");
  // U4: a market-price order with no supplier left is rejected; it never waits without a price.
  const order_result u4 = book.add(market_order(order_id{next++}, user(4), side::buy, kilowatt_hours(5)));
  expect(u4.status == order_status::rejected && u4.reason == reject_reason::no_liquidity, "U4 rejected");

  struct expected_trade {
    std::uint64_t buyer, seller;
    double kwh, price;
  };
  const std::vector<expected_trade> expected{
      {1, 2, 15, 1.20}, {1, 3, 8, 1.20}, {1, 1, 7, 1.30},  // U1 at the offers' prices
      {2, 1, 3, 1.30},                                     // U2 crosses S1's remaining offer
      {2, 5, 9, 1.40},                                     // S5 meets U2's waiting bid at its price
      {3, 4, 20, 1.50},                                    // U3 takes all that is left
  };
  const auto& trades = book.listener().trades;
  std::printf("\n%-6s %-8s %8s %12s %12s   %s\n", "buyer", "supplier", "kWh", "Token/kWh", "pays Token", "expected");
  expect(trades.size() == expected.size(), "number of trades");
  money paid = money::zero();
  for (std::size_t i = 0; i < trades.size(); ++i) {
    const trade& t = trades[i];
    const money amount = cost(t.buyer_price, t.quantity, rounding::up);
    paid += amount;
    bool ok = i < expected.size();
    if (ok) {
      const expected_trade& e = expected[i];
      ok = t.buyer == user(e.buyer) && t.seller == supplier(e.seller) && t.quantity == kilowatt_hours(e.kwh) &&
           t.buyer_price == tokens_per_kwh(e.price) && t.seller_price == t.buyer_price;
    }
    expect(ok, "trade as expected");
    std::printf("U%-5llu S%-7llu %8.1f %12.2f %12.2f   %s\n", static_cast<unsigned long long>(t.buyer.value - 200),
                static_cast<unsigned long long>(t.seller.value - 100), t.quantity.display(), t.buyer_price.display(),
                amount.display(), ok ? "ok" : "MISMATCH");
  }
  // 15 x 1.20 + 8 x 1.20 + 7 x 1.30 + 3 x 1.30 + 9 x 1.40 + 20 x 1.50 = 83.20 Token.
  expect(paid == tokens(83.20), "total paid 83.20 Token");
  const book_totals& totals = book.totals();
  expect(totals.entered == totals.filled + totals.open + totals.cancelled, "quantity conserved");
  std::printf("\ntotal traded %.1f kWh for %.2f Token; the book is %s\n", totals.traded.display(), paid.display(),
              book.empty() ? "empty" : "not empty");
  std::printf("%s\n", failures == 0 ? "Paper 002's market-price and limit-price orders behave as stated."
                                    : "Order book example FAILED.");
  return failures == 0 ? 0 : 1;
}
