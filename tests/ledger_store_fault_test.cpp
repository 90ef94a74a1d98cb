// The chain store under real faults: a second writer, a writer killed with SIGKILL at random
// moments, and writes that fail because the file may not grow.
#include "ledger_toy_crypto.hpp"
#include "temp_dir.hpp"

#include <evmarket/ledger/store.hpp>

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace evmarket;
namespace fs = std::filesystem;

namespace {

using toy_store = chain_store<toy::hasher, toy::verifier>;

using temp_dir_base = evmarket_test::temp_dir;
struct temp_dir : temp_dir_base {
  temp_dir() : temp_dir_base("evmarket_store_fault") {}
};

// The records of the block at `height`: every fourth block carries a large record, so that a kill
// can land in the middle of its write and leave a torn frame.
std::vector<bytes> records_at(std::size_t height) {
  const std::size_t size = height % 4 == 3 ? 48 * 1024 : 40;
  bytes record(size);
  for (std::size_t i = 0; i < size; ++i) record[i] = static_cast<std::uint8_t>(height * 31 + i * 7);
  return {record};
}

// A pipe the child reports on; the parent reads everything once the child is gone.
struct report_pipe {
  int fds[2] = {-1, -1};
  report_pipe() { REQUIRE(::pipe(fds) == 0); }
  ~report_pipe() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
  report_pipe(const report_pipe&) = delete;
  report_pipe& operator=(const report_pipe&) = delete;
  void send(std::uint64_t value) const { [[maybe_unused]] const ::ssize_t put = ::write(fds[1], &value, sizeof value); }
  void close_write() {
    ::close(fds[1]);
    fds[1] = -1;
  }
  // Blocks until the child sends one value (or dies: then nullopt).
  std::optional<std::uint64_t> receive() const {
    std::uint64_t value = 0;
    if (::read(fds[0], &value, sizeof value) != static_cast<::ssize_t>(sizeof value)) return std::nullopt;
    return value;
  }
  std::vector<std::uint64_t> drain() const {
    std::vector<std::uint64_t> values;
    std::uint64_t value = 0;
    while (::read(fds[0], &value, sizeof value) == static_cast<::ssize_t>(sizeof value)) values.push_back(value);
    return values;
  }
};

// Runs `body` in a forked child that reports through `pipe`; the child never returns into doctest.
template <class Body>
::pid_t spawn(report_pipe& pipe, Body body) {
  const ::pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(pipe.fds[0]);
    int code = 0;
    try {
      code = body();
    } catch (...) {
      code = 90;
    }
    ::_exit(code);
  }
  pipe.close_write();
  return pid;
}

int wait_for(::pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  return status;
}

}  // namespace

TEST_CASE("a second writer is refused with store_locked; readers open while a writer appends") {
  temp_dir dir;
  const std::string file = (dir.path / "chain.evl").string();
  const toy::signer signer(1);
  {
    toy_store writer(file);
    writer.commit(signer, records_at(0), 1);
    CHECK_THROWS_AS(toy_store(file), store_locked);
    CHECK_THROWS_AS(frame_log(file), store_locked);
    try {
      toy_store second(file);
      FAIL("a second writer opened the store");
    } catch (const store_locked& e) {
      CHECK(std::string(e.what()).find(file) != std::string::npos);
    }
    // Another process is refused just the same.
    report_pipe pipe;
    const ::pid_t child = spawn(pipe, [&] {
      try {
        toy_store other(file);
      } catch (const store_locked&) {
        return 7;
      }
      return 1;
    });
    const int status = wait_for(child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 7);

    // A reader sees what is committed, and refuses to write.
    writer.commit(signer, records_at(1), 2);
    toy_store reader(file, {}, {}, {}, {.read_only = true});
    CHECK(reader.ledger().size() == 2);
    CHECK(reader.ledger().verify().ok());
    CHECK_THROWS_AS(reader.commit(signer, records_at(2), 3), store_error);
    CHECK(reader.ledger().size() == 2);
    writer.commit(signer, records_at(2), 3);  // the reader holds no lock
    CHECK(writer.ledger().size() == 3);
  }
  // The lock went with the writer.
  toy_store again(file);
  CHECK(again.ledger().size() == 3);
}

TEST_CASE("a reader skips a torn last frame without removing it") {
  temp_dir dir;
  const std::string file = (dir.path / "chain.evl").string();
  const toy::signer signer(2);
  std::uintmax_t full = 0;
  {
    toy_store writer(file);
    for (std::size_t h = 0; h < 3; ++h) writer.commit(signer, records_at(h), 1);
    full = writer.file_size();
    writer.commit(signer, records_at(3), 1);
  }
  fs::resize_file(file, fs::file_size(file) - 5);
  const std::uintmax_t torn = fs::file_size(file);
  toy_store reader(file, {}, {}, {}, {.read_only = true});
  CHECK(reader.ledger().size() == 3);
  CHECK(reader.truncated_bytes() == torn - full);
  CHECK(fs::file_size(file) == torn);
  toy_store writer(file);
  CHECK(writer.ledger().size() == 3);
  CHECK(fs::file_size(file) == full);
}

