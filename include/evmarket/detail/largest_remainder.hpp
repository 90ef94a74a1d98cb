#pragma once
/// @file
/// Largest-remainder (Hamilton) rounding, the one implementation behind the beta allocation, the
/// call auction's proportional rationing and the coordination's rounding to whole watts.
///
/// Contract of apportion_largest_remainder (shares of a whole-unit total by exact fractions):
/// entry i gets floor(total * w_i / W) units, and the units those floors leave go one each to the
/// entries with the largest exact remainders (total * w_i mod W); equal remainders go to the
/// earlier index. Hence every share is within one unit of total * w_i / W (below it by less than
/// one, or above it by less than one), and the shares sum to exactly `total`.
/// Internal; included only by core-level code, so it depends on core/ and detail/checked.hpp only.

#include <evmarket/detail/checked.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

/// Of the candidates' keys (given in index order), the `needed` largest win; equal keys win in
/// index order. Calls win(c) for each winning position c, in increasing c.
template <class Key, class Win>
void award_largest_keys(std::span<const Key> keys, std::size_t needed, Win win) {
  if (needed == 0) return;
  std::vector<Key> ordered(keys.begin(), keys.end());
  std::nth_element(ordered.begin(), ordered.begin() + static_cast<std::ptrdiff_t>(needed - 1), ordered.end(),
                   std::greater<>{});
  const Key cut = ordered[needed - 1];
  std::size_t at_cut =
      needed - static_cast<std::size_t>(std::count_if(keys.begin(), keys.end(), [cut](Key k) { return k > cut; }));
  for (std::size_t c = 0; c < keys.size(); ++c) {
    if (keys[c] > cut) {
      win(c);
    } else if (keys[c] == cut && at_cut > 0) {
      --at_cut;
      win(c);
    }
  }
}

/// Remainders are bucketed by their leading bits so that the largest ones are found in linear time
/// (a full sort of a million remainders would dominate); only the bucket holding the cut is ordered.
inline constexpr std::uint32_t remainder_buckets = 2048;

/// The bucket holding the `count`-th largest entry of a histogram, and how many entries lie above it.
inline std::pair<std::uint32_t, std::size_t> threshold_bucket(
    const std::array<std::size_t, remainder_buckets>& histogram, std::size_t count) {
  std::uint32_t threshold = remainder_buckets - 1;
  std::size_t above = 0;
  while (above + histogram[threshold] < count) above += histogram[threshold--];
  return {threshold, above};
}

/// Awards one unit each to the `count` entries with the largest fractions (fraction[i] in [0, 1);
/// a negative fraction marks an entry that may take no unit), equal fractions to the earlier index.
/// Requires count <= the number of eligible entries.
template <class Award>
void award_largest_fractions(std::span<const double> fraction, std::size_t count, Award award) {
  if (count == 0) return;
  const auto bucket_of = [](double f) {
    return std::min(remainder_buckets - 1, static_cast<std::uint32_t>(f * static_cast<double>(remainder_buckets)));
  };
  std::array<std::size_t, remainder_buckets> histogram{};
  for (const double f : fraction)
    if (f >= 0.0) ++histogram[bucket_of(f)];
  const auto [threshold, above] = threshold_bucket(histogram, count);
  std::vector<double> keys;
  std::vector<std::size_t> at_threshold;
  for (std::size_t i = 0; i < fraction.size(); ++i) {
    if (fraction[i] < 0.0) continue;
    const std::uint32_t b = bucket_of(fraction[i]);
    if (b > threshold) {
      award(i);
    } else if (b == threshold) {
      keys.push_back(fraction[i]);
      at_threshold.push_back(i);
    }
  }
  award_largest_keys<double>(keys, count - above, [&](std::size_t c) { award(at_threshold[c]); });
}

/// How apportion_largest_remainder works inside (see there). `Wide` holds the exact remainders:
/// uint64 when W < 2^52 (total * w - q * W is then exact modulo 2^64 and the true value small),
/// int128 otherwise.
///
/// Small inputs: one pass computes every floor and a histogram of the remainders' leading bits,
/// which locates the cut; only the bucket holding it is ordered. Large inputs: a sample of every
/// 64th entry predicts two remainders that bracket the cut, and one branch-free pass grants the
/// entries above the bracket their unit at once and keeps those inside it; the cut is then found
/// among the kept ones. The prediction only affects speed: when it misses, an exact pass follows.
template <class Wide, class WeightOf>
class remainder_apportionment {
 public:
  remainder_apportionment(std::int64_t total, std::int64_t weight_sum, std::size_t n, WeightOf weight_of)
      : n_(n),
        weight_of_(weight_of),
        shape_{total, weight_sum, static_cast<double>(total) / static_cast<double>(weight_sum),
               static_cast<std::uint64_t>((static_cast<uint128>(remainder_buckets) << 64) /
                                          static_cast<uint128>(weight_sum))} {}

