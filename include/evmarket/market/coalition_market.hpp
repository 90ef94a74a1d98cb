#pragma once
/// @file
/// Session D: paper 004's hourly peer-to-peer coalition market with an SMES unit, composed from
/// policies. Every trading interval (an hour by default) is one round of public calls:
///
///   open_round   minutes [0, 40)   opens the round of the interval the clock is in
///   submit_buy   minutes [0, 40)   a charging EV's quote (demand, limit price, L^a)
///   submit_sell  minutes [0, 40)   a discharging EV's or rooftop PV's quote (offer, reserve, L)
///   clear        minutes [40, 50)  Benefit -> Q, Matching (eq. 5-8), SecurityCheck per pair,
///                                  refused pairs to the Storage unit first, NucleolusSolver
///                                  (eq. 9-11) -> each pair's price, trades with exact money
///   settle       minutes [50, 60)  releases the flows, writes the balances, seals the block
///
/// The rules the paper leaves open, as this header reads them:
/// - Q (Benefit policy, default paper004_benefit): eq. (1)-(4) of matching/benefit.hpp at the
///   market's p_v2v and C_ep, plus the buyer's avoided purchase q_ij x limit_i (its alternative:
///   buying at its limit price elsewhere). The paper's "relative income" leaves its baseline
///   open; this one makes Q[i, j] the pair's net benefit over not trading. q_ij is the even split
///   min(demand_i / L^a_i, offer_j / L_j) of benefit.hpp. A pair with limit_i <= reserve_j is
///   forbidden: no price leaves both sides no worse off.
/// - Matching (default max_benefit_matching, eq. 5-8): eq. (7) matches seller j in exactly L_j
///   pairs; "not trading" rows of weight 0 (one per unit of the largest L, each taking every
///   seller once) keep that feasible, so a slot no buyer is worth filling stays empty.
/// - Energy: the matched pairs in order of Q (highest first) trade min(demand left, offer left).
/// - SecurityCheck (default radial_feeder, market/network.hpp): each pair's average power over
///   the interval, rounded up, is checked and reserved on the seller -> buyer path; a refused pair
///   does not trade. Flows are released when the round settles.
/// - Storage (default smes, market/smes.hpp): offered the refused pairs first. It sells to the
///   refused pairs' buyers (up to each pair's energy), then to any buyer with demand left, at its
///   sell price when that is within the buyer's limit; then it buys from the refused pairs'
///   sellers, then from any seller with offer left, at its buy price when that meets the seller's
///   reserve. Every storage trade passes the SecurityCheck on its own path.
/// - NucleolusSolver (default exact_assignment_nucleolus: coalition/assignment_nucleolus.hpp, no
///   LP solver; the LP path is lp_assignment_nucleolus<Backend> in market/coalition_lp_nucleolus.hpp,
///   from evmarket::lp or evmarket::clp, and gives the same allocations): the matched coalition is the assignment game whose buyers and sellers are the
///   secure pairs' two sides; unit a (buyer of pair a) and unit b (seller of pair b) gain
///   g(a, b) = trade_amount(limit_a, q) - trade_amount(reserve_b, q), q = min(q_a, q_b), in
///   micro-Token (zero when not positive). Its nucleolus x pays the buyer of pair p x_p.
/// - Price per kWh of pair p (buyer i, seller j, energy q_p in Wh, x_p in micro-Token):
///       price_p = clamp(round_half_up(limit_i - 1000 x_p / q_p), reserve_j, limit_i)
///   in micro-Token/kWh, and both sides move trade_amount(price_p, q_p). When the session's pairs
///   are the game's optimal assignment, x_p is the buyer's share of the pair's gain; the clamp
///   keeps both sides no worse off than not trading (buyer pays at most its limit, seller gets at
///   least its reserve) when they are not.
///
/// Rates (exact sums over the rounds settled, as ratios of integers):
/// - transaction success rate = (energy of the matched pairs that passed the security check +
///   energy the storage unit delivered to refused pairs' buyers in their stead) / energy of all
///   matched pairs (passed or refused).
/// - renewable consumption rate = (energy renewable sellers sold to buyers + energy they sold to
///   the storage unit) / energy renewable sellers offered.
///
/// Every call checks its phase against the Clock (phase_error otherwise), validates everything
/// before it changes anything (bad_input names the field and value; the session is unchanged),
/// and writes its records (market/coalition_records.hpp) to the LedgerSink; settle() seals the
/// round's block. Money moves once, in the trades; balances are their sums. A round opened and
/// never cleared is dropped when the next one opens (its quote records go into the next block).

