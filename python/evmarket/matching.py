"""Assignment and b-matching on NumPy matrices, with the dual potentials as a certificate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from . import _core


@dataclass(frozen=True)
class AssignmentResult:
    """An optimal assignment: ``column_of_row[i]`` (-1 when row i is unassigned), ``row_of_column``,
    the total ``value`` and dual potentials ``u`` (rows) and ``v`` (columns) with
    ``u[i] + v[j] <= w[i, j]`` (minimise; >= when maximising), equality on assigned pairs."""

    status: str
    column_of_row: np.ndarray
    row_of_column: np.ndarray
    value: float
    u: np.ndarray
    v: np.ndarray

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


@dataclass(frozen=True)
class BMatchingResult:
    """Paper 004's capacitated matching: ``pairs`` is a (k, 2) array of (buyer row, seller column),
    ``value`` the total weight and the potentials certify optimality (see matching/b_matching.hpp)."""

    status: str
    pairs: np.ndarray
    value: float
    buyer_potential: np.ndarray
    seller_potential: np.ndarray
    unmet_seller: int

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


def solve_assignment(weights: np.ndarray, *, maximise: bool = False,
                     allowed: Optional[np.ndarray] = None) -> AssignmentResult:
    """Solves the rectangular assignment problem (Jonker-Volgenant) on ``weights``.

    A C-contiguous float64 or int64 matrix is read in place (no copy); integer matrices are solved
    exactly. Forbidden pairs: +inf (minimise) / -inf (maximise) entries, or a bool ``allowed`` mask.
    The GIL is released while solving."""
    return AssignmentResult(**_core._solve_assignment(np.asarray(weights), allowed, maximise))


def solve_b_matching(weights: np.ndarray, seller_demand: Sequence[int], buyer_capacity: Sequence[int], *,
                     maximise: bool = False, allowed: Optional[np.ndarray] = None) -> BMatchingResult:
    """Seller j in exactly ``seller_demand[j]`` pairs, buyer i in at most ``buyer_capacity[i]``,
    each pair once, at optimal total weight (min-cost flow). Infeasibility is a status."""
    return BMatchingResult(**_core._solve_b_matching(np.asarray(weights), list(seller_demand),
                                                     list(buyer_capacity), allowed, maximise))
