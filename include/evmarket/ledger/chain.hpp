#pragma once
/// @file
/// A hash chain of signed blocks: appending checks each block fully before it joins, and
/// verify() re-walks the chain and names the first bad block and why.

#include <evmarket/core/error.hpp>
#include <evmarket/ledger/block.hpp>
#include <evmarket/ledger/concepts.hpp>
#include <evmarket/ledger/merkle.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// Why a block does not verify (the first check that failed, in this order).
enum class block_fault : std::uint8_t {
  none,                          ///< the block verifies
  malformed,                     ///< its bytes do not decode as a block
  unsupported_format,            ///< a format version this library does not read
  hash_algorithm_mismatch,       ///< hashed with another algorithm than the verifier's Hasher
  signature_algorithm_mismatch,  ///< signed with another algorithm than the verifier's Verifier
  wrong_height,                  ///< height is not its position in the chain
  broken_link,                   ///< previous_hash is not the hash of the block before it
  bad_merkle_root,               ///< merkle_root does not match the records
  hash_mismatch,                 ///< the stored hash is not the hash of the header
  unknown_signer,                ///< signed by a key that is not an authorised block signer
  bad_signature,                 ///< the signature does not verify under signer_key
  timestamp_regression,          ///< timestamp earlier than the previous block's
};

/// A short English name of the fault, for messages and logs.
[[nodiscard]] constexpr std::string_view to_string(block_fault fault) noexcept {
  switch (fault) {
    case block_fault::none:
      return "ok";
    case block_fault::malformed:
      return "malformed block bytes";
    case block_fault::unsupported_format:
      return "unsupported block format version";
    case block_fault::hash_algorithm_mismatch:
      return "hash algorithm mismatch";
    case block_fault::signature_algorithm_mismatch:
      return "signature algorithm mismatch";
    case block_fault::wrong_height:
      return "wrong height";
    case block_fault::broken_link:
      return "broken link to the previous block";
    case block_fault::bad_merkle_root:
      return "bad Merkle root";
    case block_fault::hash_mismatch:
      return "block hash mismatch";
    case block_fault::unknown_signer:
      return "unknown signer";
    case block_fault::bad_signature:
      return "bad signature";
    case block_fault::timestamp_regression:
      return "timestamp earlier than the previous block's";
  }
  return "unknown fault";
}

/// The outcome of verifying a chain: ok, or the height of the first bad block and why.
struct chain_verification {
  /// What is wrong (none when the chain verified).
  block_fault fault = block_fault::none;
  /// Height (position) of the first bad block; meaningful only when !ok().
  std::uint64_t height = 0;

  /// True when the whole chain verified.
  [[nodiscard]] bool ok() const noexcept { return fault == block_fault::none; }
  /// Number of blocks that verified before the first bad one (the trustworthy prefix).
  [[nodiscard]] std::uint64_t verified_blocks(std::uint64_t total) const noexcept { return ok() ? total : height; }
  /// "block 3: bad Merkle root", or "ok".
  [[nodiscard]] std::string message() const {
    return ok() ? std::string("ok") : "block " + std::to_string(height) + ": " + std::string(to_string(fault));
  }
};

/// A block refused by chain::append, with the reason; the chain is unchanged.
class block_rejected : public error {
public:
  /// Block `height` was refused because of `fault`.
  block_rejected(std::uint64_t height, block_fault fault)
      : error("block " + std::to_string(height) + " rejected: " + std::string(to_string(fault))),
        height_(height), fault_(fault) {}
  /// The refused block's height.
  [[nodiscard]] std::uint64_t height() const noexcept { return height_; }
  /// Why it was refused.
  [[nodiscard]] block_fault fault() const noexcept { return fault_; }

 private:
  std::uint64_t height_;
  block_fault fault_;
};

/// Where a block must fit: its expected height, its predecessor's hash and timestamp.
struct chain_position {
  /// The height the block must have.
  std::uint64_t height = 0;
  /// The hash of the block before it.
  digest previous_hash;
  /// The timestamp of the block before it (none for the first block).
  std::optional<std::int64_t> previous_timestamp;
};

