"""evmarket: market mechanisms for EV charging and peer-to-peer energy trading.

Quantities are Python ints in the library's exact base units: power in W, energy in Wh, money in
micro-Token, prices in micro-Token/kWh. Exact rationals are ``fractions.Fraction``; the Bancor
curve speaks ``decimal.Decimal``; matrices are NumPy arrays.
"""

from __future__ import annotations

from ._errors import ArithmeticOverflow, BadInput, Error, Infeasible, Revert, SolverFailure
from ._core import (  # noqa: F401  (the compiled API, re-exported)
    PRICING_RULES,
    AhpResult,
    Allocation,
    BancorCurve,
    BidCurve,
    BudgetBalance,
    CallAuction,
    CallAuctionResult,
    CallOrder,
    ChargingRecord,
    ClearingMetrics,
    ClearingStatus,
    ConsistencyReport,
    DemandStatus,
    DepthLevel,
    MoneyTransfer,
    OrderBook,
    OrderOutcome,
    OrderResult,
    OrderStatus,
    ParticipantPosition,
    PeriodSettlement,
    QuotaMarketSession,
    QuotaOrderStatus,
    QuotaPeriodReport,
    RadialFeeder,
    RationalityViolation,
    RejectReason,
    Reservation,
    ReservationCreditRule,
    SecurityVerdict,
    SettlementLine,
    Side,
    StationRequest,
    TUGame,
    Trade,
    __version__,
    aggregate_judgments,
    aggregate_priorities,
    ahp,
    airport_game,
    allocate,
    assignment_game,
    bancor_evm,
    bankruptcy_game,
    clear_bid_curves,
    clear_call,
    glove_game,
    harker,
    majority_game,
    measure,
    weighted_voting_game,
)
from .matching import AssignmentResult, BMatchingResult, solve_assignment, solve_b_matching
from .coalition import HAS_LP, least_core, nucleolus, prenucleolus

__all__ = [name for name in dir() if not name.startswith("_")]
