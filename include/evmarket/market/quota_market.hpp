#pragma once
/// @file
/// Session A: paper 003's two-stage charging power quota market, Steps 1-6, composed from
/// policies. Each step is a public call a platform makes when its phase opens:
///
///   broadcast_margin  Step 1, 18:00         the operator's capacity margin for 18:30-19:00
///   submit_demand     Step 2, 18:00-18:05   demand and a deposit covering the worst-case fee
///   pre_allocate      Step 3, 18:05-18:07   the AllocationRule (beta by default) -> quotas
///   submit_order      Step 4, 18:07-18:10   bids and offers of quota energy (offers capped by
///                                           the quota held, bids covered by the deposit)
///   clear             Step 5, 18:10-18:15   the call auction with a PricingRule
///   record_metering   Step 6, from 18:30    the smart meter's energy
///   settle            after 19:00           tariff fee, auction payments, penalty, withdrawal
///
/// When the demand fits the margin the auction is not held (the paper skips Steps 4-5): orders
/// come back `auction_not_held` and clear() records no trade. Every call checks its phase against
/// the Clock policy (phase_error otherwise), validates before it changes anything (bad_input
/// names the field and value; the session is unchanged), and writes one record to the
/// LedgerSink; settle() seals the period's block. Economic outcomes (a deposit that does not
/// cover, an offer above the quota held) are status values.

#include <evmarket/allocation/allocation.hpp>
#include <evmarket/allocation/proportional.hpp>
#include <evmarket/auction/call_auction.hpp>
#include <evmarket/auction/rules/midpoint_per_match.hpp>
#include <evmarket/core/error.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/trade.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/market/clock.hpp>
#include <evmarket/market/ledger_sink.hpp>
#include <evmarket/market/penalty.hpp>
#include <evmarket/market/phase.hpp>
#include <evmarket/market/roster.hpp>
#include <evmarket/market/session_records.hpp>
#include <evmarket/market/settlement.hpp>
#include <evmarket/market/tariff.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// What became of a demand submission.
enum class demand_status : std::uint8_t {
  accepted,
  deposit_insufficient,  ///< the deposit does not cover the tariff's worst case for the demand
};

/// The answer to submit_demand: the status and the deposit the worst case requires.
struct demand_result {
  demand_status status = demand_status::accepted;
  money required_deposit;
};

/// What became of a bid or offer.
enum class quota_order_status : std::uint8_t {
  accepted,
  auction_not_held,      ///< demand fits the margin: there is no quota to trade this period
  exceeds_quota,         ///< an offer of more energy than the station's quota allows
  deposit_insufficient,  ///< a bid whose worst-case payment the deposit (after the fee) does not cover
};

/// The answer to submit_order: the status and, when accepted, the order's id.
struct quota_order_result {
  quota_order_status status = quota_order_status::accepted;
  order_id id;
};

/// Setup of a session: the trading calendar and the phases' windows.
struct session_setup {
  trading_calendar calendar{48};
  phase_schedule schedule = phase_schedule::papers();
};

/// One station's part of a prepared period (for run_period and simulations).
struct quota_station_input {
  station_id station;
  power demand;
  money deposit;
  /// At most one order: a bid (side::buy) or an offer of quota energy; none when quantity is zero.
  side order_side = side::buy;
  energy order_quantity;
  price order_limit;
  /// What the station's meter will measure over delivery.
  energy metered;
};

/// Everything a quota market period needs, prepared in advance.
struct quota_period_input {
  trading_period delivery;
  power margin;
  std::vector<quota_station_input> stations;
};

/// What run_period reports: every step's outcome.
struct quota_period_report {
  allocation quotas;
  std::vector<demand_result> demands;
  std::vector<quota_order_result> orders;
  call_auction_result clearing;
  period_settlement settlement;
};

/// Paper 003's quota market over the policies named in the file comment.
template <class Allocation = proportional_allocation, class Pricing = midpoint_per_match,
          class Fees = time_of_use_tariff, class Penalties = over_consumption_penalty, class Sink = null_ledger_sink,
          class Clock = manual_clock>
