"""The tidy CSV (one row per scenario, mechanism, size, seed) and the summary CSV (mean and 95 %
confidence interval per scenario, mechanism and size)."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

from .sweep import COLUMNS

#: Metrics the summary aggregates.
SUMMARY_METRICS = ("efficiency", "volume_share", "surplus", "budget_balanced", "ir_violations", "regret_share",
                   "regret_max")

# Two-sided 95 % Student-t quantiles for 1..30 degrees of freedom; 1.96 beyond.
_T95 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
        2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
        2.045, 2.042)


def mean_ci(values: Sequence[float]) -> Tuple[float, float]:
    """Mean and half-width of its 95 % confidence interval (Student t; 0 for one value)."""
    clean = [float(v) for v in values if not math.isnan(float(v))]
    n = len(clean)
    if n == 0:
        return float("nan"), float("nan")
    mean = sum(clean) / n
    if n == 1:
        return mean, 0.0
    variance = sum((v - mean) ** 2 for v in clean) / (n - 1)
    t = _T95[n - 2] if n - 1 <= len(_T95) else 1.96
    return mean, t * math.sqrt(variance / n)


def summarise(rows: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """One row per (scenario, mechanism, size): n and, per metric, mean, ci_low, ci_high."""
    groups: Dict[Tuple[str, str, int], List[Dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r["scenario"], r["mechanism"], r["size"]), []).append(r)
    out = []
    for (scenario, mechanism, size), members in groups.items():
        row: Dict[str, Any] = {"scenario": scenario, "mechanism": mechanism, "size": size, "n": len(members)}
        for metric in SUMMARY_METRICS:
            mean, half = mean_ci([float(m[metric]) for m in members])
            row[f"{metric}_mean"], row[f"{metric}_ci_low"], row[f"{metric}_ci_high"] = mean, mean - half, mean + half
        out.append(row)
    return out


def write_csv(path: Path, rows: List[Dict[str, Any]], columns: Sequence[str]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({c: (repr(v) if isinstance(v, float) else v) for c, v in r.items()})


def write_tables(out: Path, rows: List[Dict[str, Any]]) -> Tuple[Path, Path]:
    """Writes runs.csv (tidy) and summary.csv into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    runs, summary = out / "runs.csv", out / "summary.csv"
    write_csv(runs, rows, COLUMNS)
    summary_rows = summarise(rows)
    columns = ["scenario", "mechanism", "size", "n"] + [f"{m}_{s}" for m in SUMMARY_METRICS
                                                         for s in ("mean", "ci_low", "ci_high")]
    write_csv(summary, summary_rows, columns)
    return runs, summary