#include <evmarket/coalition/assignment_nucleolus.hpp>
#include <evmarket/coalition/game.hpp>
#include <evmarket/core/error.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/trade.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/market/clock.hpp>
#include <evmarket/market/coalition_records.hpp>
#include <evmarket/market/ledger_sink.hpp>
#include <evmarket/market/network.hpp>
#include <evmarket/market/phase.hpp>
#include <evmarket/market/roster.hpp>
#include <evmarket/market/smes.hpp>
#include <evmarket/matching/b_matching.hpp>
#include <evmarket/matching/benefit.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// A charging EV's quote for one round (a buyer, eq. 2).
struct buyer_quote {
  /// Energy wanted this interval, positive.
  energy demand;
  /// The most it pays per kWh (its alternative: the grid's price).
  price limit;
  /// L^a of eq. (8): the most sellers it trades with, at least 1.
  std::uint16_t max_pairs = 1;
  /// lambda_i of eq. (2), kWh/km.
  double lambda_kwh_per_km = 0.0;
  /// D_ip of eq. (2): its distance to the trading point, km.
  double distance_km = 0.0;
};

/// What a seller is: a discharging EV (eq. 3) or rooftop PV (eq. 4, renewable).
enum class seller_kind : std::uint8_t { ev, pv };

/// A seller's quote for one round.
struct seller_quote {
  /// A discharging EV or rooftop PV.
  seller_kind kind = seller_kind::pv;
  /// Energy offered this interval, positive.
  energy offer;
  /// The least it accepts per kWh.
  price reserve;
  /// L of eq. (7): the number of buyers it is matched with, at least 1.
  std::uint16_t pairs = 1;
  /// Eq. (3) terms of an EV: own charging price (Token/kWh), transfer efficiency in (0, 1],
  /// consumption (kWh/km), distance to the trading point (km), battery depreciation (Token).
  ///@{
  double p_0 = 0.0;
  double eta = 1.0;
  double lambda_kwh_per_km = 0.0;
  double distance_km = 0.0;
  double depreciation = 0.0;
  ///@}
  /// Eq. (4) term of PV: maintenance cost coefficient, Token/kWh.
  double k_pv = 0.0;
};

/// The row-major matrix of pair weights Q (buyers x sellers).
using coalition_weights = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Benefit: builds Q (buyers x sellers) from a round's quotes; the session forbids the pairs
/// whose prices cannot meet, so Q need only rank the others. Non-finite entries are refused.
template <class B>
concept CoalitionBenefit = requires(const B& benefit, std::span<const buyer_quote> buyers,
                                    std::span<const seller_quote> sellers, std::int64_t minutes) {
  { B::name } -> std::convertible_to<std::string_view>;
  { benefit.weights(buyers, sellers, minutes) } -> std::same_as<coalition_weights>;
};

/// NucleolusSolver: the exact allocation (buyers, then sellers) of an assignment game's nucleolus.
template <class N>
concept NucleolusSolver = requires(const N& solver, const assignment_game<double>& game) {
  { N::name } -> std::convertible_to<std::string_view>;
  { solver.solve(game) } -> std::same_as<std::vector<exact_rational>>;
};

/// Paper 004's Q: eq. (1)-(4) plus the buyer's avoided purchase (see the file comment).
struct paper004_benefit {
  /// The policy's name, for reports.
  static constexpr std::string_view name = "paper 004 eq. (1)-(4) over the buyer's avoided purchase";
  /// p_v2v of eq. (2)-(3): the V2V price, Token/kWh.
  double p_v2v = 0.7;
  /// C_ep of eq. (1), (2), (4): the price of PV and SMES energy, Token/kWh.
  double C_ep = 0.5;

  /// Q[i, j] = R_i + R_j + q_ij limit_i, in Token.
  [[nodiscard]] coalition_weights weights(std::span<const buyer_quote> buyers, std::span<const seller_quote> sellers,
                                          std::int64_t minutes) const {
    const double hours = static_cast<double>(minutes) / 60.0;
    std::vector<charging_ev> evs;
    std::vector<prosumer_seller> offers;
    std::vector<int> l_a, l;
    const auto kwh = [](energy e) { return static_cast<double>(e.base()) / 1000.0; };
    for (const buyer_quote& b : buyers) {
      evs.push_back({b.lambda_kwh_per_km, kwh(b.demand)});
      l_a.push_back(b.max_pairs);
    }
    for (const seller_quote& s : sellers) {
      if (s.kind == seller_kind::ev)
        offers.emplace_back(discharging_ev{s.p_0, s.eta, s.lambda_kwh_per_km, s.depreciation, kwh(s.offer)});
      else
        offers.emplace_back(rooftop_pv{s.k_pv, kwh(s.offer) / hours});
      l.push_back(s.pairs);
    }
    const auto m = static_cast<Eigen::Index>(buyers.size()), n = static_cast<Eigen::Index>(sellers.size());
    Eigen::MatrixXd d_ip(m, n), d_jp(m, n);
    for (Eigen::Index i = 0; i < m; ++i)
      for (Eigen::Index j = 0; j < n; ++j) {
        d_ip(i, j) = buyers[static_cast<std::size_t>(i)].distance_km;
        d_jp(i, j) = sellers[static_cast<std::size_t>(j)].distance_km;
      }
    const Eigen::MatrixXd traded = even_split_trades(evs, offers, hours, l, l_a);
    coalition_weights q = prosumer_weights({p_v2v, C_ep, hours}, evs, offers, d_ip, d_jp, traded);
    for (Eigen::Index i = 0; i < m; ++i)
      q.row(i) += traded.row(i) * (static_cast<double>(buyers[static_cast<std::size_t>(i)].limit.base()) / 1e6);
    return q;
  }
};

