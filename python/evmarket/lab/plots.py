"""The lab's figures (Matplotlib, Agg backend), each as PNG and SVG: efficiency and surplus
against market size per mechanism, regret per mechanism, and the supply and demand steps of one
seeded market with each mechanism's clearing price."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .. import _core  # noqa: E402
from .scenario import Scenario, generate_market  # noqa: E402
from .tables import summarise  # noqa: E402


def _save(fig: Any, out: Path, stem: str) -> List[Path]:
    paths = [out / f"{stem}.png", out / f"{stem}.svg"]
    for p in paths:
        fig.savefig(p, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return paths


def _by_mechanism(summary: List[Dict[str, Any]]) -> Dict[str, List[Dict[str, Any]]]:
    out: Dict[str, List[Dict[str, Any]]] = {}
    for row in summary:
        out.setdefault(row["mechanism"], []).append(row)
    for rows in out.values():
        rows.sort(key=lambda r: r["size"])
    return out


def _metric_vs_size(summary: List[Dict[str, Any]], metric: str, ylabel: str, title: str) -> Any:
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for mechanism, rows in _by_mechanism(summary).items():
        sizes = [r["size"] for r in rows]
        mean = np.array([r[f"{metric}_mean"] for r in rows])
        low = np.array([r[f"{metric}_ci_low"] for r in rows])
        high = np.array([r[f"{metric}_ci_high"] for r in rows])
        ax.plot(sizes, mean, marker="o", label=mechanism)
        ax.fill_between(sizes, low, high, alpha=0.15)
    ax.set_xscale("log")
    ax.set_xlabel("traders per market")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    return fig


def _regret(summary: List[Dict[str, Any]], scenario: Scenario) -> Any:
    largest = max(r["size"] for r in summary)
    rows = [r for r in summary if r["size"] == largest]
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    names = [r["mechanism"] for r in rows]
    mean = np.array([r["regret_share_mean"] for r in rows])
    err = np.array([r["regret_share_ci_high"] - r["regret_share_mean"] for r in rows])
    ax.bar(range(len(rows)), mean, yerr=err, capsize=3, color="tab:red", alpha=0.7)
    ax.set_xticks(range(len(rows)), names, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("best misreport gain / truthful utility")
    ax.set_title(f"{scenario.name}: empirical incentive regret ({largest} traders)")
    ax.grid(axis="y", alpha=0.3)
    return fig


def _steps(scenario: Scenario) -> Any:
    size, seed = scenario.plot_market
    market = generate_market(scenario, size, seed)
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    bids = np.argsort(-market.bid_limits, kind="stable")
    offers = np.argsort(market.offer_limits, kind="stable")
    for order, limits, quantities, label in ((bids, market.bid_limits, market.bid_quantities, "demand (bids)"),
                                             (offers, market.offer_limits, market.offer_quantities,
                                              "supply (offers)")):
        q = np.concatenate([[0], np.cumsum(quantities[order])]) / 1e3
        p = limits[order] / 1e6
        ax.step(q, np.concatenate([p, [p[-1]]]), where="post", label=label)
    specs = [(m.rule, m.k.numerator, m.k.denominator) for m in scenario.mechanisms]
    rows = _core._lab_evaluate(market.bid_limits, market.bid_quantities, market.offer_limits,
                               market.offer_quantities, specs, seed, [], [], False)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (mechanism, row) in enumerate(zip(scenario.mechanisms, rows)):
        if row["volume"] > 0:
            ax.axhline(row["average_price"] / 1e6, ls="--", lw=1, color=colours[(i + 2) % len(colours)],
                       label=f"{mechanism.name}: {row['average_price'] / 1e6:.3g}")
    ax.set_xlabel("cumulative quantity (kWh)")
    ax.set_ylabel("limit price (Token/kWh)")
    ax.set_title(f"{scenario.name}: one market ({size} traders, seed {seed}); average buyer price")
    ax.legend(fontsize=6, ncol=2)
    ax.grid(alpha=0.3)
    return fig


def write_plots(out: Path, scenario: Scenario, rows: List[Dict[str, Any]]) -> List[Path]:
    """Writes the four figures (PNG and SVG) into `out` and returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    summary = summarise(rows)
    paths = _save(_metric_vs_size(summary, "efficiency", "gains from trade / optimum",
                                  f"{scenario.name}: efficiency"), out, "efficiency")
    paths += _save(_metric_vs_size(summary, "surplus", "auctioneer surplus (Token; < 0 deficit)",
                                   f"{scenario.name}: budget"), out, "surplus")
    if scenario.regret:
        paths += _save(_regret(summary, scenario), out, "regret")
    paths += _save(_steps(scenario), out, "market")
    return paths
