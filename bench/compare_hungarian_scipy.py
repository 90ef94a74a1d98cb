#!/usr/bin/env python3
"""evmarket's solve_assignment beside scipy.optimize.linear_sum_assignment on the same matrices.

Builds one matrix per family (uniform, tall, wide, integers with many ties, integers with a huge
range, Machol-Wien c(i, j) = i * j, maximisation, forbidden pairs), runs bench's hungarian_cli and
scipy on it in the same run, checks both optima agree (1e-9 relative) and prints one table of
median solve times and their ratio. Exit status 1 when an optimum disagrees. Skips (exit 0) where
numpy/scipy are absent. The C++ side reads a row-major matrix, as a NumPy caller's data arrives.

    python3 bench/compare_hungarian_scipy.py [--cli build/release/bench/hungarian_cli]
                                             [--repeat 3] [--only uniform,tall,...]
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

RELATIVE_TOLERANCE = 1e-9
TARGET_RATIO = 2.0
UNIFORM_TARGET_RATIO = 3.0


def machol_wien(n):
    index = np.arange(1, n + 1, dtype=np.float64)
    return np.outer(index, index)


def forbidden_pairs(rng, n, share):
    w = rng.random((n, n))
    w[rng.random((n, n)) < share] = np.inf
    return w


# (name, family, builder(rng), maximise); the family keys --only and the ratio target.
def families():
    return [
        ("uniform 1000x1000", "uniform", lambda rng: rng.random((1000, 1000)), False),
        ("uniform 2000x2000", "uniform", lambda rng: rng.random((2000, 2000)), False),
        ("uniform 4000x4000", "uniform", lambda rng: rng.random((4000, 4000)), False),
        ("tall 5000x500", "tall", lambda rng: rng.random((5000, 500)), False),
        ("wide 500x5000", "wide", lambda rng: rng.random((500, 5000)), False),
        ("integers 0..99 2000x2000", "ties", lambda rng: rng.integers(0, 100, (2000, 2000)).astype(np.float64),
         False),
        ("integers 0..2^50 2000x2000", "huge", lambda rng: rng.integers(0, 2**50, (2000, 2000)).astype(np.float64),
         False),
        ("Machol-Wien i*j 1000x1000", "machol-wien", lambda rng: machol_wien(1000), False),
        ("maximise uniform 2000x2000", "maximise", lambda rng: rng.random((2000, 2000)), True),
        ("forbidden 30% 2000x2000", "forbidden", lambda rng: forbidden_pairs(rng, 2000, 0.3), False),
    ]


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


def scipy_solve(w, maximise, repeat):
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        rows, cols = linear_sum_assignment(w, maximize=maximise)
        times.append((time.perf_counter() - start) * 1e3)
        value = float(w[rows, cols].sum())
    times.sort()
    return value, times[len(times) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", help="path to hungarian_cli (default: the first build/*/bench/hungarian_cli)")
    parser.add_argument("--repeat", type=int, default=3, help="solves per matrix; the median is reported")
    parser.add_argument("--only", help="comma-separated families (uniform, tall, wide, ties, huge, machol-wien, "
                                       "maximise, forbidden); default all")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    cli = find_cli(args.cli)
    if cli is None or not os.path.isfile(cli):
        print("compare_hungarian_scipy: hungarian_cli not found; configure with -DEVMARKET_BUILD_BENCHMARKS=ON "
              "-DCMAKE_BUILD_TYPE=Release, build the hungarian_cli target and pass --cli", file=sys.stderr)
        return 2
    wanted = set(args.only.split(",")) if args.only else None

    print(f"evmarket: {cli}; scipy {__import__('scipy').__version__}; median of {args.repeat}")
    print(f"| {'matrix':<28} | {'scipy ms':>9} | {'evmarket ms':>11} | {'ratio':>7} | optimum")
    print(f"|{'-' * 30}|{'-' * 11}|{'-' * 13}|{'-' * 9}|---------")
    failures, below = 0, []
    with tempfile.TemporaryDirectory() as scratch:
        for index, (name, family, build, maximise) in enumerate(families()):
            if wanted is not None and family not in wanted:
                continue
            w = build(np.random.default_rng([args.seed, index]))
            path = os.path.join(scratch, f"w{index}.bin")
            write_matrix(path, w)
            command = [cli, "--repeat", str(args.repeat)] + (["--maximise"] if maximise else []) + [path]
            line = subprocess.run(command, check=True, capture_output=True, text=True).stdout.split()
            ours_value, ours_ms = float(line[2]), float(line[3])
            scipy_value, scipy_ms = scipy_solve(w, maximise, args.repeat)
            agree = abs(ours_value - scipy_value) <= RELATIVE_TOLERANCE * max(1.0, abs(scipy_value))
            ratio = scipy_ms / ours_ms if ours_ms > 0 else float("inf")
            note = "" if agree else f"  MISMATCH: evmarket {ours_value!r}"
            target = UNIFORM_TARGET_RATIO if family == "uniform" else TARGET_RATIO
            if ratio < target:
                below.append(f"{name} ({ratio:.2f}x < {target}x)")
            print(f"| {name:<28} | {scipy_ms:>9.2f} | {ours_ms:>11.2f} | {ratio:>6.2f}x | {scipy_value:.12g}{note}",
                  flush=True)
            failures += not agree
    if below:
        print("below target: " + "; ".join(below))
    if failures:
        print(f"{failures} matri{'x' if failures == 1 else 'ces'} disagree", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
