// Writes the structured seeds of the fuzz corpora: a valid store file, and valid encodings of a
// record and of a block. Run once by hand when a format changes:
//   fuzz_seed_maker tests/fuzz/corpus
#include "../ledger_toy_crypto.hpp"

#include <evmarket/market/records.hpp>
#include <evmarket/ledger/store.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using namespace evmarket;

namespace {

void write(const std::filesystem::path& file, byte_view content) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(content.data()), static_cast<std::streamsize>(content.size()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seed_maker <corpus directory>\n");
    return 2;
  }
  const std::filesystem::path corpus = argv[1];
  const toy::signer signer(9);
  const bytes order = encode_record(call_order{order_id{7}, participant_id{3}, watt_hours(6500), tokens_per_kwh(24)});
  const bytes request = encode_record(station_request{station_id{1}, kilowatts(36)});
  const std::string store_file = (corpus / "store_recovery_fuzz" / "three_blocks").string();
  std::filesystem::create_directories(corpus / "store_recovery_fuzz");
  std::filesystem::remove(store_file);
  {
    chain_store<toy::hasher, toy::verifier> store(store_file, {}, {}, {}, {.sync_on_commit = false});
    store.commit(signer, {order}, 1);
    store.commit(signer, {request, order}, 2);
    store.commit(signer, {}, 3);
  }
  chain<toy::hasher, toy::verifier> ledger;
  ledger.append(signer, {order, request}, 5);
  write(corpus / "ledger_decode_fuzz" / "call_order", order);
  write(corpus / "ledger_decode_fuzz" / "station_request", request);
  write(corpus / "ledger_decode_fuzz" / "block", encode_block(ledger.at(0)));
  return 0;
}
