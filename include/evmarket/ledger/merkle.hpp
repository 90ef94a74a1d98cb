#pragma once
/// @file
/// Merkle trees as Certificate Transparency defines them (RFC 6962 / RFC 9162): leaves hashed as
/// H(0x00 || record), nodes as H(0x01 || left || right), and an odd last node promoted, never
/// duplicated (duplication lets two different record lists share a root, Bitcoin's CVE-2012-2459).

#include <evmarket/core/error.hpp>
#include <evmarket/ledger/concepts.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// H(0x00 || record): the leaf hash of one encoded record.
template <Hasher H>
[[nodiscard]] digest merkle_leaf_hash(const H& hasher, byte_view record) {
  static constexpr std::uint8_t prefix[1] = {0x00};
  auto state = hasher.begin();
  hasher.update(state, prefix);
  hasher.update(state, record);
  return hasher.finish(state);
}

/// H(0x01 || left || right): the hash of an interior node.
template <Hasher H>
[[nodiscard]] digest merkle_node_hash(const H& hasher, const digest& left, const digest& right) {
  static constexpr std::uint8_t prefix[1] = {0x01};
  auto state = hasher.begin();
  hasher.update(state, prefix);
  hasher.update(state, left.view());
  hasher.update(state, right.view());
  return hasher.finish(state);
}

namespace detail {

/// A tree node held in exactly H::digest_size bytes: half the memory of a `digest` for 32-byte
/// hashes, which matters when a level holds 10^5 nodes.
template <Hasher H>
using merkle_node = std::array<std::uint8_t, H::digest_size>;

template <Hasher H>
merkle_node<H> to_node(const digest& d) {
  merkle_node<H> node;
  std::copy(d.data(), d.data() + H::digest_size, node.begin());
  return node;
}

template <Hasher H>
merkle_node<H> node_hash(const H& hasher, const merkle_node<H>& left, const merkle_node<H>& right) {
  static constexpr std::uint8_t prefix[1] = {0x01};
  auto state = hasher.begin();
  hasher.update(state, prefix);
  hasher.update(state, left);
  hasher.update(state, right);
  return to_node<H>(hasher.finish(state));
}

/// Replaces `level` by the level above it. Pairing bottom-up and carrying an odd last node up
/// unchanged builds exactly RFC 6962's tree (split at the largest power of two below n), in place.
template <Hasher H>
void merkle_reduce(const H& hasher, std::vector<merkle_node<H>>& level) {
  const std::size_t pairs = level.size() / 2;
  for (std::size_t i = 0; i < pairs; ++i) level[i] = node_hash(hasher, level[2 * i], level[2 * i + 1]);
  if (level.size() % 2 == 1) {
    level[pairs] = level.back();
    level.resize(pairs + 1);
  } else {
    level.resize(pairs);
  }
}

template <Hasher H>
std::vector<merkle_node<H>> merkle_leaves(const H& hasher, std::span<const bytes> records) {
  std::vector<merkle_node<H>> level;
  level.reserve(records.size());
  for (const bytes& record : records) level.push_back(to_node<H>(merkle_leaf_hash(hasher, record)));
  return level;
}

template <Hasher H>
digest merkle_root_of_nodes(const H& hasher, std::vector<merkle_node<H>> level) {
  if (level.empty()) return hasher.hash(byte_view{});
  while (level.size() > 1) merkle_reduce(hasher, level);
  return digest::from(level.front());
}

}  // namespace detail

/// The Merkle root over leaf hashes (RFC 6962's MTH); the root of no leaves is H("").
template <Hasher H>
[[nodiscard]] digest merkle_root_of_leaves(const H& hasher, std::span<const digest> leaves) {
  std::vector<detail::merkle_node<H>> level;
  level.reserve(leaves.size());
  for (const digest& leaf : leaves) {
    evmarket::detail::require(leaf.size() == H::digest_size, "leaves.size", leaf.size(),
                              "every leaf hash must have the Hasher's digest size");
    level.push_back(detail::to_node<H>(leaf));
  }
  return detail::merkle_root_of_nodes(hasher, std::move(level));
}

/// The Merkle root of encoded records.
template <Hasher H>
[[nodiscard]] digest merkle_root(const H& hasher, std::span<const bytes> records) {
  return detail::merkle_root_of_nodes(hasher, detail::merkle_leaves(hasher, records));
}

/// Proof that one record is in a tree: its index, the tree size and the sibling hashes from the
/// leaf upwards (RFC 9162's inclusion path).
struct inclusion_proof {
  /// Index of the leaf proven.
  std::uint64_t leaf_index = 0;
  /// Number of leaves of the tree the proof belongs to.
  std::uint64_t tree_size = 0;
  /// Sibling hashes from the leaf upwards.
  std::vector<digest> path;
};

/// The inclusion proof of record `index` among `records`.
template <Hasher H>
[[nodiscard]] inclusion_proof prove_inclusion(const H& hasher, std::span<const bytes> records, std::size_t index) {
  evmarket::detail::require(index < records.size(), "index", index, "must name a record of the block");
  inclusion_proof proof{index, records.size(), {}};
  std::vector<detail::merkle_node<H>> level = detail::merkle_leaves(hasher, records);
  std::size_t position = index;
  while (level.size() > 1) {
    const std::size_t sibling = position ^ 1U;
    // A promoted odd last node has no sibling at this level and adds nothing to the path.
    if (sibling < level.size()) proof.path.push_back(digest::from(level[sibling]));
    detail::merkle_reduce(hasher, level);
    position /= 2;
  }
  return proof;
}

/// True when `proof` shows that `record` is a leaf of the tree with root `root` (RFC 9162
/// section 2.1.3.2). Any malformed proof is simply false.
template <Hasher H>
[[nodiscard]] bool verify_inclusion(const H& hasher, byte_view record, const inclusion_proof& proof,
                                    const digest& root) {
  if (proof.leaf_index >= proof.tree_size) return false;
  std::uint64_t fn = proof.leaf_index;
  std::uint64_t sn = proof.tree_size - 1;
  digest r = merkle_leaf_hash(hasher, record);
  for (const digest& p : proof.path) {
    if (sn == 0) return false;
    if ((fn & 1U) == 1U || fn == sn) {
      r = merkle_node_hash(hasher, p, r);
      while ((fn & 1U) == 0 && fn != 0) {
        fn >>= 1U;
        sn >>= 1U;
      }
    } else {
      r = merkle_node_hash(hasher, r, p);
    }
    fn >>= 1U;
    sn >>= 1U;
  }
  return sn == 0 && r == root;
}

EVMARKET_END_NAMESPACE
