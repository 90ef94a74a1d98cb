#pragma once
/// @file
/// Session B: paper 001's charging-right market with reservations and creditworthiness, Steps 1-5:
///
///   reserve         users reserve (station, period, energy) before the period's trading starts
///   report          Steps 1-3: a station reports its forecast demand (reservations plus its
///                   historical load curve, the DemandForecast policy) and its total credit (eq. 3),
///                   or its own figures
///   allocate        Step 4: the operator allocates the capacity by the AllocationRule (credit
///                   priority by default), in the allocation phase
///   propose_charge  Step 5: during delivery a user charges at a station; the session prices the
///   confirm_charge  trade (the Fees policy's rate) and both parties sign it (ledger/participants.hpp);
///                   a confirmed charge moves the money at once
///   settle          after a period's delivery: each charge made in it updates its user's credit
///                   against the reservation (eq. 1-2), and the period's records are sealed
///   close_day       after the day: reservations never charged count as broken on every criterion
///
/// A charge may come in another period or at another station than reserved (paper 001 Table III's
/// users 1 and 3); it is judged against its reservation when the period it happened in settles.
/// Calls outside their phase throw phase_error; bad input throws bad_input naming the field and
/// value and leaves the session unchanged; refused confirmations (bad signature, replay, a charge
/// beyond the station's right) are status values.

#include <evmarket/allocation/allocation.hpp>
#include <evmarket/allocation/credit_priority.hpp>
#include <evmarket/core/error.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/trade.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/credit/creditworthiness.hpp>
#include <evmarket/ledger/concepts.hpp>
#include <evmarket/ledger/participants.hpp>
#include <evmarket/market/clock.hpp>
#include <evmarket/market/ledger_sink.hpp>
#include <evmarket/market/phase.hpp>
#include <evmarket/market/quota_market.hpp>
#include <evmarket/market/roster.hpp>
#include <evmarket/market/session_records.hpp>
#include <evmarket/market/tariff.hpp>

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// DemandForecast: a station's power demand for a delivery period from the reservations it holds
/// there (paper 001 Step 2: "combining user reservations and historical load curves").
template <class F>
concept DemandForecast = requires(const F& forecast, station_id station, trading_period delivery,
                                  std::span<const reservation> held, std::int32_t minutes) {
  { F::name } -> std::convertible_to<std::string_view>;
  { forecast.forecast(station, delivery, held, minutes) } -> std::same_as<power>;
};

/// The reserved energy as average power over the period (rounded up), plus the station's
/// historical load for that slot of the day (zero where none was given).
class reservation_forecast {
 public:
  static constexpr std::string_view name = "reservations + historical load curve";

  /// The historical (unreserved) load of `station` in slot `slot` of every day.
  void set_history(station_id station, std::int32_t slot, power load) {
    detail::require(slot >= 0, "slot", slot, "must not be negative");
    detail::require(!load.is_negative(), "load", load.base(), "must not be negative (W)");
    history_[{station, slot}] = load;
  }
  [[nodiscard]] power forecast(station_id station, trading_period delivery, std::span<const reservation> held,
                               std::int32_t minutes) const {
    energy reserved = energy::zero();
    for (const reservation& r : held) reserved += r.amount;
    const auto past = history_.find({station, delivery.slot});
    return average_power(reserved, minutes, rounding::up) + (past == history_.end() ? power::zero() : past->second);
  }

 private:
  std::map<std::pair<station_id, std::int32_t>, power> history_;
};
static_assert(DemandForecast<reservation_forecast>);

/// What became of a signed charge.
enum class charge_status : std::uint8_t {
  accepted,
  rejected_confirmation,  ///< the two-party confirmation failed (see confirmation)
  exceeds_station_right,  ///< the station would deliver more than its allocated right this period
};

/// The answer to confirm_charge.
struct charge_result {
  charge_status status = charge_status::accepted;
  confirmation_status confirmation = confirmation_status::accepted;
};

/// Paper 001's reservation market over the policies named in the file comment. `V` checks the
/// parties' signatures on each charge (any Verifier: the libsodium or OpenSSL adapters, or one's own).
template <class V, class Allocation = inverse_credit_curtailment, class Forecast = reservation_forecast,
          class Fees = time_of_use_tariff, class Sink = null_ledger_sink, class Clock = manual_clock>
