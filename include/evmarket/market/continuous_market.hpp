#pragma once
/// @file
/// Session C: paper 000's continuous market for charging rights with a P2P fallback, over one
/// trading period (paper 000 section A's timeline, paper 003's phase windows):
///
///   submit_order     bidding (18:07-18:10): a limit order enters the continuous double auction
///                    (auction/order_book.hpp, price-time priority) and trades at once as far as it
///                    crosses, at the resting order's price; the book's trade carries the money.
///   close_window     clearing (18:10-18:15): what each order has left (open, plus what the check
///                    voided) becomes its P2P quote; the nodes are ranked by reputation, split
///                    into levels (ReputationLevels) and given ranges (MatchableRange); broadcast()
///                    then shows the sorted lists and ranges, congestion_fee() the fees.
///   run_round        peer-to-peer (18:15-18:25): one quotation round; each match goes through
///   adjust_quote     the SecurityCheck and, when it passes, is proposed for both parties to sign;
///   confirm          confirm moves the money at once. After a round every quote still open must
///                    adjust (adjust_quote for a real node, the Adjustment policy otherwise) or it
///                    leaves. Rounds repeat until one makes no new match, or the phase ends.
///   settle_fees      fee settlement (18:25-18:30): the congestion fees go to the operator.
///   settle           after delivery: the Reputation policy updates each node from its meter,
///                    and the period's records are sealed into one block.
///
/// Defaults (paper 000's reading): the radial feeder's line check (radial_feeder), three reputation
/// quantiles (quantile_levels), a node's own level and the levels above (own_level_and_above),
/// simulated nodes conceding 2 % a round for five rounds (price_concession), and paper 001's
/// conformance credit as the reputation (conformance_reputation).
///
/// Choices where paper 000 leaves a rule open (each a policy or stated here):
/// - Trades in the continuous window go through the same security check: the book is an
///   exchange that knows prices, not the feeder. A window trade the check refuses is voided (no
///   money moves) and its quantity returns to both orders' remainders, which quote in the P2P
///   phase, where the ranges and adjustments may find a secure counterparty.
/// - A P2P match trades at the midpoint of the two quotes, rounded down to a whole
///   micro-Token/kWh (paper 000 names no price rule; the midpoint shares the surplus evenly).
/// - A pair may trade when the seller's level lies in the buyer's matchable range: the buyer pays
///   at once and bears the delivery risk, so its range bounds whom it buys from.
/// - A trade pays the congestion fee of its path per kWh (SecurityCheck::congestion_fee, fixed
///   when the trade is made); the buyer, who imports over the lines, pays it at fee settlement.
/// - The check reserves each standing trade's flow (its energy as average power over the
///   delivery period) until the period's fee settlement, when the operator's dispatch takes
///   over; nothing is released before, because releasing a counter-flow could overload a line
///   that a later trade was checked against. So a round checks each match against the standing
///   trades and the round's earlier matches, then gives those reservations back; confirm checks
///   and reserves the signed trade again, and a trade the check now refuses (an earlier
///   proposal it leaned on went unsigned) is voided like any other.
/// - A proposal not confirmed before the next round (or fee settlement) lapses: its quantity
///   returns to both quotes. Confirm a round's proposals in the order run_round returns them
///   (each party's sequence numbers follow that order).
/// Calls outside their phase throw phase_error; bad input throws bad_input naming the field and
/// value and leaves the session unchanged; refused confirmations are status values.

#include <evmarket/auction/order_book.hpp>
#include <evmarket/core/error.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/trade.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/credit/creditworthiness.hpp>
#include <evmarket/detail/market_continuous_matching.hpp>
#include <evmarket/ledger/participants.hpp>
#include <evmarket/market/clock.hpp>
#include <evmarket/market/continuous_market_records.hpp>
#include <evmarket/market/ledger_sink.hpp>
#include <evmarket/market/network.hpp>
#include <evmarket/market/phase.hpp>
#include <evmarket/market/quota_market.hpp>
#include <evmarket/market/roster.hpp>

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

// --- Policies -----------------------------------------------------------------------------------

/// ReputationLevels: splits nodes ranked by reputation (descending) into levels, 0 the top.
template <class L>
concept ReputationLevels = requires(const L& levels, std::span<const double> descending) {
  { L::name } -> std::convertible_to<std::string_view>;
  { levels.assign(descending) } -> std::same_as<std::vector<std::uint32_t>>;
};

