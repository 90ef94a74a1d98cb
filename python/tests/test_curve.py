from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

import evmarket
from evmarket import bancor_evm


def test_bancor_curve_speaks_decimal_and_fraction():
    curve = evmarket.BancorCurve(1000, 250, Fraction(1, 2))
    assert curve.spot_price() == Decimal("0.5")
    tokens = curve.purchase_return(10)
    assert isinstance(tokens, Decimal)
    assert str(tokens).startswith("19.80390271855696")
    with pytest.raises(evmarket.BadInput):
        curve.purchase_return(0.5)  # floats are refused, not rounded


def test_round_trip_never_profits():
    curve = evmarket.BancorCurve(Decimal("1000"), Decimal("250"), Decimal("0.3"))
    for deposit in (Decimal("0.001"), Decimal("1"), Decimal("77.7")):
        bought = curve.buy(deposit)
        sold = curve.sell(bought["tokens"])
        assert sold["reserve"] <= deposit


def test_on_chain_twin_agrees_with_the_exact_curve_to_a_base_unit():
    supply, balance, amount = 10**24, 25 * 10**22, 10**22
    tokens = bancor_evm.purchase_target_amount(supply, balance, 500_000, amount)
    exact = evmarket.BancorCurve(supply, balance, Fraction(1, 2)).purchase_return(amount)
    assert isinstance(tokens, int) and 0 <= int(exact) - tokens <= int(exact) // 10**15 + 1


def test_reverts_raise_revert_with_the_contracts_reason():
    with pytest.raises(evmarket.Revert) as caught:
        bancor_evm.purchase_target_amount(0, 10, 500_000, 1)
    assert caught.value.name and caught.value.field == "supply"
    assert isinstance(caught.value, evmarket.Error)
    with pytest.raises(evmarket.BadInput):
        bancor_evm.purchase_target_amount(-1, 10, 500_000, 1)
