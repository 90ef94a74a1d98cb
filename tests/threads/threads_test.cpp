// Thread safety as the README states it: distinct objects on distinct threads, and shared const
// objects read from several threads, give exactly the serial results. Run under ThreadSanitizer by
// the tsan preset (cmake --workflow --preset tsan); in the ordinary suites it checks the results.
#include "../ledger_toy_crypto.hpp"

#include <evmarket/evmarket.hpp>
#if EVMARKET_THREADS_TEST_LP
#include <evmarket/lp.hpp>
#endif
#if EVMARKET_THREADS_TEST_SODIUM
#include <evmarket/ledger/sodium.hpp>
#endif

#include <doctest/doctest.h>

#include <random>
#include <thread>
#include <vector>

using namespace evmarket;

namespace {

constexpr int thread_count = 4;

// Everything one worker computed, compared whole between the serial and the parallel run.
struct summary {
  std::vector<std::vector<trade>> call_trades;
  std::vector<money> surpluses;
  std::vector<trade> book_trades;
  book_totals totals;
  std::vector<digest> tips;
  std::vector<double> weights;
  double shared_weights_sum = 0;
  std::string purchase;
  uint256 evm_purchase;
  std::vector<std::ptrdiff_t> assignment;
  bool shared_chain_ok = false;
  std::vector<exact_rational> nucleolus;

