#pragma once
/// @file
/// What every double auction produces: trades between a buyer and a seller. Shared by the
/// continuous order book and the call auction so settlement and the ledger see one record type.

#include <evmarket/core/ids.hpp>
#include <evmarket/core/units.hpp>

#include <cstdint>
#include <ostream>

EVMARKET_BEGIN_NAMESPACE

/// Which side of the market an order is on.
enum class side : std::uint8_t {
  buy,   ///< a bid: wants quota (energy), pays money
  sell,  ///< an offer: gives quota, receives money
};

/// The other side of the market.
[[nodiscard]] constexpr side opposite(side s) noexcept { return s == side::buy ? side::sell : side::buy; }

inline std::ostream& operator<<(std::ostream& out, side s) { return out << (s == side::buy ? "buy" : "sell"); }

/// One execution: `quantity` of energy passes from `seller` to `buyer`. The buyer pays
/// `buyer_price` per kWh and the seller receives `seller_price` per kWh; they are equal except
/// under mechanisms that are not budget balanced (McAfee's rule, trade reduction, VCG), where the
/// difference is the auctioneer's surplus (or deficit).
struct trade {
  order_id buy_order;
  order_id sell_order;
  participant_id buyer;
  participant_id seller;
  energy quantity;
  price buyer_price;
  price seller_price;

  /// True when buyer and seller trade at one price (budget balanced for this trade).
  [[nodiscard]] bool single_price() const noexcept { return buyer_price == seller_price; }

  friend bool operator==(const trade&, const trade&) = default;
};

EVMARKET_END_NAMESPACE