/// `count` quantile levels: the node at rank r of n is in level floor(r * count / n), and nodes
/// of equal reputation share the level of the first of them (paper 000 cites reputation levels
/// without fixing their number; three is the default).
struct quantile_levels {
  /// The policy's name, for reports.
  static constexpr std::string_view name = "reputation quantiles";
  /// Number of levels (at least 1).
  std::uint32_t count = 3;
  /// The level of each rank.
  [[nodiscard]] std::vector<std::uint32_t> assign(std::span<const double> descending) const {
    detail::require(count >= 1, "count", count, "must be at least 1");
    std::vector<std::uint32_t> level(descending.size());
    const std::size_t n = descending.size();
    for (std::size_t r = 0; r < n; ++r)
      level[r] = r > 0 && descending[r] == descending[r - 1] ? level[r - 1] : static_cast<std::uint32_t>(r * count / n);
    return level;
  }
};

/// MatchableRange: whether a node of level `own` may buy from a node of level `other`.
template <class R>
concept MatchableRange = requires(const R& range, std::uint32_t own, std::uint32_t other) {
  { R::name } -> std::convertible_to<std::string_view>;
  { range.in_range(own, other) } -> std::same_as<bool>;
};

/// A node's own level and every level above it (more reputable): paper 000's reading.
struct own_level_and_above {
  /// The policy's name, for reports.
  static constexpr std::string_view name = "own level and above";
  /// True when `other` is `own` or a more reputable level.
  [[nodiscard]] constexpr bool in_range(std::uint32_t own, std::uint32_t other) const noexcept { return other <= own; }
};

/// Every node may trade with every other (ranges switched off).
struct any_level {
  /// The policy's name, for reports.
  static constexpr std::string_view name = "any level";
  /// Always true.
  [[nodiscard]] constexpr bool in_range(std::uint32_t, std::uint32_t) const noexcept { return true; }
};

/// QuoteAdjustment: what a simulated node does with a quote left open after round `round`: new
/// terms for the next round, or nothing (it leaves).
template <class A>
concept QuoteAdjustment = requires(const A& adjust, const p2p_quote& quote, std::uint64_t round) {
  { A::name } -> std::convertible_to<std::string_view>;
  { adjust.adjust(quote, round) } -> std::same_as<std::optional<quote_terms>>;
};

/// Concedes `percent` % of its price per round towards the other side (a bid rises, an offer
/// falls), volume unchanged, for at most `max_rounds` adjustments; then it leaves.
struct price_concession {
  /// The policy's name, for reports.
  static constexpr std::string_view name = "price concession";
  /// Per-round concession in percent of the quote's price.
  std::int64_t percent = 2;
  /// Rounds after which the node stops adjusting (and leaves).
  std::uint64_t max_rounds = 5;
  /// The conceded terms, or nothing after max_rounds.
  [[nodiscard]] std::optional<quote_terms> adjust(const p2p_quote& quote, std::uint64_t round) const {
    if (round > max_rounds) return std::nullopt;
    const std::int64_t step = std::max<std::int64_t>(1, quote.limit.base() / 100 * percent);
    const std::int64_t moved = quote.quote_side == side::buy ? quote.limit.base() + step : quote.limit.base() - step;
    if (moved <= 0) return std::nullopt;
    return quote_terms{micro_tokens_per_kwh(moved), quote.open};
  }
};

/// Never adjusts: a quote left open after a round leaves (paper 000: "the transaction is ended").
struct no_adjustment {
  /// The policy's name, for reports.
  static constexpr std::string_view name = "no adjustment";
  /// Nothing: the node leaves.
  [[nodiscard]] std::optional<quote_terms> adjust(const p2p_quote&, std::uint64_t) const noexcept {
    return std::nullopt;
  }
};

/// ReputationUpdate: a node's reputation after a period in which it traded `contracted` and
/// delivered on `delivered`; require_within_bounds refuses a reputation the rule cannot hold.
template <class U>
concept ReputationUpdate = requires(const U& rule, double before, trading_period delivery, participant_id node,
                                    energy contracted, energy delivered, std::string_view field) {
  { U::name } -> std::convertible_to<std::string_view>;
  { rule.updated(before, delivery, node, contracted, delivered) } -> std::same_as<double>;
  rule.require_within_bounds(before, field);
};

