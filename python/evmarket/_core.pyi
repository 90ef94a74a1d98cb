"""Type stubs of evmarket._core. Units: power W, energy Wh, money micro-Token, price micro-Token/kWh (ints)."""

from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

_Number = Union[int, Fraction, Decimal, str]

__version__: str
PRICING_RULES: Tuple[str, ...]

class Side(Enum):
    buy: int
    sell: int

class ClearingStatus(Enum):
    cleared: int
    no_trade: int

class BudgetBalance(Enum):
    balanced: int
    surplus: int
    deficit: int

class OrderStatus(Enum):
    rejected: int
    resting: int
    filled: int
    cancelled: int

class RejectReason(Enum):
    none: int
    non_positive_quantity: int
    non_positive_price: int
    duplicate_order_id: int
    unknown_order_id: int
    invalid_option: int
    no_liquidity: int
    cannot_fill_in_full: int
    overflow: int

class Trade:
    buy_order: int
    sell_order: int
    buyer: int
    seller: int
    quantity: int
    buyer_price: int
    seller_price: int
    buyer_paid: int
    seller_received: int
    def single_price(self) -> bool: ...

class CallOrder:
    id: int
    participant: int
    quantity: int
    limit: int
    def __init__(self, id: int, participant: int, quantity: int, limit: int) -> None: ...

class OrderOutcome:
    traded: int
    amount: int

class ParticipantPosition:
    participant: int
    bought: int
    sold: int
    net_payment: int

class CallAuctionResult:
    status: ClearingStatus
    rule: str
    trades: List[Trade]
    bid_outcomes: List[OrderOutcome]
    offer_outcomes: List[OrderOutcome]
    volume: int
    buyers_paid: int
    sellers_received: int
    auctioneer_surplus: int
    lowest_price: int
    highest_price: int
    def uniform_price(self) -> bool: ...
    def positions(self) -> List[ParticipantPosition]: ...

class RationalityViolation:
    side: Side
    index: int
    utility: int

class ClearingMetrics:
    rule: str
    volume: int
    efficient_volume: int
    gains_from_trade: int
    efficient_gains: int
    bid_utilities: List[int]
    offer_utilities: List[int]
    buyers_utility: int
    sellers_utility: int
    auctioneer_surplus: int
    balance: BudgetBalance
    rationality_violations: List[RationalityViolation]
    lowest_price: int
    highest_price: int
    average_buyer_price: int
    efficiency: float
    volume_share: float

class CallAuction:
    rule: str
    def __init__(self, rule: str = "uniform_price", k: Union[float, Fraction] = 0.5, seed: int = 0) -> None: ...
    def clear(self, bids: Sequence[CallOrder], offers: Sequence[CallOrder]) -> CallAuctionResult: ...

def clear_call(bids: Sequence[CallOrder], offers: Sequence[CallOrder], rule: str = "uniform_price",
               k: Union[float, Fraction] = 0.5, seed: int = 0) -> CallAuctionResult: ...
def measure(bids: Sequence[CallOrder], offers: Sequence[CallOrder], result: CallAuctionResult) -> ClearingMetrics: ...

class OrderResult:
    status: OrderStatus
    reason: RejectReason
    filled: int
    cancelled: int
    open: int
    def accepted(self) -> bool: ...

class DepthLevel:
    price: int
    quantity: int
    orders: int

class OrderBook:
    traded_volume: int
    def __init__(self) -> None: ...
    def add(self, id: int, owner: int, side: str, price: int, quantity: int, type: str = "limit",
            time_in_force: str = "gtc", all_or_none: bool = False) -> OrderResult: ...
    def add_batch(self, sides: np.ndarray, prices: np.ndarray, quantities: np.ndarray,
                  owner: int = 0) -> Dict[str, np.ndarray]: ...
    def cancel(self, id: int) -> OrderResult: ...
    def reduce(self, id: int, amount: int) -> OrderResult: ...
    def replace(self, id: int, price: int, open: int) -> OrderResult: ...
    def best_bid(self) -> Optional[int]: ...
    def best_ask(self) -> Optional[int]: ...
    def depth(self, side: str, levels: int = 5) -> List[DepthLevel]: ...
    def take_trades(self) -> Dict[str, np.ndarray]: ...
    def clear(self) -> None: ...
    def reserve(self, orders: int, levels: int) -> None: ...
    def __len__(self) -> int: ...

class StationRequest:
    station: int
    demand: int
    credit: float
    def __init__(self, station: int, demand: int, credit: float = 0.0) -> None: ...

