// Solves the assignment problems in matrix files and prints the optimum and the solve time, for
// bench/compare_hungarian_scipy.py. File format: int64 rows, int64 cols, then rows * cols
// float64 values in row-major order (native byte order); +inf (-inf with --maximise) marks a
// forbidden pair. One solver object serves every repetition, as a caller solving repeatedly would.
//   hungarian_cli [--repeat N] [--maximise] FILE...
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
  auto sense = evmarket::objective::minimise;
  int first = 1;
  for (; first < argc; ++first) {
    if (std::strcmp(argv[first], "--repeat") == 0 && first + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++first]));
    } else if (std::strcmp(argv[first], "--maximise") == 0) {
      sense = evmarket::objective::maximise;
    } else {
      break;
    }
  }
  if (first >= argc) {
    std::fprintf(stderr, "usage: %s [--repeat N] [--maximise] FILE...\n", argv[0]);
    return 2;
  }
  evmarket::assignment_solver<double> solver;
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
      const auto result = solver.solve(w, sense);
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