/// Paper 001's conformance credit as paper 000's reputation: the period's trades are the node's
/// "reservation" at its own station and period; time and location are kept when it delivered
/// anything, and the amount when it delivered within 10 % of what it traded (eq. 1-2, AHP weights,
/// credit within [0, 10]). A node that delivered nothing broke every criterion.
class conformance_reputation {
 public:
  /// The policy's name, for reports.
  static constexpr std::string_view name = "paper 001 conformance credit";
  conformance_reputation() = default;
  /// The same update with another credit rule (weights, bounds).
  explicit conformance_reputation(reservation_credit_rule<> rule) : rule_(std::move(rule)) {}
  /// The reputation after the period.
  [[nodiscard]] double updated(double before, trading_period delivery, participant_id node, energy contracted,
                               energy delivered) const {
    const user_id user{node.value};
    const station_id station{node.value};
    const reservation booked{user, station, delivery, contracted};
    const charging_record actual = delivered.is_positive()
                                       ? charging_record{user, station, delivery, delivered}
                                       : charging_record{user, station_id{}, {-1, 0}, energy::zero()};
    return rule_.updated(before, booked, actual);
  }
  /// Throws bad_input unless `reputation` lies within the rule's bounds.
  void require_within_bounds(double reputation, std::string_view field) const {
    rule_.require_within_bounds(reputation, field);
  }

 private:
  reservation_credit_rule<> rule_;
};

static_assert(ReputationLevels<quantile_levels> && MatchableRange<own_level_and_above> && MatchableRange<any_level> &&
              QuoteAdjustment<price_concession> && QuoteAdjustment<no_adjustment> &&
              ReputationUpdate<conformance_reputation>);

/// What became of a signed P2P proposal handed to confirm.
enum class p2p_outcome : std::uint8_t {
  traded,                ///< both signatures held and the check passed: the money moved
  refused_confirmation,  ///< the two-party confirmation failed (see confirmation): nothing changed
  voided_by_check,       ///< signed, but the check refused it now: void, the quantity back on the quotes
};

/// The answer to confirm.
struct p2p_confirmation {
  /// What became of the trade.
  p2p_outcome outcome = p2p_outcome::traded;
  /// The two-party confirmation's verdict.
  confirmation_status confirmation = confirmation_status::accepted;
  /// The line the check named when it voided the trade.
  std::uint32_t congested_line = security_verdict::no_line;
};

/// The answer to run_round: the proposals to sign (in the order to confirm them) and how many
/// matches the security check voided.
struct p2p_round {
  /// The round's number (1 for the first).
  std::uint64_t round = 0;
  /// Matches that passed the check, for both parties to sign.
  std::vector<confirmed_trade> proposals;
  /// Matches the check refused.
  std::uint64_t voided = 0;
  /// Quotes that left before the round because their nodes did not adjust.
  std::uint64_t left = 0;
  /// True when the round proposed or voided nothing: the P2P phase has run its course.
  [[nodiscard]] bool quiet() const noexcept { return proposals.empty() && voided == 0; }
};

/// Paper 000's continuous market over the policies in the file comment. `V` verifies the
/// parties' signatures on P2P trades (any Verifier).
template <class V, class Security = radial_feeder, class Levels = quantile_levels, class Range = own_level_and_above,
          class Adjustment = price_concession, class Reputation = conformance_reputation, class Sink = null_ledger_sink,
          class Clock = manual_clock>
class continuous_market_session {
  static_assert(Verifier<V>,
                "continuous_market_session: V must be a Verifier (ledger/concepts.hpp) for the P2P parties' "
                "signatures, e.g. sodium::ed25519_verifier");
  static_assert(SecurityCheck<Security>,
                "continuous_market_session: Security must be a SecurityCheck (market/network.hpp): "
                "radial_feeder, transformer_limit_only or always_secure");
  static_assert(ReputationLevels<Levels>,
                "continuous_market_session: Levels must be a ReputationLevels policy: provide name and "
                "std::vector<std::uint32_t> assign(std::span<const double> descending) const, e.g. quantile_levels");
  static_assert(MatchableRange<Range>,
                "continuous_market_session: Range must be a MatchableRange policy: provide name and "
                "bool in_range(own_level, other_level) const, e.g. own_level_and_above");
  static_assert(QuoteAdjustment<Adjustment>,
                "continuous_market_session: Adjustment must be a QuoteAdjustment policy: provide name and "
                "std::optional<quote_terms> adjust(const p2p_quote&, round) const, e.g. price_concession");
  static_assert(ReputationUpdate<Reputation>,
                "continuous_market_session: Reputation must be a ReputationUpdate policy: provide name, "
                "double updated(before, delivery, node, contracted, delivered) const and "
                "require_within_bounds(reputation, field) const, e.g. conformance_reputation");
  static_assert(LedgerSink<Sink>, "continuous_market_session: Sink must be a LedgerSink (market/ledger_sink.hpp)");
  static_assert(MarketClock<Clock>, "continuous_market_session: Clock must be a MarketClock (market/clock.hpp)");

