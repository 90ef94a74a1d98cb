// The continuous order book under arbitrary sequences of add / cancel / reduce / replace and
// market orders, checked after every step against the sorted-vector reference book shared with
// the unit tests: the same result, the same resting orders in the same priority, the same trades,
// the same totals, and conservation (entered = filled + cancelled + open).
#include "../order_book_reference.hpp"
#include "fuzz_support.hpp"

#include <evmarket/auction/order_book.hpp>

#include <vector>

using namespace evmarket;
using namespace evmarket_test;
using evmarket_fuzz::edgy_int;

namespace {

order_request arbitrary_order(FuzzedDataProvider& in, bool bounded_prices) {
  order_request r;
  r.id = oid(in.ConsumeIntegralInRange<std::uint64_t>(1, 24));
  r.owner = who(in.ConsumeIntegralInRange<std::uint64_t>(1, 4));
  r.order_side = in.ConsumeBool() ? side::buy : side::sell;
  r.type = in.ConsumeIntegralInRange<int>(0, 5) == 0 ? order_type::market : order_type::limit;
  r.duration = static_cast<time_in_force>(in.ConsumeIntegralInRange<int>(0, 2));
  r.all_or_none = in.ConsumeIntegralInRange<int>(0, 5) == 0;
  const std::int64_t limit = bounded_prices ? in.ConsumeIntegralInRange<std::int64_t>(-2, 1LL << 40) : edgy_int(in, 40);
  r.limit_price = r.type == order_type::market ? px(0) : px(limit);
  r.quantity = wh(edgy_int(in, 30));
  return r;
}

template <class Book>
void check_same(const Book& book, const reference_book& ref) {
  std::int64_t open = 0;
  for (side s : {side::buy, side::sell}) {
    std::vector<resting_order> got;
    book.for_each_order(s, [&](const resting_order& o) { got.push_back(o); });
    const auto& want = s == side::buy ? ref.bids : ref.asks;
    FUZZ_CHECK(got.size() == want.size());
    for (std::size_t k = 0; k < got.size(); ++k) {
      const reference_order& o = want[k];
      const resting_order expected{oid(o.id),  who(o.owner), o.order_side,  px(o.limit),
                                   wh(o.open), wh(o.filled), wh(o.entered), o.all_or_none};
      FUZZ_CHECK(got[k] == expected);
      open += o.open;
    }
  }
  FUZZ_CHECK(book.listener().trades == ref.trades);
  const book_totals& t = book.totals();
  FUZZ_CHECK(t.entered.base() == ref.entered && t.filled.base() == ref.filled);
  FUZZ_CHECK(t.cancelled.base() == ref.cancelled && t.traded.base() == ref.traded);
  FUZZ_CHECK(t.open.base() == open);
  FUZZ_CHECK(t.entered == t.filled + t.cancelled + t.open);
  FUZZ_CHECK(t.filled == t.traded + t.traded);
}

template <class PriceRule>
void run(FuzzedDataProvider& in, self_trade_prevention stp, bool midpoint) {
  order_book<trade_log_listener, PriceRule> book(order_book_options{stp});
  reference_book ref;
  ref.stp = stp;
  ref.midpoint = midpoint;
  while (in.remaining_bytes() > 0) {
    const int op = in.ConsumeIntegralInRange<int>(0, 9);
    order_result got, want;
    if (op < 5) {
      const order_request r = arbitrary_order(in, midpoint);
      want = ref.add(r);
      got = book.add(r);
    } else if (op < 7) {
      const auto id = in.ConsumeIntegralInRange<std::uint64_t>(1, 24);
      want = ref.cancel(id);
      got = book.cancel(oid(id));
    } else if (op < 8) {
      const auto id = in.ConsumeIntegralInRange<std::uint64_t>(1, 24);
      const std::int64_t amount = edgy_int(in, 30);
      want = ref.reduce(id, amount);
      got = book.reduce(oid(id), wh(amount));
    } else {
      const auto id = in.ConsumeIntegralInRange<std::uint64_t>(1, 24);
      const std::int64_t new_price =
          midpoint ? in.ConsumeIntegralInRange<std::int64_t>(-2, 1LL << 40) : edgy_int(in, 40);
      const std::int64_t new_open = edgy_int(in, 30);
      want = ref.replace(id, new_price, new_open);
      got = book.replace(oid(id), px(new_price), wh(new_open));
    }
    FUZZ_CHECK(got == want);
    check_same(book, ref);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const auto stp = static_cast<self_trade_prevention>(in.ConsumeIntegralInRange<int>(0, 2));
  if (in.ConsumeBool())
    run<midpoint_of_limits>(in, stp, true);
  else
    run<resting_order_price>(in, stp, false);
  return 0;
}