  /// Writes every share through set(i, units).
  template <class Set>
  void run(Set set) {
    if (n_ >= sample_stride * min_samples && bracket_the_cut()) {
      if (single_pass(set)) return;
    }
    exact_pass(set);
  }

 private:
  static constexpr std::size_t sample_stride = 64;
  static constexpr std::size_t min_samples = 1024;
  static constexpr std::size_t chunk = 4096;  // entries per chunk of the single pass

  struct entry {
    std::size_t index;
    std::int64_t quota;
    Wide remainder;
  };

  // The arithmetic of one apportionment: a small value the hot loop keeps in registers.
  struct shape {
    std::int64_t total;
    std::int64_t sum;
    double beta;
    std::uint64_t multiplier;

    // total * a - b * W, exactly (int128) or modulo 2^64 (uint64: exact when the true value lies
    // in [0, 2^64), and recognisably out of range when it lies in (-W, 0)).
    Wide difference(std::int64_t a, std::int64_t b) const {
      return static_cast<Wide>(static_cast<Wide>(total) * static_cast<Wide>(a) -
                               static_cast<Wide>(b) * static_cast<Wide>(sum));
    }

    // floor(total * w / W) and the exact remainder. The double estimate is off by at most one unit.
    std::pair<std::int64_t, Wide> floor_share(std::int64_t w) const {
      auto quota = static_cast<std::int64_t>(static_cast<double>(w) * beta);
      Wide remainder = difference(w, quota);
      if constexpr (std::is_unsigned_v<Wide>) {
        const auto limit = static_cast<Wide>(sum);
        if (remainder >= limit) {
          // Either negative (wrapped to near 2^64): one too high; or in [W, 2W): one too low.
          const bool too_high = remainder > ~Wide{0} - limit;
          quota += too_high ? -1 : 1;
          remainder = too_high ? remainder + limit : remainder - limit;
        }
      } else {
        while (remainder < 0) {
          --quota;
          remainder += sum;
        }
        while (remainder >= sum) {
          ++quota;
          remainder -= sum;
        }
      }
      return {quota, remainder};
    }

    // floor(r * multiplier / 2^64) ~ r * remainder_buckets / W: monotone in r, below the count.
    std::uint32_t bucket(Wide remainder) const {
      return static_cast<std::uint32_t>((static_cast<uint128>(static_cast<std::uint64_t>(remainder)) * multiplier) >>
                                        64);
    }
  };

  const std::size_t n_;
  const WeightOf weight_of_;
  const shape shape_;
  // The predicted bracket: remainders above high_ win, those in [low_, high_] are kept.
  Wide low_{};
  Wide high_{};
  std::size_t expected_kept_ = 0;

  // Samples every 64th entry: the expected number of winners is the sum of the fractions, and the
  // bracket spans several standard errors either side of that rank. False when it cannot help.
  bool bracket_the_cut() {
    std::vector<Wide> sample;
    sample.reserve(n_ / sample_stride + 1);
    double winners = 0;
    for (std::size_t i = 0; i < n_; i += sample_stride) {
      const Wide remainder = shape_.floor_share(weight_of_(i)).second;
      sample.push_back(remainder);
      winners += static_cast<double>(remainder) / static_cast<double>(shape_.sum);
    }
    const auto m = static_cast<double>(sample.size());
    const double margin = 4.0 * std::sqrt(m) + 16.0;
    // Ranks counted from the largest: the bracket's top is the (winners - margin)-th largest.
    const double top_rank = winners - margin, bottom_rank = winners + margin;
    if (top_rank < 1.0 || bottom_rank > m - 1.0) return false;
    const auto top = sample.begin() + static_cast<std::ptrdiff_t>(m - top_rank);
    std::nth_element(sample.begin(), top, sample.end());
    high_ = *top;
    const auto bottom = sample.begin() + static_cast<std::ptrdiff_t>(m - bottom_rank);
    std::nth_element(sample.begin(), bottom, top);
    low_ = *bottom;
    expected_kept_ = static_cast<std::size_t>((bottom_rank - top_rank) * sample_stride * 1.5) + 64;
    return true;
  }