class quota_market_session {
  static_assert(AllocationRule<Allocation>,
                "quota_market_session: Allocation must be an AllocationRule (allocation/allocation.hpp), e.g. "
                "proportional_allocation or inverse_credit_curtailment");
  static_assert(PricingRule<Pricing>,
                "quota_market_session: Pricing must be a PricingRule (auction/call_auction.hpp), e.g. "
                "midpoint_per_match, uniform_price<> or mcafee from auction/rules/");
  static_assert(Tariff<Fees>,
                "quota_market_session: Fees must be a Tariff (market/tariff.hpp): provide name, "
                "charge(tariff_basis), worst_case(tariff_basis) and rate_at(minute)");
  static_assert(Penalty<Penalties>,
                "quota_market_session: Penalties must be a Penalty (market/penalty.hpp): provide "
                "name and penalty(penalty_basis)");
  static_assert(LedgerSink<Sink>,
                "quota_market_session: Sink must be a LedgerSink (market/ledger_sink.hpp), e.g. "
                "null_ledger_sink or chain_ledger_sink<H, V, S>");
  static_assert(MarketClock<Clock>,
                "quota_market_session: Clock must be a MarketClock (market/clock.hpp): provide market_time now()");

 public:
  /// A session whose participants are enrolled through roster(); the operator is enrolled first.
  explicit quota_market_session(session_setup setup = session_setup(), Allocation allocation_rule = Allocation(),
                                Pricing pricing_rule = Pricing(), Fees fees = Fees(), Penalties penalties = Penalties(),
                                Sink sink = Sink(), Clock clock = Clock())
      : setup_(std::move(setup)),
        allocation_rule_(std::move(allocation_rule)),
        auction_(std::move(pricing_rule)),
        fees_(std::move(fees)),
        penalties_(std::move(penalties)),
        sink_(std::move(sink)),
        clock_(std::move(clock)) {
    setup_.schedule.check(setup_.calendar.period_minutes());
    operator_ = roster_.enrol("operator");
  }

  /// Enrols a station under `name` and returns its id.
  station_id enrol_station(std::string_view name) { return roster_.enrol(name); }
  [[nodiscard]] const participant_roster& roster() const noexcept { return roster_; }
  [[nodiscard]] participant_id operator_account() const noexcept { return operator_; }

  // Every call names the delivery period it is for: periods overlap (the next period trades
  // while this one delivers), so a session holds each open period until it is settled.

  // --- Step 1 -------------------------------------------------------------------------------
  /// Opens `delivery` with the operator's capacity margin. A period opens once, and periods
  /// open in order (a replayed or stale broadcast is refused).
  void broadcast_margin(trading_period delivery, power margin) {
    const period_timeline timeline(setup_.calendar, setup_.schedule, delivery);
    timeline.require(session_phase::margin, "broadcast_margin", clock_.now());
    detail::require(!margin.is_negative(), "margin", margin.base(), "must not be negative (W)");
    const std::int64_t index = setup_.calendar.index(delivery);
    if (last_opened_)
      if (!(index > *last_opened_))
        throw bad_input(std::string("delivery"), detail::describe(to_text(delivery)),
                        "is not after the last period opened (a period opens once)");
    period_book& book = books_.insert_or_assign(index, recycled_book(delivery, timeline, margin)).first->second;
    log(book, margin_broadcast{delivery, margin});
    last_opened_ = index;
  }

  // --- Step 2 -------------------------------------------------------------------------------
  /// A station's demand for `delivery` with the deposit it pays into escrow. The deposit must
  /// cover the tariff's worst case for that demand, or the submission is refused as a status.
  /// `credit` is the station's total creditworthiness (paper 001 eq. 3), read by credit-priority
  /// allocation rules and ignored by the others; equal credit by default.
  demand_result submit_demand(trading_period delivery, station_id station, power demand, money deposit,
                              double credit = 1.0) {
    return admit_demand(demand_book(delivery), station, demand, deposit, credit);
  }

