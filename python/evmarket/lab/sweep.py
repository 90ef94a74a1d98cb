"""The sweep: one task per (mechanism, market size, chunk of seeds), run serially, in worker
processes (--jobs) or on a Dask cluster (--scheduler). Every market is generated from its
(size, seed) alone, so the rows are identical however the tasks are spread."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from .. import _core
from .scenario import Mechanism, Scenario, generate_market

#: Columns of the tidy table, in order.
COLUMNS = ("scenario", "mechanism", "rule", "size", "seed", "efficiency", "volume_share", "surplus", "balance",
           "budget_balanced", "ir_violations", "gains", "efficient_gains", "volume", "average_price",
           "regret_share", "regret_max", "regret_traders")


@dataclass(frozen=True)
class Task:
    """One unit of work: a mechanism on a size for a chunk of seeds."""

    scenario: Scenario
    mechanism: int
    size: int
    seeds: Tuple[int, ...]


def run_task(task: Task) -> List[Dict[str, Any]]:
    """Evaluates one task; a pure function of the task (the unit Dask and the process pool ship)."""
    scenario = task.scenario
    mechanism: Mechanism = scenario.mechanisms[task.mechanism]
    spec = [(mechanism.rule, mechanism.k.numerator, mechanism.k.denominator)]
    rows = []
    for seed in task.seeds:
        market = generate_market(scenario, task.size, seed)
        (m,) = _core._lab_evaluate(market.bid_limits, market.bid_quantities, market.offer_limits,
                                   market.offer_quantities, spec, seed, list(scenario.price_deviations),
                                   list(scenario.quantity_deviations), scenario.regret)
        rows.append({
            "scenario": scenario.name, "mechanism": mechanism.name, "rule": mechanism.rule, "size": task.size,
            "seed": seed, "efficiency": m["efficiency"], "volume_share": m["volume_share"],
            "surplus": m["surplus"] / 1e6, "balance": m["balance"], "budget_balanced": m["balance"] == "balanced",
            "ir_violations": m["ir_violations"], "gains": m["gains"] / 1e6,
            "efficient_gains": m["efficient_gains"] / 1e6, "volume": m["volume"] / 1e3,
            "average_price": m["average_price"] / 1e6,
            "regret_share": m.get("regret_share", float("nan")),
            "regret_max": m.get("regret_max", float("nan")) / 1e6,
            "regret_traders": m.get("regret_traders", 0),
        })
    return rows


def make_tasks(scenario: Scenario, chunk: int = 0) -> List[Task]:
    """Splits the sweep; `chunk` seeds per task (0: about 1/8 of the seeds, at least 25)."""
    seeds = scenario.seeds
    chunk = chunk or max(25, -(-len(seeds) // 8))
    return [Task(scenario, m, size, seeds[i:i + chunk])
            for m in range(len(scenario.mechanisms)) for size in scenario.sizes
            for i in range(0, len(seeds), chunk)]


class Progress:
    """A one-line progress bar on stderr (silent when disabled or not a terminal-like stream)."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.done, self.enabled, self.start = total, 0, enabled, time.monotonic()

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled:
            return
        width = 30
        filled = width * self.done // max(1, self.total)
        elapsed = time.monotonic() - self.start
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} tasks "
                         f"{elapsed:6.1f} s")
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _ordered(rows: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    # One canonical order whatever finished first: mechanism (scenario order), size, seed.
    return sorted(rows, key=lambda r: (r["_mechanism"], r["size"], r["seed"]))


def _tag(task: Task, rows: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    for r in rows:
        r["_mechanism"] = task.mechanism
    return rows


def run_sweep(scenario: Scenario, *, jobs: int = 1, scheduler: Optional[str] = None, progress: bool = False,
              chunk: int = 0) -> List[Dict[str, Any]]:
    """Runs every task and returns the tidy rows in canonical order.

    jobs > 1 runs tasks in that many worker processes; scheduler ("tcp://host:port") sends them to
    an existing Dask cluster instead (dask.distributed)."""
    tasks = make_tasks(scenario, chunk)
    bar = Progress(len(tasks), progress)
    rows: List[Dict[str, Any]] = []
    if scheduler:
        rows = _run_dask(tasks, scheduler, bar)
    elif jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(run_task, t) for t in tasks]
            for t, f in zip(tasks, futures):
                rows += _tag(t, f.result())
                bar.advance()
    else:
        for t in tasks:
            rows += _tag(t, run_task(t))
            bar.advance()
    ordered = _ordered(rows)
    for r in ordered:
        del r["_mechanism"]
    return ordered


def _run_dask(tasks: List[Task], scheduler: str, bar: Progress) -> List[Dict[str, Any]]:
    from dask.distributed import Client, as_completed  # Debian: python3-distributed

    rows: List[Dict[str, Any]] = []
    with Client(scheduler) as client:
        futures = client.map(run_task, tasks, pure=True)
        index = {f.key: t for f, t in zip(futures, tasks)}
        for future in as_completed(futures):
            rows += _tag(index[future.key], future.result())
            bar.advance()
    return rows