class Allocation:
    quotas: List[int]
    capacity: int
    total_demand: int
    allocated: int
    satisfaction: Fraction
    def curtailed(self) -> bool: ...

def allocate(capacity: int, requests: Sequence[StationRequest], rule: str = "proportional") -> Allocation: ...

class ConsistencyReport:
    lambda_max: float
    index: float
    random_index: float
    ratio: float
    threshold: float
    def acceptable(self) -> bool: ...

class AhpResult:
    weights: List[float]
    consistency: ConsistencyReport

def ahp(judgments: Sequence[Sequence[float]], method: str = "eigenvector", random_index: str = "saaty_1980",
        threshold: float = 0.1) -> AhpResult: ...
def harker(n: int, judgments: Sequence[Tuple[int, int, float]]) -> Tuple[List[float], List[List[float]]]: ...
def aggregate_judgments(experts: Sequence[Sequence[Sequence[float]]],
                        expert_weights: Sequence[float] = ...) -> List[List[float]]: ...
def aggregate_priorities(priorities: Sequence[Sequence[float]], expert_weights: Sequence[float] = ...) -> List[float]: ...

class Reservation:
    user: int
    station: int
    day: int
    slot: int
    amount: int
    def __init__(self, user: int, station: int, day: int, slot: int, amount: int) -> None: ...

class ChargingRecord:
    delivered: int
    def __init__(self, user: int, station: int, day: int, slot: int, delivered: int) -> None: ...

class ReservationCreditRule:
    def __init__(self, weights: Sequence[float] = ..., floor: float = 0.0, cap: float = 10.0) -> None: ...
    def assess(self, booked: Reservation, actual: ChargingRecord) -> Tuple[int, int, int]: ...
    def score(self, booked: Reservation, actual: ChargingRecord) -> float: ...
    def updated(self, credit: float, booked: Reservation, actual: ChargingRecord) -> float: ...

class BancorCurve:
    supply: Decimal
    balance: Decimal
    weight: Decimal
    def __init__(self, supply: _Number, balance: _Number, weight: _Number) -> None: ...
    def spot_price(self) -> Decimal: ...
    def purchase_return(self, deposit: _Number) -> Decimal: ...
    def sale_return(self, tokens: _Number) -> Decimal: ...
    def purchase_cost(self, tokens: _Number) -> Decimal: ...
    def sale_cost(self, reserve: _Number) -> Decimal: ...
    def buy(self, deposit: _Number) -> Dict[str, Any]: ...
    def buy_tokens(self, tokens: _Number) -> Dict[str, Any]: ...
    def sell(self, tokens: _Number) -> Dict[str, Any]: ...

class _BancorEvm:
    MAX_WEIGHT: int
    def purchase_target_amount(self, supply: int, balance: int, weight: int, amount: int) -> int: ...
    def sale_target_amount(self, supply: int, balance: int, weight: int, amount: int) -> int: ...
    def fund_cost(self, supply: int, balance: int, ratio: int, amount: int) -> int: ...
    def fund_supply_amount(self, supply: int, balance: int, ratio: int, amount: int) -> int: ...
    def liquidate_reserve_amount(self, supply: int, balance: int, ratio: int, amount: int) -> int: ...
    def cross_reserve_target_amount(self, source_balance: int, source_weight: int, target_balance: int,
                                    target_weight: int, amount: int) -> int: ...

bancor_evm: _BancorEvm

class TUGame:
    players: int
    def __init__(self, players: int, values: Sequence[_Number]) -> None: ...
    def value(self, coalition: int) -> Fraction: ...
    def negated(self) -> "TUGame": ...
    def shapley_value(self) -> List[Fraction]: ...
    def excess(self, allocation: Sequence[_Number], coalition: int) -> Fraction: ...
    def kohlberg_check(self, allocation: Sequence[_Number], kind: str = "nucleolus") -> Dict[str, Any]: ...

def bankruptcy_game(estate: _Number, claims: Sequence[_Number]) -> TUGame: ...
def airport_game(costs: Sequence[_Number]) -> TUGame: ...
def glove_game(left: int, right: int) -> TUGame: ...
def weighted_voting_game(quota: _Number, weights: Sequence[_Number]) -> TUGame: ...
def majority_game(players: int) -> TUGame: ...
def assignment_game(gains: Sequence[Sequence[_Number]]) -> TUGame: ...

class BidCurve:
    def __init__(self, points: Sequence[Tuple[int, int]]) -> None: ...

