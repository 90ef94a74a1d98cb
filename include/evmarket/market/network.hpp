#pragma once
/// @file
/// The "security check on the transmission line" papers 000 and 004 run before a trade is final:
/// a radial distribution feeder with thermal line limits, checked and reserved one trade at a
/// time, and the SecurityCheck policy a session uses (with the trivial "always passes" and
/// "transformer limit only" policies beside it).
///
/// The model is the linear, lossless one a distribution operator's congestion check uses:
/// - buses 0..n-1; bus 0 is the slack bus at the transformer; the n-1 lines form a tree, so
///   every bus has one path to the transformer. Each line has a thermal limit in W that holds in
///   either direction.
/// - every bus carries the operator's forecast base load (positive: consumption, negative: net
///   generation). The line into bus c carries the net load of c's subtree; the transformer
///   carries the whole feeder's.
/// - a trade of power q from a seller at bus s to a buyer at bus b adds q of load at b and q of
///   generation at s: the flow on every line between b and the meeting point of the two paths to
///   the transformer rises by q, on every line between s and that point it falls by q, and no
///   other line (nor the transformer) changes. So a check touches only the path: O(depth).
/// - a trade passes when every line on its path stays within its limit after it and every trade
///   reserved so far; a passing check reserves the flow until release(). A line the base load
///   alone overloads refuses every trade that adds to its flow and accepts those that relieve it
///   (counter-flow is what the operator wants there).
/// Congestion fees (paper 000): the operator posts a fee per kWh on each line it expects to
/// congest; a trade pays the fees of the lines on its path.

#include <evmarket/core/error.hpp>
#include <evmarket/core/ids.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/detail/checked.hpp>
#include <evmarket/detail/market_ticket_slots.hpp>

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// A bus of a feeder, numbered from 0 (the slack bus at the transformer).
using bus_index = std::uint32_t;

/// A line as the operator describes it: its two buses (in either order) and its thermal limit.
struct feeder_line {
  /// One end of the line.
  bus_index first_bus = 0;
  /// The other end.
  bus_index second_bus = 0;
  /// Thermal limit (W), in either direction.
  power limit;
};

/// The answer to a check: whether the trade passed, the ticket that releases its reservation
/// (zero when it did not pass), and the first line on the path that would have been overloaded.
struct security_verdict {
  /// Whether the trade passed (and its flow is now reserved).
  bool passed = false;
  /// What release() takes back; 0 when the trade did not pass.
  std::uint64_t ticket = 0;
  /// Index (into the feeder's lines) of the overloaded line, or no_line.
  std::uint32_t congested_line = no_line;
  /// No line is named (the trade passed, or a policy without lines refused it).
  static constexpr std::uint32_t no_line = std::numeric_limits<std::uint32_t>::max();
  /// True when the trade passed.
  explicit operator bool() const noexcept { return passed; }
};

/// SecurityCheck: what a session asks of the network before a trade is final. A check that
/// passes reserves the trade's flow until release(ticket); congestion_fee is the fee per kWh the
/// trade's path carries (zero where the operator posts none).
template <class C>
concept SecurityCheck = requires(C& check, const C& view, participant_id seller, participant_id buyer, power flow,
                                 std::uint64_t ticket) {
  { C::name } -> std::convertible_to<std::string_view>;
  { check.check_and_reserve(seller, buyer, flow) } -> std::same_as<security_verdict>;
  check.release(ticket);
  { view.congestion_fee(seller, buyer) } -> std::same_as<price>;
};

/// The trivial check: every trade passes, nothing is reserved, no fee.
struct always_secure {
  /// The policy's name, for reports.
  static constexpr std::string_view name = "always passes";
  /// Passes every trade of positive flow (bad_input otherwise).
  security_verdict check_and_reserve(participant_id, participant_id, power flow) {
    detail::require(flow.is_positive(), "flow", flow.base(), "must be positive (W)");
    return {true, ++issued_, security_verdict::no_line};
  }
  /// Nothing to release.
  void release(std::uint64_t) noexcept {}
  /// No fee.
  [[nodiscard]] price congestion_fee(participant_id, participant_id) const noexcept { return price::zero(); }

 private:
  std::uint64_t issued_ = 0;
};