  friend bool operator==(const summary&, const summary&) = default;
};

// Objects every worker reads at once (const access only).
struct shared_inputs {
  pairwise_matrix judgments = pairwise_matrix::from_rows({{1, 5, 7}, {1. / 5, 1, 3}, {1. / 7, 1. / 3, 1}});
  analytic_hierarchy<> ahp;
  chain<toy::hasher, toy::verifier> ledger;
  shared_inputs() {
    const toy::signer signer(1);
    for (int h = 0; h < 8; ++h) ledger.append(signer, {bytes(16, static_cast<std::uint8_t>(h))}, h);
  }
};

std::vector<call_order> random_side(std::mt19937_64& rng, std::uint64_t first_id) {
  std::vector<call_order> orders;
  for (std::uint64_t k = 0; k < 12; ++k)
    orders.push_back({order_id{first_id + k}, participant_id{1 + rng() % 8},
                      watt_hours(1 + static_cast<std::int64_t>(rng() % 9000)),
                      micro_tokens_per_kwh(1 + static_cast<std::int64_t>(rng() % 2'000'000))});
  return orders;
}

template <class Rule>
void clear_into(summary& out, const std::vector<call_order>& bids, const std::vector<call_order>& offers, Rule rule) {
  call_auction<Rule> auction(std::move(rule));
  for (int round = 0; round < 3; ++round) {
    const call_auction_result r = auction.clear(bids, offers);
    out.call_trades.push_back(r.trades);
    out.surpluses.push_back(r.auctioneer_surplus);
  }
}

void auctions(summary& out, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto bids = random_side(rng, 1), offers = random_side(rng, 100);
  clear_into(out, bids, offers, midpoint_per_match{});
  clear_into(out, bids, offers, uniform_price<>{});
  clear_into(out, bids, offers, mcafee{});
  clear_into(out, bids, offers, vcg{});
  clear_into(out, bids, offers, sbba<>(seed));  // a stateful rule: its engine is per object
  order_book<trade_log_listener> book;
  for (std::uint64_t id = 1; id <= 400; ++id) {
    const side s = rng() % 2 == 0 ? side::buy : side::sell;
    const auto limit = static_cast<std::int64_t>(100 + rng() % 10) + (s == side::sell ? 3 : 0);
    book.add(limit_order(order_id{id}, participant_id{1 + rng() % 5}, s, micro_tokens_per_kwh(limit),
                         watt_hours(1 + static_cast<std::int64_t>(rng() % 20))));
    if (id % 7 == 0) book.cancel(order_id{id - 3});
  }
  out.book_trades = book.listener().trades;
  out.totals = book.totals();
}

void ledgers(summary& out, std::uint64_t seed) {
  chain<toy::hasher, toy::verifier> own;
  const toy::signer signer(static_cast<std::uint8_t>(seed));
  for (int h = 0; h < 20; ++h)
    own.append(signer, {bytes(24, static_cast<std::uint8_t>(seed + static_cast<std::uint64_t>(h)))}, h);
  CHECK(own.verify().ok());
  out.tips.push_back(own.tip_hash());
#if EVMARKET_THREADS_TEST_SODIUM
  chain<sodium::sha256, sodium::ed25519_verifier> signed_chain;
  const auto platform = sodium::ed25519_signer::from_seed(bytes(32, static_cast<std::uint8_t>(seed)));
  for (int h = 0; h < 10; ++h) signed_chain.append(platform, {bytes(8, static_cast<std::uint8_t>(h))}, h);
  out.tips.push_back(signed_chain.tip_hash());
#endif
}

void numerics(summary& out, std::uint64_t seed, const shared_inputs& shared) {
  const double k = 2.0 + static_cast<double>(seed);
  out.weights = analytic_hierarchy<>{}
                    .evaluate(pairwise_matrix::from_rows({{1, k, 2 * k}, {1 / k, 1, 2}, {1 / (2 * k), 0.5, 1}}))
                    .weights;
  for (const double w : shared.ahp.evaluate(shared.judgments).weights) out.shared_weights_sum += w;
  const bancor_curve<bin_float50> curve(1000 + static_cast<int>(seed), 250, bin_float50("0.5"));
  out.purchase = curve.purchase_return(10 + static_cast<int>(seed)).str(30);
  out.evm_purchase = bancor_evm::purchase_target_amount(uint256(1'000'000'000 + seed), uint256(250'000'000), 500'000,
                                                        uint256(10'000'000));
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> w(6, 6);
  std::mt19937_64 rng(seed);
  for (Eigen::Index i = 0; i < 6; ++i)
    for (Eigen::Index j = 0; j < 6; ++j) w(i, j) = static_cast<double>(rng() % 50);
  out.assignment = solve_assignment(w).column_of_row;
  out.shared_chain_ok = shared.ledger.verify().ok();
#if EVMARKET_THREADS_TEST_LP
  out.nucleolus = nucleolus(assignment_game<double>({{3.0 + static_cast<double>(seed), 2}, {2, 3}})).exact_allocation;
  const auto glove = tu_game<double>::from_function(4, [&](coalition s) {
    const auto left = std::popcount(s & 0b0011U), right = std::popcount(s & 0b1100U);
    return static_cast<double>(std::min(left, right)) * (1.0 + static_cast<double>(seed));
  });
  const nucleolus_result general = nucleolus(glove);
  CHECK(general.certified());
  out.nucleolus.insert(out.nucleolus.end(), general.exact_allocation.begin(), general.exact_allocation.end());
#endif
}

summary work(std::uint64_t seed, const shared_inputs& shared) {
  summary out;
  auctions(out, seed);
  ledgers(out, seed);
  numerics(out, seed, shared);
  return out;
}

}  // namespace

TEST_CASE("distinct objects on four threads, and shared const objects, give the serial results") {
  const shared_inputs shared;
  std::vector<summary> serial;
  for (int t = 0; t < thread_count; ++t) serial.push_back(work(static_cast<std::uint64_t>(t + 1), shared));
  CHECK(!serial[0].call_trades.front().empty());
  CHECK(!serial[0].book_trades.empty());
  for (int repeat = 0; repeat < 2; ++repeat) {
    std::vector<summary> parallel(thread_count);
    {
      std::vector<std::jthread> threads;
      for (int t = 0; t < thread_count; ++t)
        threads.emplace_back([&, t] {
          parallel[static_cast<std::size_t>(t)] = work(static_cast<std::uint64_t>(t + 1), shared);
#if EVMARKET_THREADS_TEST_LP
          // Debian's GLPK keeps one environment per thread (thread-local storage): a thread that
          // solved LPs frees its own before it ends, or LeakSanitizer reports it.
          glp_free_env();
#endif
        });
    }
    for (int t = 0; t < thread_count; ++t) {
      CAPTURE(t);
      CHECK(parallel[static_cast<std::size_t>(t)] == serial[static_cast<std::size_t>(t)]);
    }
  }
}