  // --- Step 3 -------------------------------------------------------------------------------
  /// Pre-allocates the margin by the AllocationRule; quotas[i] belongs to the i-th accepted demand.
  const allocation& pre_allocate(trading_period delivery) {
    period_book& book = open_book(delivery, stage::open, "pre_allocate");
    book.timeline.require(session_phase::allocation, "pre_allocate", clock_.now());
    if (book.requests.empty())
      book.quotas = allocation{{}, book.margin, power::zero(), power::zero(), {1, 1}};
    else if constexpr (requires { allocation_rule_.allocate_into(book.margin, book.requests, book.quotas); })
      allocation_rule_.allocate_into(book.margin, book.requests, book.quotas);  // reuses the book's storage
    else
      book.quotas = allocation_rule_.allocate(book.margin, book.requests);
    // Spans and locals, so the loop does not reload the containers after every store.
    const std::span<station_entry> entries(book.entries);
    const std::span<const power> quotas(book.quotas.quotas);
    const std::int32_t minutes = book.timeline.minutes();
    for (std::size_t i = 0; i < entries.size(); ++i)
      entries[i].quota_energy = energy_over(quotas[i], minutes, rounding::down);
    book.auction_held = book.quotas.curtailed();
    book.current = stage::allocated;
    log(book, period_allocation{delivery, book.quotas});
    return book.quotas;
  }

  // --- Step 4 -------------------------------------------------------------------------------
  /// A bid (buy) or offer (sell) of quota energy at a limit price; one order per station.
  quota_order_result submit_order(trading_period delivery, station_id station, side order_side, energy quantity,
                                  price limit) {
    period_book& book = order_book_of(delivery);
    return admit_order(book, slot_of_accepted(book, station), station, order_side, quantity, limit);
  }

  // --- Step 5 -------------------------------------------------------------------------------
  /// Clears the bids and offers by the PricingRule and updates each station's final quota.
  const call_auction_result& clear(trading_period delivery) {
    period_book& book = open_book(delivery, stage::allocated, "clear");
    book.timeline.require(session_phase::clearing, "clear", clock_.now());
    // The book's clearing is empty until now; the auction refills its containers in place.
    if (!book.bids.empty() && !book.offers.empty())
      auction_.clear_into(book.bids, book.offers, book.clearing);
    else {
      book.clearing = call_auction_result{};
      book.clearing.rule = Pricing::name;
    }
    // Each station's share is read from its order's outcome when it is settled (clearing_share).
    book.current = stage::cleared;
    if constexpr (Sink::keeps_records)
      for (const trade& t : book.clearing.trades) log(book, period_trade{delivery, t});
    return book.clearing;
  }

  // --- Step 6 -------------------------------------------------------------------------------
  /// The energy a station's smart meter measured over delivery (once per station), from the
  /// start of delivery on.
  void record_metering(trading_period delivery, station_id station, energy metered) {
    period_book& book = delivered_book(delivery, "record_metering");
    accept_meter_reading(book, slot_of_accepted(book, station), station, metered);
  }

  /// Settles `delivery` after it ends: fees, auction payments, penalties, withdrawals; seals the
  /// period's records into one ledger block. Every station that submitted demand needs a meter
  /// reading, and a period with orders must have been cleared.
  period_settlement settle(trading_period delivery) {
    period_settlement result;
    settle_into(delivery, result);
    return result;
  }
  /// settle() into `result`, reusing its storage (a platform settling every period).
  void settle_into(trading_period delivery, period_settlement& result) {
    period_book& book = delivered_book(delivery, "settle");
    const market_time now = clock_.now();
    book.timeline.require(session_phase::settlement, "settle", now);
    if (book.current == stage::allocated && (!book.bids.empty() || !book.offers.empty()))
      throw error("settle: the period " + to_text(delivery) + " has orders but was not cleared");
    if (book.meter_readings != book.entries.size())  // then find whose reading is missing
      for (std::size_t slot = 0; slot < book.entries.size(); ++slot)
        if (!(book.entries[slot].metered_recorded))
          throw bad_input(std::string("station"), detail::describe(book.requests[slot].station.value),
                          "has no meter reading for " + to_text(delivery));
    if (last_seal_)
      detail::require(now >= *last_seal_, "clock", now.text(), "is earlier than the last settlement's time");
    settle_entries(book, result);
    if constexpr (Sink::keeps_records) {
      for (const settlement_line& line : result.lines) log(book, line);
      for (bytes& record : book.records) sink_.put(std::move(record));
      sink_.seal(now.seconds);
    }
    last_seal_ = now;
    // The settled period's memory serves the next period opened.
    spare_books_.push_back(std::move(books_.extract(setup_.calendar.index(delivery)).mapped()));
  }