/// Every trade draws on one transformer margin: a trade passes while the reserved total stays
/// within the limit, whatever the buses (the check a platform without a feeder model makes).
class transformer_limit_only {
 public:
  /// The policy's name, for reports.
  static constexpr std::string_view name = "transformer limit only";
  /// A margin of `limit` for all trades together (bad_input when negative).
  explicit transformer_limit_only(power limit) : limit_(limit) {
    detail::require(!limit.is_negative(), "limit", limit.base(), "must not be negative (W)");
  }
  /// Passes and reserves `flow` while the margin holds it; a refusal names no line.
  security_verdict check_and_reserve(participant_id, participant_id, power flow) {
    detail::require(flow.is_positive(), "flow", flow.base(), "must be positive (W)");
    if (flow > limit_ - reserved_) return {false, 0, security_verdict::no_line};
    const std::uint64_t ticket = held_.hold(flow);
    reserved_ += flow;
    return {true, ticket, security_verdict::no_line};
  }
  /// Returns a passed trade's reservation; an unknown or already released ticket is bad input.
  void release(std::uint64_t ticket) {
    reserved_ -= held_.at(ticket);
    held_.release(ticket);
  }
  /// No fee.
  [[nodiscard]] price congestion_fee(participant_id, participant_id) const noexcept { return price::zero(); }
  /// The flow reserved by the trades held.
  [[nodiscard]] power reserved() const noexcept { return reserved_; }

 private:
  power limit_;
  power reserved_;
  detail::ticket_slots<power> held_;  // the flow each ticket holds
};

/// A radial feeder: the SecurityCheck of the model in the file comment.
class radial_feeder {
 public:
  /// The policy's name, for reports.
  static constexpr std::string_view name = "radial feeder, thermal line limits";

  /// A feeder of `bus_count` buses joined by `lines` (exactly bus_count - 1, forming a tree that
  /// reaches every bus) under a transformer of `transformer_limit`. Bad topology (an unknown bus,
  /// a line that closes a cycle, a bus the transformer cannot reach, a negative limit) is
  /// bad_input naming the line or bus.
  radial_feeder(std::size_t bus_count, std::span<const feeder_line> lines, power transformer_limit) {
    validate(bus_count, lines, transformer_limit);
    build_tree(bus_count, lines);
    limit_[0] = transformer_limit.base();
    line_fee_.assign(lines.size(), 0);
  }

  /// Number of buses (the slack bus included) and of lines.
  [[nodiscard]] std::size_t bus_count() const noexcept { return parent_.size(); }
  /// Number of lines: bus_count() - 1.
  [[nodiscard]] std::size_t line_count() const noexcept { return parent_.size() - 1; }

  // --- The operator's inputs -----------------------------------------------------------------
  /// Sets the forecast net load at `bus` (negative: net generation); the flows of every line
  /// between the bus and the transformer follow.
  void set_base_load(bus_index bus, power load) {
    require_bus(bus, "bus");
    const detail::int128 change = static_cast<detail::int128>(load.base()) - base_load_[bus];
    for (bus_index at = bus;; at = parent_[at]) {
      flow_[at] += change;
      if (at == 0) break;
    }
    base_load_[bus] = load.base();
  }
  /// Places a participant at a bus (again: moves it; its reservations keep the old buses).
  void place(participant_id who, bus_index bus) {
    require_bus(bus, "bus");
    if (who.value >= bus_of_.size()) bus_of_.resize(who.value + 1, unplaced);
    bus_of_[who.value] = bus;
  }
  /// The bus where `who` was placed (bad_input when it was not).
  [[nodiscard]] bus_index bus_of(participant_id who) const {
    detail::require(who.value < bus_of_.size() && bus_of_[who.value] != unplaced, "participant", who.value,
                    "has not been placed on the feeder");
    return bus_of_[who.value];
  }
  /// Posts a congestion fee per kWh on lines[line] (zero withdraws it).
  void post_congestion_fee(std::size_t line, price fee_per_kwh) {
    detail::require(line < line_count(), "line", line, "is not a line of the feeder");
    detail::require(!fee_per_kwh.is_negative(), "fee_per_kwh", fee_per_kwh.base(),
                    "must not be negative (micro-Token/kWh)");
    line_fee_[line] = fee_per_kwh.base();
  }

  // --- The check -----------------------------------------------------------------------------
  /// Checks a trade of `flow` from `seller` to `buyer` against the headroom left on its path and,
  /// when it passes, reserves it. A refusal is a result (congested_line names the first line
  /// that would be overloaded); the feeder is then unchanged.
  security_verdict check_and_reserve(participant_id seller, participant_id buyer, power flow) {
    detail::require(flow.is_positive(), "flow", flow.base(), "must be positive (W)");
    const bus_index from = bus_of(seller), to = bus_of(buyer);
    const std::uint32_t congested = try_shift(from, to, flow.base());
    if (congested != security_verdict::no_line) return {false, 0, congested};
    return {true, held_.hold({from, to, flow.base()}), security_verdict::no_line};
  }
  /// Returns a passed trade's reservation (the flows fall back); an unknown or already released
  /// ticket is bad input.
  void release(std::uint64_t ticket) {
    const reservation& r = held_.at(ticket);
    shift(r.to, r.from, r.flow);
    held_.release(ticket);
  }
  /// Releases every reservation (a new trading period on the same feeder and base load).
  void release_all() {
    held_.for_each_held_backwards([this](const reservation& r) { shift(r.to, r.from, r.flow); });
    held_.release_all();
  }

