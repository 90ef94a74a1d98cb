// Catalogue rows for ledger/: hostile bytes, chain append and verification, trade
// confirmations (replayed and out-of-order), sealing, and opening a damaged store.
#include "catalogue.hpp"
#include "ledger_toy_crypto.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <tuple>

namespace {

using namespace evmarket;
using evmarket_catalogue::section;
using evmarket_catalogue::verdict;

trade sample_trade() {
  trade t{};
  t.buy_order = order_id{1};
  t.sell_order = order_id{2};
  t.buyer = participant_id{10};
  t.seller = participant_id{20};
  t.quantity = watt_hours(1500);
  t.buyer_price = micro_tokens_per_kwh(240000);
  t.seller_price = micro_tokens_per_kwh(240000);
  return t;
}

bytes edited(bytes b, std::size_t at, std::uint8_t value) {
  b.at(at) = value;
  return b;
}
bytes cut(const bytes& b, std::size_t size) { return bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(size)); }
bytes appended(bytes b, std::uint8_t value) {
  b.push_back(value);
  return b;
}

void decoding_rows(section& s) {
  const bytes good = encode_record(sample_trade());
  const auto hostile = [](bytes b) { return [b] { return b; }; };
  const auto decode = [](bytes& b) { (void)decode_record<trade>(b); };
  const auto same_bytes = [](const bytes& b) { return b; };
  const auto row = [&](std::string input, std::string field, std::string value, bytes b) {
    s.on<decode_error>("decode_record<trade>", std::move(input), std::move(field), std::move(value), hostile(b), decode,
                       same_bytes, "input bytes");
  };
  row("empty input", "offset 0", "truncated", {});
  row("truncated envelope (5 bytes)", "offset 4", "truncated", cut(good, 5));
  row("truncated body (one byte short)", "offset 4", "exceeds the bytes that follow", cut(good, good.size() - 1));
  row("a trailing byte", "offset", "1 trailing bytes", appended(good, 0));
  row("newer format version 3", "offset 2", "unsupported trade format version 3", edited(good, 2, 3));
  row("format version 0", "offset 2", "unsupported trade format version 0", edited(good, 2, 0));
  row("the tag of another record", "offset 0", "is not trade", edited(good, 1, 0x01));
  row("body length 2^32 - 1", "offset 4", "exceeds the bytes that follow",
      [&] {
        bytes b = good;
        for (std::size_t i = 4; i < 8; ++i) b[i] = 0xFF;
        return b;
      }());
  const auto decode_station = [](bytes& b) { (void)decode_record<station_request>(b); };
  s.on<decode_error>("decode_record<station_request>", "a trade's bytes", "offset 0", "is not station_request",
                     hostile(good), decode_station, same_bytes, "input bytes");
  s.on<decode_error>("decode_record<station_request>", "truncated body", "offset", "exceeds the bytes that follow",
                     hostile(cut(encode_record(station_request{station_id{1}, watts(5), 1.0}), 12)), decode_station,
                     same_bytes, "input bytes");
  s.on<decode_error>("peek_record", "truncated envelope (3 bytes)", "offset 2", "truncated", hostile(cut(good, 3)),
                     [](bytes& b) { (void)peek_record(b); }, same_bytes, "input bytes");

  // Field values outside their type's range.
  const bytes confirmed = encode_record(confirmed_trade{sample_trade(), {2, 5}, 1, 1, {}, {}});
  const std::size_t slot_at = record_envelope_size + record_envelope_size + (good.size() - record_envelope_size) + 8;
  s.on<decode_error>("decode_record<confirmed_trade>", "a negative trading period slot", "offset", "negative trading period slot",
                     hostile(edited(confirmed, slot_at + 3, 0x80)),
                     [](bytes& b) { (void)decode_record<confirmed_trade>(b); }, same_bytes, "input bytes");
  allocation zero_denominator{{watts(1)}, watts(1), watts(1), watts(1), {1, 1}};
  bytes a = encode_record(zero_denominator);
  for (std::size_t i = a.size() - 8; i < a.size(); ++i) a[i] = 0;
  s.on<decode_error>("decode_record<allocation>", "a zero satisfaction denominator", "offset", "denominator", hostile(a),
                     [](bytes& b) { (void)decode_record<allocation>(b); }, same_bytes, "input bytes");
  encoder oversized;
  oversized.u16(record_tags::allocation);
  oversized.u16(1);
  oversized.u32(4 + 8 * 5 + 16);
  oversized.u32(0xFFFFFFFFU);
  for (int i = 0; i < 7; ++i) oversized.u64(0);
  s.on<decode_error>("decode_record<allocation>", "overflow: four billion quotas claimed in 60 bytes", "offset 8",
                     "length 4294967295", hostile(oversized.buffer()),
                     [](bytes& b) { (void)decode_record<allocation>(b); }, same_bytes, "input bytes");
  encoder negative_zero;
  negative_zero.u64(0x8000000000000000ULL);
  s.on<decode_error>("decoder::real", "-0.0 (a non-canonical double)", "offset 0", "non-canonical floating-point value",
                     hostile(negative_zero.buffer()), [](bytes& b) {
                       decoder in(b);
                       (void)in.real();
                     },
                     same_bytes, "input bytes");
}

