#pragma once
/// @file
/// Strong identifiers: a participant id cannot be passed where an order id is expected.

#include <evmarket/config.hpp>

#include <compare>
#include <cstdint>
#include <functional>
#include <ostream>

EVMARKET_BEGIN_NAMESPACE

/// An opaque 64-bit identifier of the kind `Tag`; ordered, hashable, printable.
template <class Tag>
struct identifier {
  /// The raw number.
  std::uint64_t value = 0;

  ///@{
  /// Ordered and compared by value.
  friend constexpr auto operator<=>(identifier, identifier) noexcept = default;
  friend constexpr bool operator==(identifier, identifier) noexcept = default;
  ///@}
  /// Prints the kind's prefix and the number (P7, U3, O12).
  friend std::ostream& operator<<(std::ostream& out, identifier id) { return out << Tag::prefix << id.value; }
};

/// Kind of participant ids (printed P7).
struct participant_tag {
  /// Printed before the number.
  static constexpr const char* prefix = "P";
};
/// Kind of user ids (printed U3).
struct user_tag {
  /// Printed before the number.
  static constexpr const char* prefix = "U";
};
/// Kind of order ids (printed O12).
struct order_tag {
  /// Printed before the number.
  static constexpr const char* prefix = "O";
};

/// Anyone who holds quota or money in a market: a charging station, a prosumer, the DSO.
using participant_id = identifier<participant_tag>;
/// A charging station is a market participant; the alias says which role an API expects.
using station_id = participant_id;
/// An EV user (paper 001 rates users, and a station's creditworthiness sums over them).
using user_id = identifier<user_tag>;
/// An order in an auction or order book.
using order_id = identifier<order_tag>;

EVMARKET_END_NAMESPACE

template <class Tag>
struct std::hash<evmarket::identifier<Tag>> {
  std::size_t operator()(evmarket::identifier<Tag> id) const noexcept { return std::hash<std::uint64_t>{}(id.value); }
};