  // --- What the operator and the participants see --------------------------------------------
  /// The flow on lines[line] (positive: away from the transformer), base load and reservations.
  [[nodiscard]] power flow(std::size_t line) const {
    return watts(detail::narrow(flow_[bus_of_line(line)], "line flow"));
  }
  /// |flow| / limit of lines[line] (infinity for a zero limit carrying flow, 0 when idle).
  [[nodiscard]] double utilisation(std::size_t line) const {
    const bus_index bus = bus_of_line(line);
    return ratio(flow_[bus], limit_[bus]);
  }
  /// What lines[line] can still carry away from the transformer, and towards it.
  [[nodiscard]] std::pair<power, power> headroom(std::size_t line) const {
    const bus_index bus = bus_of_line(line);
    // Saturated into int64: the flow lies within the limit after any accepted trade, but a base
    // load may push it beyond, where a direction has no headroom at all.
    const auto room = [](detail::int128 v) {
      return watts(
          static_cast<std::int64_t>(std::clamp<detail::int128>(v, 0, std::numeric_limits<std::int64_t>::max())));
    };
    return {room(limit_[bus] - flow_[bus]), room(limit_[bus] + flow_[bus])};
  }
  /// The transformer's flow (the feeder's net load; trades between buses do not change it) and
  /// its utilisation.
  ///@{
  [[nodiscard]] power transformer_flow() const { return watts(detail::narrow(flow_[0], "transformer flow")); }
  [[nodiscard]] double transformer_utilisation() const noexcept { return ratio(flow_[0], limit_[0]); }
  ///@}
  /// The sum of the congestion fees on the path between the two participants' buses.
  [[nodiscard]] price congestion_fee(participant_id seller, participant_id buyer) const {
    std::int64_t total = 0;
    for_each_path_line(bus_of(seller), bus_of(buyer), [&](bus_index bus, bool) {
      total = detail::checked_add(total, line_fee_[line_of_bus_[bus]], "congestion fee");
      return true;
    });
    return micro_tokens_per_kwh(total);
  }
  /// The indices (into the lines given) of the lines between two buses, from `from` upwards and
  /// then down to `to`.
  [[nodiscard]] std::vector<std::size_t> path(bus_index from, bus_index to) const {
    require_bus(from, "from");
    require_bus(to, "to");
    std::vector<std::size_t> lines;
    for_each_path_line(from, to, [&](bus_index bus, bool) {
      lines.push_back(line_of_bus_[bus]);
      return true;
    });
    return lines;
  }

 private:
  static constexpr bus_index unplaced = std::numeric_limits<bus_index>::max();

  struct reservation {
    bus_index from;
    bus_index to;
    std::int64_t flow;
  };

  static void validate(std::size_t bus_count, std::span<const feeder_line> lines, power transformer_limit) {
    detail::require(bus_count >= 1 && bus_count < unplaced, "bus_count", bus_count,
                    "must be at least 1 (the slack bus) and fit 32 bits");
    detail::require(!transformer_limit.is_negative(), "transformer_limit", transformer_limit.base(),
                    "must not be negative (W)");
    detail::require(lines.size() == bus_count - 1, "lines", lines.size(),
                    "must number bus_count - 1 = " + std::to_string(bus_count - 1) + " (a radial feeder is a tree)");
    std::vector<bus_index> root(bus_count);  // union-find: a line joining two joined buses closes a cycle
    std::iota(root.begin(), root.end(), bus_index{0});
    const auto find = [&root](bus_index b) {
      while (root[b] != b) b = root[b] = root[root[b]];
      return b;
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const feeder_line& l = lines[i];
      detail::require(l.first_bus < bus_count, detail::element_field("lines", i, "first_bus"), l.first_bus,
                      "is not a bus of the feeder");
      detail::require(l.second_bus < bus_count, detail::element_field("lines", i, "second_bus"), l.second_bus,
                      "is not a bus of the feeder");
      detail::require(!l.limit.is_negative(), detail::element_field("lines", i, "limit"), l.limit.base(),
                      "must not be negative (W)");
      const bus_index a = find(l.first_bus), b = find(l.second_bus);
      detail::require(a != b, detail::element_field("lines", i),
                      std::to_string(l.first_bus) + "-" + std::to_string(l.second_bus),
                      "closes a cycle (a radial feeder is a tree)");
      root[a] = b;
    }
    // bus_count - 1 lines and no cycle: a spanning tree, so every bus reaches the transformer.
  }

