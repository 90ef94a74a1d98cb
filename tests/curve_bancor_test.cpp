// The Bancor curve (curve/bancor.hpp), paper 002: the whitepaper case to the printed digits,
// every quote against an independent 100-digit oracle, exact-mode rounding (round trips never
// profit), the invariant B = CRR * S * P, all-or-nothing trades, and load-responsive prices.
#include <evmarket/curve/bancor.hpp>

#include <doctest/doctest.h>

#include "test_support.hpp"

#include <boost/multiprecision/cpp_bin_float.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace evmarket;

namespace {

// The oracle: the textbook formulas with pow at 100 digits (no log1p/expm1 tricks).
using oracle = boost::multiprecision::number<boost::multiprecision::cpp_bin_float<100>, boost::multiprecision::et_off>;

template <class Number>
oracle o(const Number& x) {
  if constexpr (std::is_floating_point_v<Number>)
    return oracle(x);
  else
    return oracle(x.str(0, std::ios_base::scientific));
}

oracle purchase_oracle(oracle s, oracle b, oracle w, oracle e) { return s * (pow(1 + e / b, w) - 1); }
oracle sale_oracle(oracle s, oracle b, oracle w, oracle t) { return b * (1 - pow(1 - t / s, 1 / w)); }
oracle purchase_cost_oracle(oracle s, oracle b, oracle w, oracle t) { return b * (pow(1 + t / s, 1 / w) - 1); }
oracle sale_cost_oracle(oracle s, oracle b, oracle w, oracle e) { return s * (1 - pow(1 - e / b, w)); }

template <class Number>
bool close(const Number& got, const oracle& want, const oracle& relative) {
  const oracle g = o(got);
  return abs(g - want) <= relative * abs(want) + std::numeric_limits<oracle>::min();
}

// Random curve parameters over many magnitudes, with the trade a random fraction of a scale.
struct random_curves {
  std::mt19937_64 rng;
  explicit random_curves(std::uint64_t seed) : rng(seed) {}
  double magnitude(double low, double high) {
    return std::pow(10.0, std::uniform_real_distribution<double>(low, high)(rng));
  }
  double fraction() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }
  double weight() { return std::max(1e-3, std::round(fraction() * 1e6) / 1e6); }
};

template <class Number>
void check_invariant(const bancor_curve<Number, unrounded>& c, const oracle& relative) {
  // B = CRR * S * P, up to the rounding of the division and the two products.
  CHECK(close(c.balance(), o(c.weight()) * o(c.supply()) * o(c.spot_price()), relative));
}
template <class Number>
void check_invariant(const bancor_curve<Number, directed_rounding<Number>>& c, const oracle& relative) {
  CHECK(close(c.balance(), o(c.weight()) * o(c.supply()) * o(c.spot_price()), relative));
}

}  // namespace

TEST_CASE("paper 002: the whitepaper curve S = 1000, B = 250, CRR = 0.5") {
  // The papers' README: P = 0.5; buying with 10 reserve tokens returns 19.8039027185569660056...
  const bancor_curve<bin_float50> exact(1000, 250, bin_float50("0.5"));
  CHECK(exact.spot_price() == bin_float50("0.5"));
  const bin_float50 tokens = exact.purchase_return(10);
  CHECK(tokens.str(21, std::ios_base::fixed).substr(0, 22) == "19.8039027185569660056");
  // Independent oracle: 1000 (sqrt(1.04) - 1).
  CHECK(close(tokens, 1000 * (sqrt(oracle("1.04")) - 1), oracle("1e-48")));
  const bancor_curve<dec_float50> decimal(1000, 250, dec_float50("0.5"));
  CHECK(decimal.purchase_return(10).str(21, std::ios_base::fixed).substr(0, 22) == "19.8039027185569660056");
  const bancor_curve<double> fast(1000, 250, 0.5);
  CHECK(fast.spot_price() == 0.5);
  CHECK(fast.purchase_return(10) == doctest::Approx(19.803902718556966).epsilon(1e-14));
  // Exact mode pays out whole base units (10^-18), rounded down: the on-chain figure.
  const bancor_curve<bin_float50, directed_rounding<bin_float50>> rounded(1000, 250, bin_float50("0.5"));
  CHECK(rounded.purchase_return(10) == bin_float50("19.803902718556966005"));
  // Selling the tokens back returns the 10 reserve tokens (the sale formula, printed wrongly in
  // the whitepaper, is the inverse of the purchase formula).
  bancor_curve<bin_float50> after(1000 + tokens, 260, bin_float50("0.5"));
  CHECK(close(after.sale_return(tokens), oracle(10), oracle("1e-45")));
}

