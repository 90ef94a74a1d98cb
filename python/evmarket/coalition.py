"""The nucleolus, prenucleolus and least core, from the optional GLPK extension ``evmarket._lp``.

``evmarket._lp`` links GLPK, which is GPL-3.0: an installation that includes it is GPL-3.0 as a
whole. Build with ``-DEVMARKET_PYTHON_LP=OFF`` for an MIT-only package (then ``HAS_LP`` is False and
these functions raise ``evmarket.Error``). TU games, the Shapley value and Kohlberg's certificate
are in the MIT core (``evmarket.TUGame``)."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ._errors import Error

try:
    from . import _lp
    HAS_LP = True
except ImportError:  # built without GLPK, or with EVMARKET_PYTHON_LP=OFF
    _lp = None
    HAS_LP = False


def _require_lp() -> Any:
    if _lp is None:
        raise Error("the nucleolus needs evmarket._lp (GLPK); this build left it out")
    return _lp


def nucleolus(game: Any, *, tolerance: float = 1e-9, certify: bool = True) -> Dict[str, Any]:
    """The nucleolus by sequential LP, finished in exact rationals (``exact_allocation``, a list of
    Fractions) and certified by Kohlberg's criterion (``certified``)."""
    return _require_lp().nucleolus(game, tolerance, certify)


def prenucleolus(game: Any, *, tolerance: float = 1e-9, certify: bool = True) -> Dict[str, Any]:
    """The prenucleolus (over all efficient allocations), as ``nucleolus``."""
    return _require_lp().prenucleolus(game, tolerance, certify)


def least_core(game: Any, *, tolerance: float = 1e-9) -> Tuple[float, List[float]]:
    """(epsilon, allocation): the smallest largest excess and one allocation attaining it."""
    return _require_lp().least_core(game, tolerance)
