from __future__ import annotations

import pytest

import evmarket


def test_bad_input_is_a_value_error_with_field_and_value():
    bid = evmarket.CallOrder(1, 1, -5, 1_000_000)
    offer = evmarket.CallOrder(2, 2, 1000, 1_000_000)
    with pytest.raises(evmarket.BadInput) as caught:
        evmarket.clear_call([bid], [offer])
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, evmarket.Error)
    assert caught.value.field == "bids[0].quantity"
    assert caught.value.value == "-5"


def test_unknown_rule_names_the_field():
    with pytest.raises(evmarket.BadInput) as caught:
        evmarket.CallAuction("second_price")
    assert caught.value.field == "rule"


def test_overflow_maps_to_arithmetic_overflow():
    big = 2 ** 62
    bids = [evmarket.CallOrder(1, 1, big, 1), evmarket.CallOrder(2, 1, big, 1)]
    with pytest.raises(evmarket.ArithmeticOverflow):
        evmarket.clear_call(bids, [evmarket.CallOrder(3, 2, 1, 1)])


def test_quantities_refuse_floats_and_out_of_range_ints():
    with pytest.raises(TypeError):
        evmarket.CallOrder(1, 1, 1.5, 1)
    with pytest.raises(evmarket.BadInput):
        evmarket.CallOrder(1, 1, 2 ** 64, 1)


def test_game_with_nonzero_empty_coalition_is_bad_input():
    with pytest.raises(evmarket.BadInput) as caught:
        evmarket.TUGame(2, [1, 0, 0, 1])
    assert caught.value.field == "values[0]"