  /// Drives a whole prepared period through every phase, setting the clock to each phase's
  /// opening (needs a clock that can be set, like manual_clock). It returns after settlement, so
  /// the next period it can drive is the one after next (the one in between trades while this
  /// one delivers); drive overlapping periods call by call.
  quota_period_report run_period(const quota_period_input& input) requires requires(Clock& c, market_time t) {
    c.set(t);
  }
  {
    quota_period_report report;
    run_period_into(input, report);
    return report;
  }
  /// run_period() into `report`, reusing its storage (simulations running many periods).
  void run_period_into(const quota_period_input& input, quota_period_report& report) requires
      requires(Clock& c, market_time t) {
    c.set(t);
  }
  {
    const trading_period d = input.delivery;
    const period_timeline timeline(setup_.calendar, setup_.schedule, d);
    const auto open = [&](session_phase phase) {
      const market_time start = phase == session_phase::settlement ? timeline.delivery_end()
                                : phase == session_phase::delivery
                                    ? timeline.delivery_start()
                                    : timeline.trading_start().plus(setup_.schedule.window(phase).start_minute * 60);
      if (clock_.now() < start) clock_.set(start);
    };
    report.demands.clear();
    report.orders.clear();
    open(session_phase::margin);
    broadcast_margin(d, input.margin);
    // Each phase is checked once; the stations then go through the same per-station bodies (and
    // the same validation) as the public calls.
    open(session_phase::demand);
    period_book& book = demand_book(d);
    // Spans, so the loops do not reload the containers after every store.
    const std::span<const quota_station_input> stations(input.stations);
    for (const quota_station_input& s : stations)
      report.demands.push_back(admit_demand(book, s.station, s.demand, s.deposit, 1.0));
    const std::span<const demand_result> demands(report.demands);
    const auto accepted = [demands](std::size_t i) { return demands[i].status == demand_status::accepted; };
    open(session_phase::allocation);
    pre_allocate(d);
    open(session_phase::bidding);
    order_book_of(d);
    // The i-th accepted demand holds slot i: no lookup needed.
    std::uint32_t slot = 0;
    for (std::size_t i = 0; i < stations.size(); ++i) {
      const quota_station_input& s = stations[i];
      if (!accepted(i)) continue;
      if (s.order_quantity.is_positive())
        report.orders.push_back(admit_order(book, slot, s.station, s.order_side, s.order_quantity, s.order_limit));
      ++slot;
    }
    open(session_phase::clearing);
    clear(d);
    open(session_phase::delivery);
    delivered_book(d, "record_metering");
    slot = 0;
    for (std::size_t i = 0; i < stations.size(); ++i)
      if (accepted(i)) accept_meter_reading(book, slot++, stations[i].station, stations[i].metered);
    open(session_phase::settlement);
    settle_into(d, report.settlement);
    // The settled book goes to the spares: hand its quotas and clearing to the report in exchange
    // for the report's old storage, which the next period reuses (no copy either way).
    std::swap(report.quotas, spare_books_.back().quotas);
    std::swap(report.clearing, spare_books_.back().clearing);
  }

  /// An open period's pre-allocation and clearing (bad_input when the period is not open).
  [[nodiscard]] const allocation& quotas(trading_period delivery) const { return find_book(delivery).quotas; }
  [[nodiscard]] const call_auction_result& clearing(trading_period delivery) const {
    return find_book(delivery).clearing;
  }
  /// Whether `delivery`'s demand exceeded its margin (so its auction is held).
  [[nodiscard]] bool auction_held(trading_period delivery) const { return find_book(delivery).auction_held; }
  /// Number of periods opened and not yet settled.
  [[nodiscard]] std::size_t open_periods() const noexcept { return books_.size(); }

  /// The policies and the clock (a manual clock is advanced through here).
  [[nodiscard]] const Fees& fees() const noexcept { return fees_; }
  [[nodiscard]] const Sink& sink() const noexcept { return sink_; }
  [[nodiscard]] Clock& clock() noexcept { return clock_; }
  [[nodiscard]] const Clock& clock() const noexcept { return clock_; }
  [[nodiscard]] const session_setup& setup() const noexcept { return setup_; }

 private:
  enum class stage : std::uint8_t { open, allocated, cleared };

