"""Command line of the mechanism lab: ``python3 -m evmarket.lab SCENARIO.json [options]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import List, Optional

from .._errors import Error
from .scenario import load_scenario
from .sweep import run_sweep
from .tables import write_tables


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m evmarket.lab",
                                     description="Compare double-auction mechanisms on generated markets.")
    parser.add_argument("scenario", help="scenario file (JSON), e.g. examples/lab/single_unit_uniform.json")
    parser.add_argument("--out", default="lab-out", help="output directory (default: lab-out)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--scheduler", help="run on an existing Dask cluster, e.g. tcp://127.0.0.1:8786")
    parser.add_argument("--seeds", type=int, help="override the scenario's number of seeds")
    parser.add_argument("--sizes", type=int, nargs="+", help="override the scenario's market sizes")
    parser.add_argument("--split-mechanisms", action="store_true",
                        help="one task per mechanism (default: a task prices each market with every mechanism)")
    parser.add_argument("--no-plots", action="store_true", help="write the CSV tables only")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        scenario = load_scenario(args.scenario).with_overrides(args.seeds, args.sizes)
        start = time.monotonic()
        rows = run_sweep(scenario, jobs=args.jobs, scheduler=args.scheduler,
                         progress=not args.no_progress and sys.stderr.isatty(),
                         split_mechanisms=args.split_mechanisms)
        elapsed = time.monotonic() - start
        out = Path(args.out)
        runs, summary = write_tables(out, rows)
        print(f"{len(rows)} runs ({len(scenario.mechanisms)} mechanisms x {len(scenario.sizes)} sizes x "
              f"{len(scenario.seeds)} seeds) in {elapsed:.1f} s -> {runs}, {summary}")
        if not args.no_plots:
            from .plots import write_plots
            for path in write_plots(out, scenario, rows):
                print(path)
    except (Error, OSError, ValueError) as problem:
        print(f"evmarket.lab: {problem}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
