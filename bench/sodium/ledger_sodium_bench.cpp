// The ledger with libsodium: append (leaf hashes + Merkle tree + block hash + Ed25519 signature)
// and verify for 10^5 records per chain, and the interface's overhead over calling libsodium
// directly on the same bytes (the *_direct benchmarks are the baselines).
#include <evmarket/ledger/chain.hpp>
#include <evmarket/ledger/encoding.hpp>
#include <evmarket/ledger/sodium.hpp>

#include <benchmark/benchmark.h>
#include <sodium.h>

#include <array>
#include <vector>

using namespace evmarket;

namespace {

constexpr std::size_t total_records = 100'000;
constexpr std::size_t records_per_block = 1'000;

const std::vector<bytes>& trade_records() {
  static const std::vector<bytes> records = [] {
    std::vector<bytes> r;
    r.reserve(total_records);
    for (std::size_t i = 0; i < total_records; ++i) {
      const auto n = static_cast<std::uint64_t>(i);
      r.push_back(encode_record(priced_trade(order_id{2 * n + 1}, order_id{2 * n + 2}, participant_id{n % 97},
                                             participant_id{n % 89 + 100},
                                             watt_hours(static_cast<std::int64_t>(1'000 + n % 5'000)),
                                             micro_tokens_per_kwh(1'000'000), micro_tokens_per_kwh(1'000'000))));
    }
    return r;
  }();
  return records;
}

const sodium::ed25519_signer& platform() {
  static const sodium::ed25519_signer signer = sodium::ed25519_signer::from_seed(bytes(32, 7));
  return signer;
}

using sodium_chain = chain<sodium::sha256, sodium::ed25519_verifier>;

sodium_chain build_chain() {
  const auto& records = trade_records();
  sodium_chain c;
  for (std::size_t start = 0; start < records.size(); start += records_per_block)
    c.append(platform(), std::vector<bytes>(records.begin() + static_cast<std::ptrdiff_t>(start),
                                            records.begin() + static_cast<std::ptrdiff_t>(start + records_per_block)),
             static_cast<std::int64_t>(start));
  return c;
}

// Hashes per chain: a leaf per record, n - 1 nodes per block, one header hash per block.
constexpr double hashes_per_chain = static_cast<double>(total_records + (total_records - total_records / records_per_block) +
                                                        total_records / records_per_block);
constexpr double blocks_per_chain = static_cast<double>(total_records / records_per_block);

void set_counters(benchmark::State& state, double hashes, double signatures) {
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["hashes/s"] = benchmark::Counter(hashes * iterations, benchmark::Counter::kIsRate);
  state.counters["signatures/s"] = benchmark::Counter(signatures * iterations, benchmark::Counter::kIsRate);
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(total_records) * iterations, benchmark::Counter::kIsRate);
}

// 10^5 records in 100 blocks of 1000: hash, Merkle, sign, and the append's own verification.
void BM_chain_append_1e5_records(benchmark::State& state) {
  trade_records();
  for (auto _ : state) {
    sodium_chain c = build_chain();
    benchmark::DoNotOptimize(c.tip_hash());
  }
  // append verifies each block before it joins: every hash is computed twice, each block signed
  // once and verified once.
  set_counters(state, 2 * hashes_per_chain, blocks_per_chain);
}
BENCHMARK(BM_chain_append_1e5_records)->Unit(benchmark::kMillisecond);

void BM_chain_verify_1e5_records(benchmark::State& state) {
  const sodium_chain c = build_chain();
  for (auto _ : state) benchmark::DoNotOptimize(c.verify());
  set_counters(state, hashes_per_chain, blocks_per_chain);
}
BENCHMARK(BM_chain_verify_1e5_records)->Unit(benchmark::kMillisecond);

// --- Overhead of the interface: the same bytes through evmarket and through libsodium directly.

