from __future__ import annotations

import numpy as np
import pytest

import evmarket


def liquibook_arrays(count: int, seed: int = 3):
    rng = np.random.default_rng(seed)
    sides = (np.arange(count) % 2).astype(np.int8)           # 0 buy, 1 sell, alternating
    prices = np.where(sides == 0, 1880, 1884) + rng.integers(0, 10, count)
    quantities = (rng.integers(0, 10, count) + 1) * 100
    return sides, prices.astype(np.int64), quantities.astype(np.int64)


def test_batch_matches_one_order_at_a_time():
    sides, prices, quantities = liquibook_arrays(3000)
    batch = evmarket.OrderBook()
    got = batch.add_batch(sides, prices, quantities)
    single = evmarket.OrderBook()
    for i in range(len(sides)):
        single.add(i + 1, 0, "sell" if sides[i] else "buy", int(prices[i]), int(quantities[i]))
    want = single.take_trades()
    for field in ("buy_order", "sell_order", "buyer", "seller", "quantity", "buyer_price", "seller_price"):
        np.testing.assert_array_equal(got[field], want[field])
    assert len(batch) == len(single)
    assert batch.best_bid() == single.best_bid() and batch.best_ask() == single.best_ask()


def test_batch_conserves_quantity_and_trades_at_the_resting_price():
    sides, prices, quantities = liquibook_arrays(5000, seed=11)
    book = evmarket.OrderBook()
    got = book.add_batch(sides, prices, quantities)
    traded = int(got["quantity"].sum())
    assert traded == book.traded_volume
    resting = sum(level.quantity for s in ("buy", "sell") for level in book.depth(s, 1000))
    assert quantities.sum() == 2 * traded + resting
    price_of = dict(zip(got["order_ids"].tolist(), prices.tolist()))
    for b, s, p in zip(got["buy_order"], got["sell_order"], got["buyer_price"]):
        assert p == price_of[min(b, s)]  # the earlier order rests; its price is the trade price
    assert set(np.unique(got["status"])) <= {int(evmarket.OrderStatus.resting), int(evmarket.OrderStatus.filled)}


def test_batch_rejects_bad_sides_and_lengths():
    book = evmarket.OrderBook()
    with pytest.raises(evmarket.BadInput) as caught:
        book.add_batch(np.array([0, 2], np.int8), np.array([1, 1]), np.array([1, 1]))
    assert caught.value.field == "sides[1]"
    with pytest.raises(evmarket.BadInput):
        book.add_batch(np.array([0, 1], np.int8), np.array([1]), np.array([1, 1]))


def test_single_orders_report_rejections_as_results():
    book = evmarket.OrderBook()
    r = book.add(1, 7, "sell", 1_200_000, 15_000)
    assert r.status == evmarket.OrderStatus.resting
    r = book.add(2, 9, "buy", 0, 10_000, type="market")
    assert r.status == evmarket.OrderStatus.filled and r.filled == 10_000
    assert book.add(3, 9, "buy", 0, 1, type="market", time_in_force="ioc").accepted()
    assert book.add(1, 7, "sell", 1, 1).reason == evmarket.RejectReason.duplicate_order_id
    with pytest.raises(evmarket.BadInput):
        book.add(4, 1, "hold", 1, 1)