  // A station's state in one period; its station id and demand are in the book's requests at
  // the same slot, its quota in the book's allocation (kept apart: this is what every per-station
  // step touches, so it is kept small).
  struct station_entry {
    static constexpr std::uint32_t no_order = std::numeric_limits<std::uint32_t>::max();
    money deposit;
    money worst_fee;
    energy quota_energy;
    energy metered;
    // The station's order: its index among the book's bids or offers, which is also the index of
    // its outcome in the clearing; no_order before it orders.
    std::uint32_t order = no_order;
    side order_side = side::buy;
    bool metered_recorded = false;
  };

  // One open period: everything from its margin to its settlement.
  struct period_book {
    period_book(trading_period d, const period_timeline& t, power m, std::int32_t start)
        : delivery(d), timeline(t), margin(m), start_minute(start) {}
    // Empties the book for another period, keeping the memory its containers hold.
    void reset(trading_period d, const period_timeline& t, power m, std::int32_t start) {
      delivery = d;
      timeline = t;
      margin = m;
      start_minute = start;
      current = stage::open;
      // Unmark the period's stations: one by one when few of the roster took part, else in bulk.
      if (requests.size() * 8 < slots.size())
        for (const station_request& r : requests) slots[r.station.value] = absent;
      else
        std::fill(slots.begin(), slots.end(), absent);
      entries.clear();
      meter_readings = 0;
      requests.clear();
      quotas.quotas.clear();
      auction_held = false;
      bids.clear();
      offers.clear();
      clearing.trades.clear();
      clearing.bid_outcomes.clear();
      clearing.offer_outcomes.clear();
      records.clear();
    }
    trading_period delivery;
    period_timeline timeline;
    power margin;
    std::int32_t start_minute;  // minute of the day delivery starts (what the tariff reads)
    stage current = stage::open;
    std::vector<station_entry> entries;
    std::size_t meter_readings = 0;  // entries with metered_recorded set
    // Each station's position in `entries`, indexed by its id: the roster issues ids densely, so
    // a plain array answers without hashing.
    static constexpr std::uint32_t absent = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> slots;
    [[nodiscard]] std::uint32_t slot_of(station_id station) const noexcept {
      return station.value < slots.size() ? slots[station.value] : absent;
    }
    void assign_slot(station_id station, std::uint32_t slot) {
      if (station.value >= slots.size()) slots.resize(station.value + 1, absent);
      slots[station.value] = slot;
    }
    std::vector<station_request> requests;
    allocation quotas;
    bool auction_held = false;
    std::vector<call_order> bids, offers;
    call_auction_result clearing;
    std::vector<bytes> records;  // this period's ledger records, sealed together at settlement
  };

  static std::string to_text(const trading_period& p) {
    return "day " + std::to_string(p.day) + " period " + std::to_string(p.slot);
  }

  [[nodiscard]] const period_book& find_book(trading_period delivery) const {
    const auto found = books_.find(setup_.calendar.index(delivery));
    if (!(found != books_.end()))
      throw bad_input(std::string("delivery"), detail::describe(to_text(delivery)), "is not an open period");
    return found->second;
  }
  period_book& open_book(trading_period delivery, stage expected, std::string_view call) {
    period_book& book = const_cast<period_book&>(find_book(delivery));
    if (book.current != expected) {
      constexpr std::string_view stages[] = {"demand", "pre-allocation", "clearing"};
      throw error(std::string(call) + ": " + to_text(delivery) + " is past its " +
                  std::string(stages[static_cast<std::size_t>(expected)]) + " step");
    }
    return book;
  }
  // The book of a period taking demand (Step 2) or orders (Step 4), phase checked.
  period_book& demand_book(trading_period delivery) {
    period_book& book = open_book(delivery, stage::open, "submit_demand");
    book.timeline.require(session_phase::demand, "submit_demand", clock_.now());
    return book;
  }
  period_book& order_book_of(trading_period delivery) {
    period_book& book = open_book(delivery, stage::allocated, "submit_order");
    book.timeline.require(session_phase::bidding, "submit_order", clock_.now());
    return book;
  }
  // A period whose delivery has begun: pre-allocated, and cleared if it had orders.
  period_book& delivered_book(trading_period delivery, std::string_view call) {
    period_book& book = const_cast<period_book&>(find_book(delivery));
    if (book.current == stage::open)
      throw error(std::string(call) + ": " + to_text(delivery) + " has not been pre-allocated");
    const market_time now = clock_.now();
    if (!book.timeline.contains(session_phase::delivery, now))
      book.timeline.require(session_phase::settlement, call, now);
    return book;
  }
  void require_station(station_id station, std::string_view field) const {
    detail::require(roster_.contains(station) && station != operator_, field, station.value,
                    "is not an enrolled station");
  }
  static std::uint32_t slot_of_accepted(const period_book& book, station_id station) {
    const std::uint32_t slot = book.slot_of(station);
    if (slot == period_book::absent)
      throw bad_input(std::string("station"), detail::describe(station.value),
                      "has no accepted demand for " + to_text(book.delivery));
    return slot;
  }