class reservation_market_session {
  static_assert(Verifier<V>, "reservation_market_session: V must be a Verifier (ledger/concepts.hpp) for the "
                             "parties' signatures, e.g. sodium::ed25519_verifier");
  static_assert(AllocationRule<Allocation>, "reservation_market_session: Allocation must be an AllocationRule, e.g. "
                                            "inverse_credit_curtailment or strict_credit_priority");
  static_assert(DemandForecast<Forecast>, "reservation_market_session: Forecast must be a DemandForecast: provide "
                                          "name and power forecast(station, delivery, reservations, minutes)");
  static_assert(Tariff<Fees>, "reservation_market_session: Fees must be a Tariff (market/tariff.hpp)");
  static_assert(LedgerSink<Sink>, "reservation_market_session: Sink must be a LedgerSink (market/ledger_sink.hpp)");
  static_assert(MarketClock<Clock>, "reservation_market_session: Clock must be a MarketClock (market/clock.hpp)");

 public:
  /// Paper 001 runs hourly periods: the default calendar has 24.
  explicit reservation_market_session(session_setup setup = hourly(), V verifier = V(),
                                      Allocation allocation_rule = Allocation(), Forecast forecast = Forecast(),
                                      Fees fees = Fees(), Sink sink = Sink(), Clock clock = Clock())
      : setup_(std::move(setup)), checker_(participant_registry{}, std::move(verifier)),
        allocation_rule_(std::move(allocation_rule)), forecast_(std::move(forecast)), fees_(std::move(fees)),
        sink_(std::move(sink)), clock_(std::move(clock)) {
    setup_.schedule.check(setup_.calendar.period_minutes());
  }
  /// A 24-period calendar with the papers' phase windows.
  [[nodiscard]] static session_setup hourly() { return {trading_calendar(24), phase_schedule::papers()}; }

  /// Enrols a station with the public key it signs charges with.
  station_id enrol_station(std::string_view name, bytes public_key) {
    detail::require(!public_key.empty(), "public_key", "<empty>", "must not be empty");
    const station_id id = roster_.enrol(name);
    checker_.registry().enroll(id, std::move(public_key));
    return id;
  }
  /// Enrols an EV user with its public key and its current credit (within the rule's bounds).
  user_id enrol_user(std::string_view name, bytes public_key, double credit) {
    detail::require(!public_key.empty(), "public_key", "<empty>", "must not be empty");
    credits_.rule().require_within_bounds(credit, "credit");
    detail::require(!users_.contains(name), "name", name, "is already enrolled");
    const participant_id account = roster_.enrol("user " + std::string(name));
    const user_id user = users_.enrol(name);
    checker_.registry().enroll(account, std::move(public_key));
    credits_.enrol(user, credit);
    accounts_.emplace(user, account);
    return user;
  }
  /// The participant account a user trades (and signs) as.
  [[nodiscard]] participant_id account_of(user_id user) const { return user_entry(user); }

  // --- Step 1: reservations -----------------------------------------------------------------
  /// Books `amount` at `station` for `delivery`, before that period's trading starts; one
  /// reservation per user and period. Returns the reservation's number.
  std::uint64_t reserve(user_id user, station_id station, trading_period delivery, energy amount) {
    const period_timeline timeline(setup_.calendar, setup_.schedule, delivery);
    if (!(clock_.now() < timeline.trading_start()))
      throw phase_error("reserve", session_phase::demand, "reservations close at " + timeline.trading_start().text(),
                        clock_.now());
    static_cast<void>(user_entry(user));
    require_station(station);
    detail::require(amount.is_positive(), "amount", amount.base(), "must be positive (Wh)");
    for (const booking& b : bookings_)
      detail::require(!(b.booked.user == user && b.booked.period == delivery), "user", user.value,
                      "already holds a reservation for that period (a replay is refused)");
    const std::uint64_t number = bookings_.size() + 1;
    bookings_.push_back({number, {user, station, delivery, amount}, std::nullopt, false});
    log(book_of(delivery), reservation_record{number, bookings_.back().booked});
    return number;
  }

