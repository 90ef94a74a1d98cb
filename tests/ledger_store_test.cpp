// The durable chain store: crash recovery at every cut of the last frame, corruption reports.
#include "ledger_toy_crypto.hpp"
#include "temp_dir.hpp"

#include <evmarket/ledger/store.hpp>

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace evmarket;
namespace fs = std::filesystem;

namespace {

using toy_store = chain_store<toy::hasher, toy::verifier>;

using temp_dir_base = evmarket_test::temp_dir;
struct temp_dir : temp_dir_base {
  temp_dir() : temp_dir_base("evmarket_ledger_store") {}
};

bytes read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return bytes(std::istreambuf_iterator<char>(in), {});
}
void write_file(const fs::path& p, byte_view content) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(content.data()), static_cast<std::streamsize>(content.size()));
}

bytes text(std::string_view s) { return bytes(as_bytes(s).begin(), as_bytes(s).end()); }

std::vector<bytes> records_for(int height) {
  std::vector<bytes> records;
  for (int i = 0; i <= height; ++i) records.push_back(text("block " + std::to_string(height) + " record " + std::to_string(i)));
  return records;
}

struct written_store {
  bytes content;
  std::uint64_t last_frame_start = 0;
  std::vector<block> blocks;
};

// Four committed blocks; remembers where the last frame starts.
written_store write_four(const fs::path& file, const toy::signer& signer) {
  written_store w;
  {
    toy_store store(file.string(), {}, {}, {}, {.sync_on_commit = true});
    for (int h = 0; h < 4; ++h) {
      if (h == 3) w.last_frame_start = store.file_size();
      store.commit(signer, records_for(h), 100 + h);
    }
    w.blocks.assign(store.ledger().blocks().begin(), store.ledger().blocks().end());
  }
  w.content = read_file(file);
  return w;
}

}  // namespace

TEST_CASE("a store reopens with every committed block, verified") {
  temp_dir dir;
  const fs::path file = dir.path / "chain.evl";
  const toy::signer signer(1);
  const written_store w = write_four(file, signer);
  CHECK(w.content.size() > w.last_frame_start);
  toy_store reopened(file.string());
  CHECK(reopened.truncated_bytes() == 0);
  REQUIRE(reopened.ledger().size() == 4);
  CHECK(reopened.ledger().verify().ok());
  for (std::size_t h = 0; h < 4; ++h) CHECK(reopened.ledger().at(h) == w.blocks[h]);
  CHECK(reopened.file_size() == w.content.size());
  // And it keeps growing where it left off.
  reopened.commit(signer, records_for(4), 200);
  CHECK(reopened.ledger().size() == 5);
}

TEST_CASE("cutting the file at every byte of its last frame loses only that uncommitted frame") {
  temp_dir dir;
  const fs::path file = dir.path / "chain.evl";
  const toy::signer signer(2);
  const written_store w = write_four(file, signer);
  for (std::uint64_t cut = w.last_frame_start; cut < w.content.size(); ++cut) {
    CAPTURE(cut);
    write_file(file, byte_view(w.content).first(cut));
    {
      toy_store store(file.string(), {}, {}, {}, {.sync_on_commit = false});
      REQUIRE(store.ledger().size() == 3);
      CHECK(store.truncated_bytes() == cut - w.last_frame_start);
      CHECK(store.file_size() == w.last_frame_start);
      CHECK(store.ledger().verify().ok());
      // The block is committed again after the crash, byte for byte the same.
      store.commit(w.blocks[3]);
    }
    CHECK(read_file(file) == w.content);
  }
}

TEST_CASE("a file cut inside its magic starts empty; zeros appended by a crash are dropped") {
  temp_dir dir;
  const fs::path file = dir.path / "chain.evl";
  const toy::signer signer(3);
  const written_store w = write_four(file, signer);
  for (std::size_t cut = 0; cut <= frame_log::magic.size(); ++cut) {
    write_file(file, byte_view(w.content).first(cut));
    toy_store store(file.string());
    CHECK(store.ledger().empty());
    CHECK(store.file_size() == frame_log::magic.size());
  }
  bytes padded = w.content;
  padded.resize(padded.size() + 4096, 0);
  write_file(file, padded);
  toy_store store(file.string());
  CHECK(store.ledger().size() == 4);
  CHECK(store.truncated_bytes() == 4096);
}

TEST_CASE("damage before the last frame is corruption, reported rather than truncated") {
  temp_dir dir;
  const fs::path file = dir.path / "chain.evl";
  const toy::signer signer(4);
  const written_store w = write_four(file, signer);

  bytes payload_hit = w.content;
  payload_hit[frame_log::magic.size() + 20] ^= 0x01;  // inside the first frame's payload
  write_file(file, payload_hit);
  CHECK_THROWS_AS(toy_store(file.string()), store_error);

  bytes header_hit = w.content;
  header_hit[frame_log::magic.size() + 1] ^= 0x01;  // the first frame's length
  write_file(file, header_hit);
  CHECK_THROWS_AS(toy_store(file.string()), store_error);

  bytes last_payload_hit = w.content;
  last_payload_hit[last_payload_hit.size() - 10] ^= 0x01;  // a torn last write: only it is lost
  write_file(file, last_payload_hit);
  CHECK(toy_store(file.string()).ledger().size() == 3);

  write_file(file, text("not a ledger at all"));
  CHECK_THROWS_AS(toy_store(file.string()), store_error);
}

TEST_CASE("a frame that is intact but not a valid block stops the store from opening") {
  temp_dir dir;
  const fs::path file = dir.path / "chain.evl";
  const toy::signer signer(5);
  const written_store w = write_four(file, signer);
  {
    frame_log log(file.string());
    log.append(text("checksummed, but no block"));
  }
  CHECK_THROWS_AS(toy_store(file.string()), store_error);
  write_file(file, w.content);
  {
    frame_log log(file.string());
    log.append(encode_block(w.blocks[1]));  // a real block, at the wrong height
  }
  try {
    toy_store opened(file.string());
    FAIL("a misplaced block was accepted");
  } catch (const store_error& e) {
    CHECK(std::string(e.what()).find("wrong height") != std::string::npos);
  }
}

TEST_CASE("a rejected commit writes nothing") {
  temp_dir dir;
  const fs::path file = dir.path / "chain.evl";
  const toy::signer signer(6);
  const toy::signer outsider(7);
  toy_store store(file.string(), {}, {}, {bytes(16, 6)});
  store.commit(signer, records_for(0), 1);
  const std::uint64_t size = store.file_size();
  CHECK_THROWS_AS(store.commit(outsider, records_for(1), 2), block_rejected);
  CHECK_THROWS_AS(store.commit(signer, records_for(1), 0), block_rejected);
  CHECK(store.file_size() == size);
  CHECK(fs::file_size(file) == size);
  CHECK(store.ledger().size() == 1);
}