TEST_CASE("the 50-digit log1p / expm1 kernels agree with Boost's own functions") {
  std::mt19937_64 rng(11);
  auto run = [&](auto zero) {
    using N = decltype(zero);
    const N eps = std::numeric_limits<N>::epsilon();
    for (int i = 0; i < 300; ++i) {
      CAPTURE(i);
      const double e = std::uniform_real_distribution<double>(-20, 1.5)(rng);
      const double sign = rng() % 2 ? 1.0 : -1.0;
      const N x = N(sign * std::pow(10.0, e)) / 3;
      if (x > -1) {
        const N got = detail::bancor_real::kernels<N>::get().log1p(x);
        const N want = boost::multiprecision::log1p(x);
        CHECK(abs(got - want) <= abs(want) * eps * (1 << 14));
      }
      const N y = x * 7;
      const N got = detail::bancor_real::kernels<N>::get().expm1(y);
      const N want = boost::multiprecision::expm1(y);
      CHECK(abs(got - want) <= abs(want) * eps * (1 << 14) * (1 + abs(y)));
    }
  };
  run(bin_float50(0));
  run(dec_float50(0));
}

TEST_CASE("quotes agree with the 100-digit oracle on random curves") {
  random_curves gen(2002);
  auto run = [&](auto zero, const oracle& relative, int trials) {
    using N = decltype(zero);
    for (int i = 0; i < trials; ++i) {
      CAPTURE(i);
      const double s = gen.magnitude(-3, 12), b = gen.magnitude(-3, 12), w = gen.weight();
      const bancor_curve<N> c{N(s), N(b), N(w)};
      const oracle os = o(c.supply()), ob = o(c.balance()), ow = o(c.weight());
      const N deposit = N(b * gen.magnitude(-12, 1));
      const N tokens = N(s * gen.fraction());
      const N reserve = N(b * gen.fraction());
      CHECK(close(c.purchase_return(deposit), purchase_oracle(os, ob, ow, o(deposit)), relative));
      CHECK(close(c.purchase_cost(tokens), purchase_cost_oracle(os, ob, ow, o(tokens)), relative));
      if (tokens < c.supply()) CHECK(close(c.sale_return(tokens), sale_oracle(os, ob, ow, o(tokens)), relative));
      if (reserve < c.balance()) CHECK(close(c.sale_cost(reserve), sale_cost_oracle(os, ob, ow, o(reserve)), relative));
      // The inverse quotes invert the direct ones.
      CHECK(close(c.purchase_return(c.purchase_cost(tokens)), o(tokens), relative * 100));
    }
  };
  // Relative tolerances: a few thousand units in the last place, amplified where 1/CRR is large.
  run(double(0), oracle("1e-9"), 300);
  run(bin_float50(0), oracle("1e-40"), 150);
  run(dec_float50(0), oracle("1e-40"), 60);
}

