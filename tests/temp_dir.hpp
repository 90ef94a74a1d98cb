#pragma once
// A fresh directory under the system's temp dir for a test, removed with everything in it.
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace evmarket_test {

struct temp_dir {
  std::filesystem::path path;
  explicit temp_dir(std::string_view prefix) {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           (std::string(prefix) + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

}  // namespace evmarket_test