 public:
  /// A session on `security` (the feeder the trades must fit), half-hour periods by default.
  explicit continuous_market_session(Security security, session_setup setup = {}, V verifier = V(),
                                     Levels levels = Levels(), Range range = Range(),
                                     Adjustment adjustment = Adjustment(), Reputation reputation = Reputation(),
                                     Sink sink = Sink(), Clock clock = Clock())
      : security_(std::move(security)),
        setup_(std::move(setup)),
        checker_(participant_registry{}, std::move(verifier)),
        levels_(std::move(levels)),
        range_(std::move(range)),
        adjustment_(std::move(adjustment)),
        reputation_rule_(std::move(reputation)),
        sink_(std::move(sink)),
        clock_(std::move(clock)) {
    setup_.schedule.check(setup_.calendar.period_minutes());
  }

  /// Enrols a node (a charging station) with its signing key and its reputation.
  participant_id enrol_node(std::string_view name, bytes public_key, double reputation) {
    detail::require(!public_key.empty(), "public_key", "<empty>", "must not be empty");
    reputation_rule_.require_within_bounds(reputation, "reputation");
    detail::require(!roster_.contains(name), "name", name, "is already enrolled");
    const participant_id id = roster_.enrol(name);
    checker_.registry().enroll(id, std::move(public_key));
    reputation_.emplace(id, reputation);
    return id;
  }

  // --- The continuous window ------------------------------------------------------------------
  /// Enters a limit order for charging rights of `delivery`; it trades at once as far as it
  /// crosses (each trade checked, see the file comment). Returns the order's id.
  order_id submit_order(trading_period delivery, participant_id node, side order_side, price limit, energy quantity) {
    period_book& book = book_of(delivery);
    book.timeline.require(session_phase::bidding, "submit_order", clock_.now());
    require_node(node, "node");
    detail::require(order_side == side::buy || order_side == side::sell, "order_side", static_cast<int>(order_side),
                    "must be buy or sell");
    detail::require(limit.is_positive(), "limit", limit.base(), "must be positive (micro-Token/kWh)");
    detail::require(quantity.is_positive(), "quantity", quantity.base(), "must be positive (Wh)");
    static_cast<void>(security_.congestion_fee(node, node));  // a node the network cannot place is refused here
    const order_request request = limit_order(order_id{next_order_ + 1}, node, order_side, limit, quantity);
    const std::size_t seen = book.window.listener().trades.size();
    const order_result result = book.window.add(request);
    if (!result.accepted())
      throw bad_input("quantity", detail::describe(quantity.base()),
                      "is refused by the order book (" + std::string(to_string(result.reason)) + ")");
    ++next_order_;
    book.orders.push_back(request);
    log(book, window_order{delivery, request});
    const std::vector<trade>& trades = book.window.listener().trades;
    for (std::size_t k = seen; k < trades.size(); ++k) settle_window_trade(book, trades[k]);
    return request.id;
  }

  /// Closes the window: every order's remainder becomes its P2P quote, the nodes are ranked and
  /// levelled, and the broadcast is ready. Once per period.
  const p2p_broadcast& close_window(trading_period delivery) {
    period_book& book = book_of(delivery);
    book.timeline.require(session_phase::clearing, "close_window", clock_.now());
    if (book.closed)
      throw bad_input(std::string("delivery"), detail::describe(to_text(delivery)),
                      "is already closed (a replay is refused)");
    rank_nodes(book);
    for (const order_request& o : book.orders) {
      const std::optional<resting_order> resting = book.window.find(o.id);
      const auto voided = book.voided.find(o.id);
      energy open = resting ? resting->open : energy::zero();
      if (voided != book.voided.end()) open += voided->second;
      if (!open.is_positive()) continue;
      (o.order_side == side::buy ? book.shown.bids : book.shown.offers)
          .push_back({o.id, o.owner, o.order_side, o.limit_price, open, o.id.value});
    }
    detail::sort_for_matching(book.shown.bids, book.shown.offers);
    book.closed = true;
    return book.shown;
  }

  // --- The P2P phase --------------------------------------------------------------------------
  /// New terms for an open quote before the next round (a real node's answer to the platform's
  /// prompt): price positive, volume positive and at most what it has open.
  void adjust_quote(trading_period delivery, order_id quote, price limit, energy volume) {
    period_book& book = p2p_book(delivery, "adjust_quote");
    p2p_quote& q = open_quote(book, quote);
    detail::require(limit.is_positive(), "limit", limit.base(), "must be positive (micro-Token/kWh)");
    detail::require(volume.is_positive() && volume <= q.open, "volume", volume.base(),
                    "must be positive and at most the quote's open " + std::to_string(q.open.base()) + " Wh");
    q.limit = limit;
    q.open = volume;
    q.time = ++next_order_;
    book.adjusted.push_back(quote);
    log(book, quote_adjustment{delivery, quote, book.round, limit, volume});
  }