/// The default NucleolusSolver: the exact combinatorial assignment-game nucleolus (no LP).
struct exact_assignment_nucleolus {
  /// The policy's name, for reports.
  static constexpr std::string_view name = "exact assignment-game nucleolus (no LP)";
  /// Prove each result with Kohlberg's criterion (solver_failure when it fails).
  bool certify = false;

  /// The nucleolus allocation of `game`.
  [[nodiscard]] std::vector<exact_rational> solve(const assignment_game<double>& game) const {
    assignment_nucleolus_result result = assignment_nucleolus(game, {.certify = certify});
    if (certify && !result.certified())
      throw solver_failure("exact_assignment_nucleolus: Kohlberg's criterion refused the result: " +
                           result.certificate.reason);
    return std::move(result.exact_allocation);
  }
};

static_assert(CoalitionBenefit<paper004_benefit> && NucleolusSolver<exact_assignment_nucleolus>);

/// The round's clock: interval length and the windows of its phases, minutes from its start.
struct coalition_setup {
  /// Length of a trading interval (a round), minutes; the paper quotes every hour.
  std::int32_t interval_minutes = 60;
  /// Quotes are open in minutes [0, quotes_close) of the interval.
  std::int32_t quotes_close = 40;
  /// Clearing is open in [quotes_close, clearing_close), settlement from clearing_close on.
  std::int32_t clearing_close = 50;
};

/// A pair the matching proposed, with the energy it was to trade and the check's verdict.
struct coalition_pair {
  /// Index into the round's buyer quotes.
  std::size_t buyer = 0;
  /// Index into the round's seller quotes.
  std::size_t seller = 0;
  /// Energy the pair was to trade (Wh).
  energy quantity;
  /// Q of the pair.
  double weight = 0.0;
  /// True when the security check passed it (and it traded peer to peer).
  bool secure = false;
  /// The line that refused it (security_verdict::no_line when none is named).
  std::uint32_t congested_line = security_verdict::no_line;
  /// Energy the storage unit sold to the buyer in the refused pair's stead.
  energy rescued;
};

/// Energy sums a round (or a day) reports; the rates are their exact ratios.
struct coalition_energy {
  /// Energy of every matched pair (passed or refused by the security check).
  energy proposed;
  /// Energy of the matched pairs that passed the security check.
  energy secure;
  /// Energy the storage delivered to refused pairs' buyers in their stead.
  energy rescued;
  /// Energy renewable sellers offered.
  energy renewable_offered;
  /// Energy renewable sellers sold, to buyers or to the storage.
  energy renewable_sold;
  /// Energy the storage took in.
  energy storage_in;
  /// Energy the storage gave out.
  energy storage_out;

  /// (secure + rescued) / proposed; 0 when nothing was proposed.
  [[nodiscard]] double transaction_success_rate() const noexcept {
    return proposed.is_zero() ? 0.0
                              : static_cast<double>((secure + rescued).base()) / static_cast<double>(proposed.base());
  }
  /// renewable_sold / renewable_offered; 0 when nothing was offered.
  [[nodiscard]] double renewable_consumption_rate() const noexcept {
    return renewable_offered.is_zero()
               ? 0.0
               : static_cast<double>(renewable_sold.base()) / static_cast<double>(renewable_offered.base());
  }
  /// Adds another round's sums.
  coalition_energy& operator+=(const coalition_energy& other) {
    proposed += other.proposed;
    secure += other.secure;
    rescued += other.rescued;
    renewable_offered += other.renewable_offered;
    renewable_sold += other.renewable_sold;
    storage_in += other.storage_in;
    storage_out += other.storage_out;
    return *this;
  }
};

/// Trade routes, as coalition_trade::route records them.
namespace coalition_route {
/// Peer to peer, at the pair's nucleolus price.
inline constexpr std::uint16_t peer = 0;
/// The storage unit sells to a buyer.
inline constexpr std::uint16_t storage_sells = 1;
/// The storage unit buys from a seller.
inline constexpr std::uint16_t storage_buys = 2;
}  // namespace coalition_route