  // One pass with the predicted bracket. False (and nothing final) when the cut lies outside it.
  template <class Set>
  bool single_pass(Set set) {
    // Kept entries are appended without a branch: the slot past the last one absorbs the writes
    // of the others. The pass runs in chunks, and room for a whole chunk is made before each, so
    // the hot loop neither checks capacity nor keeps it in a register (x86-64 has too few; a
    // spilled accumulator costs a store-to-load round trip per entry). Default-initialised
    // storage: zeroing megabytes that are about to be overwritten would cost as much as the pass.
    std::size_t capacity = expected_kept_ + chunk + 1;
    auto kept_storage = std::make_unique_for_overwrite<entry[]>(capacity);
    std::size_t kept_size = 0;
    // Units granted so far, each winner's unit included: the pass then needs one accumulator, and
    // the units still to award at the cut are total - granted.
    std::int64_t granted = 0;
    for (std::size_t begin = 0; begin < n_; begin += chunk) {
      if (capacity - kept_size <= chunk) {
        auto grown = std::make_unique_for_overwrite<entry[]>(2 * capacity);
        std::copy(kept_storage.get(), kept_storage.get() + kept_size, grown.get());
        capacity *= 2;
        kept_storage = std::move(grown);
      }
      const std::size_t end = std::min(n_, begin + chunk);
      kept_size += pass_chunk(begin, end, kept_storage.get() + kept_size, granted, set);
    }
    const std::int64_t needed = shape_.total - granted;  // negative when the bracket sat too low
    if (needed < 0 || static_cast<std::size_t>(needed) > kept_size) return false;
    if (needed == 0) return true;
    const std::span<const entry> candidates(kept_storage.get(), kept_size);
    std::array<std::size_t, remainder_buckets> histogram{};
    for (const entry& e : candidates) ++histogram[shape_.bucket(e.remainder)];
    const auto [threshold, higher] = threshold_bucket(histogram, static_cast<std::size_t>(needed));
    settle(candidates, threshold, static_cast<std::size_t>(needed) - higher, set);
    return true;
  }

  // Entries [begin, end) of the single pass: sets each share (a unit more above the bracket),
  // appends those inside the bracket to `kept` and returns how many it appended.
  template <class Set>
  std::size_t pass_chunk(std::size_t begin, std::size_t end, entry* kept, std::int64_t& granted, Set set) const {
    // Locals, not members: `set` stores through a pointer the compiler must assume aliases them.
    const Wide low = low_, high = high_;
    const WeightOf weight_of = weight_of_;
    const shape form = shape_;
    std::int64_t units = 0;
    std::size_t kept_size = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const auto [quota, remainder] = form.floor_share(weight_of(i));
      const std::int64_t share = quota + static_cast<std::int64_t>(remainder > high);
      units += share;
      set(i, share);
      kept[kept_size] = {i, quota, remainder};
      kept_size += static_cast<std::size_t>(share == quota && remainder >= low);
    }
    granted += units;
    return kept_size;
  }

  // Every share from its floor, against the threshold bucket found by a histogram.
  template <class Set>
  void exact_pass(Set set) const {
    std::array<std::size_t, remainder_buckets> histogram{};
    std::vector<entry> all(n_);
    std::int64_t granted = 0;
    for (std::size_t i = 0; i < n_; ++i) {
      const auto [quota, remainder] = shape_.floor_share(weight_of_(i));
      ++histogram[shape_.bucket(remainder)];
      granted += quota;
      all[i] = {i, quota, remainder};
    }
    const auto leftover = static_cast<std::size_t>(shape_.total - granted);
    for (const entry& e : all) set(e.index, e.quota);
    if (leftover == 0) return;
    const auto [threshold, above] = threshold_bucket(histogram, leftover);
    settle(all, threshold, leftover - above, set);
  }

  // Entries of `candidates` above the threshold bucket take a unit, those in it compete for
  // `needed` units (largest remainders first, equal ones in index order).
  template <class Set>
  void settle(std::span<const entry> candidates, std::uint32_t threshold, std::size_t needed, Set set) const {
    std::vector<Wide> keys;
    std::vector<const entry*> at_threshold;
    for (const entry& e : candidates) {
      const std::uint32_t b = shape_.bucket(e.remainder);
      if (b > threshold) set(e.index, e.quota + 1);
      if (b == threshold) {
        keys.push_back(e.remainder);
        at_threshold.push_back(&e);
      }
    }
    award_largest_keys<Wide>(keys, needed,
                             [&](std::size_t c) { set(at_threshold[c]->index, at_threshold[c]->quota + 1); });
  }
};

/// Shares `total` whole units among n entries in proportion to their weights weight_of(i) >= 0,
/// summing to weight_sum = W > 0, by the largest-remainder contract in this file's summary.
/// set(i, units) receives each share (possibly more than once; the last value counts).
/// Requires 0 <= total <= W. Linear time.
template <class WeightOf, class Set>
void apportion_largest_remainder(std::int64_t total, std::int64_t weight_sum, std::size_t n, WeightOf weight_of,
                                 Set set) {
  if (weight_sum < (std::int64_t{1} << 52))
    remainder_apportionment<std::uint64_t, WeightOf>(total, weight_sum, n, weight_of).run(set);
  else
    remainder_apportionment<int128, WeightOf>(total, weight_sum, n, weight_of).run(set);
}

}  // namespace detail
EVMARKET_END_NAMESPACE
