// Solves the assignment problems in matrix files and prints the optimum and the solve time, for
// bench/compare_hungarian_scipy.py. File format: int64 rows, int64 cols, then rows * cols
// float64 values in row-major order (native byte order).
//   hungarian_cli [--repeat N] FILE...
// Prints one line per file: "<rows> <cols> <optimal value %.17g> <median solve ms>".
#include <evmarket/matching/hungarian.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using row_major = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

bool read_matrix(const char* path, row_major& w) {
  std::FILE* file = std::fopen(path, "rb");
  if (file == nullptr) return false;
  std::int64_t shape[2] = {0, 0};
  bool ok = std::fread(shape, sizeof(std::int64_t), 2, file) == 2 && shape[0] >= 0 && shape[1] >= 0;
  if (ok) {
    w.resize(shape[0], shape[1]);
    const auto count = static_cast<std::size_t>(shape[0] * shape[1]);
    ok = std::fread(w.data(), sizeof(double), count, file) == count;
  }
  std::fclose(file);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 3;
  int first = 1;
  if (argc > 2 && std::strcmp(argv[1], "--repeat") == 0) {
    repeat = std::max(1, std::atoi(argv[2]));
    first = 3;
  }
  if (first >= argc) {
    std::fprintf(stderr, "usage: %s [--repeat N] FILE...\n", argv[0]);
    return 2;
  }
  for (int k = first; k < argc; ++k) {
    row_major w;
    if (!read_matrix(argv[k], w)) {
      std::fprintf(stderr, "%s: cannot read a matrix\n", argv[k]);
      return 2;
    }
    std::vector<double> times;
    double value = 0;
    for (int r = 0; r < repeat; ++r) {
      const auto start = std::chrono::steady_clock::now();
      const auto result = evmarket::solve_assignment(w);
      const auto stop = std::chrono::steady_clock::now();
      if (!result.optimal()) {
        std::fprintf(stderr, "%s: infeasible\n", argv[k]);
        return 1;
      }
      value = result.value;
      times.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(times.begin(), times.end());
    std::printf("%td %td %.17g %.6f\n", w.rows(), w.cols(), value, times[times.size() / 2]);
    std::fflush(stdout);
  }
  return 0;
}