using toy_chain = chain<toy::hasher, toy::verifier>;

toy_chain chain_of_two() {
  toy_chain c;
  const toy::signer platform(1);
  c.append(platform, {encode_record(sample_trade())}, 100);
  c.append(platform, {encode_record(sample_trade()), bytes{1, 2, 3}}, 200);
  return c;
}
auto chain_state(const toy_chain& c) { return std::vector<block>(c.blocks().begin(), c.blocks().end()); }

/// A valid next block for chain_of_two(), changed by `change` (re-sealed unless told not to).
block next_block(void (*change)(block&)) {
  const toy_chain c = chain_of_two();
  block b = seal_block(c.hasher(), toy::signer(1), c.size(), c.tip_hash(), {bytes{9}}, 300);
  change(b);
  return b;
}

void chain_rows(section& s) {
  const auto append = [](block b) { return [b](toy_chain& c) { c.append(b); }; };
  const auto row = [&](std::string input, std::string value, block b) {
    s.on<block_rejected>("chain::append", std::move(input), "block " + std::to_string(b.header.height), std::move(value),
                         chain_of_two, append(b), chain_state);
  };
  row("a replayed block (the tip again)", "wrong height", chain_of_two().blocks().back());
  row("a replayed genesis block", "wrong height", chain_of_two().blocks().front());
  row("height skipping ahead", "wrong height", next_block([](block& b) { b.header.height = 5; }));
  row("a broken link", "broken link", next_block([](block& b) { b.header.previous_hash = digest::zeros(32); }));
  row("a record changed after sealing", "bad Merkle root", next_block([](block& b) { b.records[0][0] ^= 1; }));
  row("a header changed after sealing", "hash mismatch", next_block([](block& b) { b.header.timestamp += 1; }));
  row("a forged signature", "bad signature", next_block([](block& b) { b.header.signature[0] ^= 1; }));
  row("an unsupported format version", "unsupported", next_block([](block& b) { b.header.format_version = 9; }));
  row("another hash algorithm", "hash algorithm", next_block([](block& b) { b.header.hash_algorithm = 1; }));
  s.on<block_rejected>("chain::append (signer)", "a timestamp before the tip's", "block 2", "timestamp", chain_of_two,
                       [](toy_chain& c) { c.append(toy::signer(1), {bytes{1}}, 150); }, chain_state);
  s.on<block_rejected>("chain::append (signer)", "a signer outside the authorities", "block 0", "unknown signer",
                       [] { return toy_chain({}, {}, {bytes(16, 1)}); },
                       [](toy_chain& c) { c.append(toy::signer(2), {bytes{1}}, 1); }, chain_state);
  s.on<bad_input>("chain::at", "height beyond the tip", "height", "2", chain_of_two,
                  [](toy_chain& c) { (void)c.at(2); }, chain_state);
  s.on<bad_input>("chain::prove", "height beyond the tip", "height", "7", chain_of_two,
                  [](toy_chain& c) { (void)c.prove(7, 0); }, chain_state);
  s.on<bad_input>("chain::prove", "record index beyond the block", "index", "2", chain_of_two,
                  [](toy_chain& c) { (void)c.prove(1, 2); }, chain_state);

  const bytes encoded = encode_block(chain_of_two().blocks().back());
  const auto hostile = [](bytes b) { return [b] { return b; }; };
  const auto same_bytes = [](const bytes& b) { return b; };
  const auto decode = [](bytes& b) { (void)decode_block(b); };
  s.on<decode_error>("decode_block", "empty input", "offset 0", "truncated", hostile({}), decode, same_bytes, "input bytes");
  s.on<decode_error>("decode_block", "truncated (half a block)", "offset", "exceeds the bytes that follow",
                     hostile(cut(encoded, encoded.size() / 2)), decode, same_bytes, "input bytes");
  s.on<decode_error>("decode_block", "a trailing byte", "offset", "1 trailing bytes", hostile(appended(encoded, 7)),
                     decode, same_bytes, "input bytes");
  s.on<decode_error>("decode_block", "format version 9", "offset 0", "unsupported block format version",
                     hostile(edited(encoded, 0, 9)), decode, same_bytes, "input bytes");

  const auto records = [] { return std::vector<bytes>{bytes{1}, bytes{2}, bytes{3}}; };
  s.on<bad_input>("prove_inclusion", "index beyond the records", "index", "3", records,
                  [](std::vector<bytes>& r) { (void)prove_inclusion(toy::hasher{}, std::span<const bytes>(r), 3); },
                  [](const std::vector<bytes>& r) { return r; }, "records");
  s.on<bad_input>("prove_inclusion", "empty records", "index", "0", [] { return std::vector<bytes>{}; },
                  [](std::vector<bytes>& r) { (void)prove_inclusion(toy::hasher{}, std::span<const bytes>(r), 0); },
                  [](const std::vector<bytes>& r) { return r; }, "records");
  s.on<bad_input>("merkle_root_of_leaves", "a leaf of the wrong size", "leaves.size", "20",
                  [] { return std::vector<digest>{digest::zeros(32), digest::zeros(20)}; },
                  [](std::vector<digest>& leaves) {
                    (void)merkle_root_of_leaves(toy::hasher{}, std::span<const digest>(leaves));
                  },
                  [](const std::vector<digest>& leaves) { return leaves.size(); }, "leaves");
}