  // --- Steps 2-3: station reports -----------------------------------------------------------
  /// The station's report from the DemandForecast policy and eq. 3 (the sum of the credits of
  /// the users holding reservations there), in the demand phase of `delivery`.
  const station_request& report(trading_period delivery, station_id station) {
    period_book& book = reporting_book(delivery, station);
    std::vector<reservation> held;
    for (const booking& b : bookings_)
      if (b.booked.station == station && b.booked.period == delivery) held.push_back(b.booked);
    const power demand = forecast_.forecast(station, delivery, held, setup_.calendar.period_minutes());
    const double credit = station_creditworthiness(station, delivery, held, credits_);
    return add_report(book, {station, demand, credit});
  }
  /// A station's report with its own figures (its forecast and total credit as it states them).
  const station_request& report(trading_period delivery, station_id station, power demand, double credit) {
    period_book& book = reporting_book(delivery, station);
    detail::require(!demand.is_negative(), "demand", demand.base(), "must not be negative (W)");
    detail::require(std::isfinite(credit) && credit > 0.0, "credit", credit, "must be finite and positive");
    return add_report(book, {station, demand, credit});
  }

  // --- Step 4: allocation ---------------------------------------------------------------------
  /// Allocates `capacity` among the reports of `delivery` by the AllocationRule; quotas follow
  /// the reports' order. Once per period.
  const allocation& allocate(trading_period delivery, power capacity) {
    period_book& book = book_of(delivery);
    book.timeline.require(session_phase::allocation, "allocate", clock_.now());
    detail::require(!book.rights, "delivery", to_text(delivery), "is already allocated (a replay is refused)");
    detail::require(!book.reports.empty(), "delivery", to_text(delivery), "has no station report to allocate to");
    book.rights = allocation_rule_.allocate(capacity, book.reports);
    log(book, period_allocation{delivery, *book.rights});
    return *book.rights;
  }

  // --- Step 5: peer-to-peer charging ----------------------------------------------------------
  /// The trade for charging `delivered` at `station` now against reservation `number`, priced at
  /// the Fees policy's rate for the current period, with both parties' next sequence numbers:
  /// what the user and the station sign (sign_confirmation) before confirm_charge.
  [[nodiscard]] confirmed_trade propose_charge(std::uint64_t number, station_id station, energy delivered) const {
    const booking& b = open_booking(number);
    require_station(station);
    detail::require(delivered.is_positive(), "delivered", delivered.base(), "must be positive (Wh)");
    const trading_period now = current_period();
    const price rate = fees_.rate_at(setup_.calendar.start_minute(now));
    const participant_id user = user_entry(b.booked.user);
    confirmed_trade proposal;
    proposal.deal = priced_trade(order_id{number}, order_id{number}, user, station, delivered, rate, rate);
    proposal.period = now;
    proposal.buyer_sequence = checker_.last_sequence(user) + 1;
    proposal.seller_sequence = checker_.last_sequence(station) + 1;
    return proposal;
  }

  /// Records a charge both parties signed: checks the signatures and sequences, that it is the
  /// trade propose_charge priced for an open reservation, and the station's right this period.
  charge_result confirm_charge(const confirmed_trade& signed_charge) {
    const trade& deal = signed_charge.deal;
    const booking& b = open_booking(deal.buy_order.value);
    detail::require(signed_charge.period == current_period(), "period", to_text(signed_charge.period),
                    "is not the period in progress (charges are confirmed as they happen)");
    const confirmed_trade expected = propose_charge(b.number, deal.seller, deal.quantity);
    if (!(deal == expected.deal))
      throw bad_input("deal", "order " + std::to_string(deal.buy_order.value),
                      "is not the trade the session priced for this reservation");
    const confirmation_status status = checker_.check(signed_charge);
    if (status != confirmation_status::accepted) return {charge_status::rejected_confirmation, status};
    period_book& book = book_of(signed_charge.period);
    const energy delivered_here = book.delivered[deal.seller] + deal.quantity;
    if (book.rights && delivered_here > right_of(book, deal.seller))
      return {charge_status::exceeds_station_right, status};
    static_cast<void>(checker_.accept(signed_charge));
    book.delivered[deal.seller] = delivered_here;
    booking& changing = bookings_[b.number - 1];
    changing.actual = charging_record{b.booked.user, deal.seller, signed_charge.period, deal.quantity};
    book.charges.push_back(b.number);
    balances_[deal.buyer] -= deal.buyer_paid;
    balances_[deal.seller] += deal.seller_received;
    log(book, signed_charge);
    return {charge_status::accepted, status};
  }

