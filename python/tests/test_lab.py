"""The mechanism lab against theory, and its runners against each other."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest

import evmarket
from evmarket import lab
from conftest import SOURCE_DIR

SINGLE_UNIT = SOURCE_DIR / "examples" / "lab" / "single_unit_uniform.json"


def small(path=SINGLE_UNIT, seeds=12, sizes=(6, 20)):
    return lab.load_scenario(path).with_overrides(seeds, sizes)


def rows_of(rows, mechanism):
    return [r for r in rows if r["mechanism"] == mechanism]


@pytest.fixture(scope="module")
def single_unit_rows():
    return lab.run_sweep(small(seeds=40, sizes=(4, 10, 30)))


def test_mcafee_reaches_one_minus_one_over_k_of_the_optimum(single_unit_rows):
    scenario = small()
    for r in rows_of(single_unit_rows, "mcafee"):
        m = lab.generate_market(scenario, r["size"], r["seed"])
        # k: the number of efficient trades (single-unit: efficient volume in kWh).
        bids, offers = np.sort(m.bid_limits)[::-1], np.sort(m.offer_limits)
        k = int(np.sum(bids[:min(len(bids), len(offers))] >= offers[:min(len(bids), len(offers))]))
        if k > 0:
            assert r["efficiency"] >= 1 - 1 / k - 1e-9


def test_vcg_and_mcafee_have_zero_price_regret_on_single_unit_markets(single_unit_rows):
    for mechanism in ("mcafee", "vcg"):
        rows = rows_of(single_unit_rows, mechanism)
        assert rows and all(r["regret_max"] <= 1e-6 for r in rows), mechanism


def test_sbba_has_zero_surplus_and_others_are_individually_rational(single_unit_rows):
    assert all(r["surplus"] == 0 and r["budget_balanced"] for r in rows_of(single_unit_rows, "sbba"))
    assert all(r["ir_violations"] == 0 for r in single_unit_rows)
    assert all(r["surplus"] >= 0 for r in rows_of(single_unit_rows, "trade_reduction"))


def test_k_double_auction_and_pay_as_bid_show_positive_regret(single_unit_rows):
    for mechanism in ("k-double (k=1/2)", "pay_as_bid"):
        assert max(r["regret_max"] for r in rows_of(single_unit_rows, mechanism)) > 0, mechanism


def test_parallel_and_serial_runs_are_identical():
    scenario = small(seeds=10, sizes=(8,))
    assert lab.run_sweep(scenario, jobs=2, chunk=3) == lab.run_sweep(scenario)


def test_one_task_per_mechanism_gives_the_same_rows():
    scenario = small(SOURCE_DIR / "examples" / "lab" / "ev_charging_quotas.json", seeds=4, sizes=(8,))
    assert lab.run_sweep(scenario, split_mechanisms=True) == lab.run_sweep(scenario)


def brute_force_regret(market, rule, k, seed, price_steps, quantity_steps):
    """Sum over traders of the best misreport gain, clearing every misreport with a fresh auction."""
    bids = [evmarket.CallOrder(1 + i, 1 + i, int(q), int(p))
            for i, (p, q) in enumerate(zip(market.bid_limits, market.bid_quantities))]
    offers = [evmarket.CallOrder(1 + len(bids) + j, 1 + len(bids) + j, int(q), int(p))
              for j, (p, q) in enumerate(zip(market.offer_limits, market.offer_quantities))]

    def utility(buy, truth, outcome):
        # Value at the true limit, rounded to the micro-Token as the library rounds money (halves to even).
        worth = round(Fraction(truth.limit * min(outcome.traded, truth.quantity), 1000))
        return worth - outcome.amount if buy else outcome.amount - worth

    honest = evmarket.CallAuction(rule, k=k, seed=seed).clear(bids, offers)
    total = 0.0
    for buy, own in ((True, bids), (False, offers)):
        for i, truth in enumerate(list(own)):
            base = utility(buy, truth, (honest.bid_outcomes if buy else honest.offer_outcomes)[i])
            best = 0.0
            for dp, dq in [(p, 0.0) for p in price_steps] + [(0.0, q) for q in quantity_steps]:
                own[i] = evmarket.CallOrder(truth.id, truth.participant,
                                            max(1, round(truth.quantity * (1 + dq))),
                                            max(1, round(truth.limit * (1 + dp))))
                r = evmarket.CallAuction(rule, k=k, seed=seed).clear(bids, offers)
                own[i] = truth
                best = max(best, utility(buy, truth, (r.bid_outcomes if buy else r.offer_outcomes)[i]) - base)
            total += best
    return total


def test_regret_kernel_matches_brute_force():
    scenario = small(SOURCE_DIR / "examples" / "lab" / "ev_charging_quotas.json", seeds=1, sizes=(8,))
    specs = [(m.rule, m.k.numerator, m.k.denominator) for m in scenario.mechanisms]
    for seed in range(6):
        market = lab.generate_market(scenario, 7, seed)
        rows = evmarket._core._lab_evaluate(market.bid_limits, market.bid_quantities, market.offer_limits,
                                            market.offer_quantities, specs, seed, list(scenario.price_deviations),
                                            list(scenario.quantity_deviations), True)
        for (rule, num, den), row in zip(specs, rows):
            want = brute_force_regret(market, rule, Fraction(num, den), seed, scenario.price_deviations,
                                      scenario.quantity_deviations)
            assert row["regret_total"] == pytest.approx(want, abs=1e-6), rule


def test_dask_cluster_gives_the_serial_rows():
    distributed = pytest.importorskip("distributed")
    scenario = small(seeds=6, sizes=(8,))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", processes=True,
                                  dashboard_address=None) as cluster:
        rows = lab.run_sweep(scenario, scheduler=cluster.scheduler_address, chunk=2)
    assert rows == lab.run_sweep(scenario)


def test_cli_writes_tables_and_plots(tmp_path):
    from evmarket.lab.__main__ import main

    assert main([str(SINGLE_UNIT), "--out", str(tmp_path), "--seeds", "4", "--sizes", "6", "10",
                 "--no-progress"]) == 0
    with (tmp_path / "runs.csv").open() as handle:
        runs = list(csv.DictReader(handle))
    assert len(runs) == 8 * 2 * 4 and set(runs[0]) == set(lab.COLUMNS)
    with (tmp_path / "summary.csv").open() as handle:
        summary = list(csv.DictReader(handle))
    assert len(summary) == 8 * 2
    for row in summary:
        assert float(row["efficiency_ci_low"]) <= float(row["efficiency_mean"]) <= float(row["efficiency_ci_high"])
    for stem in ("efficiency", "surplus", "regret", "market"):
        assert (tmp_path / f"{stem}.png").stat().st_size > 0 and (tmp_path / f"{stem}.svg").stat().st_size > 0


@pytest.mark.parametrize("name", ["ev_charging_quotas.json", "p2p_prosumers.json"])
def test_shipped_divisible_scenarios_run(name):
    scenario = small(SOURCE_DIR / "examples" / "lab" / name, seeds=3, sizes=(8,))
    rows = lab.run_sweep(scenario)
    assert len(rows) == 3 * len(scenario.mechanisms)
    assert all(0 <= r["efficiency"] <= 1 + 1e-12 and r["ir_violations"] == 0 for r in rows)


def test_mean_ci_against_a_hand_computation():
    mean, half = lab.mean_ci([1.0, 2.0, 3.0])
    assert mean == 2.0 and half == pytest.approx(4.303 * 1.0 / 3 ** 0.5)


def test_bad_scenarios_name_the_field(tmp_path):
    data = json.loads(SINGLE_UNIT.read_text())
    data["mechanisms"][0]["rule"] = "english"
    with pytest.raises(evmarket.BadInput) as caught:
        lab.parse_scenario(data)
    assert caught.value.field == "mechanisms[0].rule"
    data = json.loads(SINGLE_UNIT.read_text())
    data["regret"]["quantity_deviations"] = [0.5]
    scenario = lab.parse_scenario(data)
    with pytest.raises(evmarket.BadInput):
        lab.run_task(lab.make_tasks(replace(scenario, sizes=(4,), seeds=(0,)))[0])