// ---- two-party confirmations: rejections are status values ----

using checker = confirmation_checker<toy::verifier>;
const toy::signer buyer_key(10), seller_key(20);

confirmed_trade confirmation(std::uint64_t buyer_sequence, std::uint64_t seller_sequence, trade deal = sample_trade()) {
  confirmed_trade t{deal, {3, 17}, buyer_sequence, seller_sequence, {}, {}};
  t.buyer_signature = sign_confirmation(buyer_key, deal, t.period, buyer_sequence, seller_sequence);
  t.seller_signature = sign_confirmation(seller_key, deal, t.period, buyer_sequence, seller_sequence);
  return t;
}

checker one_accepted() {
  participant_registry registry;
  registry.enroll(participant_id{10}, bytes(buyer_key.public_key().begin(), buyer_key.public_key().end()));
  registry.enroll(participant_id{20}, bytes(seller_key.public_key().begin(), seller_key.public_key().end()));
  checker c(std::move(registry));
  (void)c.accept(confirmation(1, 1));
  return c;
}

std::string status_name(confirmation_status status) {
  static constexpr const char* names[] = {"accepted",           "self_trade",           "unknown_buyer",
                                          "unknown_seller",     "bad_buyer_signature", "bad_seller_signature",
                                          "replayed",           "out_of_order"};
  return std::string("confirmation_status::") + names[static_cast<int>(status)];
}

void confirmation_rows(section& s) {
  const auto sequences = [](const checker& c) {
    return std::tuple(c.last_sequence(participant_id{10}), c.last_sequence(participant_id{20}), c.registry().size());
  };
  const auto row = [&](std::string input, confirmation_status expected, confirmed_trade t) {
    s.on_status("confirmation_checker::accept", std::move(input), status_name(expected), std::string(to_string(expected)),
                "", one_accepted,
                [t](checker& c) -> verdict {
                  const confirmation_status got = c.accept(t);
                  if (got == confirmation_status::accepted) return {};
                  return {status_name(got), std::string(to_string(got))};
                },
                sequences);
  };
  row("a replayed confirmation (sequence 1 again)", confirmation_status::replayed, confirmation(1, 1));
  row("the buyer's sequence replayed, the seller's new", confirmation_status::replayed, confirmation(1, 2));
  row("out of order: sequence 3 before 2", confirmation_status::out_of_order, confirmation(3, 3));
  row("out of order: the seller skips ahead", confirmation_status::out_of_order, confirmation(2, 9));
  trade self = sample_trade();
  self.seller = self.buyer;
  row("a self trade", confirmation_status::self_trade, confirmation(2, 2, self));
  trade stranger = sample_trade();
  stranger.buyer = participant_id{99};
  row("an unregistered buyer", confirmation_status::unknown_buyer, confirmation(2, 2, stranger));
  stranger = sample_trade();
  stranger.seller = participant_id{98};
  row("an unregistered seller", confirmation_status::unknown_seller, confirmation(2, 2, stranger));
  confirmed_trade forged = confirmation(2, 2);
  forged.buyer_signature[0] ^= 1;
  row("a forged buyer signature", confirmation_status::bad_buyer_signature, forged);
  forged = confirmation(2, 2);
  forged.deal.quantity = watt_hours(1);
  row("a quantity changed after signing", confirmation_status::bad_buyer_signature, forged);
  forged = confirmation(2, 2);
  forged.seller_signature.clear();
  row("a missing seller signature", confirmation_status::bad_seller_signature, forged);

  const auto registry = [] {
    participant_registry r;
    r.enroll(participant_id{1}, bytes{1, 2});
    return r;
  };
  const auto keys = [](const participant_registry& r) { return std::tuple(r.size(), r.contains(participant_id{2})); };
  s.on<bad_input>("participant_registry::enroll", "a participant enrolled twice", "participant", "1", registry,
                  [](participant_registry& r) { r.enroll(participant_id{1}, bytes{3}); }, keys);
  s.on<bad_input>("participant_registry::enroll", "an empty key", "public_key", "<empty>", registry,
                  [](participant_registry& r) { r.enroll(participant_id{2}, bytes{}); }, keys);
  s.call<bad_input>("seal_record", "a nonce of the wrong size", "nonce.size", "2",
                    [] { (void)seal_record(toy::aead(7), bytes{1, 2}, sample_trade()); });
}