  /// One quotation round: proposals of the last round lapse, quotes left open adjust or leave,
  /// then bids meet offers in their ranges; each match passing the check is proposed.
  const p2p_round& run_round(trading_period delivery) {
    period_book& book = p2p_book(delivery, "run_round");
    lapse_pending(book);
    book.last = p2p_round{++book.round, {}, 0, 0};
    std::vector<std::uint64_t> held;  // the round's reservations, given back after the matching
    if (book.round > 1) book.last.left = adjust_or_leave(book);
    detail::sort_for_matching(book.shown.bids, book.shown.offers);
    std::unordered_map<participant_id, std::uint64_t> sequence;  // the next number each party signs
    const auto next_sequence = [&](participant_id node) {
      auto [at, fresh] = sequence.try_emplace(node, checker_.last_sequence(node));
      return ++at->second;
    };
    const auto in_range = [&](const p2p_quote& bid, const p2p_quote& offer) {
      return bid.node != offer.node && range_.in_range(book.level.at(bid.node), book.level.at(offer.node));
    };
    const auto attempt = [&](const p2p_quote& bid, const p2p_quote& offer, energy quantity) {
      const price mid = micro_tokens_per_kwh(
          static_cast<std::int64_t>((static_cast<detail::int128>(bid.limit.base()) + offer.limit.base()) >> 1));
      const trade deal = priced_trade(bid.id, offer.id, bid.node, offer.node, quantity, mid, mid);
      const security_verdict verdict = security_.check_and_reserve(offer.node, bid.node, flow_of(book, quantity));
      if (!verdict) {
        ++book.last.voided;
        ++book.report.p2p_voided;
        log(book, voided_trade{delivery, 1, deal, verdict.congested_line});
        return false;
      }
      held.push_back(verdict.ticket);
      book.pending.push_back({deal, false});
      book.last.proposals.push_back({deal, delivery, next_sequence(bid.node), next_sequence(offer.node), {}, {}});
      return true;
    };
    detail::match_round(std::span<p2p_quote>(book.shown.bids), std::span<p2p_quote>(book.shown.offers), in_range,
                        attempt);
    for (std::size_t k = held.size(); k-- > 0;) security_.release(held[k]);
    ++book.report.rounds;
    return book.last;
  }

  /// Records a proposal of the current round that both parties signed: the check reserves it
  /// and the money moves at once. A proposal not of this round is bad_input; a bad signature or
  /// a replay is a status, and so is a trade the check refuses now (see the file comment).
  p2p_confirmation confirm(const confirmed_trade& signed_trade) {
    period_book& book = p2p_book(signed_trade.period, "confirm");
    const auto found =
        std::find_if(book.last.proposals.begin(), book.last.proposals.end(), [&](const confirmed_trade& p) {
          return p.deal == signed_trade.deal && p.buyer_sequence == signed_trade.buyer_sequence &&
                 p.seller_sequence == signed_trade.seller_sequence;
        });
    if (found == book.last.proposals.end())
      throw bad_input("deal",
                      "orders " + std::to_string(signed_trade.deal.buy_order.value) + "/" +
                          std::to_string(signed_trade.deal.sell_order.value),
                      "is not a proposal of the current round");
    pending_trade& p = book.pending[static_cast<std::size_t>(found - book.last.proposals.begin())];
    const confirmation_status status = checker_.check(signed_trade);
    if (status != confirmation_status::accepted)  // a replay fails here: its sequence is spent
      return {p2p_outcome::refused_confirmation, status, security_verdict::no_line};
    const money fee = fee_of(p.deal);  // may throw: before anything changes
    const security_verdict verdict =
        security_.check_and_reserve(p.deal.seller, p.deal.buyer, flow_of(book, p.deal.quantity));
    static_cast<void>(checker_.accept(signed_trade));  // signed either way: the sequence numbers are spent
    p.settled = true;
    if (!verdict) {
      restore_quotes(book, p.deal);
      ++book.report.p2p_voided;
      log(book, voided_trade{book.delivery, 1, p.deal, verdict.congested_line});
      return {p2p_outcome::voided_by_check, status, verdict.congested_line};
    }
    book.tickets.push_back(verdict.ticket);
    book.report.p2p_volume += p.deal.quantity;
    ++book.report.p2p_trades;
    book_trade(book, p.deal, fee);
    log(book, signed_trade);
    return {p2p_outcome::traded, status, security_verdict::no_line};
  }