/// Everything a round's clearing decided.
struct coalition_round {
  /// The interval index (market time / interval length).
  std::uint64_t round = 0;
  /// The buyers' ids, in submission order.
  std::vector<participant_id> buyer_ids;
  /// The sellers' ids, in submission order.
  std::vector<participant_id> seller_ids;
  /// The buyers' quotes (as buyer_ids).
  std::vector<buyer_quote> buyers;
  /// The sellers' quotes (as seller_ids).
  std::vector<seller_quote> sellers;
  /// The matching's pairs in the order they were checked (Q, highest first).
  std::vector<coalition_pair> pairs;
  /// The nucleolus allocation of the matched coalition (buyer units, then seller units).
  std::vector<exact_rational> payoffs;
  /// Every trade, with the route it took (coalition_route).
  std::vector<coalition_trade> trades;
  /// The round's energy sums.
  coalition_energy energy_sums;
  /// Each account's net money (received - paid) over the round, by id; they sum to zero.
  std::map<participant_id, money> balances;
  /// The storage's state of charge after the round.
  energy state_of_charge;
  /// The storage's energy stored after the round's efficiency loss.
  energy storage_stored;
};

namespace detail {

inline void validate_buyer_quote(const buyer_quote& q) {
  require(q.demand.is_positive(), "demand", q.demand.base(), "must be positive (Wh)");
  require(!q.limit.is_negative(), "limit", q.limit.base(), "must not be negative (micro-Token/kWh)");
  require(q.max_pairs >= 1, "max_pairs", q.max_pairs, "must be at least 1 (L^a)");
  require_nonnegative(q.lambda_kwh_per_km, "lambda_kwh_per_km");
  require_nonnegative(q.distance_km, "distance_km");
}

inline void validate_seller_quote(const seller_quote& q) {
  require(q.kind == seller_kind::ev || q.kind == seller_kind::pv, "kind", static_cast<int>(q.kind),
          "must be seller_kind::ev or seller_kind::pv");
  require(q.offer.is_positive(), "offer", q.offer.base(), "must be positive (Wh)");
  require(!q.reserve.is_negative(), "reserve", q.reserve.base(), "must not be negative (micro-Token/kWh)");
  require(q.pairs >= 1, "pairs", q.pairs, "must be at least 1 (L)");
  require_nonnegative(q.p_0, "p_0");
  require(std::isfinite(q.eta) && q.eta > 0 && q.eta <= 1, "eta", q.eta, "must be an efficiency in (0, 1]");
  require_nonnegative(q.lambda_kwh_per_km, "lambda_kwh_per_km");
  require_nonnegative(q.distance_km, "distance_km");
  require_nonnegative(q.depreciation, "depreciation");
  require_nonnegative(q.k_pv, "k_pv");
}

// The money a pair gains at quantity q: what the buyer would pay at its limit less what the
// seller needs at its reserve (micro-Token; negative when the prices do not meet).
inline std::int64_t pair_gain(const buyer_quote& b, const seller_quote& s, energy q) {
  return (trade_amount(b.limit, q) - trade_amount(s.reserve, q)).base();
}

// price_p of the file comment: limit - 1000 x / q rounded half up, clamped to [reserve, limit].
inline price nucleolus_price(const buyer_quote& b, const seller_quote& s, energy q, const exact_rational& buyer_share) {
  using boost::multiprecision::denominator;
  using boost::multiprecision::numerator;
  const exact_rational per_kwh = buyer_share * static_cast<std::int64_t>(energy::scale) / q.base();
  const big_int n = numerator(per_kwh), d = denominator(per_kwh);  // d > 0
  big_int rounded = (2 * n + d) / (2 * d);
  if (2 * n + d < 0 && (2 * n + d) % (2 * d) != 0) rounded -= 1;  // floor for negatives
  const big_int raw = big_int(b.limit.base()) - rounded;
  const big_int low = s.reserve.base(), high = b.limit.base();
  return micro_tokens_per_kwh(static_cast<std::int64_t>(std::clamp(raw, low, high)));
}

}  // namespace detail

/// Paper 004's hourly coalition market over the policies named in the file comment.
template <class Benefit = paper004_benefit, class Matching = max_benefit_matching, class Security = radial_feeder,
          class StorageUnit = smes, class Nucleolus = exact_assignment_nucleolus, class Sink = null_ledger_sink,
          class Clock = manual_clock>
