// Record and block decoding from arbitrary bytes, and chain verification of tampered blocks.
// Properties: decoding either succeeds or throws an evmarket::error; whatever decodes re-encodes
// to the very same bytes (the encoding is canonical); a sealed block changed in any byte is
// either undecodable or refused by the chain.
#include "../ledger_toy_crypto.hpp"
#include "fuzz_support.hpp"

#include <evmarket/ledger/authenticated.hpp>
#include <evmarket/ledger/block.hpp>
#include <evmarket/ledger/chain.hpp>
#include <evmarket/ledger/participants.hpp>
#include <evmarket/market/records.hpp>

#include <vector>

using namespace evmarket;

namespace {

template <class Record>
void round_trip(byte_view input) {
  try {
    const Record record = decode_record<Record>(input);
    const bytes again = encode_record(record);
    FUZZ_CHECK(again.size() == input.size() && std::equal(again.begin(), again.end(), input.begin()));
  } catch (const error&) {
    // Hostile bytes are refused with a typed error: that is the contract.
  }
}

void block_round_trip(byte_view input) {
  try {
    const block b = decode_block(input);
    const bytes again = encode_block(b);
    FUZZ_CHECK(again.size() == input.size() && std::equal(again.begin(), again.end(), input.begin()));
  } catch (const error&) {
  }
}

// Three sealed blocks from the fuzzer's records; one byte of one encoded block is changed.
void tampered_chain(FuzzedDataProvider& in) {
  const toy::hasher hasher;
  const toy::signer signer(9);
  std::vector<block> blocks;
  digest previous = digest::zeros(toy::hasher::digest_size);
  std::int64_t timestamp = 0;
  for (std::uint64_t height = 0; height < 3; ++height) {
    std::vector<bytes> records(in.ConsumeIntegralInRange<std::size_t>(0, 3));
    for (bytes& r : records) r = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 24));
    timestamp += in.ConsumeIntegralInRange<std::int64_t>(0, 1000);  // a chain's clock never goes back
    blocks.push_back(seal_block(hasher, signer, height, previous, std::move(records), timestamp));
    previous = blocks.back().header.hash;
  }
  const std::size_t victim = in.ConsumeIntegralInRange<std::size_t>(0, 2);
  bytes encoded = encode_block(blocks[victim]);
  const std::size_t at = in.ConsumeIntegralInRange<std::size_t>(0, encoded.size() - 1);
  const auto flip = in.ConsumeIntegralInRange<std::uint8_t>(1, 255);
  encoded[at] = static_cast<std::uint8_t>(encoded[at] ^ flip);
  block changed;
  try {
    changed = decode_block(encoded);
  } catch (const error&) {
    return;
  }
  FUZZ_CHECK(!(changed == blocks[victim]));
  chain<toy::hasher, toy::verifier> ledger;
  for (std::size_t h = 0; h < victim; ++h) ledger.append(blocks[h]);
  bool refused = false;
  try {
    ledger.append(changed);
  } catch (const block_rejected&) {
    refused = true;
  }
  FUZZ_CHECK(refused);
  FUZZ_CHECK(ledger.size() == victim);
  FUZZ_CHECK(ledger.verify().ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const byte_view input(data, size);
  round_trip<station_request>(input);
  round_trip<allocation>(input);
  round_trip<trade>(input);
  round_trip<order_request>(input);
  round_trip<call_order>(input);
  round_trip<participant_position>(input);
  round_trip<reservation>(input);
  round_trip<charging_record>(input);
  round_trip<settled_reservation>(input);
  round_trip<confirmed_trade>(input);
  round_trip<authenticated_record>(input);
  block_round_trip(input);
  FuzzedDataProvider in(data, size);
  tampered_chain(in);
  return 0;
}
