// Largest-remainder rounding (detail/largest_remainder.hpp) against a brute-force reference.
#include <evmarket/detail/largest_remainder.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

using evmarket::detail::int128;

namespace {

// The contract written out the slow way: exact floors and remainders in 128 bits, then a full
// sort by (remainder descending, index ascending) and one unit each to the first `leftover`.
std::vector<std::int64_t> reference_shares(std::int64_t total, const std::vector<std::int64_t>& weights) {
  int128 sum = 0;
  for (const auto w : weights) sum += w;
  std::vector<std::int64_t> shares(weights.size());
  std::vector<int128> remainder(weights.size());
  std::int64_t granted = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const int128 product = static_cast<int128>(total) * weights[i];
    shares[i] = static_cast<std::int64_t>(product / sum);
    remainder[i] = product % sum;
    granted += shares[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return remainder[a] != remainder[b] ? remainder[a] > remainder[b] : a < b;
  });
  for (std::int64_t k = 0; k < total - granted; ++k) ++shares[order[static_cast<std::size_t>(k)]];
  return shares;
}

std::vector<std::int64_t> helper_shares(std::int64_t total, const std::vector<std::int64_t>& weights) {
  const std::int64_t sum = std::accumulate(weights.begin(), weights.end(), std::int64_t{0});
  std::vector<std::int64_t> shares(weights.size(), -1);
  evmarket::detail::apportion_largest_remainder(
      total, sum, weights.size(), [&](std::size_t i) { return weights[i]; },
      [&](std::size_t i, std::int64_t units) { shares[i] = units; });
  return shares;
}

// Checks the helper against the reference and the contract's consequences directly.
void check_apportionment(std::int64_t total, const std::vector<std::int64_t>& weights) {
  const auto shares = helper_shares(total, weights);
  CHECK(shares == reference_shares(total, weights));
  CHECK(std::accumulate(shares.begin(), shares.end(), std::int64_t{0}) == total);
  const int128 sum = std::accumulate(weights.begin(), weights.end(), int128{0});
  for (std::size_t i = 0; i < weights.size(); ++i) {
    // |share * W - total * w| < W: within one unit of the exact share.
    const int128 gap = static_cast<int128>(shares[i]) * sum - static_cast<int128>(total) * weights[i];
    CHECK((gap < sum && -gap < sum));
  }
}

}  // namespace

TEST_CASE("apportionment agrees with the brute-force reference on small inputs full of ties") {
  std::mt19937_64 rng(16);
  for (int trial = 0; trial < 2000; ++trial) {
    const std::size_t n = 1 + rng() % 12;
    const std::int64_t top = trial % 3 == 0 ? 3 : 1000;  // few distinct weights: equal remainders
    std::vector<std::int64_t> weights(n);
    for (auto& w : weights) w = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(top + 1));
    if (std::accumulate(weights.begin(), weights.end(), std::int64_t{0}) == 0) weights[0] = 1;
    const std::int64_t sum = std::accumulate(weights.begin(), weights.end(), std::int64_t{0});
    const auto total = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(sum + 1));  // 0 .. W
    CAPTURE(trial);
    check_apportionment(total, weights);
  }
}

TEST_CASE("large inputs take the sampled single pass, and its fallback, with the same answer") {
  std::mt19937_64 rng(2026);
  const std::size_t n = 200'000;  // above the sampling threshold
  SUBCASE("random demands at simple and awkward ratios") {
    std::vector<std::int64_t> weights(n);
    for (auto& w : weights) w = 1'000 + static_cast<std::int64_t>(rng() % 349'001);
    const std::int64_t sum = std::accumulate(weights.begin(), weights.end(), std::int64_t{0});
    for (const std::int64_t total : {sum / 10 * 7, sum / 3, sum - 1, std::int64_t{12345}, std::int64_t{0}}) {
      CAPTURE(total);
      check_apportionment(total, weights);
    }
  }
  SUBCASE("every sampled entry differs from the rest, so the prediction misses") {
    std::vector<std::int64_t> weights(n, 3);
    for (std::size_t i = 0; i < n; i += 64) weights[i] = 1'000'003;
    const std::int64_t sum = std::accumulate(weights.begin(), weights.end(), std::int64_t{0});
    check_apportionment(sum / 7, weights);
    check_apportionment(sum / 2 + 1, weights);
  }
  SUBCASE("all equal: every remainder ties and the earlier entries win") {
    const std::vector<std::int64_t> weights(n, 5);
    check_apportionment(static_cast<std::int64_t>(n) + 17, weights);
    const auto shares = helper_shares(static_cast<std::int64_t>(n / 2) + 3, weights);
    CHECK(shares[2] == 1);
    CHECK(shares[n / 2 + 2] == 1);
    CHECK(shares[n / 2 + 3] == 0);
  }
}

TEST_CASE("weights summing above 2^52 use exact 128-bit remainders") {
  std::mt19937_64 rng(52);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t n = 1 + rng() % 20;
    std::vector<std::int64_t> weights(n);
    for (auto& w : weights) w = static_cast<std::int64_t>(rng() >> 8);  // up to 2^56 each
    const std::int64_t sum = std::accumulate(weights.begin(), weights.end(), std::int64_t{0});
    if (sum < (std::int64_t{1} << 52)) continue;
    const auto total = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(sum));
    CAPTURE(trial);
    check_apportionment(total, weights);
  }
}

TEST_CASE("largest fractions: the count largest win, ineligible entries never, ties to the earlier index") {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 500; ++trial) {
    const std::size_t n = 1 + rng() % (trial % 10 == 0 ? 20'000 : 15);
    std::vector<double> fraction(n);
    for (auto& f : fraction) {
      const auto r = rng() % 10;
      f = r == 0 ? -1.0 : static_cast<double>(rng() % 8) / 8.0;  // many equal fractions
    }
    std::vector<std::size_t> eligible;
    for (std::size_t i = 0; i < n; ++i)
      if (fraction[i] >= 0.0) eligible.push_back(i);
    const std::size_t count = eligible.empty() ? 0 : rng() % (eligible.size() + 1);
    std::stable_sort(eligible.begin(), eligible.end(),
                     [&](std::size_t a, std::size_t b) { return fraction[a] > fraction[b]; });
    std::vector<int> expected(n, 0), awarded(n, 0);
    for (std::size_t k = 0; k < count; ++k) expected[eligible[k]] = 1;
    evmarket::detail::award_largest_fractions(fraction, count, [&](std::size_t i) { ++awarded[i]; });
    CAPTURE(trial);
    CHECK(awarded == expected);
  }
}
