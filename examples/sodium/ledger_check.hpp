#pragma once
// What every session example shows last: the chain its ledger sink wrote verifies, and a copy of it
// with one byte flipped does not.
#include <evmarket/evmarket.hpp>
#include <evmarket/ledger/sodium.hpp>

#include <cstddef>
#include <cstdio>
#include <span>
#include <vector>

namespace example {

// The two verdicts and the chain's size.
struct ledger_check {
  evmarket::chain_verification verified;  // the chain as the sink wrote it
  evmarket::chain_verification tampered;  // the copy with one byte flipped
  std::size_t blocks = 0;
  std::size_t records = 0;
  [[nodiscard]] bool ok() const { return verified.ok() && !tampered.ok(); }
};

// Verifies `sink`'s chain, and a copy with byte `byte` of record `record` in block `block` flipped
// (Ed25519 signatures, block hashes by Hasher).
template <class Hasher, class Sink>
ledger_check check_ledger(const Sink& sink, std::size_t block, std::size_t record, std::size_t byte) {
  const auto blocks = sink.ledger().blocks();
  std::vector<evmarket::block> copy(blocks.begin(), blocks.end());
  copy.at(block).records.at(record).at(byte) ^= 0x01;
  ledger_check check{sink.verify(),
                     evmarket::verify_blocks(Hasher{}, evmarket::sodium::ed25519_verifier{},
                                             std::span<const evmarket::block>(copy)),
                     blocks.size(), 0};
  for (const evmarket::block& b : blocks) check.records += b.records.size();
  return check;
}

// The example's ledger line.
inline void print_ledger_check(const ledger_check& check) {
  std::printf("ledger: %zu block(s), %zu records, verifies: %s; one flipped byte: %s\n", check.blocks,
              check.records, check.verified.message().c_str(), check.tampered.message().c_str());
}

}  // namespace example
