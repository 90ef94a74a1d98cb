#pragma once
/// @file
/// A block (paper 002's structure: id, data, timestamp, previous block's hash, this block's
/// hash), extended with a Merkle root of the records, the algorithm ids and the signer's key and
/// signature so that anyone holding the matching Hasher and Verifier can check it alone.

#include <evmarket/core/error.hpp>
#include <evmarket/ledger/concepts.hpp>
#include <evmarket/ledger/encoding.hpp>
#include <evmarket/ledger/merkle.hpp>

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// The block format this library writes (and the only one it reads).
inline constexpr std::uint16_t block_format_version = 1;

/// What a block commits to. `hash` and `signature` cover every other field (see
/// block_preimage); the records themselves are covered through `merkle_root`.
struct block_header {
  /// The block format (block_format_version).
  std::uint16_t format_version = block_format_version;
  /// Position in the chain; the genesis block has height 0 (paper 002's block id).
  std::uint64_t height = 0;
  /// Hash of the block at height - 1; digest_size zero bytes for the genesis block.
  digest previous_hash;
  /// Merkle root of the block's encoded records.
  digest merkle_root;
  /// The writer's clock, in whatever unit the platform fixes (the library never reads a clock,
  /// so blocks are reproducible); verification requires it never to decrease.
  std::int64_t timestamp = 0;
  ///@{
  /// The Hasher's and the Signer's algorithm ids (a verifier refuses what it cannot check).
  algorithm_id hash_algorithm = 0;
  algorithm_id signature_algorithm = 0;
  ///@}
  /// Public key of the block's signer (an accounting node / the platform).
  bytes signer_key;
  /// H(block_preimage): this block's hash, which the next block links to.
  digest hash;
  /// The signer's signature over block_preimage.
  bytes signature;

  /// Member-wise equality.
  friend bool operator==(const block_header&, const block_header&) = default;
};

/// A header and the encoded records it commits to.
struct block {
  /// The header (what the signature covers).
  block_header header;
  /// The encoded records, in order.
  std::vector<bytes> records;

  /// Member-wise equality.
  friend bool operator==(const block&, const block&) = default;
};

namespace detail {
/// The header fields a block's signature covers, in wire order (shared by the preimage and the
/// stored block, so the two can never disagree).
inline void encode_signed_fields(encoder& out, const block_header& header) {
  out.u16(header.format_version);
  out.u64(header.height);
  out.blob(header.previous_hash);
  out.blob(header.merkle_root);
  out.i64(header.timestamp);
  out.u16(header.hash_algorithm);
  out.u16(header.signature_algorithm);
  out.blob(header.signer_key);
}
}  // namespace detail

/// The bytes a block's hash and signature cover: a 0x02 domain byte (Merkle leaves use 0x00,
/// nodes 0x01, trade confirmations 0x03), then every header field but the hash and signature.
[[nodiscard]] inline bytes block_preimage(const block_header& header) {
  encoder out;
  out.u8(0x02);
  detail::encode_signed_fields(out, header);
  return std::move(out).take();
}

/// The canonical bytes of a whole block (for storage and transmission).
[[nodiscard]] inline bytes encode_block(const block& b) {
  encoder out;
  const block_header& h = b.header;
  detail::encode_signed_fields(out, h);
  out.blob(h.hash);
  out.blob(h.signature);
  out.length(b.records.size(), "block.records");
  for (const bytes& record : b.records) out.blob(record);
  return std::move(out).take();
}

namespace detail {
inline digest decode_digest(decoder& in) {
  const std::size_t at = in.offset();
  const std::size_t size = in.length(1);
  if (size > digest::capacity) throw decode_error("digest longer than 64 bytes", at);
  return digest::from(in.raw(size));
}
}  // namespace detail

/// Decodes a block from untrusted bytes: structure only (verify_block checks its contents).
[[nodiscard]] inline block decode_block(byte_view encoded) {
  decoder in(encoded);
  block b;
  block_header& h = b.header;
  h.format_version = in.u16();
  if (h.format_version != block_format_version) throw decode_error("unsupported block format version", 0);
  h.height = in.u64();
  h.previous_hash = detail::decode_digest(in);
  h.merkle_root = detail::decode_digest(in);
  h.timestamp = in.i64();
  h.hash_algorithm = in.u16();
  h.signature_algorithm = in.u16();
  h.signer_key = in.blob();
  h.hash = detail::decode_digest(in);
  h.signature = in.blob();
  // Each record takes at least its 4-byte length prefix.
  b.records.resize(in.length(4));
  for (bytes& record : b.records) record = in.blob();
  in.expect_end();
  return b;
}

/// Builds and signs the block at `height` after the block whose hash is `previous_hash` (pass
/// digest::zeros(H::digest_size) for the genesis block).
template <Hasher H, Signer S>
[[nodiscard]] block seal_block(const H& hasher, const S& signer, std::uint64_t height, const digest& previous_hash,
                               std::vector<bytes> records, std::int64_t timestamp) {
  block b;
  block_header& h = b.header;
  h.height = height;
  h.previous_hash = previous_hash;
  h.merkle_root = merkle_root(hasher, std::span<const bytes>(records));
  h.timestamp = timestamp;
  h.hash_algorithm = H::algorithm;
  h.signature_algorithm = S::algorithm;
  const byte_view key = signer.public_key();
  h.signer_key.assign(key.begin(), key.end());
  const bytes preimage = block_preimage(h);
  h.hash = hasher.hash(preimage);
  h.signature = signer.sign(preimage);
  b.records = std::move(records);
  return b;
}

EVMARKET_END_NAMESPACE