class coalition_market_session {
  static_assert(CoalitionBenefit<Benefit>,
                "coalition_market_session: Benefit must be a CoalitionBenefit (market/coalition_market.hpp): provide "
                "name and coalition_weights weights(buyers, sellers, minutes), e.g. paper004_benefit");
  static_assert(CapacitatedMatchingRule<Matching>,
                "coalition_market_session: Matching must be a CapacitatedMatchingRule (matching/b_matching.hpp), "
                "e.g. max_benefit_matching");
  static_assert(SecurityCheck<Security>,
                "coalition_market_session: Security must be a SecurityCheck (market/network.hpp), e.g. "
                "radial_feeder, transformer_limit_only or always_secure");
  static_assert(Storage<StorageUnit>,
                "coalition_market_session: StorageUnit must be a Storage (market/smes.hpp), e.g. smes or no_storage");
  static_assert(NucleolusSolver<Nucleolus>,
                "coalition_market_session: Nucleolus must be a NucleolusSolver (market/coalition_market.hpp): "
                "provide name and std::vector<exact_rational> solve(const assignment_game<double>&), e.g. "
                "exact_assignment_nucleolus");
  static_assert(LedgerSink<Sink>,
                "coalition_market_session: Sink must be a LedgerSink (market/ledger_sink.hpp), e.g. "
                "null_ledger_sink or chain_ledger_sink<H, V, S>");
  static_assert(MarketClock<Clock>,
                "coalition_market_session: Clock must be a MarketClock (market/clock.hpp): provide market_time now()");

 public:
  /// A session over `security` and `storage`; the storage unit is enrolled first (its account
  /// is storage_account()). Bad windows are bad_input.
  coalition_market_session(coalition_setup setup, Security security, StorageUnit storage, Benefit benefit = Benefit(),
                           Matching matching = Matching(), Nucleolus nucleolus = Nucleolus(), Sink sink = Sink(),
                           Clock clock = Clock())
      : setup_(setup),
        security_(std::move(security)),
        storage_(std::move(storage)),
        benefit_(std::move(benefit)),
        matching_(std::move(matching)),
        nucleolus_(std::move(nucleolus)),
        sink_(std::move(sink)),
        clock_(std::move(clock)) {
    detail::require(setup_.interval_minutes > 0 && setup_.interval_minutes <= 1440, "interval_minutes",
                    setup_.interval_minutes, "must lie in 1..1440");
    detail::require(setup_.quotes_close > 0 && setup_.quotes_close < setup_.clearing_close, "quotes_close",
                    setup_.quotes_close, "must lie in 1..clearing_close - 1");
    detail::require(setup_.clearing_close < setup_.interval_minutes, "clearing_close", setup_.clearing_close,
                    "must lie before the interval's end");
    storage_account_ = roster_.enrol("storage");
  }

  /// Enrols a prosumer (an EV user or a PV owner) under `name` and returns its id.
  participant_id enrol_prosumer(std::string_view name) { return roster_.enrol(name); }
  /// The names and ids.
  [[nodiscard]] const participant_roster& roster() const noexcept { return roster_; }
  /// The storage unit's account (place it on the feeder through security()).
  [[nodiscard]] participant_id storage_account() const noexcept { return storage_account_; }

  /// The policies and the clock (a manual clock is advanced through clock()).
  ///@{
  [[nodiscard]] Security& security() noexcept { return security_; }
  [[nodiscard]] const Security& security() const noexcept { return security_; }
  [[nodiscard]] const StorageUnit& storage() const noexcept { return storage_; }
  [[nodiscard]] Sink& sink() noexcept { return sink_; }
  [[nodiscard]] const Sink& sink() const noexcept { return sink_; }
  [[nodiscard]] Clock& clock() noexcept { return clock_; }
  ///@}

  // --- The round's calls ---------------------------------------------------------------------
  /// Opens the round of the interval the clock is in (its quote window). Rounds open once and in
  /// order; a round cleared but not settled blocks the next.
  std::uint64_t open_round() {
    const std::uint64_t index = require_window(session_phase::bidding, "open_round", 0, setup_.quotes_close);
    if (book_) {
      detail::require(index > book_->round, "round", index, "is not after the last round opened (a round opens once)");
      detail::require(stage_ != stage::cleared, "round", book_->round, "is cleared but not settled");
    }
    book_.emplace();
    book_->round = index;
    seen_.clear();
    stage_ = stage::quoting;
    return index;
  }

  /// A charging EV's quote; one quote per prosumer and round (a second is a replay: bad_input).
  void submit_buy(participant_id prosumer, const buyer_quote& quote) {
    require_quoting("submit_buy", prosumer);
    detail::validate_buyer_quote(quote);
    log(coalition_quote{book_->round, prosumer, 0, quote.demand, quote.limit, quote.max_pairs, 0});
    book_->buyer_ids.push_back(prosumer);
    book_->buyers.push_back(quote);
    seen_.insert(prosumer.value);
  }
  /// A discharging EV's or rooftop PV's quote (same rules as submit_buy).
  void submit_sell(participant_id prosumer, const seller_quote& quote) {
    require_quoting("submit_sell", prosumer);
    detail::validate_seller_quote(quote);
    log(coalition_quote{book_->round, prosumer, 1, quote.offer, quote.reserve, quote.pairs,
                        static_cast<std::uint16_t>(quote.kind == seller_kind::pv ? 1 : 0)});
    book_->seller_ids.push_back(prosumer);
    book_->sellers.push_back(quote);
    seen_.insert(prosumer.value);
  }

