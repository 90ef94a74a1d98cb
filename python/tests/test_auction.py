from __future__ import annotations

from fractions import Fraction

import pytest

import evmarket
from conftest import random_orders

RULES = [("midpoint_per_match", Fraction(1, 2)), ("pay_as_bid", Fraction(1, 2)), ("pay_as_offer", Fraction(1, 2)),
         ("mcafee", Fraction(1, 2)), ("trade_reduction", Fraction(1, 2)), ("vcg", Fraction(1, 2)),
         ("sbba", Fraction(1, 2))] + [("uniform_price", k) for k in
                                      (Fraction(0), Fraction(1, 4), Fraction(1, 3), Fraction(1, 2), Fraction(2, 3),
                                       Fraction(3, 4), Fraction(1))]


def efficient_volume(bids, offers):
    """Algorithm 1's volume by brute force over unit steps: the largest q with D(q) >= S(q)."""
    b = sorted(bids, key=lambda o: -o.limit)
    s = sorted(offers, key=lambda o: o.limit)
    units_b = [o.limit for o in b for _ in range(o.quantity // 1000)]
    units_s = [o.limit for o in s for _ in range(o.quantity // 1000)]
    return 1000 * sum(1 for x, y in zip(units_b, units_s) if x >= y)


@pytest.mark.parametrize("rule,k", RULES)
def test_every_rule_balances_the_books_and_respects_limits(rule, k, rng):
    for _ in range(20):
        bids = random_orders(rng, int(rng.integers(1, 12)), 1)
        offers = random_orders(rng, int(rng.integers(1, 12)), 100)
        r = evmarket.CallAuction(rule, k=k, seed=7).clear(bids, offers)
        assert r.buyers_paid - r.sellers_received == r.auctioneer_surplus
        assert sum(o.amount for o in r.bid_outcomes) == r.buyers_paid
        assert sum(t.quantity for t in r.trades) == r.volume <= efficient_volume(bids, offers)
        by_id = {o.id: o for o in bids + offers}
        for t in r.trades:
            assert t.buyer_price <= by_id[t.buy_order].limit and t.seller_price >= by_id[t.sell_order].limit
        positions = r.positions()
        assert sum(p.bought for p in positions) == sum(p.sold for p in positions) == r.volume
        assert sum(p.net_payment for p in positions) == r.auctioneer_surplus
        m = evmarket.measure(bids, offers, r)
        assert m.rationality_violations == [] and 0 <= m.efficiency <= 1 + 1e-12
        assert m.efficient_volume == efficient_volume(bids, offers)


def test_paper_003_table_iv_price_is_the_uniform_midpoint():
    bids = [evmarket.CallOrder(1, 2, 6500, 24_000_000)]
    offers = [evmarket.CallOrder(2, 3, 10_000, 22_000_000)]
    r = evmarket.clear_call(bids, offers, rule="uniform_price", k=Fraction(1, 2))
    assert r.uniform_price() and r.lowest_price == 23_000_000
    assert r.trades[0].quantity == 6500 and r.status == evmarket.ClearingStatus.cleared


def test_budget_balanced_rules_have_zero_surplus(rng):
    for rule in ("midpoint_per_match", "uniform_price", "pay_as_bid", "pay_as_offer", "sbba"):
        bids, offers = random_orders(rng, 8, 1), random_orders(rng, 8, 100)
        assert evmarket.clear_call(bids, offers, rule=rule).auctioneer_surplus == 0


def test_sbba_lottery_is_reproducible(rng):
    bids, offers = random_orders(rng, 10, 1, unit=True), random_orders(rng, 10, 100, unit=True)
    a = evmarket.CallAuction("sbba", seed=3).clear(bids, offers)
    b = evmarket.CallAuction("sbba", seed=3).clear(bids, offers)
    assert a.trades == b.trades


def test_unsupported_k_is_bad_input():
    with pytest.raises(evmarket.BadInput) as caught:
        evmarket.CallAuction("uniform_price", k=Fraction(1, 5))
    assert caught.value.field == "k"


def test_trade_exposes_its_fields_and_repr():
    r = evmarket.clear_call([evmarket.CallOrder(1, 10, 1000, 5_000_000)], [evmarket.CallOrder(2, 20, 1000, 3_000_000)])
    (t,) = r.trades
    assert (t.buy_order, t.sell_order, t.buyer, t.seller, t.quantity) == (1, 2, 10, 20, 1000)
    assert t.buyer_price == t.seller_price == 4_000_000 and t.single_price()
    assert "Trade(" in repr(t) and "CallAuctionResult(" in repr(r)
