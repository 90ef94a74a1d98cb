#pragma once
/// @file
/// Internals of the durable ledger store: CRC-32 and a thin POSIX file wrapper.

#include <evmarket/core/error.hpp>
#include <evmarket/ledger/concepts.hpp>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#else
#error "evmarket/ledger/store.hpp needs a POSIX system (open, pwrite, fsync, ftruncate)"
#endif

EVMARKET_BEGIN_NAMESPACE

/// The store's file could not be read or written, or is not a ledger file.
class store_error : public error {
public:
  using error::error;
};

/// Another writer (in this process or another) holds the store's file open for appending.
class store_locked : public store_error {
public:
  using store_error::store_error;
};

namespace detail {

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): detects torn and garbled frames. It is
/// not a security check; the chain's hashes and signatures are.
class crc32 {
public:
  static std::uint32_t of(byte_view data, std::uint32_t crc = 0) noexcept {
    crc = ~crc;
    for (std::uint8_t byte : data) crc = table()[(crc ^ byte) & 0xFFU] ^ (crc >> 8);
    return ~crc;
  }

private:
  static const std::array<std::uint32_t, 256>& table() noexcept {
    static const std::array<std::uint32_t, 256> entries = [] {
      std::array<std::uint32_t, 256> t{};
      for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
        t[i] = c;
      }
      return t;
    }();
    return entries;
  }
};

/// An owned POSIX file descriptor.
class posix_file {
public:
  posix_file() noexcept = default;
  posix_file(const std::string& path, int flags) : path_(path) {
    fd_ = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("open");
  }
  posix_file(posix_file&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}
  posix_file& operator=(posix_file&& other) noexcept {
    if (this != &other) {
      close();
      fd_ = std::exchange(other.fd_, -1);
      path_ = std::move(other.path_);
    }
    return *this;
  }
  posix_file(const posix_file&) = delete;
  posix_file& operator=(const posix_file&) = delete;
  ~posix_file() { close(); }

  [[nodiscard]] std::uint64_t size() const {
    struct stat info {};
    if (::fstat(fd_, &info) != 0) fail("fstat");
    return static_cast<std::uint64_t>(info.st_size);
  }
  [[nodiscard]] bytes read_all() const {
    bytes content(static_cast<std::size_t>(size()));
    std::size_t done = 0;
    while (done < content.size()) {
      const ::ssize_t got = ::pread(fd_, content.data() + done, content.size() - done, static_cast<::off_t>(done));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) fail("read");
      if (got == 0) break;
      done += static_cast<std::size_t>(got);
    }
    content.resize(done);
    return content;
  }
  void write_at(std::uint64_t offset, byte_view data) const {
    std::size_t done = 0;
    while (done < data.size()) {
      const ::ssize_t put = ::pwrite(fd_, data.data() + done, data.size() - done,
                                     static_cast<::off_t>(offset + done));
      if (put < 0 && errno == EINTR) continue;
      if (put < 0) fail("write");
      done += static_cast<std::size_t>(put);
    }
  }
  void truncate(std::uint64_t size) const {
    if (::ftruncate(fd_, static_cast<::off_t>(size)) != 0) fail("ftruncate");
  }
  void sync() const {
    if (::fsync(fd_) != 0) fail("fsync");
  }
  /// Takes an exclusive advisory lock (flock) without waiting; throws store_locked when another
  /// open file description holds it. flock, not fcntl: an fcntl lock belongs to the process and
  /// would vanish when any descriptor of the file is closed, and would not stop a second writer in
  /// the same process. The kernel drops the lock when the descriptor closes or the process dies.
  void lock_exclusive() const {
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EINTR) continue;
      if (errno == EWOULDBLOCK) throw store_locked("'" + path_ + "' is already open for writing by another writer");
      fail("flock");
    }
  }
  /// Makes a newly created file's directory entry durable (fsync on the file alone does not).
  void sync_directory() const {
    const std::size_t slash = path_.find_last_of('/');
    const std::string directory = slash == std::string::npos ? "." : (slash == 0 ? "/" : path_.substr(0, slash));
    const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) fail("open(directory)");
    const int status = ::fsync(dir);
    ::close(dir);
    if (status != 0) fail("fsync(directory)");
  }

private:
  [[noreturn]] void fail(const char* operation) const {
    throw store_error(std::string(operation) + " failed on '" + path_ + "': " + std::strerror(errno));
  }
  void close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
  std::string path_;
};

}  // namespace detail

EVMARKET_END_NAMESPACE