  /// Clears the open round (the steps of the file comment). All-or-nothing: the network and the
  /// storage are worked on copies and committed at the end.
  const coalition_round& clear() {
    require_stage(stage::quoting, "clear");
    require_window(session_phase::clearing, "clear", setup_.quotes_close, setup_.clearing_close, book_->round);
    coalition_round round = *book_;
    Security network = security_;
    StorageUnit unit = storage_;
    std::vector<std::uint64_t> tickets;
    clearing_work work{round, network, unit, tickets};
    propose_pairs(work);
    check_pairs(work);
    offer_to_storage(work);
    price_pairs(work);
    finish_round(work);
    if constexpr (Sink::keeps_records) {
      for (const coalition_pair& p : round.pairs)
        if (!p.secure)
          sink_.put(encode_record(coalition_refusal{round.round, round.seller_ids[p.seller], round.buyer_ids[p.buyer],
                                                    p.quantity, p.congested_line}));
      for (const coalition_trade& t : round.trades) sink_.put(encode_record(t));
      sink_.put(encode_record(storage_state{round.round, round.energy_sums.storage_in, round.storage_stored,
                                            round.energy_sums.storage_out, round.state_of_charge}));
    }
    security_ = std::move(network);
    storage_ = std::move(unit);
    tickets_ = std::move(tickets);
    *book_ = std::move(round);
    stage_ = stage::cleared;
    return *book_;
  }

  /// Settles the cleared round: releases its flows on the network, writes each account's net and
  /// seals the round's block. The day's sums grow by the round's.
  const coalition_round& settle() {
    require_stage(stage::cleared, "settle");
    require_window(session_phase::settlement, "settle", setup_.clearing_close, setup_.interval_minutes, book_->round);
    if constexpr (Sink::keeps_records) {
      for (const auto& [account, net] : book_->balances)
        sink_.put(encode_record(coalition_balance{book_->round, account, net}));
    }
    sink_.seal(clock_.now().seconds);
    for (const std::uint64_t ticket : tickets_) security_.release(ticket);
    tickets_.clear();
    day_ += book_->energy_sums;
    stage_ = stage::settled;
    return *book_;
  }

  /// The open (or last) round, if any.
  [[nodiscard]] const std::optional<coalition_round>& current_round() const noexcept { return book_; }
  /// The energy sums over every settled round.
  [[nodiscard]] const coalition_energy& totals() const noexcept { return day_; }

 private:
  enum class stage : std::uint8_t { quoting, cleared, settled };

  struct clearing_work {
    coalition_round& round;
    Security& network;
    StorageUnit& unit;
    std::vector<std::uint64_t>& tickets;
    std::vector<energy> demand_left{}, offer_left{};
  };

  // --- Phases and checks ---------------------------------------------------------------------
  std::uint64_t require_window(session_phase phase, std::string_view call, std::int32_t from, std::int32_t to,
                               std::optional<std::uint64_t> round = std::nullopt) const {
    const market_time now = clock_.now();
    const std::int64_t length = std::int64_t{setup_.interval_minutes} * 60;
    const std::int64_t index = now.seconds >= 0 ? now.seconds / length : -1;
    const std::int64_t minute = index >= 0 ? (now.seconds - index * length) / 60 : -1;
    const bool inside = index >= 0 && minute >= from && minute < to &&
                        (!round || static_cast<std::uint64_t>(index) == *round);
    if (!inside)
      throw phase_error(call, phase,
                        "minutes " + std::to_string(from) + "-" + std::to_string(to) + " of " +
                            (round ? "round " + std::to_string(*round) : std::string("the round")),
                        now);
    return static_cast<std::uint64_t>(index);
  }
  void require_stage(stage wanted, std::string_view call) const {
    detail::require(book_.has_value(), "round", "<none>", std::string(call) + " needs an open round");
    if (stage_ != wanted)
      throw bad_input(std::string("round"), std::to_string(book_->round),
                      std::string(call) + (stage_ == stage::settled  ? ": the round is already settled"
                                           : stage_ == stage::cleared ? ": the round is already cleared"
                                                                      : ": the round is not cleared yet"));
  }
  void require_quoting(std::string_view call, participant_id prosumer) const {
    require_stage(stage::quoting, call);
    require_window(session_phase::bidding, call, 0, setup_.quotes_close, book_->round);
    detail::require(roster_.contains(prosumer) && prosumer != storage_account_, "prosumer", prosumer.value,
                    "is not an enrolled prosumer");
    detail::require(!seen_.contains(prosumer.value), "prosumer", prosumer.value,
                    "has already quoted this round (a replay)");
  }
  template <class Record>
  void log(const Record& record) {
    if constexpr (Sink::keeps_records) sink_.put(encode_record(record));
  }

