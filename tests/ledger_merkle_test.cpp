// Merkle trees (RFC 6962 / 9162) with a test-only hasher, against a recursive oracle.
#include "ledger_toy_crypto.hpp"

#include <evmarket/ledger/merkle.hpp>

#include <doctest/doctest.h>

#include <random>
#include <vector>

using namespace evmarket;

namespace {

const toy::hasher H;

digest hash_of(const bytes& data) { return H.hash(data); }

bytes concat(std::uint8_t prefix, byte_view a, byte_view b = {}) {
  bytes out{prefix};
  out.insert(out.end(), a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// RFC 6962 section 2.1 written as defined: MTH(D[n]) = H(0x01 || MTH(D[0:k]) || MTH(D[k:n])),
// k the largest power of two smaller than n; one-shot hashing of concatenated bytes.
digest oracle_root(const std::vector<bytes>& d, std::size_t from, std::size_t to) {
  const std::size_t n = to - from;
  if (n == 0) return hash_of({});
  if (n == 1) return hash_of(concat(0x00, d[from]));
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  const digest left = oracle_root(d, from, from + k);
  const digest right = oracle_root(d, from + k, to);
  return hash_of(concat(0x01, left.view(), right.view()));
}

std::vector<bytes> make_records(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<bytes> records(n);
  for (auto& r : records) {
    r.resize(rng() % 40);
    for (auto& b : r) b = static_cast<std::uint8_t>(rng());
  }
  return records;
}

}  // namespace

TEST_CASE("the root matches RFC 6962's recursive definition for every size up to 70") {
  for (std::size_t n = 0; n <= 70; ++n) {
    CAPTURE(n);
    const auto records = make_records(n, n);
    CHECK(merkle_root(H, std::span<const bytes>(records)) == oracle_root(records, 0, n));
  }
}

TEST_CASE("an odd last node is promoted, never duplicated (CVE-2012-2459)") {
  const auto records = make_records(3, 1);
  auto duplicated = records;
  duplicated.push_back(records.back());
  CHECK_FALSE(merkle_root(H, std::span<const bytes>(records)) == merkle_root(H, std::span<const bytes>(duplicated)));
  for (std::size_t n : {5U, 6U, 7U, 9U, 11U}) {
    auto r = make_records(n, n);
    auto r2 = r;
    r2.push_back(r.back());
    CHECK_FALSE(merkle_root(H, std::span<const bytes>(r)) == merkle_root(H, std::span<const bytes>(r2)));
  }
}

TEST_CASE("leaves and nodes are domain-separated") {
  const auto records = make_records(2, 3);
  const digest left = merkle_leaf_hash(H, records[0]);
  const digest right = merkle_leaf_hash(H, records[1]);
  // A single record whose bytes are left || right (what an interior node hashes) is a different
  // tree: without the 0x00/0x01 prefixes the two roots would coincide.
  bytes node_bytes(left.view().begin(), left.view().end());
  node_bytes.insert(node_bytes.end(), right.view().begin(), right.view().end());
  const std::vector<bytes> one{node_bytes};
  CHECK_FALSE(merkle_root(H, std::span<const bytes>(one)) == merkle_root(H, std::span<const bytes>(records)));
  CHECK(merkle_leaf_hash(H, records[0]) == hash_of(concat(0x00, records[0])));
  CHECK(merkle_node_hash(H, left, right) == hash_of(concat(0x01, left.view(), right.view())));
}

TEST_CASE("every inclusion proof verifies, and nothing else does") {
  for (std::size_t n = 1; n <= 33; ++n) {
    const auto records = make_records(n, 100 + n);
    const digest root = oracle_root(records, 0, n);
    for (std::size_t i = 0; i < n; ++i) {
      CAPTURE(n);
      CAPTURE(i);
      const inclusion_proof proof = prove_inclusion(H, std::span<const bytes>(records), i);
      CHECK(proof.path.size() <= 6);
      CHECK(verify_inclusion(H, records[i], proof, root));
      // Another record, index, size, root or path fails.
      bytes other = records[i];
      other.push_back(0x5A);
      CHECK_FALSE(verify_inclusion(H, other, proof, root));
      inclusion_proof moved = proof;
      moved.leaf_index = (i + 1) % n;
      if (n > 1 && records[moved.leaf_index] != records[i]) CHECK_FALSE(verify_inclusion(H, records[i], moved, root));
      // (The root does not commit to the tree size, so the size is checked by whoever knows
      // it: chain::verify_inclusion compares it with the block's record count.)
      inclusion_proof resized = proof;
      resized.tree_size = i;  // index beyond the tree
      CHECK_FALSE(verify_inclusion(H, records[i], resized, root));
      CHECK_FALSE(verify_inclusion(H, records[i], proof, hash_of(bytes{1})));
      if (!proof.path.empty()) {
        inclusion_proof shorter = proof;
        shorter.path.pop_back();
        CHECK_FALSE(verify_inclusion(H, records[i], shorter, root));
        inclusion_proof flipped = proof;
        flipped.path.front().data()[0] ^= 1;
        CHECK_FALSE(verify_inclusion(H, records[i], flipped, root));
      }
      inclusion_proof longer = proof;
      longer.path.push_back(root);
      CHECK_FALSE(verify_inclusion(H, records[i], longer, root));
    }
  }
  const auto records = make_records(4, 9);
  CHECK_THROWS_AS(prove_inclusion(H, std::span<const bytes>(records), 4), bad_input);
}