void BM_merkle_1e5_interface(benchmark::State& state) {
  const auto& records = trade_records();
  for (auto _ : state) benchmark::DoNotOptimize(merkle_root(sodium::sha256{}, std::span<const bytes>(records)));
  set_counters(state, 2.0 * total_records - 1, 0);
}
BENCHMARK(BM_merkle_1e5_interface)->Unit(benchmark::kMillisecond);

void BM_merkle_1e5_direct(benchmark::State& state) {
  const auto& records = trade_records();
  using node = std::array<unsigned char, crypto_hash_sha256_BYTES>;
  const unsigned char leaf_prefix = 0x00;
  const unsigned char node_prefix = 0x01;
  for (auto _ : state) {
    std::vector<node> level(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      crypto_hash_sha256_state s;
      crypto_hash_sha256_init(&s);
      crypto_hash_sha256_update(&s, &leaf_prefix, 1);
      crypto_hash_sha256_update(&s, records[i].data(), records[i].size());
      crypto_hash_sha256_final(&s, level[i].data());
    }
    while (level.size() > 1) {
      const std::size_t pairs = level.size() / 2;
      for (std::size_t i = 0; i < pairs; ++i) {
        crypto_hash_sha256_state s;
        crypto_hash_sha256_init(&s);
        crypto_hash_sha256_update(&s, &node_prefix, 1);
        crypto_hash_sha256_update(&s, level[2 * i].data(), level[2 * i].size());
        crypto_hash_sha256_update(&s, level[2 * i + 1].data(), level[2 * i + 1].size());
        crypto_hash_sha256_final(&s, level[i].data());
      }
      if (level.size() % 2 == 1) {
        level[pairs] = level.back();
        level.resize(pairs + 1);
      } else {
        level.resize(pairs);
      }
    }
    benchmark::DoNotOptimize(level.front());
  }
  set_counters(state, 2.0 * total_records - 1, 0);
}
BENCHMARK(BM_merkle_1e5_direct)->Unit(benchmark::kMillisecond);

const bytes& sample_preimage() {
  static const bytes preimage = [] {
    const sodium_chain c = [] {
      sodium_chain one;
      one.append(platform(), {trade_records()[0]}, 0);
      return one;
    }();
    return block_preimage(c.at(0).header);
  }();
  return preimage;
}

void BM_sign_interface(benchmark::State& state) {
  const bytes& message = sample_preimage();
  for (auto _ : state) benchmark::DoNotOptimize(platform().sign(message));
  set_counters(state, 0, 1);
  state.counters["records/s"] = 0;
}
BENCHMARK(BM_sign_interface);

void BM_sign_direct(benchmark::State& state) {
  const bytes& message = sample_preimage();
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk{};
  const std::array<unsigned char, 32> seed = [] {
    std::array<unsigned char, 32> s{};
    s.fill(7);
    return s;
  }();
  crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  for (auto _ : state) {
    // The same work as the adapter: a fresh 64-byte signature buffer per message.
    bytes signature(crypto_sign_BYTES);
    crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), sk.data());
    benchmark::DoNotOptimize(signature);
  }
  set_counters(state, 0, 1);
  state.counters["records/s"] = 0;
}
BENCHMARK(BM_sign_direct);

void BM_verify_signature_interface(benchmark::State& state) {
  const bytes& message = sample_preimage();
  const bytes signature = platform().sign(message);
  const sodium::ed25519_verifier verifier;
  for (auto _ : state) benchmark::DoNotOptimize(verifier.verify(platform().public_key(), message, signature));
  set_counters(state, 0, 1);
  state.counters["records/s"] = 0;
}
BENCHMARK(BM_verify_signature_interface);

void BM_verify_signature_direct(benchmark::State& state) {
  const bytes& message = sample_preimage();
  const bytes signature = platform().sign(message);
  const byte_view key = platform().public_key();
  for (auto _ : state)
    benchmark::DoNotOptimize(
        crypto_sign_verify_detached(signature.data(), message.data(), message.size(), key.data()) == 0);
  set_counters(state, 0, 1);
  state.counters["records/s"] = 0;
}
BENCHMARK(BM_verify_signature_direct);

}  // namespace
