#pragma once
/// @file
/// Vector kernels of the assignment engine's row scan (detail/jonker_volgenant.hpp) for unmasked
/// double matrices on x86-64: SSE2, which every x86-64 has, and AVX2, chosen at run time when the
/// processor has it. Elsewhere (or for other scalars, or with a mask) the engine's portable loop
/// does the same work. Internal.

#include <evmarket/version.hpp>

#include <atomic>
#include <cstddef>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EVMARKET_ASSIGNMENT_SCAN_X86 1
#include <immintrin.h>
#else
#define EVMARKET_ASSIGNMENT_SCAN_X86 0
#endif

EVMARKET_BEGIN_NAMESPACE
namespace detail {

/// The widest instruction set the row scan may use.
enum class scan_isa { portable, sse2, avx2 };

/// Caps the instruction set of later solves (tests use it to run every path on one machine).
inline std::atomic<scan_isa>& scan_isa_cap() noexcept {
  static std::atomic<scan_isa> cap{scan_isa::avx2};
  return cap;
}

/// The instruction set a solve starting now uses: the cap, lowered to what the processor has.
inline scan_isa current_scan_isa() noexcept {
#if EVMARKET_ASSIGNMENT_SCAN_X86
  static const bool has_avx2 = __builtin_cpu_supports("avx2") != 0;
  const scan_isa cap = scan_isa_cap().load(std::memory_order_relaxed);
  return cap == scan_isa::avx2 && !has_avx2 ? scan_isa::sse2 : cap;
#else
  return scan_isa::portable;
#endif
}

#if EVMARKET_ASSIGNMENT_SCAN_X86
namespace scan_kernel {

// Every kernel below relaxes or searches entries [begin, end) and returns the first entry it
// left to the caller's portable loop (fewer than one vector's worth), so the caller finishes the
// tail. Relaxation: entry k is column open[k] when Gather, column k otherwise; its candidate
// distance is offset + c - pot[k] (offset - c - pot[k] when Negate); dist[k] takes the smaller of
// the candidate and itself, from[k] takes i where the candidate is strictly smaller, and `lowest`
// gets four running minima of the new distances (the caller's lanes).

template <bool Gather, bool Negate>
std::size_t relax_sse2(std::size_t begin, std::size_t end, const std::size_t* open, const double* r,
                       const double* pot, double* dist, std::ptrdiff_t* from, std::ptrdiff_t i, double offset,
                       double (&lowest)[4]) noexcept {
  static_assert(sizeof(std::ptrdiff_t) == sizeof(long long));
  const __m128d base = _mm_set1_pd(offset);
  const __m128i row_index = _mm_set1_epi64x(static_cast<long long>(i));
  __m128d low[2] = {_mm_loadu_pd(lowest), _mm_loadu_pd(lowest + 2)};
  std::size_t k = begin;
  for (; k + 4 <= end; k += 4) {
    for (std::size_t half = 0; half < 2; ++half) {
      const std::size_t e = k + 2 * half;
      __m128d c;
      if constexpr (Gather)
        c = _mm_loadh_pd(_mm_load_sd(r + open[e]), r + open[e + 1]);
      else
        c = _mm_loadu_pd(r + e);
      const __m128d candidate = _mm_sub_pd(Negate ? _mm_sub_pd(base, c) : _mm_add_pd(base, c), _mm_loadu_pd(pot + e));
      const __m128d old = _mm_loadu_pd(dist + e);
      const __m128d now = _mm_min_pd(candidate, old);  // candidate < old ? candidate : old
      _mm_storeu_pd(dist + e, now);
      const __m128i better = _mm_castpd_si128(_mm_cmplt_pd(candidate, old));
      auto* const f = reinterpret_cast<__m128i*>(from + e);
      _mm_storeu_si128(f, _mm_or_si128(_mm_and_si128(better, row_index), _mm_andnot_si128(better, _mm_loadu_si128(f))));
      low[half] = _mm_min_pd(now, low[half]);
    }
  }
  _mm_storeu_pd(lowest, low[0]);
  _mm_storeu_pd(lowest + 2, low[1]);
  return k;
}

// One group of four entries of relax_avx2.
template <bool Gather, bool Negate>
__attribute__((target("avx2"))) inline __m256d relax_four_avx2(std::size_t e, const std::size_t* open, const double* r,
                                                               const double* pot, double* dist, std::ptrdiff_t* from,
                                                               __m256d base, __m256d row_index) noexcept {
  __m256d c;
  if constexpr (Gather)
    c = _mm256_set_pd(r[open[e + 3]], r[open[e + 2]], r[open[e + 1]], r[open[e]]);
  else
    c = _mm256_loadu_pd(r + e);
  const __m256d candidate =
      _mm256_sub_pd(Negate ? _mm256_sub_pd(base, c) : _mm256_add_pd(base, c), _mm256_loadu_pd(pot + e));
  const __m256d old = _mm256_loadu_pd(dist + e);
  const __m256d now = _mm256_min_pd(candidate, old);  // candidate < old ? candidate : old
  _mm256_storeu_pd(dist + e, now);
  const __m256d better = _mm256_cmp_pd(candidate, old, _CMP_LT_OQ);
  // The predecessors are integers: blendv only selects their bits.
  auto* const f = reinterpret_cast<double*>(from + e);
  _mm256_storeu_pd(f, _mm256_blendv_pd(_mm256_loadu_pd(f), row_index, better));
  return now;
}

template <bool Gather, bool Negate>
__attribute__((target("avx2"))) std::size_t relax_avx2(std::size_t begin, std::size_t end, const std::size_t* open,
                                                       const double* r, const double* pot, double* dist,
                                                       std::ptrdiff_t* from, std::ptrdiff_t i, double offset,
                                                       double (&lowest)[4]) noexcept {
  static_assert(sizeof(std::ptrdiff_t) == sizeof(long long));
  const __m256d base = _mm256_set1_pd(offset);
  const __m256d row_index = _mm256_castsi256_pd(_mm256_set1_epi64x(static_cast<long long>(i)));
  __m256d low_a = _mm256_loadu_pd(lowest);
  __m256d low_b = low_a;
  std::size_t k = begin;
  for (; k + 8 <= end; k += 8) {
    low_a = _mm256_min_pd(relax_four_avx2<Gather, Negate>(k, open, r, pot, dist, from, base, row_index), low_a);
    low_b = _mm256_min_pd(relax_four_avx2<Gather, Negate>(k + 4, open, r, pot, dist, from, base, row_index), low_b);
  }
  _mm256_storeu_pd(lowest, _mm256_min_pd(low_a, low_b));
  return k;
}

// The search's choice among entries [begin, end) at distance `target`: `free` is the first
// whose owner[k] is negative (a free column), `any` the first at all; `end` where none.
struct tie_choice {
  std::size_t free;
  std::size_t any;
};

// Finishes a tie_choice from entry k on, one entry at a time.
inline tie_choice first_equal_tail(std::size_t k, std::size_t end, const double* dist, const std::ptrdiff_t* owner,
                                   double target, tie_choice found) noexcept {
  for (; k < end; ++k) {
    if (!(dist[k] == target)) continue;
    if (found.any == end) found.any = k;
    if (owner[k] < 0) return {k, found.any};
  }
  return found;
}

// Folds the bit masks of one group of entries from k (hits: equal to the target; free: owner
// negative) into `found`; true once a free entry is found.
inline bool fold_hits(std::size_t k, unsigned hits, unsigned free, tie_choice& found, std::size_t end) noexcept {
  if (hits == 0) return false;
  if (found.any == end) found.any = k + static_cast<std::size_t>(__builtin_ctz(hits));
  const unsigned free_hits = hits & free;
  if (free_hits == 0) return false;
  found.free = k + static_cast<std::size_t>(__builtin_ctz(free_hits));
  return true;
}

inline tie_choice first_equal_sse2(std::size_t begin, std::size_t end, const double* dist, const std::ptrdiff_t* owner,
                                   double target) noexcept {
  const __m128d t = _mm_set1_pd(target);
  tie_choice found{end, end};
  std::size_t k = begin;
  for (; k + 4 <= end; k += 4) {
    const int low = _mm_movemask_pd(_mm_cmpeq_pd(_mm_loadu_pd(dist + k), t));
    const int high = _mm_movemask_pd(_mm_cmpeq_pd(_mm_loadu_pd(dist + k + 2), t));
    const auto hits = static_cast<unsigned>(low | (high << 2));
    if (hits == 0) continue;
    // The sign bit of each owner (a 64-bit integer) says whether the column is free.
    const auto* const o = reinterpret_cast<const double*>(owner + k);
    const auto free = static_cast<unsigned>(_mm_movemask_pd(_mm_loadu_pd(o)) | (_mm_movemask_pd(_mm_loadu_pd(o + 2)) << 2));
    if (fold_hits(k, hits, free, found, end)) return found;
  }
  return first_equal_tail(k, end, dist, owner, target, found);
}

__attribute__((target("avx2"))) inline tie_choice first_equal_avx2(std::size_t begin, std::size_t end,
                                                                   const double* dist, const std::ptrdiff_t* owner,
                                                                   double target) noexcept {
  const __m256d t = _mm256_set1_pd(target);
  tie_choice found{end, end};
  std::size_t k = begin;
  for (; k + 8 <= end; k += 8) {
    const int low = _mm256_movemask_pd(_mm256_cmp_pd(_mm256_loadu_pd(dist + k), t, _CMP_EQ_OQ));
    const int high = _mm256_movemask_pd(_mm256_cmp_pd(_mm256_loadu_pd(dist + k + 4), t, _CMP_EQ_OQ));
    const auto hits = static_cast<unsigned>(low | (high << 4));
    if (hits == 0) continue;
    const auto* const o = reinterpret_cast<const double*>(owner + k);
    const auto free =
        static_cast<unsigned>(_mm256_movemask_pd(_mm256_loadu_pd(o)) | (_mm256_movemask_pd(_mm256_loadu_pd(o + 4)) << 4));
    if (fold_hits(k, hits, free, found, end)) return found;
  }
  return first_equal_tail(k, end, dist, owner, target, found);
}

}  // namespace scan_kernel
#endif

}  // namespace detail
EVMARKET_END_NAMESPACE
