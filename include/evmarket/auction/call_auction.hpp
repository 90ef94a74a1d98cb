#pragma once
/// @file
/// The call (sealed-bid) double auction of paper 003, Step 5 / Algorithm 1: collect bids and
/// offers, sort bids high to low and offers low to high, and match the best bid with the best
/// offer while bid >= offer, each match trading min(remaining demand, remaining supply). Who
/// trades how much at which price is a policy (the PricingRule concept), so the paper's per-match
/// midpoint, uniform prices and the truthful mechanisms (McAfee, trade reduction, VCG, SBBA) are
/// interchangeable in a market session.
///
/// Money: every trade carries what its buyer paid and its seller received, fixed once when the
/// rule records it, by the library's money rule (core/trade.hpp: price x quantity to the nearest
/// micro-Token, halves to even, each side on its own). A trade at one price therefore moves
/// exactly the same amount from buyer to seller, and the books balance exactly: sum of buyer
/// payments - sum of seller receipts == auctioneer surplus, to the micro-Token. Order and
/// participant totals (outcomes, positions()) are sums of these carried amounts. (VCG charges per
/// trader; it prices each of a trader's trades at the trader's average VCG price, see vcg.hpp.)
///
/// In a market session (paper 003: allocation -> quotas -> orders -> clearing -> settlement), the
/// session holds a call_auction<Rule> (the rule is a policy member), caps each station's offer at
/// the energy its quota allows in the period, clears, and applies positions() (energy bought and
/// sold, net payment per participant) to the quotas and the ledger.

#include <evmarket/auction/trade.hpp>
#include <evmarket/core/error.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/detail/call_auction_sort.hpp>

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// One bid (buy) or offer (sell) in a call auction: up to `quantity` of energy at a unit price no
/// worse than `limit` for its participant. Orders are divisible: any part may trade.
struct call_order {
  /// The order's id.
  order_id id;
  /// Who submitted it.
  participant_id participant;
  /// Energy to buy or sell; must be positive.
  energy quantity;
  /// Highest unit price a buyer pays, lowest a seller accepts; must be positive.
  price limit;

  /// Member-wise equality.
  friend bool operator==(const call_order&, const call_order&) = default;
};

/// Whether a clearing produced trades (an economic outcome, never an exception).
enum class clearing_status : std::uint8_t {
  cleared,   ///< at least one trade
  no_trade,  ///< the books do not cross, a side is empty, or the rule reduced every trade away
};

/// What one order received from a clearing: energy traded and money paid (bid) or received (offer).
struct order_outcome {
  /// Energy the order traded.
  energy traded;
  /// Sum of the order's trade amounts; never negative.
  money amount;

  /// Member-wise equality.
  friend bool operator==(const order_outcome&, const order_outcome&) = default;
};

/// A participant's net position after a clearing, what settlement and quota updates need.
struct participant_position {
  /// The participant.
  participant_id participant;
  ///@{
  /// Energy the participant bought and sold.
  energy bought;
  energy sold;
  ///@}
  /// Money paid minus money received: positive pays, negative receives (paper 003 Table IV's sign).
  money net_payment;

  /// Member-wise equality.
  friend bool operator==(const participant_position&, const participant_position&) = default;
};

/// The outcome of one call-auction clearing.
struct call_auction_result {
  /// Whether anything traded.
  clearing_status status = clearing_status::no_trade;
  /// The pricing rule's name.
  std::string_view rule;
  /// Every execution, in the order the rule recorded them.
  std::vector<trade> trades;
  ///@{
  /// bid_outcomes[i] belongs to bids[i] of the input, offer_outcomes[j] to offers[j].
  std::vector<order_outcome> bid_outcomes;
  std::vector<order_outcome> offer_outcomes;
  ///@}
  /// Energy traded in total.
  energy volume;
  ///@{
  /// What buyers paid and sellers received in total, exactly (the difference is the auctioneer's surplus).
  money buyers_paid;
  money sellers_received;
  ///@}
  /// buyers_paid - sellers_received: positive is the auctioneer's surplus, negative its deficit.
  money auctioneer_surplus;
  ///@{
  /// Lowest and highest unit price of any trade, buyer or seller side (zero when nothing traded);
  /// equal when the whole market cleared at one price.
  price lowest_price;
  price highest_price;
  ///@}

  /// True when every trade, on both sides, is at one price.
  [[nodiscard]] bool uniform_price() const noexcept {
    return status == clearing_status::cleared && lowest_price == highest_price;
  }

