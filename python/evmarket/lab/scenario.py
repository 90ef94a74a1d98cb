"""Scenario files: which markets to generate and which mechanisms to compare (JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

import numpy as np

from .._errors import BadInput
from .. import _core

_DISTRIBUTIONS = ("uniform", "normal", "constant")


@dataclass(frozen=True)
class Distribution:
    """A distribution of values (Token/kWh) or quantities (kWh): uniform(low, high),
    normal(mean, sd) clipped to [low, high], or constant(value)."""

    kind: str
    params: Tuple[Tuple[str, float], ...]

    def draw(self, rng: np.random.Generator, count: int) -> np.ndarray:
        p = dict(self.params)
        if self.kind == "uniform":
            return rng.uniform(p["low"], p["high"], count)
        if self.kind == "normal":
            return np.clip(rng.normal(p["mean"], p["sd"], count), p.get("low", -np.inf), p.get("high", np.inf))
        return np.full(count, p["value"])

    @staticmethod
    def parse(spec: Dict[str, Any], where: str) -> "Distribution":
        kind = spec.get("distribution")
        if kind not in _DISTRIBUTIONS:
            raise BadInput(f"{where}.distribution = {kind!r}: must be one of {_DISTRIBUTIONS}",
                           f"{where}.distribution", repr(kind))
        needed = {"uniform": ("low", "high"), "normal": ("mean", "sd"), "constant": ("value",)}[kind]
        for name in needed:
            if not isinstance(spec.get(name), (int, float)):
                raise BadInput(f"{where}.{name} = {spec.get(name)!r}: must be a number", f"{where}.{name}",
                               repr(spec.get(name)))
        params = tuple(sorted((k, float(v)) for k, v in spec.items() if k != "distribution"))
        return Distribution(kind, params)


@dataclass(frozen=True)
class Mechanism:
    """A pricing rule with its parameters, and the label tables and plots use."""

    rule: str
    k: Fraction = Fraction(1, 2)
    label: str = ""

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        return f"uniform_price(k={self.k})" if self.rule == "uniform_price" else self.rule


@dataclass(frozen=True)
class Scenario:
    """A sweep: market sizes (traders per market) x seeds x mechanisms, and the regret grid."""

    name: str
    sizes: Tuple[int, ...]
    seeds: Tuple[int, ...]
    buyer_share: float
    values: Distribution
    costs: Distribution
    buyer_quantities: Distribution
    seller_quantities: Distribution
    mechanisms: Tuple[Mechanism, ...]
    price_deviations: Tuple[float, ...] = ()
    quantity_deviations: Tuple[float, ...] = ()
    plot_market: Tuple[int, int] = (0, 0)
    description: str = ""

    @property
    def regret(self) -> bool:
        return bool(self.price_deviations or self.quantity_deviations)

    def with_overrides(self, seeds: int | None = None, sizes: Sequence[int] | None = None) -> "Scenario":
        changes: Dict[str, Any] = {}
        if seeds is not None:
            changes["seeds"] = tuple(range(seeds))
        if sizes is not None:
            changes["sizes"] = tuple(sizes)
        return Scenario(**{**self.__dict__, **changes})


def _number_list(raw: Any, where: str) -> Tuple[float, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, (int, float)) for x in raw):
        raise BadInput(f"{where} = {raw!r}: must be a list of numbers", where, repr(raw))
    return tuple(float(x) for x in raw)


def _mechanisms(raw: Any) -> Tuple[Mechanism, ...]:
    if not isinstance(raw, list) or not raw:
        raise BadInput(f"mechanisms = {raw!r}: must be a non-empty list", "mechanisms", repr(raw))
    out = []
    for i, m in enumerate(raw):
        rule = m.get("rule") if isinstance(m, dict) else None
        if rule not in _core.PRICING_RULES:
            raise BadInput(f"mechanisms[{i}].rule = {rule!r}: must be one of {_core.PRICING_RULES}",
                           f"mechanisms[{i}].rule", repr(rule))
        try:
            k = Fraction(str(m.get("k", "1/2")))
        except (ValueError, ZeroDivisionError):
            raise BadInput(f"mechanisms[{i}].k = {m.get('k')!r}: must be a fraction such as \"1/2\"",
                           f"mechanisms[{i}].k", repr(m.get("k"))) from None
        out.append(Mechanism(rule, k, str(m.get("label", ""))))
    return tuple(out)


def parse_scenario(data: Dict[str, Any], name: str = "scenario") -> Scenario:
    """Builds a Scenario from a parsed JSON object; BadInput names the offending field."""
    market = data.get("market", {})
    sizes = market.get("sizes")
    if not isinstance(sizes, list) or not all(isinstance(s, int) and s >= 2 for s in sizes):
        raise BadInput(f"market.sizes = {sizes!r}: must be a list of integers >= 2", "market.sizes", repr(sizes))
    seeds = market.get("seeds", 10)
    if not isinstance(seeds, int) or seeds < 1:
        raise BadInput(f"market.seeds = {seeds!r}: must be a positive integer", "market.seeds", repr(seeds))
    share = market.get("buyer_share", 0.5)
    if not isinstance(share, (int, float)) or not 0 < share < 1:
        raise BadInput(f"market.buyer_share = {share!r}: must lie in (0, 1)", "market.buyer_share", repr(share))
    quantity = market.get("quantities", {"distribution": "constant", "value": 1.0})
    regret = data.get("regret", {})
    plot = data.get("plot_market", {})
    return Scenario(
        name=str(data.get("name", name)),
        description=str(data.get("description", "")),
        sizes=tuple(sizes),
        seeds=tuple(range(int(market.get("first_seed", 0)), int(market.get("first_seed", 0)) + seeds)),
        buyer_share=float(share),
        values=Distribution.parse(market.get("values", {}), "market.values"),
        costs=Distribution.parse(market.get("costs", {}), "market.costs"),
        buyer_quantities=Distribution.parse(market.get("buyer_quantities", quantity), "market.buyer_quantities"),
        seller_quantities=Distribution.parse(market.get("seller_quantities", quantity), "market.seller_quantities"),
        mechanisms=_mechanisms(data.get("mechanisms")),
        price_deviations=_number_list(regret.get("price_deviations", []), "regret.price_deviations"),
        quantity_deviations=_number_list(regret.get("quantity_deviations", []), "regret.quantity_deviations"),
        plot_market=(int(plot.get("size", sizes[0])), int(plot.get("seed", 0))),
    )


def load_scenario(path: str | Path) -> Scenario:
    """Reads and validates a scenario file."""
    path = Path(path)
    with path.open() as handle:
        return parse_scenario(json.load(handle), path.stem)


@dataclass(frozen=True)
class Market:
    """One generated market in the library's units: limits in micro-Token/kWh, quantities in Wh."""

    bid_limits: np.ndarray
    bid_quantities: np.ndarray
    offer_limits: np.ndarray
    offer_quantities: np.ndarray


def _micro(values: np.ndarray, scale: float) -> np.ndarray:
    return np.maximum(1, np.rint(values * scale)).astype(np.int64)


def generate_market(scenario: Scenario, size: int, seed: int) -> Market:
    """The market of `size` traders for `seed`: the same on every machine and in every process."""
    rng = np.random.default_rng([seed, size])
    buyers = min(size - 1, max(1, int(round(size * scenario.buyer_share))))
    sellers = size - buyers
    return Market(
        bid_limits=_micro(scenario.values.draw(rng, buyers), 1e6),
        bid_quantities=_micro(scenario.buyer_quantities.draw(rng, buyers), 1e3),
        offer_limits=_micro(scenario.costs.draw(rng, sellers), 1e6),
        offer_quantities=_micro(scenario.seller_quantities.draw(rng, sellers), 1e3),
    )
