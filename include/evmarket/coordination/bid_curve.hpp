#pragma once
/// @file
/// Price-responsive bid curves and their single-period clearing against a capacity margin
/// (paper 000, section III): when a line is congested, one uniform congestion price moves every
/// EV along its bid curve until the total demand fits; an EV's flexibility is its curve's slope.
///
/// A curve gives the power an EV (or a station) draws as a function of the congestion price. It
/// is piecewise linear and non-increasing, given by breakpoints (price, power) with prices
/// non-decreasing and powers non-increasing:
///   - below the first breakpoint's price the power is the first power (the cap);
///   - between breakpoints of different prices it is linear;
///   - two breakpoints at one price are a vertical step: at that price the curve accepts any
///     power between them;
///   - above the last breakpoint the power stays at the last power (the must-charge floor, which a
///     curve of a single breakpoint has at every price).
///
/// Clearing rule, stated once so it is deterministic:
///   1. The congestion price is the lowest price >= 0 at which the total demand is at most the
///      margin (0 when the margin is not binding).
///   2. Curves with a step at that price share what the margin leaves in proportion to their step
///      widths.
///   3. Powers are whole watts summing to exactly the margin: each real-valued power is floored,
///      and the watts left go one each to the largest fractional parts, equal fractions to the
///      earlier curve.

#include <evmarket/core/error.hpp>
#include <evmarket/core/units.hpp>
#include <evmarket/detail/coordination_clearing.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

EVMARKET_BEGIN_NAMESPACE

/// One breakpoint of a bid curve: at congestion price `at` the bidder draws `demand`.
struct bid_point {
  /// The congestion price of the breakpoint.
  price at;
  /// The power drawn at that price.
  power demand;

  /// Member-wise equality.
  friend bool operator==(const bid_point&, const bid_point&) = default;
};

/// A piecewise-linear, non-increasing curve of power against congestion price (validated when
/// built, so every bid_curve is well formed).
class bid_curve {
 public:
  /// Builds a curve from its breakpoints; throws bad_input naming the offending breakpoint when
  /// the list is empty, a price or power is negative, prices decrease or powers increase.
  explicit bid_curve(std::vector<bid_point> points) {
    detail::require(!points.empty(), "points", "[]", "must hold at least one breakpoint");
    for (std::size_t k = 0; k < points.size(); ++k) {
      const bid_point& p = points[k];
      if (p.at.is_negative())
        throw bad_input(detail::element_field("points", k, "at"), detail::describe(p.at.base()),
                        "must not be negative (micro-Token/kWh)");
      if (p.demand.is_negative())
        throw bad_input(detail::element_field("points", k, "demand"), detail::describe(p.demand.base()),
                        "must not be negative (W)");
      if (k == 0) continue;
      if (p.at < points[k - 1].at)
        throw bad_input(detail::element_field("points", k, "at"), detail::describe(p.at.base()),
                        "must not be below the previous breakpoint's price (prices ascend)");
      if (p.demand > points[k - 1].demand)
        throw bad_input(detail::element_field("points", k, "demand"), detail::describe(p.demand.base()),
                        "must not exceed the previous breakpoint's power (a bid curve is non-increasing)");
    }
    // Most curves (linear, must-charge) have one or two breakpoints: those live inside the object,
    // so clearing a million curves does not chase a million heap pointers.
    size_ = points.size();
    if (size_ <= inline_.size())
      std::copy(points.begin(), points.end(), inline_.begin());
    else
      heap_ = std::move(points);
  }

  /// The common case: `cap` at price 0, falling linearly to `floor` at price `saturation`, and
  /// `floor` above it. Requires 0 <= floor <= cap and saturation > 0 unless floor == cap.
  [[nodiscard]] static bid_curve linear(power cap, power floor, price saturation) {
    detail::require(!floor.is_negative(), "floor", floor.base(), "must not be negative (W)");
    detail::require(floor <= cap, "cap", cap.base(), "must not be below the floor (W)");
    if (floor == cap) return must_charge(cap);
    detail::require(saturation.is_positive(), "saturation", saturation.base(),
                    "must be positive: the price at which demand has fallen to the floor");
    return bid_curve({{price::zero(), cap}, {saturation, floor}});
  }

  /// An inflexible bid: `demand` at every price (a vertical segment in the price-power plane).
  [[nodiscard]] static bid_curve must_charge(power demand) { return bid_curve({{price::zero(), demand}}); }

  /// The breakpoints, prices ascending.
  [[nodiscard]] std::span<const bid_point> points() const noexcept {
    return {size_ <= inline_.size() ? inline_.data() : heap_.data(), size_};
  }
  /// Power drawn when the congestion price is zero.
  [[nodiscard]] power cap() const noexcept { return points().front().demand; }
  /// Power drawn at any price however high (the must-charge part).
  [[nodiscard]] power floor() const noexcept { return points().back().demand; }

  /// The powers the curve accepts at `price_base` (micro-Token/kWh, real-valued): {low, high},
  /// equal except at a step. Watts, real-valued.
  [[nodiscard]] std::pair<double, double> demand_range(double price_base) const noexcept {
    const std::span<const bid_point> pts = points();
    const std::size_t n = pts.size();
    double high = static_cast<double>(pts[0].demand.base());
    std::size_t k = 0;
    // Skip every breakpoint strictly below the price; high is then the power just below it.
    while (k < n && static_cast<double>(pts[k].at.base()) < price_base) ++k;
    if (k == n) {
      const double last = static_cast<double>(pts[n - 1].demand.base());
      return {last, last};
    }
    if (k > 0) {
      const double p0 = static_cast<double>(pts[k - 1].at.base()), p1 = static_cast<double>(pts[k].at.base());
      const double d0 = static_cast<double>(pts[k - 1].demand.base());
      const double d1 = static_cast<double>(pts[k].demand.base());
      high = d0 + (d1 - d0) * ((price_base - p0) / (p1 - p0));
      if (high < d1) high = d1;  // rounding guard: interpolation stays within the segment
    }
    if (static_cast<double>(pts[k].at.base()) > price_base) return {high, high};
    // The price sits on breakpoint(s) k..: the low end is the last breakpoint at this price.
    std::size_t j = k;
    while (j + 1 < n && pts[j + 1].at == pts[k].at) ++j;
    return {static_cast<double>(pts[j].demand.base()), high};
  }

