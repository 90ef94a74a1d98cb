#pragma once
/// @file
/// Where a session writes its state changes. Every accepted call of a session becomes one
/// canonical record (market/session_records.hpp); at the end of a period the session seals them
/// into one block. The sink is a policy: the null sink keeps nothing and costs nothing (the
/// session does not even encode), the chain sink signs and links the blocks with any Hasher,
/// Signer and Verifier (the libsodium and OpenSSL adapters, or a platform's own).

#include <evmarket/core/error.hpp>
#include <evmarket/ledger/chain.hpp>
#include <evmarket/ledger/concepts.hpp>

#include <concepts>
#include <cstdint>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// LedgerSink: takes a session's encoded records and seals them, once per period, into a block.
/// `keeps_records` false lets a session skip encoding altogether. seal() must be all-or-nothing:
/// when it throws, the records put since the last seal are still pending.
template <class S>
concept LedgerSink = requires(S& sink, bytes record, std::int64_t timestamp) {
  { S::keeps_records } -> std::convertible_to<bool>;
  sink.put(std::move(record));
  sink.seal(timestamp);
};

/// Keeps nothing (the default: a session with no ledger).
struct null_ledger_sink {
  static constexpr bool keeps_records = false;
  void put(bytes) noexcept {}
  void seal(std::int64_t) noexcept {}
};

/// Seals each period's records into a signed block of an in-memory chain. The signer is the
/// platform's (the operator's) key; the chain accepts blocks from that key only.
template <Hasher H, Verifier V, Signer S>
class chain_ledger_sink {
  static_assert(S::algorithm == V::algorithm,
                "chain_ledger_sink<H, V, S>: the Signer must use the Verifier's signature algorithm");

 public:
  static constexpr bool keeps_records = true;

  explicit chain_ledger_sink(S signer, H hasher = H{}, V verifier = V{})
      : signer_(std::move(signer)),
        chain_(std::move(hasher), std::move(verifier), std::vector<bytes>{bytes(signer_.public_key().begin(),
                                                                                signer_.public_key().end())}) {}

  /// Queues one record for the next block.
  void put(bytes record) { pending_.push_back(std::move(record)); }
  /// Seals the queued records into the next block (a period with no record seals an empty block,
  /// so every period leaves a trace).
  void seal(std::int64_t timestamp) {
    // The one way a block this sink seals itself can be refused is a clock running backwards:
    // refuse that first, so the records stay pending, and hand the records over without a copy.
    if (!chain_.empty())
      detail::require(timestamp >= chain_.blocks().back().header.timestamp, "timestamp", timestamp,
                      "is earlier than the previous block's");
    chain_.append(signer_, std::move(pending_), timestamp);
    pending_.clear();
  }

  /// The chain so far, and its verification.
  [[nodiscard]] const chain<H, V>& ledger() const noexcept { return chain_; }
  [[nodiscard]] chain_verification verify() const { return chain_.verify(); }
  /// Records put since the last seal.
  [[nodiscard]] std::size_t pending() const noexcept { return pending_.size(); }

 private:
  S signer_;
  chain<H, V> chain_;
  std::vector<bytes> pending_;
};

static_assert(LedgerSink<null_ledger_sink>);

EVMARKET_END_NAMESPACE
