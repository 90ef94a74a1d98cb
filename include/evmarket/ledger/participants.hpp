#pragma once
/// @file
/// Market access and multi-signature confirmation (paper 001): registered participants hold a
/// key pair; a matched trade counts only when buyer and seller both sign it, and per-signer
/// sequence numbers make a replayed or re-ordered confirmation fail.

#include <evmarket/core/trade.hpp>
#include <evmarket/core/error.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/period.hpp>
#include <evmarket/ledger/concepts.hpp>
#include <evmarket/ledger/encoding.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <utility>

EVMARKET_BEGIN_NAMESPACE

/// Registered participants' public keys (paper 001's market access).
class participant_registry {
public:
  /// Registers `participant` with `public_key`; a participant registers once, with a non-empty key.
  void enroll(participant_id participant, bytes public_key) {
    detail::require(!public_key.empty(), "public_key", "<empty>", "must not be empty");
    detail::require(!keys_.contains(participant), "participant", participant.value, "is already registered");
    keys_.emplace(participant, std::move(public_key));
  }
  /// The key of `participant`, or nothing when it is not registered.
  [[nodiscard]] std::optional<byte_view> key_of(participant_id participant) const {
    const auto found = keys_.find(participant);
    if (found == keys_.end()) return std::nullopt;
    return byte_view(found->second);
  }
  /// True when `participant` is registered.
  [[nodiscard]] bool contains(participant_id participant) const { return keys_.contains(participant); }
  /// Number of registered participants.
  [[nodiscard]] std::size_t size() const noexcept { return keys_.size(); }

private:
  std::map<participant_id, bytes> keys_;
};

/// A matched trade with both parties' confirmations. Each party numbers its own confirmations
/// 1, 2, 3, ...; both sign the same message (confirmation_message), which covers both numbers.
struct confirmed_trade {
  /// The trade both parties confirm.
  trade deal;
  /// The trading period whose energy the trade delivers.
  trading_period period;
  /// The buyer's sequence number (1, 2, 3, ...).
  std::uint64_t buyer_sequence = 0;
  /// The seller's sequence number.
  std::uint64_t seller_sequence = 0;
  /// The buyer's signature of confirmation_message().
  bytes buyer_signature;
  /// The seller's signature of confirmation_message().
  bytes seller_signature;

  /// Member-wise equality.
  friend bool operator==(const confirmed_trade&, const confirmed_trade&) = default;
};

/// What both parties sign: a 0x03 domain byte (so it can never be mistaken for a block
/// preimage), the trade's canonical record, the period and both sequence numbers.
[[nodiscard]] inline bytes confirmation_message(const trade& deal, const trading_period& period,
                                                std::uint64_t buyer_sequence, std::uint64_t seller_sequence) {
  encoder out;
  out.u8(0x03);
  encode_into(out, deal);
  out.period(period);
  out.u64(buyer_sequence);
  out.u64(seller_sequence);
  return std::move(out).take();
}

/// One party's signature on a trade confirmation.
template <Signer S>
[[nodiscard]] bytes sign_confirmation(const S& signer, const trade& deal, const trading_period& period,
                                      std::uint64_t buyer_sequence, std::uint64_t seller_sequence) {
  return signer.sign(confirmation_message(deal, period, buyer_sequence, seller_sequence));
}

/// Whether a confirmed trade counts, and if not, why (the first failed check, in this order).
enum class confirmation_status : std::uint8_t {
  accepted,
  self_trade,            ///< buyer and seller are the same participant
  unknown_buyer,         ///< the buyer is not registered
  unknown_seller,        ///< the seller is not registered
  bad_buyer_signature,   ///< the buyer's signature does not verify under the buyer's key
  bad_seller_signature,  ///< the seller's signature does not verify under the seller's key
  replayed,              ///< a sequence number at or below one already accepted
  out_of_order,          ///< a sequence number that skips ahead (an earlier one is missing)
};