TEST_CASE("exact mode: paid out rounds down, charged rounds up, round trips never profit") {
  using N = bin_float50;
  using exact_curve = bancor_curve<N, directed_rounding<N>>;
  random_curves gen(31337);
  const N quantum("1e-18"), units("1e18");
  for (int i = 0; i < 150; ++i) {
    CAPTURE(i);
    const double s = gen.magnitude(0, 9), b = gen.magnitude(0, 9), w = gen.weight();
    exact_curve c{N(s), N(b), N(w)};
    const oracle os = o(c.supply()), ob = o(c.balance()), ow = o(c.weight());
    const N deposit = N(b * gen.magnitude(-6, 0.5));
    const N bought = c.purchase_return(deposit);
    CHECK(o(bought) <= purchase_oracle(os, ob, ow, o(deposit)));
    CHECK(o(bought) > purchase_oracle(os, ob, ow, o(deposit)) - o(quantum) * 2);
    CHECK(abs(bought * units - round(bought * units)) < N("1e-6"));  // whole base units
    const N tokens = N(s * gen.fraction());
    const N cost = c.purchase_cost(tokens);
    CHECK(o(cost) >= purchase_cost_oracle(os, ob, ow, o(tokens)));
    if (tokens < c.supply()) CHECK(o(c.sale_return(tokens)) <= sale_oracle(os, ob, ow, o(tokens)));
    const N reserve = N(b * gen.fraction());
    CHECK(o(c.sale_cost(reserve)) >= sale_cost_oracle(os, ob, ow, o(reserve)));

    // Round trips on the curve object: buy with reserve then sell what came out, and buy a
    // number of tokens then sell them. Neither returns more reserve than went in.
    const exact_curve start = c;
    const auto buy = c.buy(deposit);
    if (buy.tokens > 0) {
      const auto sell = c.sell(buy.tokens);
      CHECK(sell.reserve <= deposit);
      CHECK(close(c.supply(), o(start.supply()), oracle("1e-45")));  // S + T - T, rounded twice
      CHECK(c.balance() >= start.balance());
    }
    const N quoted = c.purchase_cost(tokens);
    const auto exact_buy = c.buy_tokens(tokens);
    CHECK(exact_buy.tokens == tokens);
    CHECK(exact_buy.reserve == quoted);
    const auto back = c.sell(tokens);
    CHECK(back.reserve <= exact_buy.reserve);
    // The pool only gains: the balance never drops below what the curve owes its supply,
    // B >= B0 (S / S0)^(1 / CRR).
    CHECK(o(c.balance()) >= ob * pow(o(c.supply()) / os, 1 / ow) * (1 - oracle("1e-45")));
  }
}

TEST_CASE("buy and sell change supply and balance together and keep B = CRR * S * P") {
  random_curves gen(99);
  auto run = [&](auto zero, const oracle& relative) {
    using N = decltype(zero);
    bancor_curve<N> c(N(1000), N(250), N(0.5));
    for (int i = 0; i < 60; ++i) {
      CAPTURE(i);
      check_invariant(c, relative);
      const N price = c.spot_price();
      const N s0 = c.supply(), b0 = c.balance();
      if (i % 3 != 2) {
        const N deposit = N(gen.magnitude(-2, 1.5));
        const auto r = c.buy(deposit);
        CHECK(r.side == curve_side::buy);
        CHECK(r.price_after > price);
        CHECK(c.balance() == b0 + deposit);
        CHECK(c.supply() == s0 + r.tokens);
        CHECK(r.average_price() > price);          // buying pays more than the spot price ...
        CHECK(r.average_price() < r.price_after);  // ... but less than the price it leaves
      } else {
        const N tokens = c.supply() * N(gen.fraction() / 4);
        const auto r = c.sell(tokens);
        CHECK(r.side == curve_side::sell);
        CHECK(r.price_after < price);
        CHECK(c.supply() == s0 - tokens);
        CHECK(c.balance() == b0 - r.reserve);
        CHECK(r.average_price() < price);
      }
      CHECK(c.spot_price() == c.balance() / (c.supply() * c.weight()));
      check_invariant(c, relative);
    }
  };
  run(double(0), oracle("1e-14"));
  run(bin_float50(0), oracle("1e-48"));
  bancor_curve<bin_float50, directed_rounding<bin_float50>> rounded(1000, 250, bin_float50("0.5"));
  (void)rounded.buy(10);
  check_invariant(rounded, oracle("1e-48"));
}

