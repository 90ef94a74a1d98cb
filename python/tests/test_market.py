from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

import evmarket

KW = 1000  # W
TOKEN = 1_000_000  # micro-Token

# Paper 003 Tables II-IV: (name, demand kW, bid kWh, offer kWh, unit price Token/kWh, uniform payment Token)
PAPER_003 = [
    ("A", 36, 0, 3.2, 25, 0), ("B", 48, 6.5, 0, 24, 149.5), ("C", 42, 0, 9.8, 22, -151.8),
    ("D", 66, 10.9, 0, 26, 250.7), ("E", 30, 3.2, 0, 28, 73.6), ("F", 66, 0, 7.2, 19, -165.6),
    ("G", 54, 5.4, 0, 20, 0), ("H", 48, 0, 6.8, 16, -156.4),
]
DAY, SLOT = 0, 37  # 18:30-19:00, traded from 18:00


def test_paper_003_table_iv_uniform_payments_through_the_session_call_by_call():
    session = evmarket.QuotaMarketSession(rule="uniform_price", k=0.5)
    ids = {name: session.enrol_station(name) for name, *_ in PAPER_003}
    session.set_time(DAY, 18, 0)
    session.broadcast_margin(DAY, SLOT, 323 * KW)
    for name, demand, *_ in PAPER_003:
        status, _ = session.submit_demand(DAY, SLOT, ids[name], demand * KW, 10_000 * TOKEN)
        assert status == evmarket.DemandStatus.accepted
    session.set_time(DAY, 18, 5)
    quotas = session.pre_allocate(DAY, SLOT)
    assert quotas.curtailed() and sum(quotas.quotas) == 323 * KW
    session.set_time(DAY, 18, 7)
    for name, _, bid, offer, unit, _ in PAPER_003:
        side = evmarket.Side.buy if bid else evmarket.Side.sell
        status, _ = session.submit_order(DAY, SLOT, ids[name], side, round((bid or offer) * 1000), unit * TOKEN)
        assert status == evmarket.QuotaOrderStatus.accepted
    session.set_time(DAY, 18, 10)
    clearing = session.clear(DAY, SLOT)
    # Each station draws exactly its final quota: no penalty.
    final = {ids[name]: q // 2 for (name, *_), q in zip(PAPER_003, quotas.quotas)}  # 30 minutes, rounded down
    for t in clearing.trades:
        final[t.buyer] += t.quantity
        final[t.seller] -= t.quantity
    session.set_time(DAY, 18, 30)
    for station, energy in final.items():
        session.record_metering(DAY, SLOT, station, energy)
    session.set_time(DAY, 19, 0)
    settlement = session.settle(DAY, SLOT)
    paid = {line.station: line.auction_payment for line in settlement.lines}
    for name, *_, uniform in PAPER_003:
        assert paid[ids[name]] == round(uniform * TOKEN), name
    assert all(line.penalty == 0 and line.unpaid == 0 for line in settlement.lines)
    assert settlement.escrow_balance() == 0
    assert session.open_periods() == 0


def random_period(rng, n):
    return dict(
        demand=rng.integers(0, 60_000, n), deposit=rng.integers(0, 6_000, n) * TOKEN, sells=rng.integers(0, 2, n),
        order_quantity=rng.integers(0, 12_000, n), order_limit=rng.integers(1, 60_000_000, n),
        metered=rng.integers(0, 40_000, n),
    )


@pytest.mark.parametrize("rule", ["midpoint_per_match", "uniform_price", "vcg", "sbba"])
def test_run_period_conserves_money_and_settles_what_the_clearing_paid(rule):
    rng = np.random.default_rng(5)
    session = evmarket.QuotaMarketSession(rule=rule)
    stations = [session.enrol_station(f"S{i}") for i in range(30)]
    for slot in range(1, 13, 2):
        report = session.run_period(DAY, slot, int(rng.integers(0, 1_200_000)), stations, **random_period(rng, 30))
        s = report.settlement
        assert s.escrow_balance() == 0
        balance = defaultdict(int)
        for t in s.transfers:
            balance[t.sender] -= t.amount
            balance[t.receiver] += t.amount
        assert sum(balance.values()) == 0
        positions = {p.participant: p.net_payment for p in report.clearing.positions()}
        for line in s.lines:
            assert line.auction_payment == positions.get(line.station, 0)
            assert line.deposit + line.unpaid == line.fee + line.penalty + line.auction_payment + line.withdrawn
        accepted = sum(status == evmarket.DemandStatus.accepted for status, _ in report.demands)
        assert len(s.lines) == accepted == len(report.quotas.quotas)


def test_session_errors_name_the_field_and_leave_the_session_usable():
    session = evmarket.QuotaMarketSession()
    stations = [session.enrol_station("A")]
    arrays = random_period(np.random.default_rng(1), 1)
    arrays["metered"] = np.zeros(2, dtype=np.int64)
    with pytest.raises(evmarket.BadInput) as error:
        session.run_period(DAY, 1, 10_000, stations, **arrays)
    assert error.value.field == "metered"
    with pytest.raises(evmarket.Error):  # Step 2 before its phase
        session.submit_demand(DAY, 5, stations[0], 1_000, TOKEN)
    with pytest.raises(evmarket.BadInput):
        evmarket.QuotaMarketSession(rule="first_price")
    report = session.run_period(DAY, 1, 10_000, stations, **random_period(np.random.default_rng(1), 1))
    assert report.settlement.escrow_balance() == 0


def test_radial_feeder_checks_reserves_releases_and_names_bad_topology():
    feeder = evmarket.RadialFeeder(3, [(0, 1, 20 * KW), (2, 1, 10 * KW)], 50 * KW)
    for participant, bus in ((1, 0), (2, 1), (3, 2)):
        feeder.place(participant, bus)
    first = feeder.check_and_reserve(1, 3, 8 * KW)
    assert first and first.congested_line is None
    assert feeder.flow(1) == 8 * KW and feeder.flow(0) == 8 * KW
    refused = feeder.check_and_reserve(2, 3, 3 * KW)
    assert not refused and refused.congested_line == 1
    feeder.release(first.ticket)
    assert feeder.flow(1) == 0 and feeder.headroom(1) == (10 * KW, 10 * KW)
    feeder.post_congestion_fee(1, 2 * TOKEN)
    assert feeder.congestion_fee(1, 3) == 2 * TOKEN
    assert feeder.path(2, 0) == [1, 0]
    with pytest.raises(evmarket.BadInput) as error:
        evmarket.RadialFeeder(3, [(0, 1, 5), (1, 0, 5)], 50)
    assert error.value.field == "lines[1]"