  // The per-station bodies of Steps 2, 4 and 6, once the period's book is found and its phase
  // checked: run_period checks each phase once and then admits every station through these.
  EVMARKET_DETAIL_ALWAYS_INLINE demand_result admit_demand(period_book& book, station_id station, power demand,
                                                           money deposit, double credit) {
    require_station(station, "station");
    if (book.slot_of(station) != period_book::absent)
      throw bad_input(std::string("station"), detail::describe(station.value),
                      "has already submitted demand for " + to_text(book.delivery) + " (a replay is refused)");
    detail::require(!demand.is_negative(), "demand", demand.base(), "must not be negative (W)");
    detail::require(!deposit.is_negative(), "deposit", deposit.base(), "must not be negative (micro-Token)");
    detail::require(std::isfinite(credit) && credit > 0.0, "credit", credit, "must be finite and positive");
    const money worst_fee = fees_.worst_case(demand_basis(book, demand));
    if (deposit < worst_fee) return {demand_status::deposit_insufficient, worst_fee};
    book.requests.push_back({station, demand, credit});
    book.assign_slot(station, static_cast<std::uint32_t>(book.entries.size()));
    book.entries.push_back({.deposit = deposit,
                            .worst_fee = worst_fee,
                            .quota_energy = energy::zero(),
                            .metered = energy::zero(),
                            .order = station_entry::no_order,
                            .order_side = side::buy,
                            .metered_recorded = false});
    log(book, demand_submission{book.delivery, station, demand, deposit, credit});
    return {demand_status::accepted, worst_fee};
  }

  EVMARKET_DETAIL_ALWAYS_INLINE quota_order_result admit_order(period_book& book, std::uint32_t slot,
                                                               station_id station, side order_side, energy quantity,
                                                               price limit) {
    station_entry& entry = book.entries[slot];
    if (entry.order != station_entry::no_order)
      throw bad_input(std::string("station"), detail::describe(station.value),
                      "has already submitted an order for " + to_text(book.delivery) + " (a replay is refused)");
    detail::require(quantity.is_positive(), "quantity", quantity.base(), "must be positive (Wh)");
    detail::require(limit.is_positive(), "limit", limit.base(), "must be positive (micro-Token/kWh)");
    if (!book.auction_held) return {quota_order_status::auction_not_held, {}};
    if (order_side == side::sell && quantity > entry.quota_energy) return {quota_order_status::exceeds_quota, {}};
    if (order_side == side::buy && entry.deposit < entry.worst_fee + trade_amount(limit, quantity))
      return {quota_order_status::deposit_insufficient, {}};
    const call_order order{order_ids_.next(), station, quantity, limit};
    std::vector<call_order>& orders = order_side == side::buy ? book.bids : book.offers;
    entry.order = static_cast<std::uint32_t>(orders.size());
    entry.order_side = order_side;
    orders.push_back(order);
    log(book, order_submission{book.delivery, static_cast<std::uint16_t>(order_side == side::buy ? 0 : 1), order});
    return {quota_order_status::accepted, order.id};
  }

  EVMARKET_DETAIL_ALWAYS_INLINE void accept_meter_reading(period_book& book, std::uint32_t slot, station_id station,
                                                          energy metered) {
    station_entry& entry = book.entries[slot];
    if (!(!entry.metered_recorded))
      throw bad_input(std::string("station"), detail::describe(station.value),
                      "already has a meter reading for " + to_text(book.delivery) + " (a replay is refused)");
    detail::require(!metered.is_negative(), "metered", metered.base(), "must not be negative (Wh)");
    entry.metered = metered;
    entry.metered_recorded = true;
    ++book.meter_readings;
    log(book, meter_reading{book.delivery, station, metered});
  }