/// A short English name of the status.
[[nodiscard]] constexpr std::string_view to_string(confirmation_status status) noexcept {
  switch (status) {
    case confirmation_status::accepted: return "accepted";
    case confirmation_status::self_trade: return "self trade";
    case confirmation_status::unknown_buyer: return "unknown buyer";
    case confirmation_status::unknown_seller: return "unknown seller";
    case confirmation_status::bad_buyer_signature: return "bad buyer signature";
    case confirmation_status::bad_seller_signature: return "bad seller signature";
    case confirmation_status::replayed: return "replayed";
    case confirmation_status::out_of_order: return "out of order";
  }
  return "unknown status";
}

/// Checks confirmed trades against the registry and each signer's sequence; `accept` records
/// the sequence numbers of what it accepts and changes nothing otherwise.
template <Verifier V>
class confirmation_checker {
public:
  /// A checker of confirmations against `registry`'s keys, with this verifier.
  explicit confirmation_checker(participant_registry registry, V verifier = V{})
      : registry_(std::move(registry)), verifier_(std::move(verifier)) {}

  /// The status `accept` would return, without recording anything.
  [[nodiscard]] confirmation_status check(const confirmed_trade& t) const {
    const trade& deal = t.deal;
    if (deal.buyer == deal.seller) return confirmation_status::self_trade;
    const auto buyer_key = registry_.key_of(deal.buyer);
    if (!buyer_key) return confirmation_status::unknown_buyer;
    const auto seller_key = registry_.key_of(deal.seller);
    if (!seller_key) return confirmation_status::unknown_seller;
    const bytes message = confirmation_message(deal, t.period, t.buyer_sequence, t.seller_sequence);
    if (!verifier_.verify(*buyer_key, message, t.buyer_signature)) return confirmation_status::bad_buyer_signature;
    if (!verifier_.verify(*seller_key, message, t.seller_signature)) return confirmation_status::bad_seller_signature;
    const std::uint64_t buyer_last = last_sequence(deal.buyer);
    const std::uint64_t seller_last = last_sequence(deal.seller);
    if (t.buyer_sequence <= buyer_last || t.seller_sequence <= seller_last) return confirmation_status::replayed;
    if (t.buyer_sequence != buyer_last + 1 || t.seller_sequence != seller_last + 1)
      return confirmation_status::out_of_order;
    return confirmation_status::accepted;
  }

  /// Checks `t` and, when accepted, advances both parties' sequence numbers.
  confirmation_status accept(const confirmed_trade& t) {
    const confirmation_status status = check(t);
    if (status == confirmation_status::accepted) {
      sequences_[t.deal.buyer] = t.buyer_sequence;
      sequences_[t.deal.seller] = t.seller_sequence;
    }
    return status;
  }

  /// The last sequence number accepted from `participant` (0 before its first).
  [[nodiscard]] std::uint64_t last_sequence(participant_id participant) const {
    const auto found = sequences_.find(participant);
    return found == sequences_.end() ? 0 : found->second;
  }
  /// The registered participants.
  [[nodiscard]] const participant_registry& registry() const noexcept { return registry_; }
  /// Registers more participants as they join the market.
  [[nodiscard]] participant_registry& registry() noexcept { return registry_; }

private:
  participant_registry registry_;
  [[no_unique_address]] V verifier_;
  std::map<participant_id, std::uint64_t> sequences_;
};

/// confirmed_trade: the trade record, the period, both sequence numbers and both signatures.
template <>
struct record_traits<confirmed_trade>
    : detail::record_fields<confirmed_trade, &confirmed_trade::deal, &confirmed_trade::period,
                            &confirmed_trade::buyer_sequence, &confirmed_trade::seller_sequence,
                            &confirmed_trade::buyer_signature, &confirmed_trade::seller_signature> {
  ///@{
  /// The record's type tag, format version and name (see record_traits).
  static constexpr std::uint16_t tag = record_tags::confirmed_trade;
  static constexpr std::uint16_t version = 1;
  static constexpr std::string_view name = "confirmed_trade";
  ///@}
};

EVMARKET_END_NAMESPACE
