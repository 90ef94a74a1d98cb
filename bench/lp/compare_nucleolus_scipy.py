#!/usr/bin/env python3
"""Peer for bench/lp/nucleolus_bench: a plain sequential-LP nucleolus on scipy's HiGHS solver.

All 2^n - 2 coalition rows in every LP, coalitions with a positive dual fixed after each stage,
no constraint generation and no certificate. Random games of the same distribution as the C++
benchmark (v({i}) = 0, v(S) uniform in 1..100|S|, v(N) uniform in 100(n-2)..100n; the generators
differ, so the instances do too). Prints the median wall time of each size.

    python3 bench/lp/compare_nucleolus_scipy.py [--sizes 10 12 14 16] [--repetitions 3]

Exits 0 with a note when numpy or scipy is not installed.
"""
import argparse
import statistics
import sys
import time

try:
    import numpy as np
    from scipy.optimize import linprog
except ImportError:  # the comparison is optional
    print("scipy/numpy not available: skipping the HiGHS comparison")
    sys.exit(0)


def random_game(n, rng):
    count = 1 << n
    sizes = np.array([bin(s).count("1") for s in range(count)])
    values = np.zeros(count)
    big = sizes >= 2
    values[big] = rng.integers(1, 100 * sizes[big] + 1)
    values[count - 1] = rng.integers(100 * (n - 2), 100 * n + 1)
    return values


def nucleolus(n, values, tol=1e-9):
    count = 1 << n
    masks = np.arange(1, count - 1)
    members = ((masks[:, None] >> np.arange(n)) & 1).astype(float)
    coalition_values = values[masks]
    free = np.ones(len(masks), dtype=bool)
    fixed_rows, fixed_rhs = [np.ones(n)], [values[count - 1]]
    bounds = [(values[1 << i], None) for i in range(n)] + [(None, None)]
    objective = np.zeros(n + 1)
    objective[n] = 1.0
    x = None
    while True:
        rows = np.where(free)[0]
        # v(S) - x(S) <= t  <=>  -x(S) - t <= -v(S)
        a_ub = np.hstack([-members[rows], -np.ones((len(rows), 1))])
        a_eq = np.hstack([np.array(fixed_rows), np.zeros((len(fixed_rows), 1))])
        result = linprog(objective, A_ub=a_ub, b_ub=-coalition_values[rows], A_eq=a_eq, b_eq=np.array(fixed_rhs),
                         bounds=bounds, method="highs")
        if result.status != 0:
            raise RuntimeError(result.message)
        x, t = result.x[:n], result.x[n]
        duals = -result.ineqlin.marginals
        fix = rows[duals > tol]
        for r in fix:
            fixed_rows.append(members[r])
            fixed_rhs.append(coalition_values[r] - t)
        free[fix] = False
        if np.linalg.matrix_rank(np.array(fixed_rows)) == n:
            return x
        # Coalitions in the span of the fixed ones are determined: drop them.
        basis = np.array(fixed_rows)
        q, _ = np.linalg.qr(basis.T)
        rest = np.where(free)[0]
        residual = members[rest] - (members[rest] @ q) @ q.T
        free[rest[np.abs(residual).max(axis=1) < 1e-9]] = False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 12, 14, 16])
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(2024)
    for n in args.sizes:
        values = random_game(n, rng)
        times = []
        for _ in range(args.repetitions):
            start = time.perf_counter()
            nucleolus(n, values)
            times.append(time.perf_counter() - start)
        print(f"n = {n:2d}: median {statistics.median(times) * 1000:10.1f} ms (scipy HiGHS, uncertified)")


if __name__ == "__main__":
    main()
