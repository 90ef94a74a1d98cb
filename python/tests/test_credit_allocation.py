from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import evmarket


def test_paper_001_ahp_weights_and_consistency():
    r = evmarket.ahp([[1, 5, 7], [1 / 5, 1, 3], [1 / 7, 1 / 3, 1]])
    assert r.weights == pytest.approx([0.730645, 0.188394, 0.080961], abs=1e-6)
    assert r.consistency.lambda_max == pytest.approx(3.064888, abs=1e-6)
    assert r.consistency.acceptable()
    g = evmarket.ahp([[1, 5, 7], [1 / 5, 1, 3], [1 / 7, 1 / 3, 1]], method="geometric_mean")
    assert g.weights == pytest.approx(r.weights, abs=1e-3)


def test_harker_recovers_a_consistent_matrix_from_a_spanning_tree():
    weights, completed = evmarket.harker(3, [(0, 1, 2.0), (1, 2, 4.0)])
    assert weights == pytest.approx([8 / 13, 4 / 13, 1 / 13])
    assert completed[0][2] == pytest.approx(8.0)


def test_group_aggregation_of_identical_experts_is_the_expert():
    m = [[1, 3], [1 / 3, 1]]
    assert np.allclose(evmarket.aggregate_judgments([m, m]), m)
    assert evmarket.aggregate_priorities([[0.75, 0.25], [0.75, 0.25]]) == pytest.approx([0.75, 0.25])


def test_paper_001_table_iii_credit_update():
    rule = evmarket.ReservationCreditRule()
    booked = evmarket.Reservation(1, 10, 0, 3, 20_000)
    kept = evmarket.ChargingRecord(1, 10, 0, 3, 20_000)
    moved = evmarket.ChargingRecord(1, 11, 0, 4, 20_000)
    assert rule.assess(booked, kept) == (1, 1, 1)
    assert rule.updated(9.9, booked, kept) == 10.0               # capped at 10
    assert rule.updated(8.25, booked, moved) == pytest.approx(8.25 - 0.73064 - 0.18839 + 0.08096)


def test_proportional_allocation_is_exact(rng):
    for _ in range(50):
        demands = [int(d) for d in rng.integers(0, 50_000, int(rng.integers(1, 10)))]
        capacity = int(rng.integers(0, sum(demands) + 1))
        requests = [evmarket.StationRequest(i + 1, d) for i, d in enumerate(demands)]
        a = evmarket.allocate(capacity, requests)
        total = sum(demands)
        assert sum(a.quotas) == min(capacity, total)
        beta = a.satisfaction
        assert isinstance(beta, Fraction) and beta == (Fraction(capacity, total) if total > capacity else 1)
        assert all(abs(q - beta * d) < 1 for q, d in zip(a.quotas, demands))


def test_credit_rules_prefer_creditworthy_stations():
    requests = [evmarket.StationRequest(1, 1000, credit=1.0), evmarket.StationRequest(2, 1000, credit=9.0)]
    for rule in ("inverse_credit", "strict_credit"):
        a = evmarket.allocate(1500, requests, rule=rule)
        assert sum(a.quotas) == 1500 and a.quotas[1] >= a.quotas[0]
    with pytest.raises(evmarket.BadInput):
        evmarket.allocate(10, requests, rule="lottery")


def test_bid_curves_clear_at_the_margin():
    curves = [evmarket.BidCurve([(0, 10_000), (1_000_000, 0)]), evmarket.BidCurve([(0, 6_000), (500_000, 0)])]
    r = evmarket.clear_bid_curves(curves, 8_000)
    assert r["status"] == "cleared" and sum(r["powers"]) == 8_000 and r["congestion_price"] > 0