// ---- the store: opening a damaged file, committing a bad block ----

using toy_store = chain_store<toy::hasher, toy::verifier>;

void write_file(const std::string& path, const bytes& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(content.data()), static_cast<std::streamsize>(content.size()));
}
bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// A store file holding two committed blocks.
bytes two_block_file() {
  const std::string path = evmarket_catalogue::scratch_path("two-blocks.evl");
  std::filesystem::remove(path);
  {
    toy_store store(path);
    store.commit(toy::signer(1), {encode_record(sample_trade())}, 1);
    store.commit(toy::signer(1), {bytes{5}}, 2);
  }
  bytes content = read_file(path);
  std::filesystem::remove(path);
  return content;
}

void store_rows(section& s) {
  const auto open_row = [&](std::string input, std::string value, std::function<bytes()> content) {
    const std::string name = "open-" + std::to_string(std::hash<std::string>{}(input) % 100000) + ".evl";
    s.on<store_error>(
        "chain_store::chain_store", std::move(input), "<tmp>/" + name, std::move(value),
        [name, content] {
          const std::string path = evmarket_catalogue::scratch_path(name);
          write_file(path, content());
          return path;
        },
        [](std::string& path) { (void)toy_store(path); }, [](const std::string& path) { return read_file(path); },
        "file bytes");
  };
  open_row("a text file", "is not an evmarket ledger file", [] { return bytes{'n', 'o', 't', ' ', 'a', ' ', 'l', 'e', 'd', 'g', 'e', 'r'}; });
  open_row("a file shorter than the magic", "is not an evmarket ledger file", [] { return bytes{'x', 'y'}; });
  open_row("a damaged first frame header", "bad frame header at offset 8", [] {
    bytes b = two_block_file();
    b[frame_log::magic.size() + 1] ^= 0x01;
    return b;
  });
  open_row("a damaged first frame payload", "bad frame checksum at offset 8", [] {
    bytes b = two_block_file();
    b[frame_log::magic.size() + 20] ^= 0x01;
    return b;
  });
  open_row("a checksummed frame that is not a block", "frame 2", [] {
    bytes b = two_block_file();
    const std::string path = evmarket_catalogue::scratch_path("garbage-frame.evl");
    write_file(path, b);
    {
      frame_log log(path);
      log.append(bytes{'n', 'o', ' ', 'b', 'l', 'o', 'c', 'k'});
    }
    b = read_file(path);
    std::filesystem::remove(path);
    return b;
  });
  open_row("a replayed block (the first block stored again)", "wrong height", [] {
    bytes b = two_block_file();
    const std::string path = evmarket_catalogue::scratch_path("replayed-frame.evl");
    write_file(path, b);
    {
      frame_log log(path);
      log.append(encode_block(chain_of_two().blocks().front()));
    }
    b = read_file(path);
    std::filesystem::remove(path);
    return b;
  });

  struct opened {
    std::string path;
    std::unique_ptr<toy_store> store;
  };
  const auto committed_store = [] {
    const std::string path = evmarket_catalogue::scratch_path("commit.evl");
    write_file(path, two_block_file());
    return opened{path, std::make_unique<toy_store>(path, toy::hasher{}, toy::verifier{}, std::vector<bytes>{bytes(16, 1)})};
  };
  const auto state = [](const opened& o) {
    return std::tuple(read_file(o.path), o.store->file_size(), chain_state(o.store->ledger()));
  };
  s.on<block_rejected>("chain_store::commit", "a signer outside the authorities", "block 2", "unknown signer", committed_store,
                       [](opened& o) { (void)o.store->commit(toy::signer(2), {bytes{1}}, 3); }, state, "file and chain");
  s.on<block_rejected>("chain_store::commit", "a timestamp before the tip's", "block 2", "timestamp earlier", committed_store,
                       [](opened& o) { (void)o.store->commit(toy::signer(1), {bytes{1}}, 0); }, state, "file and chain");
  s.on<block_rejected>("chain_store::commit", "a replayed block", "block 1", "wrong height", committed_store,
                       [](opened& o) { o.store->commit(o.store->ledger().blocks().back()); }, state, "file and chain");
}

const bool registered = evmarket_catalogue::add_section(80, "ledger", [](section& s) {
  decoding_rows(s);
  chain_rows(s);
  confirmation_rows(s);
  store_rows(s);
});

}  // namespace