 private:
  std::array<bid_point, 2> inline_{};
  std::vector<bid_point> heap_;
  std::size_t size_ = 0;
};

/// How a clearing came out.
enum class curve_clearing_status : std::uint8_t {
  not_binding,          ///< every curve's demand at price 0 fits the margin: price 0, everyone gets its cap
  cleared,              ///< a positive congestion price (or a step at 0) brought demand down to the margin
  floors_exceed_margin  ///< even the must-charge floors exceed the margin; powers are the floors
};

/// The outcome of clearing bid curves against a margin: powers[i] belongs to curves[i].
struct curve_clearing {
  /// Whether the margin was binding, and whether the floors fit it.
  curve_clearing_status status = curve_clearing_status::not_binding;
  /// The uniform congestion price in micro-Token/kWh, real-valued (exact up to double rounding).
  double congestion_price = 0.0;
  /// Power granted to each curve, whole watts.
  std::vector<power> powers;
  /// The margin cleared against.
  power margin;
  /// Sum of the powers (the margin when cleared; total demand or the floors otherwise).
  power total;
  /// How far the floors exceed the margin (zero unless status is floors_exceed_margin).
  power shortfall;

  /// The congestion price rounded up to whole micro-Tokens per kWh.
  [[nodiscard]] price rounded_price() const {
    return micro_tokens_per_kwh(detail::round_to_int64(congestion_price, rounding::up, "congestion_price"));
  }
  /// True when the margin constrained demand.
  [[nodiscard]] bool congested() const noexcept { return status != curve_clearing_status::not_binding; }
};

/// Clears `curves` against `margin` by the rule in this file's header. Runs in expected time
/// linear in the number of breakpoints. Throws bad_input for a negative margin or no curves.
[[nodiscard]] inline curve_clearing clear_bid_curves(std::span<const bid_curve> curves, power margin) {
  detail::require(!margin.is_negative(), "margin", margin.base(), "must not be negative (W)");
  detail::require(!curves.empty(), "curves", "[]", "must hold at least one bid curve");
  const std::size_t n = curves.size();
  curve_clearing result;
  result.margin = margin;
  result.powers.resize(n);

  // One pass over the curves gathers the totals and the breakpoint events.
  power caps = power::zero(), floors = power::zero();
  std::vector<detail::clearing_event> events;
  events.reserve(n);
  double jump_at_zero = 0.0, slope_from_zero = 0.0;
  for (const bid_curve& curve : curves) {
    caps += curve.cap();
    floors += curve.floor();
    const auto pts = curve.points();
    for (std::size_t k = 0; k + 1 < pts.size(); ++k) {
      const double p0 = static_cast<double>(pts[k].at.base()), p1 = static_cast<double>(pts[k + 1].at.base());
      const double drop = static_cast<double>(pts[k].demand.base() - pts[k + 1].demand.base());
      if (drop == 0.0) continue;
      if (p0 == p1) {
        if (p0 == 0.0)
          jump_at_zero += drop;
        else
          events.push_back({p0, 0.0, drop});
      } else {
        const double slope = -drop / (p1 - p0);
        if (p0 == 0.0)
          slope_from_zero += slope;
        else
          events.push_back({p0, slope, 0.0});
        events.push_back({p1, -slope, 0.0});
      }
    }
  }
  if (caps <= margin) {
    for (std::size_t i = 0; i < n; ++i) result.powers[i] = curves[i].cap();
    result.total = caps;
    result.shortfall = power::zero();
    return result;
  }
  if (floors > margin) {
    result.status = curve_clearing_status::floors_exceed_margin;
    double highest = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      result.powers[i] = curves[i].floor();
      highest = std::max(highest, static_cast<double>(curves[i].points().back().at.base()));
    }
    result.congestion_price = highest;
    result.total = floors;
    result.shortfall = floors - margin;
    return result;
  }

  const double target = static_cast<double>(margin.base());
  const detail::clearing_point point =
      detail::find_clearing_point(events, static_cast<double>(caps.base()), jump_at_zero, slope_from_zero, target);
  events = {};
  result.status = curve_clearing_status::cleared;
  result.congestion_price = point.price;

  // Share of each step at the price that the margin fills (rule 2), then whole watts (rule 3).
  const double step_width = point.demand_below - point.demand_at;
  const double step_share = step_width > 0.0 ? std::clamp((target - point.demand_at) / step_width, 0.0, 1.0) : 0.0;
  // One more pass over the curves; the rounding then works on flat arrays only.
  std::vector<double> real(n);
  std::vector<std::pair<std::int64_t, std::int64_t>> bounds(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto [lo, hi] = curves[i].demand_range(point.price);
    real[i] = lo + step_share * (hi - lo);
    bounds[i] = {curves[i].floor().base(), curves[i].cap().base()};
  }
  detail::round_to_target<power>(real, margin.base(), result.powers, [&bounds](std::size_t i) { return bounds[i]; });
  result.total = margin;
  result.shortfall = power::zero();
  return result;
}

EVMARKET_END_NAMESPACE
