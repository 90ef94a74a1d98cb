// Continuous double auction throughput and latency.
//   build/release/bench/auction_order_book_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
//
// BM_liquibook_workload: Liquibook's published performance test (test/perf/pt_order_book.cpp):
// alternating buy and sell limit orders, bids priced 1880-1889, offers 1884-1893 (uniform), sizes
// 100, 200, ..., 1000 (about half the quantity trades). As in Liquibook's "full depth" run, every order is
// followed by a 5-level depth snapshot of both sides and the listener sees every trade. Each
// iteration feeds 2^20 orders to an emptied book (the emptying is not timed); the book keeps the
// orders that never cross (bids below 1884, offers above 1889), so it grows to ~515,000 orders.
//
// BM_mixed_stream: a deep book (10,000 resting orders over 1,000 levels, 10 per level) under a
// stream of 60 % adds (non-crossing limit orders), 30 % cancels of resting orders and 10 %
// marketable orders (market orders and immediate-or-cancel limits through the spread), sized by
// the book's distance from 10,000 orders so it stays near there. The stream is generated once against a book of its own
// (so each cancel names an order that is resting at that point) and replayed identically.
// BM_mixed_stream_latency times each operation on its own with steady_clock and reports the
// median and 99th percentile (each sample includes one clock read, reported as clock_ns).
#include <evmarket/auction/order_book.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <vector>

