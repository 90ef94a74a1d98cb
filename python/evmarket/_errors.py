"""The exceptions evmarket raises; every extension module raises these same classes."""

from __future__ import annotations


class Error(Exception):
    """Root of every exception evmarket raises (misuse or bad input, never an economic outcome)."""


class BadInput(Error, ValueError):
    """An argument was invalid. ``field`` names it (``"bids[3].quantity"``), ``value`` is its text."""

    def __init__(self, message: str, field: str = "", value: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.value = value


class ArithmeticOverflow(Error, OverflowError):
    """An exact integer computation would leave its 64-bit range; nothing was changed."""


class Infeasible(Error):
    """A problem has no solution where the call required one."""


class SolverFailure(Error):
    """A numerical back end (the LP solver) failed to produce an answer."""


class Revert(Error):
    """The on-chain Bancor formula reverts: ``name`` is the check, ``reason`` the contract's message
    (empty where the contract gives none) and ``field`` the argument concerned."""

    def __init__(self, message: str, name: str = "", reason: str = "", field: str = "") -> None:
        super().__init__(message)
        self.name = name
        self.reason = reason
        self.field = field
