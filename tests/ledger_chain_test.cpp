// Blocks and chains with test-only crypto: appending, verification, tamper detection.
#include "ledger_toy_crypto.hpp"

#include <evmarket/ledger/chain.hpp>

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using namespace evmarket;

namespace {

using toy_chain = chain<toy::hasher, toy::verifier>;

bytes record_of(std::string_view text) { return bytes(as_bytes(text).begin(), as_bytes(text).end()); }

toy_chain small_chain(const toy::signer& signer, std::vector<bytes> authorities = {}) {
  toy_chain c({}, {}, std::move(authorities));
  c.append(signer, {record_of("genesis")}, 100);
  c.append(signer, {record_of("a"), record_of("bb"), record_of("ccc")}, 160);
  c.append(signer, {}, 160);  // an empty block is allowed: its root is H("")
  c.append(signer, {record_of("d"), record_of("e")}, 220);
  return c;
}

// A block that must be rejected at the chain's next position, and why.
void check_rejected(toy_chain& c, block b, block_fault expected) {
  const std::uint64_t size_before = c.size();
  const digest tip_before = c.tip_hash();
  try {
    c.append(std::move(b));
    FAIL("block accepted; expected " << to_string(expected));
  } catch (const block_rejected& e) {
    CHECK(e.fault() == expected);
    CHECK(std::string(e.what()).find(std::string(to_string(expected))) != std::string::npos);
  }
  CHECK(c.size() == size_before);  // all-or-nothing
  CHECK(c.tip_hash() == tip_before);
  CHECK(c.verify().ok());
}

}  // namespace

TEST_CASE("a chain links each block to the hash of the one before") {
  const toy::signer signer(1);
  const toy_chain c = small_chain(signer);
  REQUIRE(c.size() == 4);
  CHECK(c.verify().ok());
  CHECK(c.verify().message() == "ok");
  CHECK(c.at(0).header.previous_hash == digest::zeros(32));
  for (std::uint64_t h = 1; h < c.size(); ++h) {
    CHECK(c.at(h).header.height == h);
    CHECK(c.at(h).header.previous_hash == c.at(h - 1).header.hash);
    CHECK(c.at(h).header.hash == toy::hasher{}.hash(block_preimage(c.at(h).header)));
  }
  CHECK(c.tip_hash() == c.at(3).header.hash);
  CHECK(c.at(2).header.merkle_root == toy::hasher{}.hash(byte_view{}));
  CHECK(c.at(1).header.signer_key == bytes(16, 1));
  CHECK_THROWS_AS(c.at(4), bad_input);
  // Blocks round-trip through their canonical bytes.
  for (const block& b : c.blocks()) CHECK(decode_block(encode_block(b)) == b);
}

TEST_CASE("append rejects each kind of bad block with its reason, leaving the chain unchanged") {
  const toy::signer signer(1);
  const toy::signer outsider(2);
  toy_chain c = small_chain(signer, {bytes(16, 1)});
  const toy::hasher h;
  const auto next = [&](std::int64_t timestamp = 300) {
    return seal_block(h, signer, c.size(), c.tip_hash(), {record_of("x"), record_of("y")}, timestamp);
  };

  check_rejected(c, seal_block(h, signer, c.size() + 1, c.tip_hash(), {}, 300), block_fault::wrong_height);
  check_rejected(c, seal_block(h, signer, c.size() - 1, c.at(2).header.hash, {}, 300), block_fault::wrong_height);
  check_rejected(c, seal_block(h, signer, c.size(), c.at(2).header.hash, {}, 300), block_fault::broken_link);
  check_rejected(c, seal_block(h, outsider, c.size(), c.tip_hash(), {}, 300), block_fault::unknown_signer);
  check_rejected(c, next(100), block_fault::timestamp_regression);

  block changed_record = next();
  changed_record.records[1] = record_of("z");
  check_rejected(c, changed_record, block_fault::bad_merkle_root);

  block dropped_record = next();
  dropped_record.records.pop_back();
  check_rejected(c, dropped_record, block_fault::bad_merkle_root);

  block changed_time = next();
  changed_time.header.timestamp += 1;  // hash and signature no longer cover the header
  check_rejected(c, changed_time, block_fault::hash_mismatch);

  block resigned_elsewhere = next();
  resigned_elsewhere.header.signature = signer.sign(record_of("a different message"));
  check_rejected(c, resigned_elsewhere, block_fault::bad_signature);

  block swapped_key = next();  // an authorised key, but not the one that signed
  swapped_key.header.signature = outsider.sign(block_preimage(swapped_key.header));
  check_rejected(c, swapped_key, block_fault::bad_signature);

  block other_hash = next();
  other_hash.header.hash_algorithm = algorithms::sha256;
  check_rejected(c, other_hash, block_fault::hash_algorithm_mismatch);
  block other_signature = next();
  other_signature.header.signature_algorithm = algorithms::ed25519;
  check_rejected(c, other_signature, block_fault::signature_algorithm_mismatch);
  block future_format = next();
  future_format.header.format_version = 2;
  check_rejected(c, future_format, block_fault::unsupported_format);

  c.append(next());  // the honest block still joins
  CHECK(c.size() == 5);
}