  // --- Clearing steps ------------------------------------------------------------------------
  // Q, the matching with "not trading" rows, and each pair's energy in order of Q.
  void propose_pairs(clearing_work& w) const {
    coalition_round& r = w.round;
    w.demand_left.clear();
    w.offer_left.clear();
    for (const buyer_quote& b : r.buyers) w.demand_left.push_back(b.demand);
    for (const seller_quote& s : r.sellers) w.offer_left.push_back(s.offer);
    for (const seller_quote& s : r.sellers)
      if (s.kind == seller_kind::pv) r.energy_sums.renewable_offered += s.offer;
    if (r.buyers.empty() || r.sellers.empty()) return;
    const coalition_weights q = benefit_.weights(r.buyers, r.sellers, setup_.interval_minutes);
    const std::size_t m = r.buyers.size(), n = r.sellers.size();
    int widest = 1;
    for (const seller_quote& s : r.sellers) widest = std::max<int>(widest, s.pairs);
    coalition_weights w_all(static_cast<Eigen::Index>(m) + widest, static_cast<Eigen::Index>(n));
    w_all.setZero();
    const double forbidden = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        const double v = q(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
        detail::require(std::isfinite(v), detail::matrix_entry_field("Q", static_cast<Eigen::Index>(i),
                                                                      static_cast<Eigen::Index>(j)),
                        v, "must be finite (the Benefit policy's weight)");
        w_all(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
            r.buyers[i].limit > r.sellers[j].reserve ? v : forbidden;
      }
    std::vector<int> demand, capacity;
    for (const seller_quote& s : r.sellers) demand.push_back(s.pairs);
    for (const buyer_quote& b : r.buyers) capacity.push_back(b.max_pairs);
    capacity.insert(capacity.end(), static_cast<std::size_t>(widest), static_cast<int>(n));
    const b_matching_result<double> matched = matching_.match(weight_matrix_ref<double>(w_all), demand, capacity);
    if (matched.status != matching_status::optimal)
      throw solver_failure("coalition_market_session: the matching found no solution with the not-trading rows");
    for (const auto& [i, j] : matched.pairs)
      if (static_cast<std::size_t>(i) < m)
        r.pairs.push_back({static_cast<std::size_t>(i), static_cast<std::size_t>(j), energy::zero(),
                           q(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)), false,
                           security_verdict::no_line, energy::zero()});
    std::stable_sort(r.pairs.begin(), r.pairs.end(),
                     [](const coalition_pair& a, const coalition_pair& b) { return a.weight > b.weight; });
  }

  // The security check per pair, in order; a passing pair takes its energy.
  void check_pairs(clearing_work& w) const {
    coalition_round& r = w.round;
    std::vector<coalition_pair> kept;
    for (coalition_pair p : r.pairs) {
      p.quantity = std::min(w.demand_left[p.buyer], w.offer_left[p.seller]);
      if (!p.quantity.is_positive()) continue;
      const security_verdict verdict =
          w.network.check_and_reserve(r.seller_ids[p.seller], r.buyer_ids[p.buyer], pair_power(p.quantity));
      r.energy_sums.proposed += p.quantity;
      if (verdict.passed) {
        p.secure = true;
        w.tickets.push_back(verdict.ticket);
        w.demand_left[p.buyer] -= p.quantity;
        w.offer_left[p.seller] -= p.quantity;
        r.energy_sums.secure += p.quantity;
        if (r.sellers[p.seller].kind == seller_kind::pv) r.energy_sums.renewable_sold += p.quantity;
      } else {
        p.congested_line = verdict.congested_line;
      }
      kept.push_back(p);
    }
    r.pairs = std::move(kept);
  }

  [[nodiscard]] power pair_power(energy amount) const {
    return average_power(amount, setup_.interval_minutes, rounding::up);
  }

  // The storage sells (refused pairs' buyers, then any demand left) and then buys (refused
  // pairs' sellers, then any offer left), each trade on its own security check.
  void offer_to_storage(clearing_work& w) const {
    coalition_round& r = w.round;
    w.unit.begin_interval(setup_.interval_minutes);
    const energy soc_before = w.unit.state_of_charge();
    for (coalition_pair& p : r.pairs)
      if (!p.secure) p.rescued = storage_sells(w, p.buyer, p.quantity);
    for (std::size_t i = 0; i < r.buyers.size(); ++i) storage_sells(w, i, w.demand_left[i]);
    for (coalition_pair& p : r.pairs)
      if (!p.secure) storage_buys(w, p.seller, p.quantity);
    for (std::size_t j = 0; j < r.sellers.size(); ++j) storage_buys(w, j, w.offer_left[j]);
    for (const coalition_pair& p : r.pairs) r.energy_sums.rescued += p.rescued;
    r.state_of_charge = w.unit.state_of_charge();
    r.storage_stored = r.state_of_charge - soc_before + r.energy_sums.storage_out;
  }