  // What the tariff sees of a demand before the pre-allocation (its worst case)...
  [[nodiscard]] tariff_basis demand_basis(const period_book& book, power demand) const {
    return {book.delivery, book.start_minute, book.timeline.minutes(), demand, power::zero(),
            {1, 1},        energy::zero(),    energy::zero()};
  }
  // ... and of the station at `slot` at settlement, holding `final_quota`.
  [[nodiscard]] tariff_basis settlement_basis(const period_book& book, std::size_t slot, energy final_quota) const {
    return {book.delivery,
            book.start_minute,
            book.timeline.minutes(),
            book.requests[slot].demand,
            book.quotas.quotas[slot],
            book.quotas.satisfaction,
            final_quota,
            book.entries[slot].metered};
  }

  // What the clearing gave a station: energy bought (negative: sold) and the payment (negative:
  // received), read from its order's outcome, whose amounts the trades carried; zero without an
  // order or a clearing.
  struct clearing_share {
    energy net_bought;
    money payment;
  };
  [[nodiscard]] static clearing_share share_of(const period_book& book, const station_entry& entry) noexcept {
    const bool bought = entry.order_side == side::buy;
    const std::vector<order_outcome>& outcomes = bought ? book.clearing.bid_outcomes : book.clearing.offer_outcomes;
    if (entry.order >= outcomes.size()) return {energy::zero(), money::zero()};
    const order_outcome& o = outcomes[entry.order];
    return bought ? clearing_share{o.traded, o.amount} : clearing_share{-o.traded, -o.amount};
  }

  // One line per station; the auction payment is what the clearing's trades carried.
  void settle_entries(const period_book& book, period_settlement& result) const {
    result.lines.clear();
    result.transfers.clear();
    result.delivery = book.delivery;
    result.auction_surplus = book.clearing.buyers_paid - book.clearing.sellers_received;
    result.lines.reserve(book.entries.size());
    const price rate = fees_.rate_at(book.start_minute);
    const std::span<const station_entry> entries(book.entries);
    for (std::size_t slot = 0; slot < entries.size(); ++slot) {
      const station_entry& entry = entries[slot];
      const clearing_share share = share_of(book, entry);
      const energy final_quota = entry.quota_energy + share.net_bought;
      const energy over_consumption = std::max(energy::zero(), entry.metered - final_quota);
      // Built whole, not default-constructed and then assigned field by field (every field
      // written twice).
      settlement_line line{.delivery = book.delivery,
                           .station = book.requests[slot].station,
                           .deposit = entry.deposit,
                           .fee = fees_.charge(settlement_basis(book, slot, final_quota)),
                           .penalty = penalties_.penalty({over_consumption, rate}),
                           .auction_payment = share.payment,
                           .unpaid = money::zero(),
                           .withdrawn = money::zero(),
                           .initial_quota = entry.quota_energy,
                           .final_quota = final_quota,
                           .metered = entry.metered,
                           .over_consumption = over_consumption};
      detail::close_settlement_line(line);
      result.lines.push_back(line);
    }
    detail::record_transfers(result, operator_);
  }

  // A book for a new period, from the memory of a settled one when there is one.
  period_book recycled_book(trading_period delivery, const period_timeline& timeline, power margin) {
    const std::int32_t start = setup_.calendar.start_minute(delivery);
    if (spare_books_.empty()) return period_book(delivery, timeline, margin, start);
    period_book book = std::move(spare_books_.back());
    spare_books_.pop_back();
    book.reset(delivery, timeline, margin, start);
    return book;
  }

  template <class R>
  void log(period_book& book, const R& record) {
    if constexpr (Sink::keeps_records) book.records.push_back(encode_record(record));
  }

  session_setup setup_;
  [[no_unique_address]] Allocation allocation_rule_;
  call_auction<Pricing> auction_;
  [[no_unique_address]] Fees fees_;
  [[no_unique_address]] Penalties penalties_;
  [[no_unique_address]] Sink sink_;
  [[no_unique_address]] Clock clock_;
  participant_roster roster_;
  participant_id operator_;
  id_issuer<order_id> order_ids_;
  std::map<std::int64_t, period_book> books_;  // open periods by calendar index
  std::vector<period_book> spare_books_;       // settled periods' memory, for the next ones
  std::optional<std::int64_t> last_opened_;
  std::optional<market_time> last_seal_;
};

EVMARKET_END_NAMESPACE
