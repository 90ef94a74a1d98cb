from __future__ import annotations

import numpy as np
import pytest

import evmarket

scipy_optimize = pytest.importorskip("scipy.optimize")


@pytest.mark.parametrize("shape", [(1, 1), (5, 5), (7, 12), (12, 7), (40, 40)])
def test_assignment_matches_scipy_and_its_duals_certify(shape, rng):
    for maximise in (False, True):
        w = rng.uniform(-5, 5, shape)
        r = evmarket.solve_assignment(w, maximise=maximise)
        rows, cols = scipy_optimize.linear_sum_assignment(w, maximize=maximise)
        assert r.optimal
        assert r.value == pytest.approx(w[rows, cols].sum(), rel=1e-12, abs=1e-9)
        slack = w - r.u[:, None] - r.v[None, :]
        assert (slack >= -1e-9).all() if not maximise else (slack <= 1e-9).all()
        assigned = [(i, j) for i, j in enumerate(r.column_of_row) if j >= 0]
        assert all(abs(slack[i, j]) < 1e-9 for i, j in assigned)


def test_integer_weights_are_exact(rng):
    w = rng.integers(-10**12, 10**12, (30, 30), dtype=np.int64)
    r = evmarket.solve_assignment(w)
    rows, cols = scipy_optimize.linear_sum_assignment(w)
    assert isinstance(r.value, int) and r.value == int(w[rows, cols].sum())


def test_forbidden_pairs_and_infeasibility():
    w = np.array([[1.0, np.inf], [np.inf, np.inf]])
    assert evmarket.solve_assignment(w).status == "infeasible"
    mask = np.array([[True, False], [False, True]])
    r = evmarket.solve_assignment(np.array([[1.0, 0.0], [0.0, 1.0]]), allowed=mask)
    assert list(r.column_of_row) == [0, 1] and r.value == 2.0
    with pytest.raises(evmarket.BadInput):
        evmarket.solve_assignment(np.array([[np.nan]]))


def brute_b_matching(w, demand, capacity):
    """Exhaustive optimum of the b-matching (maximise) on a tiny instance."""
    import itertools
    m, n = w.shape
    pairs = [(i, j) for i in range(m) for j in range(n)]
    best = None
    for chosen in itertools.product((0, 1), repeat=len(pairs)):
        picked = [p for p, c in zip(pairs, chosen) if c]
        if any(sum(1 for p in picked if p[1] == j) != demand[j] for j in range(n)):
            continue
        if any(sum(1 for p in picked if p[0] == i) > capacity[i] for i in range(m)):
            continue
        value = sum(w[p] for p in picked)
        best = value if best is None else max(best, value)
    return best


def test_b_matching_matches_brute_force(rng):
    for _ in range(15):
        m, n = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        w = rng.integers(0, 20, (m, n)).astype(np.float64)
        demand = rng.integers(0, m + 1, n).tolist()
        capacity = rng.integers(0, n + 1, m).tolist()
        r = evmarket.solve_b_matching(w, demand, capacity, maximise=True)
        want = brute_b_matching(w, demand, capacity)
        if want is None:
            assert r.status == "infeasible"
        else:
            assert r.optimal and r.value == pytest.approx(want)
            assert r.pairs.shape == (sum(demand), 2)