  // --- Settlement -----------------------------------------------------------------------------
  /// After `delivery` ends: each charge made in it updates its user's credit; the period's
  /// records are sealed into one block. Periods settle once, in order.
  std::vector<credit_update> settle(trading_period delivery) {
    const period_timeline timeline(setup_.calendar, setup_.schedule, delivery);
    const market_time now = clock_.now();
    timeline.require(session_phase::settlement, "settle", now);
    const std::int64_t index = setup_.calendar.index(delivery);
    if (last_settled_)
      detail::require(index > *last_settled_, "delivery", to_text(delivery),
                      "is not after the last settled period (a period settles once)");
    period_book& book = book_of(delivery);
    std::vector<std::uint64_t> numbers = book.charges;
    std::vector<credit_update> updates = assess(numbers, delivery, book.records);
    seal(book.records, now);
    books_.erase(index);
    last_settled_ = index;
    return updates;
  }

  /// After day `day` ends: every reservation of that day never charged is judged broken on every
  /// criterion (its user's credit falls by the sum of the weights), sealed as one block.
  std::vector<credit_update> close_day(std::int64_t day) {
    const market_time end{(day + 1) * market_time::seconds_per_day};
    if (clock_.now() < end)
      throw phase_error("close_day", session_phase::settlement, "from " + end.text(), clock_.now());
    std::vector<std::uint64_t> numbers;
    for (const booking& b : bookings_)
      if (b.booked.period.day == day && !b.actual && !b.assessed) numbers.push_back(b.number);
    std::vector<bytes> records;
    std::vector<credit_update> updates = assess(numbers, trading_period{day, 0}, records);
    seal(records, clock_.now());
    return updates;
  }

  /// A user's current credit, a station's total credit for a period (eq. 3), and each
  /// participant's net money from confirmed charges (negative: paid).
  [[nodiscard]] double credit(user_id user) const { return credits_.credit(user); }
  [[nodiscard]] const std::map<participant_id, money>& balances() const noexcept { return balances_; }
  [[nodiscard]] const participant_roster& roster() const noexcept { return roster_; }
  [[nodiscard]] const participant_registry& registry() const noexcept { return checker_.registry(); }
  [[nodiscard]] Forecast& forecast() noexcept { return forecast_; }
  [[nodiscard]] const Sink& sink() const noexcept { return sink_; }
  [[nodiscard]] Clock& clock() noexcept { return clock_; }

 private:
  struct booking {
    std::uint64_t number = 0;
    reservation booked;
    std::optional<charging_record> actual;
    bool assessed = false;
  };
  struct period_book {
    period_book(trading_period d, const period_timeline& t) : delivery(d), timeline(t) {}
    trading_period delivery;
    period_timeline timeline;
    std::vector<station_request> reports;
    std::optional<allocation> rights;
    std::map<participant_id, energy> delivered;
    std::vector<std::uint64_t> charges;
    std::vector<bytes> records;
  };