def clear_bid_curves(curves: Sequence[BidCurve], margin: int) -> Dict[str, Any]: ...

def _solve_assignment(weights: np.ndarray, allowed: Optional[np.ndarray] = None,
                      maximise: bool = False) -> Dict[str, Any]: ...
def _solve_b_matching(weights: np.ndarray, seller_demand: Sequence[int], buyer_capacity: Sequence[int],
                      allowed: Optional[np.ndarray] = None, maximise: bool = False) -> Dict[str, Any]: ...
def _lab_evaluate(bid_limits: np.ndarray, bid_quantities: np.ndarray, offer_limits: np.ndarray,
                  offer_quantities: np.ndarray, mechanisms: Sequence[Tuple[str, int, int]], seed: int,
                  price_deviations: Sequence[float], quantity_deviations: Sequence[float],
                  with_regret: bool = True) -> List[Dict[str, Any]]: ...

# --- market: paper 003's quota market session and the network security check ---

class DemandStatus(Enum):
    accepted: int
    deposit_insufficient: int

class QuotaOrderStatus(Enum):
    accepted: int
    auction_not_held: int
    exceeds_quota: int
    deposit_insufficient: int

class SettlementLine:
    day: int
    slot: int
    station: int
    deposit: int
    fee: int
    penalty: int
    auction_payment: int
    unpaid: int
    withdrawn: int
    initial_quota: int
    final_quota: int
    metered: int
    over_consumption: int

class MoneyTransfer:
    sender: int
    receiver: int
    amount: int

class PeriodSettlement:
    lines: List[SettlementLine]
    transfers: List[MoneyTransfer]
    auction_surplus: int
    operator_income: int
    def escrow_balance(self) -> int: ...

class QuotaPeriodReport:
    quotas: Allocation
    demands: List[Tuple[DemandStatus, int]]
    orders: List[Tuple[QuotaOrderStatus, int]]
    clearing: CallAuctionResult
    settlement: PeriodSettlement

class QuotaMarketSession:
    rule: str
    def __init__(self, rule: str = "midpoint_per_match", k: _Number = 0.5, seed: int = 0) -> None: ...
    def enrol_station(self, name: str) -> int: ...
    def set_time(self, day: int, hour: int, minute: int) -> None: ...
    def broadcast_margin(self, day: int, slot: int, margin: int) -> None: ...
    def submit_demand(self, day: int, slot: int, station: int, demand: int, deposit: int,
                      credit: float = 1.0) -> Tuple[DemandStatus, int]: ...
    def pre_allocate(self, day: int, slot: int) -> Allocation: ...
    def submit_order(self, day: int, slot: int, station: int, side: Side, quantity: int,
                     limit: int) -> Tuple[QuotaOrderStatus, int]: ...
    def clear(self, day: int, slot: int) -> CallAuctionResult: ...
    def record_metering(self, day: int, slot: int, station: int, metered: int) -> None: ...
    def settle(self, day: int, slot: int) -> PeriodSettlement: ...
    def run_period(self, day: int, slot: int, margin: int, stations: Sequence[int], demand: np.ndarray,
                   deposit: np.ndarray, sells: np.ndarray, order_quantity: np.ndarray, order_limit: np.ndarray,
                   metered: np.ndarray) -> QuotaPeriodReport: ...
    def open_periods(self) -> int: ...

class SecurityVerdict:
    passed: bool
    ticket: int
    congested_line: Optional[int]
    def __bool__(self) -> bool: ...

class RadialFeeder:
    bus_count: int
    line_count: int
    def __init__(self, bus_count: int, lines: Sequence[Tuple[int, int, int]], transformer_limit: int) -> None: ...
    def set_base_load(self, bus: int, load: int) -> None: ...
    def place(self, participant: int, bus: int) -> None: ...
    def bus_of(self, participant: int) -> int: ...
    def post_congestion_fee(self, line: int, fee_per_kwh: int) -> None: ...
    def check_and_reserve(self, seller: int, buyer: int, flow: int) -> SecurityVerdict: ...
    def release(self, ticket: int) -> None: ...
    def release_all(self) -> None: ...
    def flow(self, line: int) -> int: ...
    def utilisation(self, line: int) -> float: ...
    def headroom(self, line: int) -> Tuple[int, int]: ...
    def transformer_flow(self) -> int: ...
    def congestion_fee(self, seller: int, buyer: int) -> int: ...
    def path(self, start: int, end: int) -> List[int]: ...
