#pragma once
/// @file
/// Internals of the call auction: a stable LSD radix sort of order indices by a 64-bit key, and
/// the exact value of price x quantity with a 64-bit fast path.

#include <evmarket/core/rounding.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/detail/checked.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

/// Indices 0..n-1 ordered by ascending key_of(i); equal keys keep their input order. An LSD
/// radix sort: when the keys span fewer than 2^32 values (prices within 4,294 Token/kWh of each
/// other), each item is one 64-bit word (key offset << 32 | index) and only the key's
/// significant bits are sorted, in passes of at most 13 bits; otherwise 16-byte items and
/// 11-bit passes, skipping digits that are equal in every key. `order` receives the result;
/// `from` and `to` are scratch, reused across calls so repeated clearings do not page-fault.
template <class KeyOf>
void stable_order_by_key(std::size_t n, KeyOf key_of, std::vector<std::uint32_t>& order,
                         std::vector<std::uint64_t>& from, std::vector<std::uint64_t>& to) {
  order.resize(n);
  if (n == 0) return;
  if (n < 128) {
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return key_of(a) < key_of(b); });
    return;
  }
  std::uint64_t low = key_of(0), high = low;
  for (std::size_t i = 1; i < n; ++i) {
    const std::uint64_t k = key_of(i);
    low = std::min(low, k);
    high = std::max(high, k);
  }
  if (high - low <= 0xFFFF'FFFFu) {
    const unsigned bits = high == low ? 0u : 64u - static_cast<unsigned>(__builtin_clzll(high - low));
    from.resize(n);
    to.resize(n);
    for (std::size_t i = 0; i < n; ++i) from[i] = (key_of(i) - low) << 32 | i;
    if (bits > 0) {
      const unsigned passes = (bits + 12) / 13;
      const unsigned digit_bits = (bits + passes - 1) / passes;
      const std::uint64_t mask = (std::uint64_t{1} << digit_bits) - 1;
      std::vector<std::uint32_t> counts(std::size_t{1} << digit_bits);
      for (unsigned pass = 0; pass < passes; ++pass) {
        const unsigned shift = 32 + pass * digit_bits;
        std::fill(counts.begin(), counts.end(), 0u);
        for (const std::uint64_t item : from) ++counts[(item >> shift) & mask];
        std::uint32_t running = 0;
        for (std::uint32_t& c : counts) {
          const std::uint32_t here = c;
          c = running;
          running += here;
        }
        for (const std::uint64_t item : from) to[counts[(item >> shift) & mask]++] = item;
        from.swap(to);
      }
    }
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(from[i]);
    return;
  }
  struct item {
    std::uint64_t key;
    std::uint32_t index;
  };
  constexpr unsigned digit_bits = 11;
  constexpr std::size_t radix = std::size_t{1} << digit_bits;
  constexpr unsigned digit_count = (64 + digit_bits - 1) / digit_bits;
  std::vector<item> wide(n), spare(n);
  std::uint64_t differing = 0;
  for (std::size_t i = 0; i < n; ++i) {
    wide[i] = {key_of(i), static_cast<std::uint32_t>(i)};
    differing |= wide[i].key ^ wide[0].key;
  }
  std::vector<std::uint32_t> counts(radix);
  for (unsigned d = 0; d < digit_count; ++d) {
    const unsigned shift = d * digit_bits;
    if (((differing >> shift) & (radix - 1)) == 0) continue;
    std::fill(counts.begin(), counts.end(), 0u);
    for (const item& it : wide) ++counts[(it.key >> shift) & (radix - 1)];
    std::uint32_t running = 0;
    for (std::uint32_t& c : counts) {
      const std::uint32_t here = c;
      c = running;
      running += here;
    }
    for (const item& it : wide) spare[counts[(it.key >> shift) & (radix - 1)]++] = it;
    wide.swap(spare);
  }
  for (std::size_t i = 0; i < n; ++i) order[i] = wide[i].index;
}

}  // namespace detail
EVMARKET_END_NAMESPACE