TEST_CASE("bad input names the argument and leaves the curve unchanged") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  using evmarket_test::field_of;
  CHECK(field_of([&] { return bancor_curve<double>(0, 1, 0.5); }) == "supply");
  CHECK(field_of([&] { return bancor_curve<double>(-1, 1, 0.5); }) == "supply");
  CHECK(field_of([&] { return bancor_curve<double>(nan, 1, 0.5); }) == "supply");
  CHECK(field_of([&] { return bancor_curve<double>(inf, 1, 0.5); }) == "supply");
  CHECK(field_of([&] { return bancor_curve<double>(1, 0, 0.5); }) == "balance");
  CHECK(field_of([&] { return bancor_curve<double>(1, -inf, 0.5); }) == "balance");
  CHECK(field_of([&] { return bancor_curve<double>(1, 1, 0); }) == "weight");
  CHECK(field_of([&] { return bancor_curve<double>(1, 1, 1.000001); }) == "weight");
  CHECK(field_of([&] { return bancor_curve<double>(1, 1, nan); }) == "weight");
  CHECK(field_of([&] { return bancor_curve<bin_float50>(1, 1, -1); }) == "weight");
  CHECK(field_of([&] { return bancor_curve<double>(1, 1, 1.0); }) == "no error");

  bancor_curve<double> c(1000, 250, 0.5);
  const auto unchanged = [&] {
    CHECK(c.supply() == 1000);
    CHECK(c.balance() == 250);
  };
  CHECK(field_of([&] { return c.buy(-1); }) == "deposit");
  CHECK(field_of([&] { return c.buy(nan); }) == "deposit");
  CHECK(field_of([&] { return c.buy_tokens(inf); }) == "tokens");
  CHECK(field_of([&] { return c.sell(1000.5); }) == "tokens");  // above the supply
  CHECK(field_of([&] { return c.sell(1000); }) == "tokens");    // the whole supply
  CHECK(field_of([&] { return c.sale_return(1001); }) == "tokens");
  CHECK(field_of([&] { return c.sale_cost(251); }) == "reserve");
  CHECK(c.sale_return(1000) == 250);  // quoting the whole supply is fine
  CHECK(c.sale_cost(250) == 1000);
  unchanged();
  // Overflow of the number type: an error, and nothing traded.
  bancor_curve<double> huge(1e300, 1, 1.0);
  CHECK_THROWS_AS(huge.buy(1e300), overflow_error);
  CHECK(huge.supply() == 1e300);
  CHECK(huge.balance() == 1);
  CHECK(c.buy(0).side == curve_side::none);
  unchanged();
}

TEST_CASE("multi-reserve pool: the specification's figures, oracle agreement, no profit") {
  using N = bin_float50;
  using exact_pool = bancor_pool<N, directed_rounding<N>>;
  // The on-chain reference results in whole base units; exact mode rounds to the same units.
  const exact_pool pair(1000, {{N(100), N("0.5")}, {N(200), N("0.25")}});
  CHECK(pair.conversion_return(0, 1, 10) == N("34.710743801652892561"));
  CHECK(close(bancor_pool<N>(1000, {{N(100), N("0.5")}, {N(200), N("0.25")}}).conversion_return(0, 1, 10),
              200 * (1 - pow(oracle(100) / 110, 2)), oracle("1e-45")));
  const exact_pool two(1000, {{N(100), N(1)}, {N(100), N(1)}});  // reserve ratio 2
  CHECK(two.ratio() == 2);
  CHECK(two.fund_cost(10)[0] == N("0.498756211208902703"));           // rounded up
  CHECK(two.liquidation_return(10)[1] == N("0.501256289338004526"));  // rounded down
  CHECK(close(bancor_pool<N>(1000, {{N(100), N(1)}, {N(100), N(1)}}).fund_supply_amount(0, 10),
              1000 * (pow(oracle("1.1"), 2) - 1), oracle("1e-45")));

  random_curves gen(5150);
  for (int i = 0; i < 80; ++i) {
    CAPTURE(i);
    const std::size_t n = 2 + gen.rng() % 3;
    std::vector<bancor_reserve<N>> reserves;
    double total = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const double w = std::min(gen.weight(), 2.0 - total - 1e-3 * static_cast<double>(n - k));
      if (w <= 0) break;
      total += w;
      reserves.push_back({N(gen.magnitude(0, 8)), N(w)});
    }
    if (reserves.size() < 2) continue;
    exact_pool pool(N(gen.magnitude(0, 8)), reserves);
    const oracle os = o(pool.supply()), q = o(pool.ratio());
    const N tokens = pool.supply() * N(gen.fraction() / 2);
    const auto cost = pool.fund_cost(tokens);
    const auto paid = pool.liquidation_return(tokens);
    for (std::size_t k = 0; k < reserves.size(); ++k) {
      const oracle r = o(reserves[k].balance);
      CHECK(o(cost[k]) >= r * (pow(1 + o(tokens) / os, 1 / q) - 1));
      CHECK(o(paid[k]) <= r * (1 - pow(1 - o(tokens) / os, 1 / q)));
    }
    // Fund then liquidate the same tokens: every reserve gets back at most what it paid.
    const exact_pool start = pool;
    const auto funded = pool.fund(tokens);
    const auto burned = pool.liquidate(tokens);
    CHECK(pool.supply() == start.supply());
    for (std::size_t k = 0; k < reserves.size(); ++k) {
      CHECK(-burned.reserve[k] <= funded.reserve[k]);
      CHECK(pool.reserves()[k].balance >= start.reserves()[k].balance);
    }
    // Convert there and back: never more than went in.
    const N amount = pool.reserves()[0].balance * N(gen.fraction() / 3);
    const auto there = pool.convert(0, 1, amount);
    const auto back = pool.convert(1, 0, -there.reserve[1]);
    CHECK(-back.reserve[0] <= amount);
  }

  CHECK_THROWS_AS((bancor_pool<double>(1, {})), bad_input);
  CHECK_THROWS_AS((bancor_pool<double>(1, {{1, 1}, {1, 0.9}, {1, 0.2}})), bad_input);  // ratio 2.1
  try {
    bancor_pool<double>(1, {{1, 0.5}, {0, 0.5}});
    FAIL("a zero reserve must be rejected");
  } catch (const bad_input& e) {
    CHECK(e.field() == "reserves[1].balance");
  }
  bancor_pool<double> p(100, {{50, 0.5}, {80, 0.5}});
  CHECK_THROWS_AS(p.convert(0, 0, 1), bad_input);
  CHECK_THROWS_AS(p.convert(0, 2, 1), bad_input);
  CHECK_THROWS_AS(p.liquidate(100), bad_input);
  CHECK_THROWS_AS(p.fund(-1), bad_input);
  CHECK(p.supply() == 100);
  CHECK(p.reserves()[0].balance == 50);
  CHECK(p.reserves()[1].balance == 80);
}

