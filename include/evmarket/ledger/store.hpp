#pragma once
/// @file
/// A durable, append-only file store for a chain. The file is an 8-byte magic followed by frames
/// {u32 length, u32 CRC-32 of the length, payload, u32 CRC-32 of the payload}. Opening recovers
/// from a crash by truncating a torn last frame; a damaged frame with intact frames after it is
/// corruption, not a crash, and is reported instead of silently dropping committed blocks.
///
/// Durability contract:
/// - A commit that has returned survives the death of the process (a crash, SIGKILL) whatever the
///   options: its frame is complete in the kernel's page cache before commit() returns.
/// - It survives a power cut or an operating-system crash when it was made with
///   `sync_on_commit` (the default: commit() returns after fsync), or once a later `sync()` has
///   returned (group commit: with `sync_on_commit = false`, call sync() after a batch).
/// - A commit that threw, or was in flight when the process died, is either wholly present or
///   wholly absent after the next open; a partly written (torn) last frame is cut off.
/// - A failed write (disk full, file-size limit, I/O error) throws store_error; the file is cut
///   back to its last complete frame and the in-memory chain is unchanged.
///
/// Concurrency: one writer per file. A writer holds an exclusive advisory lock (flock) for as long
/// as it is open, so a second writer, in this process or another, gets store_locked instead of
/// interleaving frames. Readers (`read_only`) take no lock and may open while a writer appends: they
/// see every frame complete at the moment they read, and never modify the file. A store object is
/// not itself thread-safe: share it between threads only behind the caller's own mutex.

#include <evmarket/core/error.hpp>
#include <evmarket/detail/ledger_file.hpp>
#include <evmarket/ledger/block.hpp>
#include <evmarket/ledger/chain.hpp>
#include <evmarket/ledger/concepts.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// How the store opens and writes.
struct store_options {
  /// fsync after every commit: a commit that returned survives a power cut. Turn off only when
  /// losing the blocks committed since the last sync() on a power cut is acceptable (they are then
  /// truncated cleanly); a process crash loses nothing either way.
  bool sync_on_commit = true;
  /// Open an existing file for reading only: no lock, no recovery truncation, commits refused.
  /// A torn or in-progress last frame is skipped, not removed.
  bool read_only = false;
};

/// The framed, checksummed, append-only file underneath chain_store.
class frame_log {
public:
  /// The first bytes of every ledger file ("EVMLEDG" and format 1).
  static constexpr std::array<std::uint8_t, 8> magic = {'E', 'V', 'M', 'L', 'E', 'D', 'G', 1};
  /// Bytes a frame adds around its payload.
  static constexpr std::size_t frame_overhead = 12;

  /// Opens (or creates) the file at `path` and recovers it: a torn last frame is cut off. A writer
  /// takes the file's exclusive lock first (store_locked when another writer holds it).
  explicit frame_log(const std::string& path, store_options options = {})
      : file_(path, options.read_only ? O_RDONLY : O_RDWR | O_CREAT), options_(options) {
    if (!options_.read_only) file_.lock_exclusive();
    const bytes content = file_.read_all();
    if (content.size() < magic.size()) {
      // An empty file, or one torn while its magic was written: start it afresh.
      if (!std::equal(content.begin(), content.end(), magic.begin()))
        throw store_error("'" + path + "' is not an evmarket ledger file");
      end_ = magic.size();
      if (options_.read_only) return;
      file_.write_at(0, magic);
      file_.truncate(magic.size());
      file_.sync();
      file_.sync_directory();
      return;
    }
    if (!std::equal(magic.begin(), magic.end(), content.begin()))
      throw store_error("'" + path + "' is not an evmarket ledger file (bad magic)");
    const std::size_t position = scan(path, content);
    end_ = position;
    if (position < content.size()) {
      truncated_ = content.size() - position;
      if (options_.read_only) return;
      file_.truncate(position);
      file_.sync();
    }
  }

  /// Appends one frame; when sync_on_commit is set it is on disk when this returns. On a write
  /// error the file is cut back to its previous end and the error rethrown.
  void append(byte_view payload) {
    if (options_.read_only) throw store_error("cannot append: the ledger file was opened read-only");
    detail::require(payload.size() <= 0xFFFFFFFFU - frame_overhead, "payload.size", payload.size(),
                    "is larger than a frame can hold");
    bytes frame(frame_overhead + payload.size());
    const auto length = static_cast<std::uint32_t>(payload.size());
    write_u32(frame.data(), length);
    write_u32(frame.data() + 4, detail::crc32::of(byte_view(frame.data(), 4)));
    std::copy(payload.begin(), payload.end(), frame.begin() + 8);
    write_u32(frame.data() + 8 + payload.size(), detail::crc32::of(payload));
    try {
      file_.write_at(end_, frame);
      if (options_.sync_on_commit) file_.sync();
    } catch (const store_error&) {
      try {
        file_.truncate(end_);
      } catch (const store_error&) {
        // The next open recovers the torn frame; the original error is the one to report.
      }
      throw;
    }
    end_ += frame.size();
  }