TEST_CASE("verify() names the first bad block of a tampered chain") {
  const toy::signer signer(3);
  const toy_chain c = small_chain(signer);
  std::vector<block> blocks(c.blocks().begin(), c.blocks().end());
  blocks[1].records[2] = record_of("CCC");
  const chain_verification v = verify_blocks(toy::hasher{}, toy::verifier{}, std::span<const block>(blocks));
  CHECK_FALSE(v.ok());
  CHECK(v.height == 1);
  CHECK(v.fault == block_fault::bad_merkle_root);
  CHECK(v.message() == "block 1: bad Merkle root");
  CHECK(v.verified_blocks(blocks.size()) == 1);

  // Rebuilding block 1 honestly (re-hashed, re-signed) breaks the link from block 2.
  blocks[1] = seal_block(toy::hasher{}, signer, 1, blocks[0].header.hash, blocks[1].records, 160);
  const chain_verification relinked = verify_blocks(toy::hasher{}, toy::verifier{}, std::span<const block>(blocks));
  CHECK(relinked.height == 2);
  CHECK(relinked.fault == block_fault::broken_link);
}

TEST_CASE("flipping any single byte of a stored chain is detected at that block") {
  const toy::signer signer(4);
  const toy_chain c = small_chain(signer, {bytes(16, 4)});
  std::vector<bytes> encoded;
  for (const block& b : c.blocks()) encoded.push_back(encode_block(b));
  const auto authorities = c.authorities();
  REQUIRE(verify_encoded_blocks(toy::hasher{}, toy::verifier{}, std::span<const bytes>(encoded), authorities).ok());
  std::size_t flips = 0;
  for (std::size_t height = 0; height < encoded.size(); ++height) {
    for (std::size_t at = 0; at < encoded[height].size(); ++at) {
      for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}, std::uint8_t{0xFF}}) {
        std::vector<bytes> tampered = encoded;
        tampered[height][at] ^= mask;
        const chain_verification v =
            verify_encoded_blocks(toy::hasher{}, toy::verifier{}, std::span<const bytes>(tampered), authorities);
        CAPTURE(height);
        CAPTURE(at);
        CHECK_FALSE(v.ok());
        CHECK(v.height == height);
        ++flips;
      }
    }
  }
  CHECK(flips > 1000);
}

TEST_CASE("hostile block bytes give decode_error, never a crash") {
  const toy::signer signer(5);
  const toy_chain c = small_chain(signer);
  const bytes encoded = encode_block(c.at(1));
  for (std::size_t cut = 0; cut < encoded.size(); ++cut)
    CHECK_THROWS_AS(decode_block(byte_view(encoded).first(cut)), decode_error);
  bytes trailing = encoded;
  trailing.push_back(0);
  CHECK_THROWS_AS(decode_block(trailing), decode_error);
  std::mt19937_64 rng(99);
  for (int round = 0; round < 5'000; ++round) {
    bytes input(rng() % 200);
    for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    if (!input.empty()) input[0] = 1;  // past the version check, into the lengths
    if (input.size() > 1) input[1] = 0;
    try {
      static_cast<void>(decode_block(input));
    } catch (const decode_error&) {
    }
  }
  bytes long_digest = encoded;
  long_digest[10] = 65;  // previous_hash claims 65 bytes
  CHECK_THROWS_AS(decode_block(long_digest), decode_error);
}

TEST_CASE("a record's inclusion in a block is proven against the block's root") {
  const toy::signer signer(6);
  const toy_chain c = small_chain(signer);
  for (std::size_t i = 0; i < 3; ++i) {
    const inclusion_proof proof = c.prove(1, i);
    CHECK(c.verify_inclusion(1, c.at(1).records[i], proof));
    CHECK_FALSE(c.verify_inclusion(3, c.at(1).records[i], proof));
    CHECK_FALSE(c.verify_inclusion(9, c.at(1).records[i], proof));
    inclusion_proof resized = proof;
    resized.tree_size = 4;
    CHECK_FALSE(c.verify_inclusion(1, c.at(1).records[i], resized));
  }
  CHECK_FALSE(c.verify_inclusion(1, record_of("not there"), c.prove(1, 0)));
}