  /// Net position per participant (ascending by id), from the trades. Participants that did not
  /// trade are absent.
  [[nodiscard]] std::vector<participant_position> positions() const {
    std::vector<participant_position> rows;
    rows.reserve(2 * trades.size());
    for (const trade& t : trades) {
      rows.push_back({t.buyer, t.quantity, energy::zero(), t.buyer_paid});
      rows.push_back({t.seller, energy::zero(), t.quantity, -t.seller_received});
    }
    std::sort(rows.begin(), rows.end(), [](const participant_position& a, const participant_position& b) {
      return a.participant < b.participant;
    });
    std::vector<participant_position> merged;
    for (const participant_position& row : rows) {
      if (!merged.empty() && merged.back().participant == row.participant) {
        merged.back().bought += row.bought;
        merged.back().sold += row.sold;
        merged.back().net_payment += row.net_payment;
      } else {
        merged.push_back(row);
      }
    }
    return merged;
  }
};

/// The sorted books and Algorithm 1's matching: what every pricing rule works from. Ranks count
/// from the best order of a side (rank 0 = highest bid, lowest offer); equal limits keep their
/// input order (time priority). Construction validates the orders and throws bad_input naming
/// the field ("bids[3].quantity") for a non-positive quantity or limit, a duplicate order id,
/// or more than 2^32 - 1 orders on a side; overflow_error when a side's quantities overflow.
class call_market {
 public:
  /// One step of Algorithm 1: `quantity` passes from the offer at `offer_rank` to the bid at
  /// `bid_rank`.
  struct match {
    /// Rank of the bid (0 = highest limit).
    std::uint32_t bid_rank;
    /// Rank of the offer (0 = lowest limit).
    std::uint32_t offer_rank;
    /// Energy matched between them.
    energy quantity;
  };

  /// An empty market (no orders), ready for assign().
  call_market() = default;
  /// The market of these bids and offers, sorted and matched by Algorithm 1.
  call_market(std::span<const call_order> bids, std::span<const call_order> offers) { assign(bids, offers); }

  /// Validates, sorts and matches new books, reusing this market's memory. Throws before any
  /// change on bad input. The market refers to `bids` and `offers`, which must outlive its use.
  void assign(std::span<const call_order> bids, std::span<const call_order> offers) {
    validate(bids, "bids");
    validate(offers, "offers");
    require_unique_ids(bids, offers);
    bids_ = bids;
    offers_ = offers;
    rank(bids, true, bid_order_, sorted_bids_);
    rank(offers, false, offer_order_, sorted_offers_);
    run_algorithm_1();
  }

  ///@{
  /// The books as given (input order).
  [[nodiscard]] std::span<const call_order> bids() const noexcept { return bids_; }
  [[nodiscard]] std::span<const call_order> offers() const noexcept { return offers_; }
  ///@}
  ///@{
  /// Number of bids (offers).
  [[nodiscard]] std::size_t bid_count() const noexcept { return bids_.size(); }
  [[nodiscard]] std::size_t offer_count() const noexcept { return offers_.size(); }
  ///@}

  ///@{
  /// The bid of rank r (0 = highest limit) and its position in the input.
  [[nodiscard]] const call_order& bid(std::size_t r) const { return sorted_bids_[r]; }
  [[nodiscard]] std::size_t bid_index(std::size_t r) const { return bid_order_[r]; }
  ///@}
  ///@{
  /// The offer of rank r (0 = lowest limit) and its position in the input.
  [[nodiscard]] const call_order& offer(std::size_t r) const { return sorted_offers_[r]; }
  [[nodiscard]] std::size_t offer_index(std::size_t r) const { return offer_order_[r]; }
  ///@}

  /// Algorithm 1's matches, in the order it made them.
  [[nodiscard]] std::span<const match> matches() const noexcept { return matches_; }
  ///@{
  /// Number of bids (offers) that trade anything under Algorithm 1: ranks below it do, ranks at
  /// or above it do not. The bid of rank matched_bids() - 1 is the marginal bid.
  [[nodiscard]] std::size_t matched_bids() const noexcept { return bid_fill_.size(); }
  [[nodiscard]] std::size_t matched_offers() const noexcept { return offer_fill_.size(); }
  ///@}
  ///@{
  /// Energy Algorithm 1 gives the bid (offer) of rank r.
  [[nodiscard]] energy bid_fill(std::size_t r) const { return r < bid_fill_.size() ? bid_fill_[r] : energy::zero(); }
  [[nodiscard]] energy offer_fill(std::size_t r) const {
    return r < offer_fill_.size() ? offer_fill_[r] : energy::zero();
  }
  ///@}
  /// Total energy Algorithm 1 trades: the largest volume any clearing can trade with every
  /// trader at a price within its limit, and the one that maximises the gains from trade.
  [[nodiscard]] energy efficient_volume() const noexcept { return volume_; }

