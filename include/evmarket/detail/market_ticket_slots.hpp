#pragma once
/// @file
/// Reservations held under tickets, in storage that reuses released slots: what a SecurityCheck
/// keeps between check_and_reserve and release. Memory follows the reservations held at once, not
/// every reservation ever made (a platform runs one feeder for months). A ticket is
/// (generation << 32) + slot + 1: the first reservation in each slot gets the small numbers 1, 2,
/// ...; a slot reused after a release gets a new generation, so a stale ticket never names the
/// new reservation, and 0 is never issued. Internal to market/network.hpp.

#include <evmarket/core/error.hpp>

#include <cstdint>
#include <limits>
#include <vector>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

template <class Reservation>
class ticket_slots {
 public:
  /// Holds `r` and returns its ticket.
  std::uint64_t hold(const Reservation& r) {
    std::uint32_t slot;
    if (free_.empty()) {
      require(slots_.size() < std::numeric_limits<std::uint32_t>::max(), "reservations", slots_.size(),
              "are more than 2^32 - 1 held at once");
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.push_back({r, 0, true});
    } else {
      slot = free_.back();
      free_.pop_back();
      slots_[slot].value = r;
      slots_[slot].held = true;
    }
    return (static_cast<std::uint64_t>(slots_[slot].generation) << 32) + slot + 1;
  }

  /// The reservation held under `ticket`; bad_input ("is not a reservation held") otherwise.
  [[nodiscard]] Reservation& at(std::uint64_t ticket) {
    const std::uint64_t low = ticket & 0xffff'ffffU;
    const bool issued = low >= 1 && low <= slots_.size();
    const std::size_t slot = issued ? static_cast<std::size_t>(low - 1) : 0;
    require(issued && slots_[slot].held && slots_[slot].generation == (ticket >> 32), "ticket", ticket,
            "is not a reservation held");
    return slots_[slot].value;
  }

  /// Ends the reservation under `ticket` (which at() accepted).
  void release(std::uint64_t ticket) {
    const auto slot = static_cast<std::uint32_t>((ticket & 0xffff'ffffU) - 1);
    slots_[slot].held = false;
    ++slots_[slot].generation;
    free_.push_back(slot);
  }

  /// Calls f(reservation) for each one held, newest slot first.
  template <class F>
  void for_each_held_backwards(F f) const {
    for (std::size_t s = slots_.size(); s-- > 0;)
      if (slots_[s].held) f(slots_[s].value);
  }

  /// Ends every reservation (their tickets stay spent: the slots move to a new generation).
  void release_all() {
    for (std::size_t s = slots_.size(); s-- > 0;)
      if (slots_[s].held) release((static_cast<std::uint64_t>(slots_[s].generation) << 32) + s + 1);
  }

 private:
  struct slot_entry {
    Reservation value;
    std::uint32_t generation;
    bool held;
  };
  std::vector<slot_entry> slots_;
  std::vector<std::uint32_t> free_;  // released slots, reused last-in first-out
};

}  // namespace detail
EVMARKET_END_NAMESPACE