  /// Makes every frame appended so far durable (fsync); the group commit of the durability
  /// contract when sync_on_commit is off.
  void sync() const {
    if (!options_.read_only) file_.sync();
  }

  /// The payloads found when the file was opened (moved out by the first call).
  [[nodiscard]] std::vector<bytes> take_frames() noexcept { return std::move(frames_); }
  /// Bytes of a torn last frame that recovery cut off (0 after a clean shutdown).
  [[nodiscard]] std::uint64_t truncated_bytes() const noexcept { return truncated_; }
  /// Current size of the file in bytes.
  [[nodiscard]] std::uint64_t size() const noexcept { return end_; }

private:
  // Reads the frames after the magic into frames_; returns where the intact frames end.
  std::size_t scan(const std::string& path, const bytes& content) {
    std::size_t position = magic.size();
    while (position < content.size()) {
      const std::size_t left = content.size() - position;
      if (left < 8) break;  // torn inside a frame header
      const byte_view header(content.data() + position, 8);
      const std::uint32_t length = read_u32(header.data());
      if (detail::crc32::of(header.first(4)) != read_u32(header.data() + 4)) {
        if (all_zero(content, position)) break;  // a crash extended the file with zeros
        throw store_error("'" + path + "' is corrupted: bad frame header at offset " + std::to_string(position));
      }
      if (left - 8 < static_cast<std::size_t>(length) + 4) break;  // torn inside the payload
      const byte_view payload(content.data() + position + 8, length);
      if (detail::crc32::of(payload) != read_u32(payload.data() + payload.size())) {
        if (position + frame_overhead + length == content.size()) break;  // the last write did not land
        throw store_error("'" + path + "' is corrupted: bad frame checksum at offset " + std::to_string(position));
      }
      frames_.emplace_back(payload.begin(), payload.end());
      position += frame_overhead + length;
    }
    return position;
  }
  static std::uint32_t read_u32(const std::uint8_t* p) noexcept {
    return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
           (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
  }
  static void write_u32(std::uint8_t* p, std::uint32_t value) noexcept {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
  static bool all_zero(const bytes& content, std::size_t from) noexcept {
    return std::all_of(content.begin() + static_cast<std::ptrdiff_t>(from), content.end(),
                       [](std::uint8_t b) { return b == 0; });
  }

  detail::posix_file file_;
  store_options options_;
  std::vector<bytes> frames_;
  std::uint64_t end_ = 0;
  std::uint64_t truncated_ = 0;
};

/// A chain kept in a frame_log: every committed block is one frame. Opening replays and
/// verifies every stored block; committing verifies, writes, then appends in memory. Single
/// writer: see the file comment for the durability contract and the lock.
template <Hasher H, Verifier V>
class chain_store {
public:
  /// Opens (or creates) the store at `path`. Throws store_locked when another writer has it open,
  /// store_error when the file is corrupted or holds a block that does not verify (recovery only
  /// ever removes a torn, uncommitted frame).
  explicit chain_store(const std::string& path, H hasher = H{}, V verifier = V{}, std::vector<bytes> authorities = {},
                       store_options options = {})
      : log_(path, options), chain_(std::move(hasher), std::move(verifier), std::move(authorities)) {
    std::vector<bytes> frames = log_.take_frames();
    for (std::size_t i = 0; i < frames.size(); ++i) {
      try {
        chain_.append(decode_block(frames[i]));
      } catch (const error& e) {
        throw store_error("'" + path + "' frame " + std::to_string(i) + ": " + e.what());
      }
    }
  }

  /// Commits a block built elsewhere: throws block_rejected (nothing written) unless it is the
  /// next block and verifies; throws store_error (chain unchanged) if it cannot be written.
  void commit(block b) {
    const block_fault fault = verify_block(chain_.hasher(), chain_.verifier(), b, chain_.next_position(),
                                           chain_.authorities());
    if (fault != block_fault::none) throw block_rejected(b.header.height, fault);
    log_.append(encode_block(b));
    chain_.append(std::move(b));
  }

  /// Seals `records` into the next block with `signer` and commits it.
  template <Signer S>
  const block& commit(const S& signer, std::vector<bytes> records, std::int64_t timestamp) {
    commit(seal_block(chain_.hasher(), signer, chain_.size(), chain_.tip_hash(), std::move(records), timestamp));
    return chain_.blocks().back();
  }

  /// Makes every commit so far durable against a power cut (fsync); needed only when the store was
  /// opened with sync_on_commit off.
  void sync() const { log_.sync(); }

  /// The chain as stored.
  [[nodiscard]] const chain<H, V>& ledger() const noexcept { return chain_; }
  /// Bytes of a torn last frame cut off when the store was opened.
  [[nodiscard]] std::uint64_t truncated_bytes() const noexcept { return log_.truncated_bytes(); }
  /// Size of the file in bytes.
  [[nodiscard]] std::uint64_t file_size() const noexcept { return log_.size(); }

private:
  frame_log log_;
  chain<H, V> chain_;
};

EVMARKET_END_NAMESPACE