TEST_CASE("a writer killed at random moments loses no returned commit and leaves a verifiable chain") {
  temp_dir dir;
  const std::string file = (dir.path / "chain.evl").string();
  const toy::signer signer(3);
  std::mt19937_64 rng(20261201);
  constexpr int kills = 220;
  constexpr std::uint64_t opened = ~std::uint64_t{0};  // the child's first report
  int torn_tails = 0, grew = 0, killed_mid_run = 0;
  std::size_t known = 0;  // blocks verified after the previous kill
  digest known_tip = digest::zeros(toy::hasher::digest_size);
  for (int round = 0; round < kills; ++round) {
    CAPTURE(round);
    const bool sync = round % 2 == 0;
    report_pipe pipe;
    const ::pid_t child = spawn(pipe, [&] {
      toy_store store(file, {}, {}, {}, {.sync_on_commit = sync});
      pipe.send(opened);
      for (;;) {
        const std::size_t height = store.ledger().size();
        store.commit(signer, records_at(height), static_cast<std::int64_t>(height));
        pipe.send(height + 1);  // acknowledged: commit() has returned
      }
      return 0;
    });
    // One round in four kills the writer wherever it is (often while it opens and recovers); the
    // others once its first commit has returned, so that it dies while writing or syncing however
    // slow the machine is. fsync takes milliseconds: a syncing writer gets longer to live.
    std::vector<std::uint64_t> acks;
    if (round % 4 != 1) {
      for (std::optional<std::uint64_t> report = pipe.receive(); report; report = pipe.receive()) {
        acks.push_back(*report);
        if (*report != opened) break;
      }
      if (acks.empty() || acks.back() == opened) FAIL("the writer did not commit");
    }
    const int longest = sync ? 40'000 : 4'000;
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, longest)(rng)));
    ::kill(child, SIGKILL);
    const int status = wait_for(child);
    killed_mid_run += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 1 : 0;
    const std::vector<std::uint64_t> rest = pipe.drain();
    acks.insert(acks.end(), rest.begin(), rest.end());
    std::erase(acks, opened);
    const std::size_t acknowledged = acks.empty() ? known : static_cast<std::size_t>(acks.back());

    toy_store store(file);
    const std::size_t size = store.ledger().size();
    // Every returned commit is there; at most the one in flight besides.
    REQUIRE(size >= acknowledged);
    REQUIRE(size <= acknowledged + 1);
    REQUIRE(size >= known);
    // Recovery removes at most one torn frame, never a whole one.
    CHECK(store.truncated_bytes() < frame_log::frame_overhead + 48 * 1024 + 512);
    torn_tails += store.truncated_bytes() > 0 ? 1 : 0;
    REQUIRE(store.ledger().verify().ok());
    if (known > 0) CHECK(store.ledger().at(known - 1).header.hash == known_tip);
    for (std::size_t h = known; h < size; ++h) CHECK(store.ledger().at(h).records == records_at(h));
    grew += size > known ? 1 : 0;
    known = size;
    if (known > 0) known_tip = store.ledger().at(known - 1).header.hash;
    if (known > 24) {  // start afresh now and then, so that reopening stays quick
      fs::remove(file);
      known = 0;
    }
  }
  MESSAGE("kills: " << killed_mid_run << ", rounds that committed: " << grew << ", torn tails cut: " << torn_tails);
  CHECK(killed_mid_run == kills);
  CHECK(grew >= kills / 2);
  // Torn tails are counted, not required: whether a kill lands inside a write depends on the
  // machine's speed. ledger_store_test cuts a frame at every byte to cover them deterministically.
}

TEST_CASE("a write refused by the file-size limit is an error and leaves the store recoverable") {
  temp_dir dir;
  const std::string file = (dir.path / "chain.evl").string();
  const toy::signer signer(4);
  report_pipe pipe;
  const ::pid_t child = spawn(pipe, [&] {
    ::signal(SIGXFSZ, SIG_IGN);  // the write then fails with EFBIG instead of killing the process
    toy_store store(file);
    for (std::size_t h = 0; h < 3; ++h) store.commit(signer, records_at(h), 1);
    ::rlimit limit{};
    if (::getrlimit(RLIMIT_FSIZE, &limit) != 0) return 10;
    const ::rlimit original = limit;
    limit.rlim_cur = static_cast<::rlim_t>(store.file_size() + 30 * 1024);
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return 11;
    std::size_t failures = 0;
    for (std::size_t h = 3; failures == 0 && h < 12; ++h) {
      const std::uint64_t before = store.file_size();
      try {
        store.commit(signer, records_at(store.ledger().size()), 1);
        pipe.send(store.ledger().size());
      } catch (const store_error& e) {
        ++failures;
        if (std::string(e.what()).find("write failed") == std::string::npos) return 12;
        if (store.file_size() != before || fs::file_size(file) != before) return 13;  // cut back
        if (store.ledger().size() != h) return 14;                                    // unchanged
      }
    }
    if (failures == 0) return 15;
    if (::setrlimit(RLIMIT_FSIZE, &original) != 0) return 16;
    store.commit(signer, records_at(store.ledger().size()), 1);  // the store works on
    pipe.send(store.ledger().size());
    return 0;
  });
  const int status = wait_for(child);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  const std::vector<std::uint64_t> acks = pipe.drain();
  REQUIRE(!acks.empty());
  toy_store store(file);
  CHECK(store.truncated_bytes() == 0);
  CHECK(store.ledger().size() == acks.back());
  CHECK(store.ledger().verify().ok());
  for (std::size_t h = 0; h < store.ledger().size(); ++h) CHECK(store.ledger().at(h).records == records_at(h));
}
