#!/usr/bin/env python3
"""evmarket's solve_assignment beside scipy.optimize.linear_sum_assignment on the same matrices.

Writes dense uniform random matrices (n = 100 .. 4000 and 1000 x 4000), runs bench's
hungarian_cli on them and scipy in the same run, checks both optima agree to 1e-9 relative and
prints the median solve times and their ratio. Skips (exit 0) where numpy/scipy are absent.

    python3 bench/compare_hungarian_scipy.py [--cli build/release/bench/hungarian_cli]
                                             [--repeat 3] [--sizes 100,500,1000,2000,4000,1000x4000]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

try:
    import numpy as np
    from scipy.optimize import linear_sum_assignment
except ImportError as missing:
    print(f"compare_hungarian_scipy: skipped, {missing.name} is not installed")
    sys.exit(0)

DEFAULT_SIZES = "100,500,1000,2000,4000,1000x4000"
RELATIVE_TOLERANCE = 1e-9
TARGET_RATIO = 1.5


def parse_sizes(text):
    sizes = []
    for item in text.split(","):
        rows, _, cols = item.partition("x")
        sizes.append((int(rows), int(cols or rows)))
    return sizes


def find_cli(given):
    if given:
        return given
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    build = os.path.join(root, "build")
    candidates = []
    if os.path.isdir(build):
        for entry in sorted(os.listdir(build)):
            path = os.path.join(build, entry, "bench", "hungarian_cli")
            if os.path.isfile(path) and os.access(path, os.X_OK):
                candidates.append(path)
    # Prefer a release build: a debug build is not a fair comparison.
    candidates.sort(key=lambda p: ("rel" not in os.path.basename(os.path.dirname(os.path.dirname(p))).lower(), p))
    return candidates[0] if candidates else None


def write_matrix(path, w):
    with open(path, "wb") as out:
        np.array(w.shape, dtype=np.int64).tofile(out)
        np.ascontiguousarray(w, dtype=np.float64).tofile(out)


def scipy_solve(w, repeat):
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        rows, cols = linear_sum_assignment(w)
        times.append((time.perf_counter() - start) * 1e3)
        value = float(w[rows, cols].sum())
    times.sort()
    return value, times[len(times) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", help="path to hungarian_cli (default: the first build/*/bench/hungarian_cli)")
    parser.add_argument("--repeat", type=int, default=3, help="solves per size; the median is reported")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated n or RxC")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    cli = find_cli(args.cli)
    if cli is None or not os.path.isfile(cli):
        print("compare_hungarian_scipy: hungarian_cli not found; configure with -DEVMARKET_BUILD_BENCHMARKS=ON "
              "-DCMAKE_BUILD_TYPE=Release, build the hungarian_cli target and pass --cli", file=sys.stderr)
        return 2

    rng = np.random.default_rng(args.seed)
    print(f"evmarket: {cli}")
    print(f"{'size':>11} {'evmarket ms':>12} {'scipy ms':>10} {'ratio':>7}  optimum")
    failures = 0
    with tempfile.TemporaryDirectory() as scratch:
        for rows, cols in parse_sizes(args.sizes):
            w = rng.random((rows, cols))
            path = os.path.join(scratch, f"w_{rows}x{cols}.bin")
            write_matrix(path, w)
            line = subprocess.run([cli, "--repeat", str(args.repeat), path], check=True, capture_output=True,
                                  text=True).stdout.split()
            ours_value, ours_ms = float(line[2]), float(line[3])
            scipy_value, scipy_ms = scipy_solve(w, args.repeat)
            agree = abs(ours_value - scipy_value) <= RELATIVE_TOLERANCE * max(1.0, abs(scipy_value))
            ratio = scipy_ms / ours_ms if ours_ms > 0 else float("inf")
            note = "" if agree else f"  MISMATCH: evmarket {ours_value!r} vs scipy {scipy_value!r}"
            if ratio < TARGET_RATIO:
                note += f"  (below the {TARGET_RATIO}x target)"
            print(f"{rows:>5}x{cols:<5} {ours_ms:>12.2f} {scipy_ms:>10.2f} {ratio:>6.2f}x  {scipy_value:.12g}{note}")
            failures += not agree
    if failures:
        print(f"{failures} size(s) disagree", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
