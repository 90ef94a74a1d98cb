from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

import evmarket


def shapley_by_permutations(game):
    n = game.players
    total = [Fraction(0)] * n
    for order in itertools.permutations(range(n)):
        members = 0
        for i in order:
            total[i] += game.value(members | (1 << i)) - game.value(members)
            members |= 1 << i
    return [t / math.factorial(n) for t in total]


def random_game(rng, n):
    values = [Fraction(0)] + [Fraction(int(rng.integers(0, 40)), int(rng.integers(1, 5))) for _ in range(2 ** n - 1)]
    return evmarket.TUGame(n, values)


def test_shapley_value_is_exact_and_matches_permutations(rng):
    for n in (1, 2, 3, 4):
        game = random_game(rng, n)
        phi = game.shapley_value()
        assert all(isinstance(x, Fraction) for x in phi)
        assert phi == shapley_by_permutations(game)
        assert sum(phi) == game.value(2 ** n - 1)


def test_families_have_their_textbook_values():
    glove = evmarket.glove_game(1, 2)
    assert glove.value(0b011) == 1 and glove.value(0b110) == 0
    bankruptcy = evmarket.bankruptcy_game(Fraction(300), [100, 200, 300])
    assert bankruptcy.value(0b111) == 300 and bankruptcy.value(0b001) == 0
    # By hand over the six orders: player 1 adds 100 in three of them, player 2 adds 200 in three,
    # player 3 adds 300, 100, 300 and 200 in four.
    assert bankruptcy.shapley_value() == [Fraction(50), Fraction(100), Fraction(150)]


lp = pytest.mark.skipif(not evmarket.HAS_LP, reason="built without evmarket._lp (GLPK)")


@lp
def test_nucleolus_of_paper_004_assignment_game_is_certified():
    game = evmarket.assignment_game([[3, 2], [2, 3]])
    r = evmarket.nucleolus(game)
    assert r["certified"] and r["assignment_fast_path"]
    assert r["exact_allocation"] == [Fraction(3, 2)] * 4
    assert game.kohlberg_check(r["exact_allocation"])["holds"]


@lp
def test_nucleolus_and_prenucleolus_pass_kohlberg_on_random_games(rng):
    for n in (3, 4, 5):
        game = random_game(rng, n)
        has_imputations = sum(game.value(1 << i) for i in range(n)) <= game.value(2 ** n - 1)
        for kind, solve in (("nucleolus", evmarket.nucleolus), ("prenucleolus", evmarket.prenucleolus)):
            if kind == "nucleolus" and not has_imputations:
                with pytest.raises(evmarket.BadInput):
                    solve(game)
                continue
            r = solve(game)
            assert r["certified"], r["certificate_reason"]
            assert game.kohlberg_check(r["exact_allocation"], kind)["holds"]


@lp
def test_least_core_matches_scipy_linprog(rng):
    linprog = pytest.importorskip("scipy.optimize").linprog
    for n in (3, 4, 5):
        game = random_game(rng, n)
        epsilon, x = evmarket.least_core(game)
        # min e s.t. v(S) - x(S) <= e for proper S, x(N) = v(N); variables (x, e).
        rows, rhs = [], []
        for s in range(1, 2 ** n - 1):
            rows.append([-1.0 if s >> i & 1 else 0.0 for i in range(n)] + [-1.0])
            rhs.append(-float(game.value(s)))
        res = linprog([0.0] * n + [1.0], A_ub=rows, b_ub=rhs, A_eq=[[1.0] * n + [0.0]],
                      b_eq=[float(game.value(2 ** n - 1))], bounds=[(None, None)] * (n + 1), method="highs")
        assert res.status == 0 and epsilon == pytest.approx(res.fun, abs=1e-7)
        assert sum(x) == pytest.approx(float(game.value(2 ** n - 1)))