  energy storage_sells(clearing_work& w, std::size_t buyer, energy wanted) const {
    coalition_round& r = w.round;
    const energy amount = std::min({wanted, w.demand_left[buyer], w.unit.discharge_room()});
    if (!amount.is_positive() || w.unit.sell_price() > r.buyers[buyer].limit) return energy::zero();
    const security_verdict verdict = w.network.check_and_reserve(storage_account_, r.buyer_ids[buyer], pair_power(amount));
    if (!verdict.passed) return energy::zero();
    w.tickets.push_back(verdict.ticket);
    w.unit.discharge(amount);
    w.demand_left[buyer] -= amount;
    r.energy_sums.storage_out += amount;
    r.trades.push_back({r.round, coalition_route::storage_sells,
                        priced_trade(order_id{0}, order_id{0}, r.buyer_ids[buyer], storage_account_, amount,
                                     w.unit.sell_price(), w.unit.sell_price())});
    return amount;
  }

  void storage_buys(clearing_work& w, std::size_t seller, energy offered) const {
    coalition_round& r = w.round;
    const energy amount = std::min({offered, w.offer_left[seller], w.unit.charge_room()});
    if (!amount.is_positive() || w.unit.buy_price() < r.sellers[seller].reserve) return;
    const security_verdict verdict =
        w.network.check_and_reserve(r.seller_ids[seller], storage_account_, pair_power(amount));
    if (!verdict.passed) return;
    w.tickets.push_back(verdict.ticket);
    w.unit.charge(amount);
    w.offer_left[seller] -= amount;
    r.energy_sums.storage_in += amount;
    if (r.sellers[seller].kind == seller_kind::pv) r.energy_sums.renewable_sold += amount;
    r.trades.push_back({r.round, coalition_route::storage_buys,
                        priced_trade(order_id{0}, order_id{0}, storage_account_, r.seller_ids[seller], amount,
                                     w.unit.buy_price(), w.unit.buy_price())});
  }

  // The nucleolus of the secure pairs' assignment game, and each pair's price from it.
  void price_pairs(clearing_work& w) const {
    coalition_round& r = w.round;
    std::vector<const coalition_pair*> secure;
    for (const coalition_pair& p : r.pairs)
      if (p.secure) secure.push_back(&p);
    if (secure.empty()) return;
    const std::size_t k = secure.size();
    std::vector<std::vector<double>> gains(k, std::vector<double>(k, 0.0));
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t b = 0; b < k; ++b) {
        const energy q = std::min(secure[a]->quantity, secure[b]->quantity);
        const std::int64_t g = detail::pair_gain(r.buyers[secure[a]->buyer], r.sellers[secure[b]->seller], q);
        gains[a][b] = g > 0 ? static_cast<double>(g) : 0.0;  // micro-Token: exact in a double below 2^53
      }
    r.payoffs = nucleolus_.solve(assignment_game<double>(std::move(gains)));
    detail::require(r.payoffs.size() == 2 * k, "payoffs", r.payoffs.size(),
                    "the NucleolusSolver must pay every player of the game");
    for (std::size_t a = 0; a < k; ++a) {
      const coalition_pair& p = *secure[a];
      const buyer_quote& b = r.buyers[p.buyer];
      const seller_quote& s = r.sellers[p.seller];
      const price unit = detail::nucleolus_price(b, s, p.quantity, r.payoffs[a]);
      r.trades.push_back({r.round, coalition_route::peer,
                          priced_trade(order_id{0}, order_id{0}, r.buyer_ids[p.buyer], r.seller_ids[p.seller],
                                       p.quantity, unit, unit)});
    }
  }

  // Each account's net from the trades' carried amounts.
  void finish_round(clearing_work& w) const {
    coalition_round& r = w.round;
    for (const coalition_trade& t : r.trades) {
      r.balances[t.deal.buyer] -= t.deal.buyer_paid;
      r.balances[t.deal.seller] += t.deal.seller_received;
    }
  }

  coalition_setup setup_;
  Security security_;
  StorageUnit storage_;
  [[no_unique_address]] Benefit benefit_;
  [[no_unique_address]] Matching matching_;
  [[no_unique_address]] Nucleolus nucleolus_;
  Sink sink_;
  Clock clock_;
  participant_roster roster_;
  participant_id storage_account_;
  std::optional<coalition_round> book_;
  stage stage_ = stage::settled;
  std::unordered_set<std::uint64_t> seen_;
  std::vector<std::uint64_t> tickets_;
  coalition_energy day_;
};

EVMARKET_END_NAMESPACE