 private:
  static void validate(std::span<const call_order> orders, std::string_view side_name) {
    detail::require(orders.size() < std::numeric_limits<std::uint32_t>::max(), side_name, orders.size(),
                    "holds more orders than a call auction ranks (2^32 - 1)");
    energy total = energy::zero();
    for (std::size_t i = 0; i < orders.size(); ++i) {
      const call_order& o = orders[i];
      if (!o.quantity.is_positive())
        throw bad_input(detail::element_field(side_name, i, "quantity"), detail::describe(o.quantity.base()),
                        "must be positive (Wh)");
      if (!o.limit.is_positive())
        throw bad_input(detail::element_field(side_name, i, "limit"), detail::describe(o.limit.base()),
                        "must be positive (micro-Token/kWh)");
      total += o.quantity;
    }
  }

  // Linear when each side's ids ascend (a merge then finds an id on both sides); otherwise a
  // sorted copy.
  static void require_unique_ids(std::span<const call_order> bids, std::span<const call_order> offers) {
    auto ascending = [](std::span<const call_order> orders) {
      for (std::size_t i = 1; i < orders.size(); ++i)
        if (!(orders[i - 1].id < orders[i].id)) return false;
      return true;
    };
    if (ascending(bids) && ascending(offers)) {
      std::size_t i = 0, j = 0;
      while (i < bids.size() && j < offers.size()) {
        if (bids[i].id == offers[j].id) throw_duplicate(bids[i].id);
        if (bids[i].id < offers[j].id)
          ++i;
        else
          ++j;
      }
      return;
    }
    std::vector<order_id> ids;
    ids.reserve(bids.size() + offers.size());
    for (const call_order& o : bids) ids.push_back(o.id);
    for (const call_order& o : offers) ids.push_back(o.id);
    std::sort(ids.begin(), ids.end());
    const auto duplicate = std::adjacent_find(ids.begin(), ids.end());
    if (duplicate != ids.end()) throw_duplicate(*duplicate);
  }
  [[noreturn]] static void throw_duplicate(order_id id) {
    throw bad_input("orders.id", detail::describe(id.value), "appears more than once");
  }

  // Ranks a side and keeps a copy of its orders in rank order, so that matching and pricing read
  // memory in sequence.
  void rank(std::span<const call_order> orders, bool highest_first, std::vector<std::uint32_t>& order,
            std::vector<call_order>& sorted) {
    constexpr auto top = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    detail::stable_order_by_key(
        orders.size(),
        [&](std::size_t i) {
          const auto limit = static_cast<std::uint64_t>(orders[i].limit.base());  // positive: validated
          return highest_first ? top - limit : limit;
        },
        order, scratch_from_, scratch_to_);
    sorted.resize(orders.size());
    for (std::size_t r = 0; r < orders.size(); ++r) sorted[r] = orders[order[r]];
  }

  void run_algorithm_1() {
    matches_.clear();
    bid_fill_.clear();
    offer_fill_.clear();
    volume_ = energy::zero();
    const std::size_t nb = bids_.size(), no = offers_.size();
    std::size_t i = 0, j = 0;
    energy demand = nb > 0 ? bid(0).quantity : energy::zero();
    energy supply = no > 0 ? offer(0).quantity : energy::zero();
    matches_.reserve(nb + no);  // every match exhausts a bid or an offer
    bid_fill_.reserve(nb);
    offer_fill_.reserve(no);
    while (i < nb && j < no && bid(i).limit >= offer(j).limit) {
      const energy amount = std::min(demand, supply);
      matches_.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), amount});
      volume_ += amount;
      if (bid_fill_.size() == i) bid_fill_.push_back(energy::zero());
      if (offer_fill_.size() == j) offer_fill_.push_back(energy::zero());
      bid_fill_[i] += amount;
      offer_fill_[j] += amount;
      demand -= amount;
      supply -= amount;
      // The paper removes only the bid when both are exhausted, which would record a
      // zero-quantity transaction on the next pass; here both leave the book.
      if (demand.is_zero() && ++i < nb) demand = bid(i).quantity;
      if (supply.is_zero() && ++j < no) supply = offer(j).quantity;
    }
  }

  std::span<const call_order> bids_;
  std::span<const call_order> offers_;
  std::vector<std::uint32_t> bid_order_;
  std::vector<std::uint32_t> offer_order_;
  std::vector<call_order> sorted_bids_;
  std::vector<call_order> sorted_offers_;
  std::vector<std::uint64_t> scratch_from_;
  std::vector<std::uint64_t> scratch_to_;
  std::vector<match> matches_;
  std::vector<energy> bid_fill_;
  std::vector<energy> offer_fill_;
  energy volume_ = energy::zero();
};

