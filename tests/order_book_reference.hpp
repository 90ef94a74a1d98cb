#pragma once
// A reference continuous double auction for tests and fuzzing: each side a vector kept in priority
// order, matched by a plain loop. Slow and obviously right; the order book is checked against it.
#include <evmarket/auction/order_book.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

namespace evmarket_test {

using namespace evmarket;

inline price px(std::int64_t micro) { return micro_tokens_per_kwh(micro); }
inline energy wh(std::int64_t count) { return watt_hours(count); }
inline order_id oid(std::uint64_t v) { return order_id{v}; }
inline participant_id who(std::uint64_t v) { return participant_id{v}; }

inline order_result result(order_status status, std::int64_t filled, std::int64_t cancelled, std::int64_t open,
                           reject_reason reason = reject_reason::none) {
  return {status, reason, wh(filled), wh(cancelled), wh(open)};
}

struct reference_order {
  std::uint64_t id = 0;
  std::uint64_t owner = 0;
  side order_side = side::buy;
  std::int64_t limit = 0;
  std::int64_t open = 0;
  std::int64_t filled = 0;
  std::int64_t entered = 0;
  bool all_or_none = false;
};

struct life {
  std::int64_t entered = 0;
  std::int64_t filled = 0;
  std::int64_t cancelled = 0;
};

struct reference_book {
  self_trade_prevention stp = self_trade_prevention::none;
  bool midpoint = false;
  std::vector<reference_order> bids;  // highest price first, then arrival
  std::vector<reference_order> asks;  // lowest price first, then arrival
  std::vector<trade> trades;
  std::map<std::uint64_t, life> lives;
  std::int64_t entered = 0, filled = 0, cancelled = 0, traded = 0;

  std::vector<reference_order>& book_side(side s) { return s == side::buy ? bids : asks; }

  reference_order* find(std::uint64_t id) {
    for (auto* v : {&bids, &asks})
      for (auto& o : *v)
        if (o.id == id) return &o;
    return nullptr;
  }
  void erase(std::uint64_t id) {
    for (auto* v : {&bids, &asks})
      v->erase(std::remove_if(v->begin(), v->end(), [&](const reference_order& o) { return o.id == id; }), v->end());
  }
  static bool crosses(side s, bool market, std::int64_t limit, std::int64_t other) {
    return market || (s == side::buy ? other <= limit : other >= limit);
  }
  void insert_resting(const reference_order& o) {
    auto& v = book_side(o.order_side);
    // After every order at an equal or better price: price priority, then arrival.
    auto it = std::find_if(v.begin(), v.end(), [&](const reference_order& r) {
      return o.order_side == side::buy ? r.limit < o.limit : r.limit > o.limit;
    });
    v.insert(it, o);
  }
  void cancel_order(reference_order& o) {
    lives[o.id].cancelled += o.open;
    cancelled += o.open;
    const std::uint64_t id = o.id;
    erase(id);
  }

  bool can_fill(side s, std::uint64_t owner, bool market, std::int64_t limit, std::int64_t quantity) {
    std::int64_t remaining = quantity;
    for (const auto& r : book_side(opposite(s))) {
      if (!crosses(s, market, limit, r.limit)) break;
      if (r.all_or_none && r.open > remaining) continue;
      if (stp != self_trade_prevention::none && r.owner == owner) {
        if (stp == self_trade_prevention::cancel_incoming) return false;
        continue;
      }
      remaining -= std::min(remaining, r.open);
      if (remaining == 0) return true;
    }
    return false;
  }

