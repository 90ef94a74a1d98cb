"""The sweep: one task per (mechanisms, market size, chunk of seeds), run serially, in worker
processes (--jobs) or on a Dask cluster (--scheduler). Every market is generated from its
(size, seed) alone, so the rows are identical however the tasks are spread.

By default a task covers every mechanism of the scenario: each misreport of the regret grid is
then sorted and matched once and priced by every rule (several times faster than one task per
mechanism); ``split_mechanisms=True`` gives one task per (mechanism, size, seed chunk)."""

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
    """One unit of work: some mechanisms (indices into the scenario's) on a size for a chunk of seeds."""

    scenario: Scenario
    mechanisms: Tuple[int, ...]
    size: int
    seeds: Tuple[int, ...]


def run_task(task: Task) -> List[Dict[str, Any]]:
    """Evaluates one task; a pure function of the task (the unit Dask and the process pool ship)."""
    scenario = task.scenario
    chosen: List[Mechanism] = [scenario.mechanisms[i] for i in task.mechanisms]
    specs = [(m.rule, m.k.numerator, m.k.denominator) for m in chosen]
    rows = []
    for seed in task.seeds:
        market = generate_market(scenario, task.size, seed)
        results = _core._lab_evaluate(market.bid_limits, market.bid_quantities, market.offer_limits,
                                      market.offer_quantities, specs, seed, list(scenario.price_deviations),
                                      list(scenario.quantity_deviations), scenario.regret)
        for index, mechanism, m in zip(task.mechanisms, chosen, results):
            rows.append({
                "scenario": scenario.name, "mechanism": mechanism.name, "rule": mechanism.rule, "size": task.size,
                "seed": seed, "efficiency": m["efficiency"], "volume_share": m["volume_share"],
                "surplus": m["surplus"] / 1e6, "balance": m["balance"],
                "budget_balanced": m["balance"] == "balanced", "ir_violations": m["ir_violations"],
                "gains": m["gains"] / 1e6, "efficient_gains": m["efficient_gains"] / 1e6,
                "volume": m["volume"] / 1e3, "average_price": m["average_price"] / 1e6,
                "regret_share": m.get("regret_share", float("nan")),
                "regret_max": m.get("regret_max", float("nan")) / 1e6,
                "regret_traders": m.get("regret_traders", 0), "_mechanism": index,
            })
    return rows


def make_tasks(scenario: Scenario, chunk: int = 0, split_mechanisms: bool = False) -> List[Task]:
    """Splits the sweep; `chunk` seeds per task (0: about 1/16 of the seeds, at least 25)."""
    seeds = scenario.seeds
    chunk = chunk or max(25, -(-len(seeds) // 16))
    groups = ([(m,) for m in range(len(scenario.mechanisms))] if split_mechanisms
              else [tuple(range(len(scenario.mechanisms)))])
    return [Task(scenario, group, size, seeds[i:i + chunk])
            for group in groups for size in scenario.sizes for i in range(0, len(seeds), chunk)]


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


def run_sweep(scenario: Scenario, *, jobs: int = 1, scheduler: Optional[str] = None, progress: bool = False,
              chunk: int = 0, split_mechanisms: bool = False) -> List[Dict[str, Any]]:
    """Runs every task and returns the tidy rows in canonical order.

    jobs > 1 runs tasks in that many worker processes; scheduler ("tcp://host:port") sends them to
    an existing Dask cluster instead (dask.distributed)."""
    tasks = make_tasks(scenario, chunk, split_mechanisms)
    bar = Progress(len(tasks), progress)
    rows: List[Dict[str, Any]] = []
    if scheduler:
        rows = _run_dask(tasks, scheduler, bar)
    elif jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(run_task, t) for t in tasks]
            for f in futures:
                rows += f.result()
                bar.advance()
    else:
        for t in tasks:
            rows += run_task(t)
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
        for future in as_completed(futures):
            rows += future.result()
            bar.advance()
    return rows