namespace detail {
/// Per-rank outcomes a clearing_builder fills; held by a call_auction so that repeated
/// clearings reuse the memory.
struct clearing_scratch {
  std::vector<order_outcome> bids;
  std::vector<order_outcome> offers;
};
}  // namespace detail

/// Collects what a pricing rule decides: the trades and, from them, every order's outcome and
/// the totals. A rule calls record() once per trade; the builder checks that no order trades
/// more than its quantity and that no price is negative.
class clearing_builder {
 public:
  /// Collects the clearing of `market`: a pricing rule records its trades here.
  explicit clearing_builder(const call_market& market) : clearing_builder(market, nullptr) {}
  /// A builder that keeps its per-rank bookkeeping in `scratch` (when not null).
  clearing_builder(const call_market& market, detail::clearing_scratch* scratch)
      : clearing_builder(market, scratch, call_auction_result{}) {}
  /// A builder that also fills the containers of `recycled` (an earlier result: its contents
  /// are discarded, its memory reused).
  clearing_builder(const call_market& market, detail::clearing_scratch* scratch, call_auction_result&& recycled)
      : market_(market), scratch_(scratch != nullptr ? scratch : &own_scratch_) {
    result_.trades = std::move(recycled.trades);
    result_.trades.clear();
    result_.bid_outcomes = std::move(recycled.bid_outcomes);
    result_.offer_outcomes = std::move(recycled.offer_outcomes);
    scratch_->bids.assign(market.bid_count(), order_outcome{});
    scratch_->offers.assign(market.offer_count(), order_outcome{});
    result_.trades.reserve(market.matches().size());
  }
  clearing_builder(const clearing_builder&) = delete;
  clearing_builder& operator=(const clearing_builder&) = delete;

  /// `quantity` passes from the offer of rank `offer_rank` to the bid of rank `bid_rank`; the
  /// buyer pays buyer_price per kWh and the seller receives seller_price per kWh.
  void record(std::size_t bid_rank, std::size_t offer_rank, energy quantity, price buyer_price, price seller_price) {
    if (bid_rank >= market_.bid_count() || offer_rank >= market_.offer_count())
      throw error("pricing rule recorded a trade for a rank beyond the books");
    const call_order& b = market_.bid(bid_rank);
    const call_order& s = market_.offer(offer_rank);
    // Outcomes are kept by rank while recording (rules record in rank order, so this is
    // sequential) and moved to input order once, in finish().
    order_outcome& bo = scratch_->bids[bid_rank];
    order_outcome& so = scratch_->offers[offer_rank];
    if (!quantity.is_positive() || buyer_price.is_negative() || seller_price.is_negative())
      throw error("pricing rule recorded a trade with a non-positive quantity or a negative price");
    const energy bought = bo.traded + quantity, sold = so.traded + quantity;
    if (bought > b.quantity || sold > s.quantity) throw error("pricing rule traded more than an order's quantity");
    const trade executed = priced_trade(b.id, s.id, b.participant, s.participant, quantity, buyer_price, seller_price);
    const money paid = executed.buyer_paid, received = executed.seller_received;
    bo = {bought, bo.amount + paid};
    so = {sold, so.amount + received};
    result_.trades.push_back(executed);
    result_.volume += quantity;
    result_.buyers_paid += paid;
    result_.sellers_received += received;
    const price low = std::min(buyer_price, seller_price), high = std::max(buyer_price, seller_price);
    if (result_.trades.size() == 1 || low < result_.lowest_price) result_.lowest_price = low;
    if (result_.trades.size() == 1 || high > result_.highest_price) result_.highest_price = high;
    bid_ranks_used_ = std::max(bid_ranks_used_, bid_rank + 1);
    offer_ranks_used_ = std::max(offer_ranks_used_, offer_rank + 1);
  }