  static std::string to_text(const trading_period& p) {
    return "day " + std::to_string(p.day) + " period " + std::to_string(p.slot);
  }
  [[nodiscard]] participant_id user_entry(user_id user) const {
    const auto found = accounts_.find(user);
    detail::require(found != accounts_.end(), "user", user.value, "is not enrolled");
    return found->second;
  }
  void require_station(station_id station) const {
    detail::require(roster_.contains(station) && !is_user_account(station), "station", station.value,
                    "is not an enrolled station");
  }
  [[nodiscard]] bool is_user_account(participant_id id) const {
    for (const auto& [user, account] : accounts_)
      if (account == id) return true;
    return false;
  }
  [[nodiscard]] const booking& open_booking(std::uint64_t number) const {
    detail::require(number >= 1 && number <= bookings_.size(), "reservation", number, "does not exist");
    const booking& b = bookings_[number - 1];
    detail::require(!b.actual && !b.assessed, "reservation", number, "is already charged or closed");
    return b;
  }
  [[nodiscard]] trading_period current_period() const {
    const market_time now = clock_.now();
    return setup_.calendar.period_at(now.day(), static_cast<std::int32_t>(now.second_of_day() / 60));
  }
  period_book& book_of(trading_period delivery) {
    const std::int64_t index = setup_.calendar.index(delivery);
    if (last_settled_)
      detail::require(index > *last_settled_, "delivery", to_text(delivery), "is already settled");
    auto found = books_.find(index);
    if (found == books_.end())
      found = books_.emplace(index, period_book(delivery, period_timeline(setup_.calendar, setup_.schedule, delivery)))
                  .first;
    return found->second;
  }
  period_book& reporting_book(trading_period delivery, station_id station) {
    period_book& book = book_of(delivery);
    book.timeline.require(session_phase::demand, "report", clock_.now());
    require_station(station);
    for (const station_request& r : book.reports)
      detail::require(r.station != station, "station", station.value,
                      "has already reported for " + to_text(delivery) + " (a replay is refused)");
    return book;
  }
  const station_request& add_report(period_book& book, station_request request) {
    book.reports.push_back(request);
    log(book, station_report{book.delivery, request});
    return book.reports.back();
  }
  [[nodiscard]] energy right_of(const period_book& book, station_id station) const {
    for (std::size_t i = 0; i < book.reports.size(); ++i)
      if (book.reports[i].station == station)
        return energy_over(book.rights->quotas[i], setup_.calendar.period_minutes(), rounding::down);
    return energy::zero();
  }
  // Settles the credit of the reservations `numbers` (charged ones against their charge, the
  // rest as no-shows), all or nothing, and logs each update into `records`.
  std::vector<credit_update> assess(const std::vector<std::uint64_t>& numbers, trading_period delivery,
                                    std::vector<bytes>& records) {
    std::vector<settled_reservation> batch;
    std::vector<credit_update> updates;
    std::map<user_id, double> running;  // a user may settle twice in one batch: each update starts from the last
    for (const std::uint64_t number : numbers) {
      const booking& b = bookings_[number - 1];
      const charging_record no_show{b.booked.user, station_id{}, {-1, 0}, energy::zero()};
      batch.push_back({b.booked, b.actual ? *b.actual : no_show});
      const auto [at, fresh] = running.try_emplace(b.booked.user, credits_.credit(b.booked.user));
      const double before = at->second;
      at->second = credits_.rule().updated(before, batch.back().booked, batch.back().actual);
      updates.push_back({delivery, b.booked.user, number, before, at->second});
    }
    credits_.settle_all(batch);  // the same updates, all or nothing
    for (const std::uint64_t number : numbers) bookings_[number - 1].assessed = true;
    if constexpr (Sink::keeps_records)
      for (const credit_update& u : updates) records.push_back(encode_record(u));
    return updates;
  }
  void seal(std::vector<bytes>& records, market_time now) {
    if constexpr (Sink::keeps_records) {
      for (bytes& record : records) sink_.put(std::move(record));
      records.clear();
      sink_.seal(now.seconds);
    }
  }
  template <class R>
  void log(period_book& book, const R& record) {
    if constexpr (Sink::keeps_records) book.records.push_back(encode_record(record));
  }

  session_setup setup_;
  confirmation_checker<V> checker_;
  [[no_unique_address]] Allocation allocation_rule_;
  Forecast forecast_;
  Fees fees_;
  [[no_unique_address]] Sink sink_;
  [[no_unique_address]] Clock clock_;
  participant_roster roster_;
  user_roster users_;
  std::map<user_id, participant_id> accounts_;
  user_credit_book<> credits_;
  std::vector<booking> bookings_;
  std::map<std::int64_t, period_book> books_;
  std::optional<std::int64_t> last_settled_;
  std::map<participant_id, money> balances_;
};

EVMARKET_END_NAMESPACE