TEST_CASE("load-responsive pricing: the price rises with load and falls with surplus") {
  // One day of half-hour periods: surplus at night and midday (solar), load peaks morning and evening.
  std::vector<energy> net;
  for (int slot = 0; slot < 48; ++slot) {
    const double hour = slot / 2.0;
    const double kwh =
        30 * std::sin((hour - 4) * 3.14159265358979 / 12) + 25 * std::sin((hour - 1) * 3.14159265358979 / 6);
    net.push_back(kilowatt_hours(std::round(kwh * 10) / 10));
  }
  using N = bin_float50;
  const N s0(10000), b0(5000), crr("0.5");
  load_responsive_pricing<N> pricing(bancor_curve<N>(s0, b0, crr));
  const auto series = pricing.run(net);
  REQUIRE(series.size() == net.size());
  oracle supply = o(s0);
  oracle previous = o(pricing.curve().spot_price());
  previous = o(b0) / (o(s0) * o(crr));
  for (std::size_t i = 0; i < series.size(); ++i) {
    CAPTURE(i);
    const auto& p = series[i];
    if (net[i].is_positive()) {
      CHECK(p.trade.side == curve_side::buy);
      CHECK(o(p.price) > previous);
    } else if (net[i].is_negative()) {
      CHECK(p.trade.side == curve_side::sell);
      CHECK(o(p.price) < previous);
    } else {
      CHECK(o(p.price) == previous);
    }
    // One token per kWh: the price is a function of the cumulative net demand alone,
    // P = P0 (S / S0)^(1 / CRR - 1).
    supply += oracle(net[i].base()) / 1000;
    CHECK(close(p.price, o(b0) / (o(s0) * o(crr)) * pow(supply / o(s0), 1 / o(crr) - 1), oracle("1e-40")));
    previous = o(p.price);
  }
  // All-or-nothing: a surplus above the supply stops the run and changes nothing.
  const N price_before = pricing.price();
  std::vector<energy> impossible{kilowatt_hours(5), kilowatt_hours(-1e9)};
  try {
    (void)pricing.run(impossible);
    FAIL("selling more than the supply must fail");
  } catch (const bad_input& e) {
    CHECK(e.field() == "net_demand[1]");
  }
  CHECK(pricing.price() == price_before);
  CHECK_THROWS_AS((load_responsive_pricing<double>(bancor_curve<double>(1, 1, 1), 0.0)), bad_input);
}