namespace detail {
/// Every check of verify_block but the Merkle root, in verify_block's order; `records_committed`
/// says whether the root was already found to match (it is checked between the link and the hash).
template <Hasher H, Verifier V>
[[nodiscard]] block_fault verify_block_checks(const H& hasher, const V& verifier, const block& b,
                                              const chain_position& position, std::span<const bytes> authorities,
                                              bool records_committed) {
  const block_header& h = b.header;
  if (h.format_version != block_format_version) return block_fault::unsupported_format;
  if (h.hash_algorithm != H::algorithm) return block_fault::hash_algorithm_mismatch;
  if (h.signature_algorithm != V::algorithm) return block_fault::signature_algorithm_mismatch;
  if (h.height != position.height) return block_fault::wrong_height;
  if (!(h.previous_hash == position.previous_hash)) return block_fault::broken_link;
  if (!records_committed && !(merkle_root(hasher, std::span<const bytes>(b.records)) == h.merkle_root))
    return block_fault::bad_merkle_root;
  const bytes preimage = block_preimage(h);
  if (!(hasher.hash(preimage) == h.hash)) return block_fault::hash_mismatch;
  if (!authorities.empty() &&
      std::none_of(authorities.begin(), authorities.end(), [&](const bytes& key) { return key == h.signer_key; }))
    return block_fault::unknown_signer;
  if (!verifier.verify(h.signer_key, preimage, h.signature)) return block_fault::bad_signature;
  if (position.previous_timestamp && h.timestamp < *position.previous_timestamp)
    return block_fault::timestamp_regression;
  return block_fault::none;
}
}  // namespace detail

/// Checks one block at `position`. `authorities` lists the keys allowed to sign blocks; empty
/// means any key (the chain then proves integrity, not who wrote it).
template <Hasher H, Verifier V>
[[nodiscard]] block_fault verify_block(const H& hasher, const V& verifier, const block& b,
                                       const chain_position& position, std::span<const bytes> authorities = {}) {
  return detail::verify_block_checks(hasher, verifier, b, position, authorities, false);
}

/// Walks `blocks` from the genesis block and reports the first that does not verify.
template <Hasher H, Verifier V>
[[nodiscard]] chain_verification verify_blocks(const H& hasher, const V& verifier, std::span<const block> blocks,
                                               std::span<const bytes> authorities = {}) {
  chain_position position{0, digest::zeros(H::digest_size), std::nullopt};
  for (const block& b : blocks) {
    const block_fault fault = verify_block(hasher, verifier, b, position, authorities);
    if (fault != block_fault::none) return {fault, position.height};
    position = {position.height + 1, b.header.hash, b.header.timestamp};
  }
  return {};
}

/// Walks encoded blocks (as stored or received): a block whose bytes do not decode is reported
/// as malformed at its position.
template <Hasher H, Verifier V>
[[nodiscard]] chain_verification verify_encoded_blocks(const H& hasher, const V& verifier,
                                                       std::span<const bytes> encoded,
                                                       std::span<const bytes> authorities = {}) {
  chain_position position{0, digest::zeros(H::digest_size), std::nullopt};
  for (const bytes& raw : encoded) {
    block b;
    try {
      b = decode_block(raw);
    } catch (const decode_error&) {
      return {block_fault::malformed, position.height};
    }
    const block_fault fault = verify_block(hasher, verifier, b, position, authorities);
    if (fault != block_fault::none) return {fault, position.height};
    position = {position.height + 1, b.header.hash, b.header.timestamp};
  }
  return {};
}

/// A chain of blocks held in memory. Every block is verified before it joins, so the chain
/// always verifies; verify() re-checks it (after loading, or to audit). Single writer: append from
/// one thread at a time; const members (verify, at, prove) may run on several threads at once.
template <Hasher H, Verifier V>
class chain {
 public:
  /// `authorities`: keys allowed to sign blocks; empty accepts any key.
  explicit chain(H hasher = H{}, V verifier = V{}, std::vector<bytes> authorities = {})
      : hasher_(std::move(hasher)), verifier_(std::move(verifier)), authorities_(std::move(authorities)) {}