  // Orients the tree from the slack bus: parent, depth and the line into each bus.
  void build_tree(std::size_t bus_count, std::span<const feeder_line> lines) {
    std::vector<std::vector<std::pair<bus_index, std::uint32_t>>> adjacent(bus_count);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      adjacent[lines[i].first_bus].push_back({lines[i].second_bus, static_cast<std::uint32_t>(i)});
      adjacent[lines[i].second_bus].push_back({lines[i].first_bus, static_cast<std::uint32_t>(i)});
    }
    parent_.assign(bus_count, 0);
    depth_.assign(bus_count, 0);
    line_of_bus_.assign(bus_count, 0);
    bus_of_line_.assign(lines.size(), 0);
    limit_.assign(bus_count, 0);
    flow_.assign(bus_count, 0);
    base_load_.assign(bus_count, 0);
    std::vector<bus_index> stack{0};
    std::vector<bool> seen(bus_count, false);
    seen[0] = true;
    while (!stack.empty()) {
      const bus_index at = stack.back();
      stack.pop_back();
      for (const auto& [next, line] : adjacent[at]) {
        if (seen[next]) continue;
        seen[next] = true;
        parent_[next] = at;
        depth_[next] = depth_[at] + 1;
        line_of_bus_[next] = line;
        bus_of_line_[line] = next;
        limit_[next] = lines[line].limit.base();
        stack.push_back(next);
      }
    }
  }

  // Calls visit(bus, towards_buyer) for the line into each bus on the path between `from` and
  // `to`, climbing from the deeper end; stops early when visit returns false.
  template <class Visit>
  void for_each_path_line(bus_index from, bus_index to, Visit visit) const {
    while (from != to) {
      if (depth_[from] >= depth_[to]) {
        if (!visit(from, false)) return;
        from = parent_[from];
      } else {
        if (!visit(to, true)) return;
        to = parent_[to];
      }
    }
  }

  // Moves `flow` from `from` to `to` line by line while each line takes it. When a line refuses,
  // the lines already moved are moved back (the walk's order depends on the tree alone, so the
  // second walk retraces the first) and the refusing line is returned; else no_line. One walk
  // for the common case of a passing trade.
  std::uint32_t try_shift(bus_index from, bus_index to, std::int64_t flow) {
    std::uint32_t congested = security_verdict::no_line;
    std::size_t moved = 0;
    const auto magnitude = [](detail::int128 v) { return v < 0 ? -v : v; };
    for_each_path_line(from, to, [&](bus_index bus, bool towards_buyer) {
      const detail::int128 before = flow_[bus], after = before + (towards_buyer ? flow : -flow);
      if (magnitude(after) > limit_[bus] && magnitude(after) > magnitude(before)) {
        congested = line_of_bus_[bus];
        return false;
      }
      flow_[bus] = after;
      ++moved;
      return true;
    });
    if (congested != security_verdict::no_line)
      for_each_path_line(from, to, [&](bus_index bus, bool towards_buyer) {
        if (moved-- == 0) return false;
        flow_[bus] -= towards_buyer ? flow : -flow;
        return true;
      });
    return congested;
  }

  // Moves `flow` from `from` to `to` along the path unchecked (a release: the flows return to
  // where they were without the reservation).
  void shift(bus_index from, bus_index to, std::int64_t flow) {
    for_each_path_line(from, to, [&](bus_index bus, bool towards_buyer) {
      flow_[bus] += towards_buyer ? flow : -flow;
      return true;
    });
  }

  void require_bus(bus_index bus, std::string_view field) const {
    detail::require(bus < bus_count(), field, bus, "is not a bus of the feeder");
  }
  [[nodiscard]] bus_index bus_of_line(std::size_t line) const {
    detail::require(line < line_count(), "line", line, "is not a line of the feeder");
    return bus_of_line_[line];
  }
  static double ratio(detail::int128 flow, std::int64_t limit) noexcept {
    if (flow == 0) return 0.0;
    if (limit == 0) return std::numeric_limits<double>::infinity();
    return static_cast<double>(flow < 0 ? -flow : flow) / static_cast<double>(limit);
  }

  // Per bus (index 0: the transformer): the tree and the line into the bus.
  std::vector<bus_index> parent_;
  std::vector<std::uint32_t> depth_;
  std::vector<std::uint32_t> line_of_bus_;
  std::vector<std::int64_t> limit_;
  // Base load and reservations, positive away from the transformer; 128 bits, so no sequence of
  // base loads, trades and releases can overflow (a reading that does not fit int64 throws).
  std::vector<detail::int128> flow_;
  std::vector<std::int64_t> base_load_;
  std::vector<bus_index> bus_of_line_;
  std::vector<std::int64_t> line_fee_;  // by line, micro-Token/kWh
  std::vector<bus_index> bus_of_;       // by participant id
  detail::ticket_slots<reservation> held_;  // reservations by ticket
};

static_assert(SecurityCheck<always_secure> && SecurityCheck<transformer_limit_only> && SecurityCheck<radial_feeder>);

EVMARKET_END_NAMESPACE
