#pragma once
// Shared by the libFuzzer harnesses: a property check that stops the run with a message (libFuzzer
// then keeps the input that broke it), and readers of structured values from the fuzzer's bytes.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace evmarket_fuzz {

/// Aborts (a crash libFuzzer reports and saves) when a property fails.
#define FUZZ_CHECK(condition)                                                               \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                         \
    }                                                                                       \
  } while (false)

/// An integer that is usually small and sometimes an extreme of its type (zero, negative, the
/// limits), so both the common paths and the overflow checks get exercised.
inline std::int64_t edgy_int(FuzzedDataProvider& in, std::int64_t small_max) {
  switch (in.ConsumeIntegralInRange<int>(0, 15)) {
    case 0:
      return std::numeric_limits<std::int64_t>::max();
    case 1:
      return std::numeric_limits<std::int64_t>::min();
    case 2:
      return 0;
    case 3:
      return -in.ConsumeIntegralInRange<std::int64_t>(0, small_max);
    case 4:
      return in.ConsumeIntegral<std::int64_t>();
    case 5:
      return std::numeric_limits<std::int64_t>::max() / in.ConsumeIntegralInRange<std::int64_t>(1, 1000);
    default:
      return in.ConsumeIntegralInRange<std::int64_t>(1, small_max);
  }
}

}  // namespace evmarket_fuzz