  /// Appends a block built elsewhere; throws block_rejected (chain unchanged) unless it is the
  /// next block and verifies.
  void append(block b) {
    const block_fault fault = verify_block(hasher_, verifier_, b, next_position(), authorities_);
    if (fault != block_fault::none) throw block_rejected(b.header.height, fault);
    blocks_.push_back(std::move(b));
  }

  /// Seals `records` into the next block with `signer` and appends it.
  template <Signer S>
  const block& append(const S& signer, std::vector<bytes> records, std::int64_t timestamp) {
    static_assert(S::algorithm == V::algorithm,
                  "the Signer must use the chain Verifier's signature algorithm, or its blocks would never verify");
    // The Merkle root of a block sealed here was just computed from these very records:
    // hashing them again would prove nothing. Every other check still runs before it joins.
    block b = seal_block(hasher_, signer, size(), tip_hash(), std::move(records), timestamp);
    const block_fault fault = detail::verify_block_checks(hasher_, verifier_, b, next_position(), authorities_, true);
    if (fault != block_fault::none) throw block_rejected(b.header.height, fault);
    blocks_.push_back(std::move(b));
    return blocks_.back();
  }

  /// Re-verifies every block from the genesis block.
  [[nodiscard]] chain_verification verify() const {
    return verify_blocks(hasher_, verifier_, std::span<const block>(blocks_), authorities_);
  }

  /// The inclusion proof of record `index` of block `height`.
  [[nodiscard]] inclusion_proof prove(std::uint64_t height, std::size_t index) const {
    return prove_inclusion(hasher_, std::span<const bytes>(at(height).records), index);
  }
  /// True when `proof` shows `record` is in block `height` of this chain.
  [[nodiscard]] bool verify_inclusion(std::uint64_t height, byte_view record, const inclusion_proof& proof) const {
    // A Merkle root does not commit to the number of leaves; the block's record list does.
    return height < size() && proof.tree_size == blocks_[height].records.size() &&
           evmarket::verify_inclusion(hasher_, record, proof, blocks_[height].header.merkle_root);
  }

  /// The block at `height`; bad_input beyond the last block.
  [[nodiscard]] const block& at(std::uint64_t height) const {
    detail::require(height < size(), "height", height, "is beyond the chain's last block");
    return blocks_[height];
  }
  /// Every block, from the genesis block.
  [[nodiscard]] std::span<const block> blocks() const noexcept { return blocks_; }
  ///@{
  /// Number of blocks (the next block's height).
  [[nodiscard]] std::uint64_t size() const noexcept { return blocks_.size(); }
  [[nodiscard]] bool empty() const noexcept { return blocks_.empty(); }
  ///@}
  /// Hash of the last block (zeros for an empty chain): what the next block links to.
  [[nodiscard]] digest tip_hash() const { return empty() ? digest::zeros(H::digest_size) : blocks_.back().header.hash; }
  /// Where the next block must fit.
  [[nodiscard]] chain_position next_position() const {
    if (empty()) return {0, digest::zeros(H::digest_size), std::nullopt};
    return {size(), blocks_.back().header.hash, blocks_.back().header.timestamp};
  }
  ///@{
  /// The policies and the authorised block signers the chain was built with.
  [[nodiscard]] const H& hasher() const noexcept { return hasher_; }
  [[nodiscard]] const V& verifier() const noexcept { return verifier_; }
  [[nodiscard]] std::span<const bytes> authorities() const noexcept { return authorities_; }
  ///@}

 private:
  [[no_unique_address]] H hasher_;
  [[no_unique_address]] V verifier_;
  std::vector<bytes> authorities_;
  std::vector<block> blocks_;
};

EVMARKET_END_NAMESPACE