  // --- Fees and the end of the period -----------------------------------------------------------
  /// Fee settlement: each buyer's congestion fees move to the operator; the period's reserved
  /// flows are released. Once per period.
  money settle_fees(trading_period delivery) {
    period_book& book = book_of(delivery);
    book.timeline.require(session_phase::fee_settlement, "settle_fees", clock_.now());
    if (book.fees_settled)
      throw bad_input(std::string("delivery"), detail::describe(to_text(delivery)),
                      "has already settled its fees (a replay is refused)");
    collect_fees(book);
    return book.report.fees;
  }

  /// After delivery: each node that traded in the period reports what it delivered on; the
  /// Reputation policy updates it, fees not yet settled are settled, and the period's records
  /// are sealed into one block. Every traded node needs exactly one reading. Returns the report.
  continuous_period_report settle(trading_period delivery, std::span<const delivery_reading> readings) {
    period_book& book = book_of(delivery);
    const market_time now = clock_.now();
    book.timeline.require(session_phase::settlement, "settle", now);
    std::vector<reputation_update> updates = assess(book, readings);
    if (!book.fees_settled) collect_fees(book);
    for (const reputation_update& u : updates) {
      reputation_[u.node] = u.after;
      log(book, u);
    }
    if constexpr (Sink::keeps_records) {
      for (bytes& record : book.records) sink_.put(std::move(record));
      sink_.seal(now.seconds);
    }
    const continuous_period_report report = book.report;
    last_settled_ = setup_.calendar.index(delivery);
    books_.erase(*last_settled_);
    return report;
  }

  // --- What the participants and the operator see ----------------------------------------------
  /// The P2P broadcast of an open period (empty lists before close_window).
  [[nodiscard]] const p2p_broadcast& broadcast(trading_period delivery) const { return open_book(delivery).shown; }
  /// The figures of an open period so far.
  [[nodiscard]] const continuous_period_report& report(trading_period delivery) const {
    return open_book(delivery).report;
  }
  /// The trades of an open period that stand (window trades the check passed, confirmed P2P
  /// trades), in the order they were made.
  [[nodiscard]] const std::vector<trade>& trades(trading_period delivery) const { return open_book(delivery).accepted; }
  /// The congestion fee per kWh a trade from `seller` to `buyer` pays (the operator's posted fees).
  [[nodiscard]] price congestion_fee(participant_id seller, participant_id buyer) const {
    return security_.congestion_fee(seller, buyer);
  }
  /// A node's reputation.
  [[nodiscard]] double reputation(participant_id node) const { return reputation_.at(require_node(node, "node")); }
  /// Each node's net money from trades and fees (negative: paid), and the operator's fees.
  [[nodiscard]] const std::map<participant_id, money>& balances() const noexcept { return balances_; }
  /// The congestion fees the operator has collected.
  [[nodiscard]] money operator_balance() const noexcept { return operator_balance_; }
  /// The network the trades are checked on (the operator places nodes and posts fees on it).
  ///@{
  [[nodiscard]] Security& network() noexcept { return security_; }
  [[nodiscard]] const Security& network() const noexcept { return security_; }
  ///@}
  /// Ids, keys, the sink and the clock.
  ///@{
  [[nodiscard]] const participant_roster& roster() const noexcept { return roster_; }
  [[nodiscard]] const participant_registry& registry() const noexcept { return checker_.registry(); }
  [[nodiscard]] const Sink& sink() const noexcept { return sink_; }
  [[nodiscard]] Clock& clock() noexcept { return clock_; }
  ///@}
  /// The calendar and phase windows.
  [[nodiscard]] const session_setup& setup() const noexcept { return setup_; }

 private:
  struct pending_trade {
    trade deal;
    bool settled = false;  // confirmed, or voided at confirmation
  };
  struct period_book {
    period_book(trading_period d, const period_timeline& t) : delivery(d), timeline(t) {}
    trading_period delivery;
    period_timeline timeline;
    order_book<trade_log_listener> window;
    std::vector<order_request> orders;
    std::unordered_map<order_id, energy> voided;  // window quantity the check refused, by order
    bool closed = false;
    p2p_broadcast shown;
    std::unordered_map<participant_id, std::uint32_t> level;
    std::uint64_t round = 0;
    p2p_round last;
    std::vector<pending_trade> pending;  // this round's proposals (earlier rounds' are gone)
    std::vector<order_id> adjusted;      // quotes adjusted by a call since the last round
    std::vector<std::uint64_t> tickets;  // reserved flows of the period's trades
    std::vector<trade> accepted;
    std::map<participant_id, energy> contracted;
    std::map<participant_id, money> fees_due;
    bool fees_settled = false;
    continuous_period_report report;
    std::vector<bytes> records;
  };