namespace {

using namespace evmarket;

// Does what a settlement feed would: counts trades and traded energy.
struct counting_listener : null_order_book_listener {
  std::uint64_t trades = 0;
  std::int64_t volume = 0;
  void on_trade(const trade& t) noexcept {
    ++trades;
    volume += t.quantity.base();
  }
};

std::vector<order_request> liquibook_orders(std::size_t count) {
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<std::int64_t> tick(0, 9);
  std::vector<order_request> orders(count);
  for (std::size_t i = 0; i < count; ++i) {
    const bool buy = i % 2 == 0;
    const std::int64_t limit = (buy ? 1880 : 1884) + tick(rng);
    const std::int64_t size = (tick(rng) + 1) * 100;
    orders[i] = limit_order(order_id{i + 1}, participant_id{i % 64}, buy ? side::buy : side::sell,
                            micro_tokens_per_kwh(limit), watt_hours(size));
  }
  return orders;
}

template <bool TrackDepth, class Listener>
void run_liquibook(benchmark::State& state) {
  const auto orders = liquibook_orders(static_cast<std::size_t>(state.range(0)));
  order_book<Listener> book;
  book.reserve(orders.size(), 64);
  depth_level bids[5];
  depth_level asks[5];
  for (auto _ : state) {
    state.PauseTiming();
    book.clear();
    state.ResumeTiming();
    for (const order_request& request : orders) {
      benchmark::DoNotOptimize(book.add(request));
      if constexpr (TrackDepth) {
        benchmark::DoNotOptimize(book.depth(side::buy, bids));
        benchmark::DoNotOptimize(book.depth(side::sell, asks));
        benchmark::ClobberMemory();
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(orders.size()));
  state.counters["resting"] = static_cast<double>(book.size());
  state.counters["traded_share"] =
      static_cast<double>(book.totals().traded.base() * 2) / static_cast<double>(book.totals().entered.base());
}

void BM_liquibook_workload(benchmark::State& state) { run_liquibook<true, counting_listener>(state); }
BENCHMARK(BM_liquibook_workload)->Arg(1 << 20)->Unit(benchmark::kMillisecond);

void BM_liquibook_workload_no_depth(benchmark::State& state) { run_liquibook<false, null_order_book_listener>(state); }
BENCHMARK(BM_liquibook_workload_no_depth)->Arg(1 << 20)->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------------------------------------
// Mixed stream on a deep book.

enum class op_kind : std::uint8_t { add, cancel };

struct operation {
  op_kind kind;
  order_request request;  // for a cancel only the id counts
};

constexpr std::int64_t mid = 1'000'000;  // micro-Token/kWh
constexpr std::int64_t tick = 10;
constexpr std::int64_t levels_per_side = 500;
constexpr std::int64_t orders_per_level = 10;

// Remembers which orders rest, so the generated cancels name live orders.
struct live_tracker : null_order_book_listener {
  std::vector<std::uint64_t> live;
  std::vector<std::int64_t> position;  // by id; -1 when not resting

  void rest(std::uint64_t id) {
    if (position.size() <= id) position.resize(id * 2 + 1, -1);
    position[id] = static_cast<std::int64_t>(live.size());
    live.push_back(id);
  }
  void leave(std::uint64_t id) {
    const auto at = static_cast<std::size_t>(position[id]);
    live[at] = live.back();
    position[live[at]] = static_cast<std::int64_t>(at);
    live.pop_back();
    position[id] = -1;
  }
  void on_fill(order_id id, energy, price, energy open_after) {
    if (open_after.is_zero() && id.value < position.size() && position[id.value] >= 0) leave(id.value);
  }
  void on_cancelled(order_id id, energy, energy open_after) {
    if (open_after.is_zero() && id.value < position.size() && position[id.value] >= 0) leave(id.value);
  }
};

template <class Book>
void seed_deep_book(Book& book, std::uint64_t& next_id) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<std::int64_t> size(1'000, 10'000);
  for (std::int64_t level = 1; level <= levels_per_side; ++level)
    for (std::int64_t k = 0; k < orders_per_level; ++k) {
      const auto owner = participant_id{next_id % 1000};
      (void)book.add(limit_order(order_id{next_id++}, owner, side::buy, micro_tokens_per_kwh(mid - level * tick),
                                 watt_hours(size(rng))));
      (void)book.add(limit_order(order_id{next_id++}, owner, side::sell, micro_tokens_per_kwh(mid + level * tick),
                                 watt_hours(size(rng))));
    }
}

struct mixed_stream {
  std::vector<operation> operations;
  std::size_t resting_at_end = 0;
};

const mixed_stream& make_mixed_stream() {
  static const mixed_stream stream = [] {
    constexpr std::size_t count = 1 << 19;
    mixed_stream out;
    out.operations.reserve(count);
    order_book<live_tracker> book;
    std::uint64_t next_id = 1;
    seed_deep_book(book, next_id);
    book.for_each_order(side::buy, [&](const resting_order& o) { book.listener().rest(o.id.value); });
    book.for_each_order(side::sell, [&](const resting_order& o) { book.listener().rest(o.id.value); });
    std::mt19937_64 rng(7);
    std::uniform_int_distribution<int> percent(0, 99);
    std::uniform_int_distribution<std::int64_t> level(1, levels_per_side);
    std::uniform_int_distribution<std::int64_t> size(1'000, 10'000);
    // About three resting orders, scaled by how far the book is from 10,000 orders so that it
    // stays there: the marketable tenth of the stream removes what the adds leave net of cancels.
    std::uniform_int_distribution<std::int64_t> sweep(8'000, 25'000);
    const auto sweep_size = [&] {
      const double ratio = static_cast<double>(book.size()) / (2 * levels_per_side * orders_per_level);
      const double scaled = static_cast<double>(sweep(rng)) * ratio * ratio * ratio * ratio;
      return watt_hours(std::max<std::int64_t>(1, static_cast<std::int64_t>(scaled)));
    };
    while (out.operations.size() < count) {
      const int roll = percent(rng);
      const side s = percent(rng) < 50 ? side::buy : side::sell;
      const auto owner = participant_id{next_id % 1000};
      operation op{op_kind::add, {}};
      if (roll < 60) {
        const std::int64_t offset = level(rng) * tick;
        op.request =
            limit_order(order_id{next_id++}, owner, s,
                        micro_tokens_per_kwh(s == side::buy ? mid - offset : mid + offset), watt_hours(size(rng)));
      } else if (roll < 90) {
        auto& live = book.listener().live;
        if (live.empty()) continue;
        op.kind = op_kind::cancel;
        op.request.id = order_id{live[std::uniform_int_distribution<std::size_t>(0, live.size() - 1)(rng)]};
      } else if (roll < 95) {
        op.request = market_order(order_id{next_id++}, owner, s, sweep_size());
      } else {
        const std::int64_t through = (levels_per_side / 10) * tick;
        op.request = limit_order(order_id{next_id++}, owner, s,
                                 micro_tokens_per_kwh(s == side::buy ? mid + through : mid - through), sweep_size());
        op.request.duration = time_in_force::immediate_or_cancel;
      }
      if (op.kind == op_kind::add) {
        const order_result r = book.add(op.request);
        if (r.status == order_status::rejected) continue;  // a market order against an empty side
        if (r.status == order_status::resting) book.listener().rest(op.request.id.value);
      } else {
        (void)book.cancel(op.request.id);
      }
      out.operations.push_back(op);
    }
    out.resting_at_end = book.size();
    return out;
  }();
  return stream;
}

template <class Book>
inline bool apply(Book& book, const operation& op) {
  if (op.kind == op_kind::add) return book.add(op.request).accepted();
  return book.cancel(op.request.id).accepted();
}

void BM_mixed_stream(benchmark::State& state) {
  const mixed_stream& stream = make_mixed_stream();
  order_book<counting_listener> book;
  book.reserve(40'000, 1'200);
  std::size_t rejected = 0;
  for (auto _ : state) {
    state.PauseTiming();
    book.clear();
    std::uint64_t next_id = 1;
    seed_deep_book(book, next_id);
    state.ResumeTiming();
    for (const operation& op : stream.operations) rejected += apply(book, op) ? 0 : 1;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(stream.operations.size()));
  state.counters["resting"] = static_cast<double>(book.size());
  state.counters["rejected"] = static_cast<double>(rejected);
}
BENCHMARK(BM_mixed_stream)->Unit(benchmark::kMillisecond);

void BM_mixed_stream_latency(benchmark::State& state) {
  using clock = std::chrono::steady_clock;
  const mixed_stream& stream = make_mixed_stream();
  order_book<counting_listener> book;
  book.reserve(40'000, 1'200);
  std::vector<std::int64_t> samples(stream.operations.size());
  std::vector<std::int64_t> p50s, p99s;
  for (auto _ : state) {
    state.PauseTiming();
    book.clear();
    std::uint64_t next_id = 1;
    seed_deep_book(book, next_id);
    state.ResumeTiming();
    for (std::size_t i = 0; i < stream.operations.size(); ++i) {
      const auto start = clock::now();
      benchmark::DoNotOptimize(apply(book, stream.operations[i]));
      samples[i] = std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - start).count();
    }
    state.PauseTiming();
    const auto at = [&](double q) {
      const auto k = static_cast<std::ptrdiff_t>(q * static_cast<double>(samples.size() - 1));
      std::nth_element(samples.begin(), samples.begin() + k, samples.end());
      return samples[static_cast<std::size_t>(k)];
    };
    p50s.push_back(at(0.50));
    p99s.push_back(at(0.99));
    state.ResumeTiming();
  }
  // The cost of the clock read each sample includes.
  std::vector<std::int64_t> empty(10'001);
  for (auto& e : empty) {
    const auto start = clock::now();
    e = std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - start).count();
  }
  std::nth_element(empty.begin(), empty.begin() + 5'000, empty.end());
  std::sort(p50s.begin(), p50s.end());
  std::sort(p99s.begin(), p99s.end());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(stream.operations.size()));
  state.counters["p50_ns"] = static_cast<double>(p50s[p50s.size() / 2]);
  state.counters["p99_ns"] = static_cast<double>(p99s[p99s.size() / 2]);
  state.counters["clock_ns"] = static_cast<double>(empty[5'000]);
}
BENCHMARK(BM_mixed_stream_latency)->Unit(benchmark::kMillisecond);

void BM_mixed_stream_shape(benchmark::State& state) {
  // Not a timing: reports the generated stream's book size at the end (should stay near 10,000).
  const mixed_stream& stream = make_mixed_stream();
  for (auto _ : state) benchmark::DoNotOptimize(stream.operations.size());
  state.counters["resting_at_end"] = static_cast<double>(stream.resting_at_end);
  state.counters["operations"] = static_cast<double>(stream.operations.size());
}
BENCHMARK(BM_mixed_stream_shape)->Iterations(1);

}  // namespace
