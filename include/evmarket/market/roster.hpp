#pragma once
/// @file
/// Rosters: the one place where a market's outside names ("station A", a charger's serial
/// number, a user's account) become the library's ids. Ids are issued in enrolment order by the
/// roster, never made from vector positions, so reordering an input cannot rename a participant.

#include <evmarket/core/error.hpp>
#include <evmarket/core/ids.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// Issues ids of one kind, 1, 2, 3, ... (0 is never issued: it reads as "none").
template <class Id>
class id_issuer {
 public:
  /// The next unused id.
  [[nodiscard]] Id next() noexcept { return Id{++last_}; }
  /// The last id issued (value 0 before the first).
  [[nodiscard]] Id last() const noexcept { return Id{last_}; }

 private:
  std::uint64_t last_ = 0;
};

/// Names <-> ids of one kind. Enrolling a name twice, or asking for a name or id the roster does
/// not hold, is bad_input naming it.
template <class Id>
class basic_roster {
 public:
  /// Enrols `name` and returns its new id.
  Id enrol(std::string_view name) {
    detail::require(!name.empty(), "name", "<empty>", "must not be empty");
    detail::require(!by_name_.contains(std::string(name)), "name", name, "is already enrolled");
    const Id id = issuer_.next();
    by_name_.emplace(std::string(name), id);
    names_.emplace(id, std::string(name));
    return id;
  }
  /// The id of `name`.
  [[nodiscard]] Id id(std::string_view name) const {
    const auto found = by_name_.find(std::string(name));
    detail::require(found != by_name_.end(), "name", name, "is not enrolled");
    return found->second;
  }
  /// The name of `id`.
  [[nodiscard]] const std::string& name(Id id) const {
    const auto found = names_.find(id);
    detail::require(found != names_.end(), "id", id.value, "is not enrolled");
    return found->second;
  }
  [[nodiscard]] bool contains(Id id) const { return names_.contains(id); }
  [[nodiscard]] bool contains(std::string_view name) const { return by_name_.contains(std::string(name)); }
  /// Number of enrolled names.
  [[nodiscard]] std::size_t size() const noexcept { return names_.size(); }

 private:
  id_issuer<Id> issuer_;
  std::map<std::string, Id> by_name_;
  std::unordered_map<Id, std::string> names_;
};

/// Market participants (stations, prosumers, the operator).
using participant_roster = basic_roster<participant_id>;
/// EV users (rated by creditworthiness).
using user_roster = basic_roster<user_id>;

EVMARKET_END_NAMESPACE