  static std::string to_text(const trading_period& p) {
    return "day " + std::to_string(p.day) + " period " + std::to_string(p.slot);
  }
  participant_id require_node(participant_id node, std::string_view field) const {
    detail::require(reputation_.contains(node), field, node.value, "is not an enrolled node");
    return node;
  }
  [[nodiscard]] power flow_of(const period_book& book, energy quantity) const {
    return average_power(quantity, book.timeline.minutes(), rounding::up);
  }
  period_book& book_of(trading_period delivery) {
    const std::int64_t index = setup_.calendar.index(delivery);
    if (last_settled_ && !(index > *last_settled_))
      throw bad_input(std::string("delivery"), detail::describe(to_text(delivery)),
                      "is already settled (a period settles once, in order)");
    auto found = books_.find(index);
    if (found == books_.end()) {
      const period_timeline timeline(setup_.calendar, setup_.schedule, delivery);
      found = books_.try_emplace(index, delivery, timeline).first;
      found->second.report.delivery = delivery;
    }
    return found->second;
  }
  [[nodiscard]] const period_book& open_book(trading_period delivery) const {
    const auto found = books_.find(setup_.calendar.index(delivery));
    if (found == books_.end())
      throw bad_input(std::string("delivery"), detail::describe(to_text(delivery)), "is not an open period");
    return found->second;
  }
  period_book& p2p_book(trading_period delivery, std::string_view call) {
    period_book& book = book_of(delivery);
    book.timeline.require(session_phase::peer_to_peer, call, clock_.now());
    if (!book.closed)
      throw bad_input(std::string("delivery"), detail::describe(to_text(delivery)),
                      "has not closed its continuous window (close_window)");
    return book;
  }
  p2p_quote& open_quote(period_book& book, order_id id) {
    for (std::vector<p2p_quote>* list : {&book.shown.bids, &book.shown.offers})
      for (p2p_quote& q : *list)
        if (q.id == id && q.open.is_positive()) return q;
    throw bad_input(std::string("quote"), detail::describe(id.value), "is not an open P2P quote");
  }

