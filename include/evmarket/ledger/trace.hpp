#pragma once
/// @file
/// Traceability (paper 002's evidence storage): query a chain by record type, participant and
/// period, and total energy and money per participant per period. Only what verifies is
/// trusted: blocks after the first bad one are ignored, and each confirmed trade must pass the
/// participants' signature and sequence checks in chain order before it is counted.

#include <evmarket/core/trade.hpp>
#include <evmarket/core/error.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/ledger/chain.hpp>
#include <evmarket/ledger/encoding.hpp>
#include <evmarket/ledger/participants.hpp>

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// Where a record sits: block height, index within the block, and its type tag.
struct record_location {
  /// Height of the block.
  std::uint64_t height = 0;
  /// Index of the record within the block.
  std::size_t index = 0;
  /// The record's type tag.
  std::uint16_t tag = 0;

  /// Member-wise equality.
  friend bool operator==(const record_location&, const record_location&) = default;
};

/// A confirmed trade found on the chain, with its location.
struct traced_trade {
  /// Where it was found.
  record_location where;
  /// The trade record.
  confirmed_trade record;
};

/// A record on the verified part of the chain that was not counted, and why.
struct untrusted_record {
  /// Where it was found.
  record_location where;
  /// Why it was not counted.
  std::string reason;
};

/// One participant's trading in one period. The money totals are sums of the amounts each trade
/// carries (what the mechanism that cleared it paid), so they equal the clearing's and the
/// settlement's figures to the micro-Token.
struct trade_totals {
  /// Energy bought.
  energy bought = energy::zero();
  /// Energy sold.
  energy sold = energy::zero();
  /// Money paid (rounded up).
  money paid = money::zero();
  /// Money received (rounded down).
  money received = money::zero();

  /// Member-wise equality.
  friend bool operator==(const trade_totals&, const trade_totals&) = default;
};

/// A read-only index over the verified prefix of a chain.
template <Hasher H, Verifier V>
class ledger_trace {
public:
  /// Verifies `ledger`, then indexes its verified blocks; `registry` holds the participants'
  /// keys for the trade confirmations (signed with the chain's signature algorithm).
  ledger_trace(const chain<H, V>& ledger, participant_registry registry)
      : ledger_trace(ledger.hasher(), ledger.verifier(), ledger.blocks(), std::move(registry), ledger.authorities()) {}

  /// Verifies `blocks` (as loaded or received, perhaps tampered with), then indexes the blocks
  /// before the first that does not verify.
  ledger_trace(const H& hasher, const V& verifier, std::span<const block> blocks, participant_registry registry,
        std::span<const bytes> authorities = {})
      : verification_(verify_blocks(hasher, verifier, blocks, authorities)), checker_(std::move(registry), verifier) {
    const std::uint64_t trusted = verification_.verified_blocks(blocks.size());
    for (std::uint64_t height = 0; height < trusted; ++height) {
      const block& b = blocks[height];
      for (std::size_t index = 0; index < b.records.size(); ++index) index_record(height, index, b.records[index]);
    }
  }

  /// The chain's verification; on failure, blocks from verification().height on were ignored.
  [[nodiscard]] const chain_verification& verification() const noexcept { return verification_; }
  /// Locations of every record of type `tag` (see record_tags), in chain order.
  [[nodiscard]] std::vector<record_location> records_of_type(std::uint16_t tag) const {
    std::vector<record_location> found;
    for (const record_location& where : records_)
      if (where.tag == tag) found.push_back(where);
    return found;
  }
  /// Every counted trade, in chain order.
  [[nodiscard]] const std::vector<traced_trade>& trades() const noexcept { return trades_; }
  /// Counted trades in which `participant` bought or sold.
  [[nodiscard]] std::vector<traced_trade> trades_of(participant_id participant) const {
    std::vector<traced_trade> found;
    for (const traced_trade& t : trades_)
      if (t.record.deal.buyer == participant || t.record.deal.seller == participant) found.push_back(t);
    return found;
  }
  /// Counted trades delivering in `period`.
  [[nodiscard]] std::vector<traced_trade> trades_in(const trading_period& period) const {
    std::vector<traced_trade> found;
    for (const traced_trade& t : trades_)
      if (t.record.period == period) found.push_back(t);
    return found;
  }
  /// Totals of `participant` in `period` (zero when it did not trade).
  [[nodiscard]] trade_totals totals(participant_id participant, const trading_period& period) const {
    const auto found = totals_.find({participant, period});
    return found == totals_.end() ? trade_totals{} : found->second;
  }
  /// Totals of every participant in every period it traded.
  [[nodiscard]] const std::map<std::pair<participant_id, trading_period>, trade_totals>& all_totals() const noexcept {
    return totals_;
  }
  /// Records on verified blocks that were not counted (bad confirmations, undecodable bytes).
  [[nodiscard]] const std::vector<untrusted_record>& untrusted() const noexcept { return untrusted_; }

private:
  void index_record(std::uint64_t height, std::size_t index, const bytes& encoded) {
    record_location where{height, index, 0};
    try {
      where.tag = peek_record(encoded).tag;
    } catch (const decode_error& e) {
      untrusted_.push_back({where, e.what()});
      return;
    }
    records_.push_back(where);
    if (where.tag != record_tags::confirmed_trade) return;
    confirmed_trade record;
    try {
      record = decode_record<confirmed_trade>(encoded);
    } catch (const decode_error& e) {
      untrusted_.push_back({where, e.what()});
      return;
    }
    const confirmation_status status = checker_.check(record);
    if (status != confirmation_status::accepted) {
      untrusted_.push_back({where, std::string(to_string(status))});
      return;
    }
    // Compute everything that can overflow before recording anything, so a hostile amount
    // leaves the totals as they were.
    const trade& deal = record.deal;
    try {
      trade_totals buyer = totals(deal.buyer, record.period);
      trade_totals seller = totals(deal.seller, record.period);
      buyer.bought += deal.quantity;
      buyer.paid += deal.buyer_paid;
      seller.sold += deal.quantity;
      seller.received += deal.seller_received;
      totals_[{deal.buyer, record.period}] = buyer;
      totals_[{deal.seller, record.period}] = seller;
    } catch (const overflow_error& e) {
      untrusted_.push_back({where, e.what()});
      return;
    }
    static_cast<void>(checker_.accept(record));
    trades_.push_back({where, std::move(record)});
  }

  chain_verification verification_;
  confirmation_checker<V> checker_;
  std::vector<record_location> records_;
  std::vector<traced_trade> trades_;
  std::vector<untrusted_record> untrusted_;
  std::map<std::pair<participant_id, trading_period>, trade_totals> totals_;
};

EVMARKET_END_NAMESPACE
