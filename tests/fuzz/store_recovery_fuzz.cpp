// Store recovery from an arbitrary file. Properties: opening either throws an evmarket::error or
// yields a chain that verifies, after cutting off at most a tail (the file left is a prefix of
// the input); reopening finds the same chain with nothing more to cut; a read-only open agrees
// and never changes the file.
#include "../ledger_toy_crypto.hpp"
#include "fuzz_support.hpp"

#include <evmarket/ledger/store.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

using namespace evmarket;

namespace {

using toy_store = chain_store<toy::hasher, toy::verifier>;

const std::string& scratch_path() {
  static const std::string path = "/tmp/evmarket_store_fuzz_" + std::to_string(::getpid()) + ".evl";
  return path;
}

void write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return bytes(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = scratch_path();
  write_file(path, data, size);
  std::size_t read_only_blocks = 0;
  bool read_only_opened = false;
  try {
    const toy_store reader(path, {}, {}, {}, {.sync_on_commit = false, .read_only = true});
    read_only_blocks = reader.ledger().size();
    read_only_opened = true;
    FUZZ_CHECK(reader.ledger().verify().ok());
  } catch (const error&) {
  }
  const bytes untouched = read_file(path);
  FUZZ_CHECK(untouched.size() == size && std::equal(untouched.begin(), untouched.end(), data));
  try {
    std::vector<block> blocks;
    {
      const toy_store store(path, {}, {}, {}, {.sync_on_commit = false});
      FUZZ_CHECK(store.ledger().verify().ok());
      FUZZ_CHECK(read_only_opened && store.ledger().size() == read_only_blocks);
      FUZZ_CHECK(store.file_size() + store.truncated_bytes() == std::max<std::size_t>(size, frame_log::magic.size()) ||
                 size < frame_log::magic.size());
      blocks.assign(store.ledger().blocks().begin(), store.ledger().blocks().end());
    }
    const bytes left = read_file(path);
    if (size >= frame_log::magic.size()) FUZZ_CHECK(left.size() <= size && std::equal(left.begin(), left.end(), data));
    const toy_store again(path, {}, {}, {}, {.sync_on_commit = false});
    FUZZ_CHECK(again.truncated_bytes() == 0);
    FUZZ_CHECK(again.ledger().size() == blocks.size());
    for (std::size_t h = 0; h < blocks.size(); ++h) FUZZ_CHECK(again.ledger().at(h) == blocks[h]);
  } catch (const error&) {
    FUZZ_CHECK(!read_only_opened);  // a reader and a writer judge the same file alike
  }
  std::remove(path.c_str());
  return 0;
}
