"""The mechanism lab: sweep pricing rules x market sizes x seeds into tidy tables and plots.

    python3 -m evmarket.lab examples/lab/single_unit_uniform.json --out lab-out --jobs 2
"""

from __future__ import annotations

from .scenario import Market, Mechanism, Scenario, generate_market, load_scenario, parse_scenario
from .sweep import COLUMNS, make_tasks, run_sweep, run_task
from .tables import mean_ci, summarise, write_tables

__all__ = ["COLUMNS", "Market", "Mechanism", "Scenario", "generate_market", "load_scenario", "make_tasks",
           "mean_ci", "parse_scenario", "run_sweep", "run_task", "summarise", "write_tables"]