  /// The market the rule is pricing.
  [[nodiscard]] const call_market& market() const noexcept { return market_; }

  /// Finishes the result (status, surplus).
  [[nodiscard]] call_auction_result finish(std::string_view rule_name) && {
    result_.rule = rule_name;
    result_.bid_outcomes.assign(market_.bid_count(), order_outcome{});
    result_.offer_outcomes.assign(market_.offer_count(), order_outcome{});
    for (std::size_t r = 0; r < bid_ranks_used_; ++r) result_.bid_outcomes[market_.bid_index(r)] = scratch_->bids[r];
    for (std::size_t r = 0; r < offer_ranks_used_; ++r)
      result_.offer_outcomes[market_.offer_index(r)] = scratch_->offers[r];
    result_.status = result_.trades.empty() ? clearing_status::no_trade : clearing_status::cleared;
    result_.auctioneer_surplus = result_.buyers_paid - result_.sellers_received;
    return std::move(result_);
  }

 private:
  const call_market& market_;
  detail::clearing_scratch own_scratch_;
  detail::clearing_scratch* scratch_;
  std::size_t bid_ranks_used_ = 0;
  std::size_t offer_ranks_used_ = 0;
  call_auction_result result_{};
};

/// PricingRule: decides, from the sorted books and Algorithm 1's matching, which trades happen
/// and at which prices, and records them in the builder. A rule may be stateful (SBBA's seeded
/// lottery), so it is called through a non-const reference. `Rule::name` labels results and
/// comparison tables. The rule must keep every trader within its limit (individual
/// rationality); the metrics report any violation.
template <class Rule>
concept PricingRule = requires(Rule& rule, const call_market& market, clearing_builder& out) {
  { Rule::name } -> std::convertible_to<std::string_view>;
  rule.apply(market, out);
};

/// A call auction with a pricing rule held as a policy. It keeps its working memory between
/// clearings (a market session clears every period). clear() is all-or-nothing: on bad input it
/// throws before the rule (a stateful rule's random engine) changes. clear() reuses the object's
/// working memory: one call_auction per thread (clear_call has no shared state at all).
template <class Rule>
class call_auction {
  static_assert(PricingRule<Rule>,
                "call_auction<Rule>: Rule must provide `static constexpr std::string_view name` and "
                "`void apply(const call_market&, clearing_builder&)`; see auction/rules/ for examples");

 public:
  call_auction() = default;
  /// An auction that prices with `rule` (a rule with state, such as sbba's lottery, is passed in).
  explicit call_auction(Rule rule) : rule_(std::move(rule)) {}

  /// Clears one call: bids and offers in, trades and payments out.
  [[nodiscard]] call_auction_result clear(std::span<const call_order> bids, std::span<const call_order> offers) {
    call_auction_result result;
    clear_into(bids, offers, result);
    return result;
  }
  /// clear() into `result`, reusing the memory of its containers (a session clearing every
  /// period). Bad input throws before `result` is touched; should the rule itself throw,
  /// `result` is left empty.
  void clear_into(std::span<const call_order> bids, std::span<const call_order> offers, call_auction_result& result) {
    market_.assign(bids, offers);
    Rule working = rule_;  // a throwing rule leaves the held rule (and its engine) unchanged
    clearing_builder builder(market_, &scratch_, std::move(result));
    result = call_auction_result{};
    working.apply(market_, builder);
    result = std::move(builder).finish(Rule::name);
    rule_ = std::move(working);
  }

  /// The pricing rule (with its state, e.g. SBBA's engine).
  [[nodiscard]] const Rule& rule() const noexcept { return rule_; }

 private:
  [[no_unique_address]] Rule rule_{};
  call_market market_;
  detail::clearing_scratch scratch_;
};

/// Clears one call with a rule passed by value (a convenience for stateless rules; hold a
/// stateful rule in a call_auction so its state carries over between clearings).
template <PricingRule Rule>
[[nodiscard]] call_auction_result clear_call(std::span<const call_order> bids, std::span<const call_order> offers,
                                             Rule rule = Rule{}) {
  const call_market market(bids, offers);
  clearing_builder builder(market);
  rule.apply(market, builder);
  return std::move(builder).finish(Rule::name);
}

EVMARKET_END_NAMESPACE