  // Arrival of `in` (not in the book): trades, then rests or is cancelled.
  order_result arrive(reference_order in, bool market, bool may_rest, bool may_trade) {
    std::int64_t got = 0;
    bool stopped = false;
    auto& other = book_side(opposite(in.order_side));
    std::size_t i = 0;
    while (may_trade && in.open > 0 && i < other.size()) {
      reference_order& r = other[i];
      if (!crosses(in.order_side, market, in.limit, r.limit)) break;
      if (r.all_or_none && r.open > in.open) {
        ++i;
        continue;
      }
      if (stp != self_trade_prevention::none && r.owner == in.owner) {
        if (stp == self_trade_prevention::cancel_incoming) {
          stopped = true;
          break;
        }
        lives[r.id].cancelled += r.open;
        cancelled += r.open;
        other.erase(other.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
      const std::int64_t q = std::min(in.open, r.open);
      std::int64_t p = r.limit;
      if (midpoint && !market) p = (r.limit + in.limit) / 2;
      const bool buying = in.order_side == side::buy;
      // The amount by hand: price x energy to the nearest micro-Token, halves to even.
      // In 128 bits: a price near 2^63 times a few Wh does not fit 64 (the amount, a thousandth, does).
      const evmarket::detail::int128 product = static_cast<evmarket::detail::int128>(p) * q, whole = product / 1000,
                                     rest = product % 1000;
      const money amount =
          micro_tokens(static_cast<std::int64_t>(rest > 500 || (rest == 500 && whole % 2 == 1) ? whole + 1 : whole));
      trades.push_back({oid(buying ? in.id : r.id), oid(buying ? r.id : in.id), who(buying ? in.owner : r.owner),
                        who(buying ? r.owner : in.owner), wh(q), px(p), px(p), amount, amount});
      in.open -= q;
      in.filled += q;
      r.open -= q;
      r.filled += q;
      lives[in.id].filled += q;
      lives[r.id].filled += q;
      got += q;
      filled += 2 * q;
      traded += q;
      if (r.open == 0)
        other.erase(other.begin() + static_cast<std::ptrdiff_t>(i));
      else
        ++i;
    }
    if (in.open == 0) return result(order_status::filled, got, 0, 0);
    if (may_rest && !stopped) {
      insert_resting(in);
      return result(order_status::resting, got, 0, in.open);
    }
    lives[in.id].cancelled += in.open;
    cancelled += in.open;
    return result(order_status::cancelled, got, in.open, 0);
  }

  // The book refuses an order whose value at its limit (price x quantity / 1000) leaves 64 bits.
  static bool value_fits(std::int64_t p, std::int64_t q) {
    return static_cast<evmarket::detail::int128>(p) * q / 1000 < std::numeric_limits<std::int64_t>::max();
  }

  order_result add(const order_request& r) {
    const auto rejected = [](reject_reason why) { return result(order_status::rejected, 0, 0, 0, why); };
    if (r.quantity.base() <= 0) return rejected(reject_reason::non_positive_quantity);
    if (r.type == order_type::limit && r.limit_price.base() <= 0) return rejected(reject_reason::non_positive_price);
    if (find(r.id.value)) return rejected(reject_reason::duplicate_order_id);
    if (r.quantity.base() > std::numeric_limits<std::int64_t>::max() - entered)
      return rejected(reject_reason::overflow);
    if (r.type == order_type::limit && !value_fits(r.limit_price.base(), r.quantity.base()))
      return rejected(reject_reason::overflow);
    const bool market = r.type == order_type::market;
    if (market && book_side(opposite(r.order_side)).empty()) return rejected(reject_reason::no_liquidity);
    bool may_trade = true;
    if (r.all_or_none || r.duration == time_in_force::fill_or_kill) {
      may_trade = can_fill(r.order_side, r.owner.value, market, r.limit_price.base(), r.quantity.base());
      if (!may_trade && r.duration == time_in_force::fill_or_kill) return rejected(reject_reason::cannot_fill_in_full);
    }
    entered += r.quantity.base();
    lives[r.id.value].entered += r.quantity.base();
    const reference_order in{r.id.value, r.owner.value,     r.order_side, r.limit_price.base(), r.quantity.base(),
                             0,          r.quantity.base(), r.all_or_none};
    return arrive(in, market, !market && r.duration == time_in_force::good_till_cancel, may_trade);
  }

  order_result cancel(std::uint64_t id) {
    reference_order* o = find(id);
    if (!o) return result(order_status::rejected, 0, 0, 0, reject_reason::unknown_order_id);
    const std::int64_t open = o->open;
    cancel_order(*o);
    return result(order_status::cancelled, 0, open, 0);
  }

  order_result reduce(std::uint64_t id, std::int64_t amount) {
    if (amount <= 0) return result(order_status::rejected, 0, 0, 0, reject_reason::non_positive_quantity);
    reference_order* o = find(id);
    if (!o) return result(order_status::rejected, 0, 0, 0, reject_reason::unknown_order_id);
    if (amount >= o->open) return cancel(id);
    o->open -= amount;
    lives[id].cancelled += amount;
    cancelled += amount;
    return result(order_status::resting, 0, amount, o->open);
  }

  order_result replace(std::uint64_t id, std::int64_t new_price, std::int64_t new_open) {
    const auto rejected = [](reject_reason why) { return result(order_status::rejected, 0, 0, 0, why); };
    if (new_open <= 0) return rejected(reject_reason::non_positive_quantity);
    if (new_price <= 0) return rejected(reject_reason::non_positive_price);
    reference_order* o = find(id);
    if (!o) return rejected(reject_reason::unknown_order_id);
    const std::int64_t increase = std::max<std::int64_t>(0, new_open - o->open);
    const std::int64_t decrease = std::max<std::int64_t>(0, o->open - new_open);
    if (increase > std::numeric_limits<std::int64_t>::max() - entered || !value_fits(new_price, new_open))
      return rejected(reject_reason::overflow);
    entered += increase;
    cancelled += decrease;
    lives[id].entered += increase;
    lives[id].cancelled += decrease;
    reference_order moved = *o;
    moved.open = new_open;
    moved.entered += increase;
    if (new_price == o->limit) {
      if (increase == 0) {
        o->open = new_open;  // same place in the queue
      } else {
        erase(id);
        insert_resting(moved);  // back of its price
      }
      return result(order_status::resting, 0, decrease, new_open);
    }
    erase(id);
    moved.limit = new_price;
    const bool may_trade =
        !moved.all_or_none || can_fill(moved.order_side, moved.owner, false, moved.limit, moved.open);
    order_result out = arrive(moved, false, true, may_trade);
    out.cancelled += wh(decrease);
    return out;
  }
};

}  // namespace evmarket_test
