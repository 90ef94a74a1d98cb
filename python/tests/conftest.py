"""Shared fixtures of the Python suite: seeded random markets."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import evmarket

SOURCE_DIR = Path(os.environ.get("EVMARKET_SOURCE_DIR", Path(__file__).resolve().parents[2]))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261201)


def random_orders(rng: np.random.Generator, count: int, first_id: int, unit: bool = False):
    """`count` call orders with limits in [1, 50] Token/kWh and 1-20 kWh (1 kWh when unit)."""
    orders = []
    for i in range(count):
        quantity = 1000 if unit else int(rng.integers(1, 21)) * 1000
        orders.append(evmarket.CallOrder(first_id + i, first_id + i, quantity, int(rng.integers(1, 51)) * 1_000_000))
    return orders
