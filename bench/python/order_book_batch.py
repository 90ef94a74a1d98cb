#!/usr/bin/env python3
"""Throughput of OrderBook.add_batch from Python on the Liquibook workload of
bench/auction_order_book_bench.cpp (2^20 alternating limit orders, bids 1880-1889, offers
1884-1893, sizes 100-1000; the book is emptied between repetitions). Compare with the C++ figure:

    build/release/bench/auction_order_book_bench --benchmark_filter=liquibook --benchmark_repetitions=3
    PYTHONPATH=build/release/python /usr/bin/python3 bench/python/order_book_batch.py

The Python time includes converting the arrays and returning every trade as NumPy arrays. Rates
are per CPU second of this process (time.process_time), so a machine shared with other jobs does
not distort them; the wall-clock rate is printed too."""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1 << 20)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    import evmarket

    rng = np.random.default_rng(3)
    n = args.orders
    sides = (np.arange(n) % 2).astype(np.int8)
    prices = (np.where(sides == 0, 1880, 1884) + rng.integers(0, 10, n)).astype(np.int64)
    quantities = ((rng.integers(0, 10, n) + 1) * 100).astype(np.int64)
    book = evmarket.OrderBook()
    book.reserve(n, 64)
    rates, wall = [], []
    for _ in range(args.repeats):
        book.clear()
        start, start_wall = time.process_time(), time.perf_counter()
        trades = book.add_batch(sides, prices, quantities)
        rates.append(n / (time.process_time() - start))
        wall.append(n / (time.perf_counter() - start_wall))
    print(f"{n} orders, {len(trades['quantity'])} trades, {len(book)} resting; median of {args.repeats}: "
          f"{statistics.median(rates) / 1e6:.2f} M orders per CPU second "
          f"(wall clock {statistics.median(wall) / 1e6:.2f} M/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