  // Money of one trade moves at once; its fee is fixed now and paid at fee settlement.
  [[nodiscard]] money fee_of(const trade& deal) const {
    return trade_amount(security_.congestion_fee(deal.seller, deal.buyer), deal.quantity);
  }
  void book_trade(period_book& book, const trade& deal, money fee) {
    book.accepted.push_back(deal);
    balances_[deal.buyer] -= deal.buyer_paid;
    balances_[deal.seller] += deal.seller_received;
    book.contracted[deal.buyer] += deal.quantity;
    book.contracted[deal.seller] += deal.quantity;
    if (fee.is_positive()) book.fees_due[deal.buyer] += fee;
  }
  void settle_window_trade(period_book& book, const trade& deal) {
    const money fee = fee_of(deal);
    const security_verdict verdict = security_.check_and_reserve(deal.seller, deal.buyer, flow_of(book, deal.quantity));
    if (!verdict) {
      book.voided[deal.buy_order] += deal.quantity;
      book.voided[deal.sell_order] += deal.quantity;
      ++book.report.window_voided;
      log(book, voided_trade{book.delivery, 0, deal, verdict.congested_line});
      return;
    }
    book.tickets.push_back(verdict.ticket);
    book.report.window_volume += deal.quantity;
    ++book.report.window_trades;
    book_trade(book, deal, fee);
    log(book, period_trade{book.delivery, deal});
  }
  void rank_nodes(period_book& book) {
    std::vector<std::pair<double, participant_id>> order;
    order.reserve(reputation_.size());
    for (const auto& [node, value] : reputation_) order.emplace_back(value, node);
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<double> descending;
    descending.reserve(order.size());
    for (const auto& entry : order) descending.push_back(entry.first);
    const std::vector<std::uint32_t> levels = levels_.assign(descending);
    detail::require(levels.size() == order.size(), "levels", levels.size(), "must give one level per node");
    const std::uint32_t top = levels.empty() ? 0 : *std::max_element(levels.begin(), levels.end());
    book.shown.ranking.reserve(order.size());
    for (std::size_t r = 0; r < order.size(); ++r) {
      ranked_node ranked{order[r].second, order[r].first, levels[r], {}};
      for (std::uint32_t l = 0; l <= top; ++l)
        if (range_.in_range(levels[r], l)) ranked.range.push_back(l);
      book.level.emplace(ranked.node, ranked.level);
      log(book, level_assignment{book.delivery, ranked.node, ranked.reputation, ranked.level});
      book.shown.ranking.push_back(std::move(ranked));
    }
  }
  // Proposals nobody confirmed lapse: their quantities go back on both quotes.
  void lapse_pending(period_book& book) {
    for (const pending_trade& p : book.pending)
      if (!p.settled) restore_quotes(book, p.deal);
    book.pending.clear();
  }
  static void restore_quotes(period_book& book, const trade& deal) {
    for (std::vector<p2p_quote>* list : {&book.shown.bids, &book.shown.offers})
      for (p2p_quote& q : *list)
        if (q.id == deal.buy_order || q.id == deal.sell_order) q.open += deal.quantity;
  }
  // Every quote still open adjusts (by a call since the last round, or the policy) or leaves.
  std::uint64_t adjust_or_leave(period_book& book) {
    std::sort(book.adjusted.begin(), book.adjusted.end());
    std::uint64_t left = 0;
    for (std::vector<p2p_quote>* list : {&book.shown.bids, &book.shown.offers})
      for (p2p_quote& q : *list) {
        if (!q.open.is_positive() || std::binary_search(book.adjusted.begin(), book.adjusted.end(), q.id)) continue;
        const std::optional<quote_terms> terms = adjustment_.adjust(q, book.round - 1);
        const bool stays =
            terms && terms->limit.is_positive() && terms->volume.is_positive() && terms->volume <= q.open;
        if (stays) {
          q.limit = terms->limit;
          q.open = terms->volume;
          q.time = ++next_order_;
        } else {
          q.open = energy::zero();
          ++left;
        }
        log(book, quote_adjustment{book.delivery, q.id, book.round, q.limit, q.open});
      }
    book.adjusted.clear();
    return left;
  }
  void collect_fees(period_book& book) {
    lapse_pending(book);
    for (const auto& [payer, fee] : book.fees_due) {
      balances_[payer] -= fee;
      operator_balance_ += fee;
      book.report.fees += fee;
      log(book, fee_charge{book.delivery, payer, fee});
    }
    for (const std::uint64_t ticket : book.tickets) security_.release(ticket);
    book.tickets.clear();
    book.fees_settled = true;
  }
  // Checks the readings and computes every update before anything changes.
  std::vector<reputation_update> assess(const period_book& book, std::span<const delivery_reading> readings) const {
    std::map<participant_id, energy> delivered;
    for (std::size_t k = 0; k < readings.size(); ++k) {
      const delivery_reading& r = readings[k];
      require_node(r.node, detail::element_field("readings", k, "node"));
      detail::require(!r.delivered.is_negative(), detail::element_field("readings", k, "delivered"), r.delivered.base(),
                      "must not be negative (Wh)");
      detail::require(book.contracted.contains(r.node), detail::element_field("readings", k, "node"), r.node.value,
                      "did not trade in the period");
      detail::require(delivered.emplace(r.node, r.delivered).second, detail::element_field("readings", k, "node"),
                      r.node.value, "has a reading already");
    }
    std::vector<reputation_update> updates;
    for (const auto& [node, contracted] : book.contracted) {
      const auto found = delivered.find(node);
      detail::require(found != delivered.end(), "readings", "node " + std::to_string(node.value),
                      "is missing: the node traded in the period");
      const double before = reputation_.at(node);
      updates.push_back({book.delivery, node, contracted, found->second, before,
                         reputation_rule_.updated(before, book.delivery, node, contracted, found->second)});
    }
    return updates;
  }
  template <class R>
  void log(period_book& book, const R& record) {
    if constexpr (Sink::keeps_records) book.records.push_back(encode_record(record));
  }

  Security security_;
  session_setup setup_;
  confirmation_checker<V> checker_;
  [[no_unique_address]] Levels levels_;
  [[no_unique_address]] Range range_;
  [[no_unique_address]] Adjustment adjustment_;
  Reputation reputation_rule_;
  [[no_unique_address]] Sink sink_;
  [[no_unique_address]] Clock clock_;
  participant_roster roster_;
  std::map<participant_id, double> reputation_;
  std::uint64_t next_order_ = 0;  // order ids and quotation times
  std::map<std::int64_t, period_book> books_;
  std::optional<std::int64_t> last_settled_;
  std::map<participant_id, money> balances_;
  money operator_balance_;
};

EVMARKET_END_NAMESPACE
