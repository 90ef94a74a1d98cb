#!/usr/bin/env python3
"""evmarket.solve_assignment against scipy.optimize.linear_sum_assignment on the same matrices,
in one run, from Python (both read the NumPy array in place).

    PYTHONPATH=build/release/python /usr/bin/python3 bench/python/compare_assignment_scipy.py --size 2000

Prints the median CPU time of each and the ratio scipy / evmarket (> 1: evmarket is faster), after
checking that both reach the same optimal value."""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np


def median_seconds(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()  # CPU time: robust on a machine shared with other jobs
        function()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kind", choices=("uniform", "integer"), default="uniform")
    args = parser.parse_args()
    try:
        from scipy.optimize import linear_sum_assignment
    except ImportError:
        print("scipy not installed (Debian: python3-scipy): skipped")
        return 0
    import evmarket

    rng = np.random.default_rng(args.seed)
    n = args.size
    w = rng.uniform(0.0, 1.0, (n, n)) if args.kind == "uniform" else rng.integers(0, 10**6, (n, n)).astype(np.float64)
    ours = evmarket.solve_assignment(w)
    rows, cols = linear_sum_assignment(w)
    theirs = float(w[rows, cols].sum())
    if abs(ours.value - theirs) > 1e-9 * max(1.0, abs(theirs)):
        print(f"values differ: evmarket {ours.value!r}, scipy {theirs!r}")
        return 1
    t_ours = median_seconds(lambda: evmarket.solve_assignment(w), args.repeats)
    t_scipy = median_seconds(lambda: linear_sum_assignment(w), args.repeats)
    print(f"{n} x {n} {args.kind} float64, median of {args.repeats}: evmarket {t_ours * 1e3:.1f} ms, "
          f"scipy {t_scipy * 1e3:.1f} ms, ratio scipy/evmarket = {t_scipy / t_ours:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
