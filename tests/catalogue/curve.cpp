// Catalogue rows for curve/: the exact Bancor curve, the multi-reserve pool, load-responsive
// pricing, and the on-chain twin's reverts.
#include "catalogue.hpp"

#include <cmath>
#include <limits>
#include <tuple>

namespace {

using namespace evmarket;
using evmarket_catalogue::section;
using evmarket_catalogue::verdict;
namespace evm = evmarket::bancor_evm;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

template <class Number>
auto curve_state(const bancor_curve<Number>& c) {
  return std::tuple(c.supply(), c.balance(), c.weight());
}

void curve_rows(section& s) {
  const std::string ctor = "bancor_curve::bancor_curve";
  s.call<bad_input>(ctor, "zero supply", "supply", "0", [] { (void)bancor_curve<double>(0, 1, 0.5); });
  s.call<bad_input>(ctor, "negative supply", "supply", "-1", [] { (void)bancor_curve<double>(-1, 1, 0.5); });
  s.call<bad_input>(ctor, "NaN supply", "supply", "NaN", [] { (void)bancor_curve<double>(nan, 1, 0.5); });
  s.call<bad_input>(ctor, "+infinite supply", "supply", "+inf", [] { (void)bancor_curve<double>(inf, 1, 0.5); });
  s.call<bad_input>(ctor, "zero balance", "balance", "0", [] { (void)bancor_curve<double>(1, 0, 0.5); });
  s.call<bad_input>(ctor, "-infinite balance", "balance", "-inf", [] { (void)bancor_curve<double>(1, -inf, 0.5); });
  s.call<bad_input>(ctor, "zero weight", "weight", "0", [] { (void)bancor_curve<double>(1, 1, 0); });
  s.call<bad_input>(ctor, "weight above 1", "weight", "1.0000009999999999",
                    [] { (void)bancor_curve<double>(1, 1, 1.000001); });
  s.call<bad_input>(ctor, "NaN weight", "weight", "NaN", [] { (void)bancor_curve<double>(1, 1, nan); });
  s.call<bad_input>(ctor, "negative weight (bin_float50)", "weight", "-1",
                    [] { (void)bancor_curve<bin_float50>(1, 1, -1); });
  s.call<bad_input>(ctor, "zero supply (dec_float50)", "supply", "0", [] { (void)bancor_curve<dec_float50>(0, 1, 1); });

  using curve = bancor_curve<double>;
  const auto make = [] { return curve(1000, 250, 0.5); };
  const auto state = [](const curve& c) { return curve_state(c); };
  const auto row = [&](std::string entry, std::string input, std::string field, std::string value, auto act) {
    s.on<bad_input>(std::move(entry), std::move(input), std::move(field), std::move(value), make, act, state);
  };
  row("bancor_curve::purchase_return", "negative deposit", "deposit", "-1", [](curve& c) { (void)c.purchase_return(-1); });
  row("bancor_curve::purchase_return", "NaN deposit", "deposit", "NaN", [](curve& c) { (void)c.purchase_return(nan); });
  row("bancor_curve::sale_return", "more tokens than the supply", "tokens", "1001",
      [](curve& c) { (void)c.sale_return(1001); });
  row("bancor_curve::sale_return", "-infinite tokens", "tokens", "-inf", [](curve& c) { (void)c.sale_return(-inf); });
  row("bancor_curve::purchase_cost", "NaN tokens", "tokens", "NaN", [](curve& c) { (void)c.purchase_cost(nan); });
  row("bancor_curve::purchase_cost", "negative tokens", "tokens", "-3", [](curve& c) { (void)c.purchase_cost(-3); });
  row("bancor_curve::sale_cost", "more reserve than the balance", "reserve", "251",
      [](curve& c) { (void)c.sale_cost(251); });
  row("bancor_curve::sale_cost", "+infinite reserve", "reserve", "+inf", [](curve& c) { (void)c.sale_cost(inf); });
  row("bancor_curve::buy", "negative deposit", "deposit", "-1", [](curve& c) { (void)c.buy(-1); });
  row("bancor_curve::buy", "NaN deposit", "deposit", "NaN", [](curve& c) { (void)c.buy(nan); });
  row("bancor_curve::buy_tokens", "+infinite tokens", "tokens", "+inf", [](curve& c) { (void)c.buy_tokens(inf); });
  row("bancor_curve::buy_tokens", "negative tokens", "tokens", "-0.5", [](curve& c) { (void)c.buy_tokens(-0.5); });
  row("bancor_curve::sell", "the whole supply", "tokens", "1000", [](curve& c) { (void)c.sell(1000); });
  row("bancor_curve::sell", "more than the supply", "tokens", "1000.5", [](curve& c) { (void)c.sell(1000.5); });
  row("bancor_curve::sell", "negative tokens", "tokens", "-1", [](curve& c) { (void)c.sell(-1); });
  row("bancor_curve::sell", "NaN tokens", "tokens", "NaN", [](curve& c) { (void)c.sell(nan); });
  const auto huge = [] { return curve(1e300, 1, 1); };
  s.on<overflow_error>("bancor_curve::buy", "overflow: 1e300 deposit on a 1e300-token curve", "bancor purchase_return",
                       "deposit = 1.0000000000000001e+300", huge, [](curve& c) { (void)c.buy(1e300); }, state);
  s.on<overflow_error>("bancor_curve::purchase_cost", "overflow: 1e300 tokens at weight 0.01",
                       "bancor purchase_cost", "tokens = 1.0000000000000001e+300", [] { return curve(1, 1, 0.01); },
                       [](curve& c) { (void)c.purchase_cost(1e300); }, state);
  using exact = bancor_curve<bin_float50>;
  s.on<bad_input>("bancor_curve::sell", "the whole supply (bin_float50)", "tokens", "1000",
                  [] { return exact(1000, 250, bin_float50("0.5")); }, [](exact& c) { (void)c.sell(1000); },
                  [](const exact& c) { return curve_state(c); });
}

void pool_rows(section& s) {
  using pool = bancor_pool<double>;
  const std::string ctor = "bancor_pool::bancor_pool";
  s.call<bad_input>(ctor, "no reserves", "reserves", "0", [] { (void)pool(1, {}); });
  s.call<bad_input>(ctor, "weights summing to 2.1", "reserves (sum of weights)", "2.1000000000000001",
                    [] { (void)pool(1, {{1, 1}, {1, 0.9}, {1, 0.2}}); });
  s.call<bad_input>(ctor, "zero supply", "supply", "0", [] { (void)pool(0, {{1, 0.5}}); });
  s.call<bad_input>(ctor, "zero reserve balance", "reserves[1].balance", "0", [] { (void)pool(1, {{1, 0.5}, {0, 0.5}}); });
  s.call<bad_input>(ctor, "NaN reserve weight", "reserves[0].weight", "NaN", [] { (void)pool(1, {{1, nan}}); });
  s.call<bad_input>(ctor, "reserve weight above 1", "reserves[0].weight", "1.5", [] { (void)pool(1, {{1, 1.5}}); });

  const auto make = [] { return pool(1000, {{500, 0.5}, {300, 0.25}}); };
  const auto state = [](const pool& p) {
    std::vector<std::pair<double, double>> r;
    for (const auto& x : p.reserves()) r.emplace_back(x.balance, x.weight);
    return std::tuple(p.supply(), r, p.ratio());
  };
  const auto row = [&](std::string entry, std::string input, std::string field, std::string value, auto act) {
    s.on<bad_input>(std::move(entry), std::move(input), std::move(field), std::move(value), make, act, state);
  };
  row("bancor_pool::spot_price", "reserve index out of range", "reserve", "2", [](pool& p) { (void)p.spot_price(2); });
  row("bancor_pool::conversion_return", "from == to", "to", "0", [](pool& p) { (void)p.conversion_return(0, 0, 1); });
  row("bancor_pool::conversion_return", "source index out of range", "from", "5",
      [](pool& p) { (void)p.conversion_return(5, 0, 1); });
  row("bancor_pool::conversion_return", "negative amount", "amount", "-1",
      [](pool& p) { (void)p.conversion_return(0, 1, -1); });
  row("bancor_pool::fund_cost", "NaN tokens", "tokens", "NaN", [](pool& p) { (void)p.fund_cost(nan); });
  row("bancor_pool::fund_supply_amount", "reserve index out of range", "reserve", "9",
      [](pool& p) { (void)p.fund_supply_amount(9, 1); });
  row("bancor_pool::fund_supply_amount", "+infinite amount", "amount", "+inf",
      [](pool& p) { (void)p.fund_supply_amount(0, inf); });
  row("bancor_pool::liquidation_return", "more tokens than the supply", "tokens", "1001",
      [](pool& p) { (void)p.liquidation_return(1001); });
  row("bancor_pool::convert", "from == to", "to", "1", [](pool& p) { (void)p.convert(1, 1, 1); });
  row("bancor_pool::convert", "target index out of range", "to", "2", [](pool& p) { (void)p.convert(0, 2, 1); });
  row("bancor_pool::convert", "NaN amount", "amount", "NaN", [](pool& p) { (void)p.convert(0, 1, nan); });
  row("bancor_pool::fund", "negative tokens", "tokens", "-1", [](pool& p) { (void)p.fund(-1); });
  row("bancor_pool::liquidate", "the whole supply", "tokens", "1000", [](pool& p) { (void)p.liquidate(1000); });
  row("bancor_pool::liquidate", "negative tokens", "tokens", "-2", [](pool& p) { (void)p.liquidate(-2); });

  using pricing = load_responsive_pricing<double>;
  s.call<bad_input>("load_responsive_pricing::load_responsive_pricing", "zero tokens per kWh", "tokens_per_kwh", "0",
                    [] { (void)pricing(bancor_curve<double>(1, 1, 1), 0.0); });
  s.call<bad_input>("load_responsive_pricing::load_responsive_pricing", "NaN tokens per kWh", "tokens_per_kwh", "NaN",
                    [] { (void)pricing(bancor_curve<double>(1, 1, 1), nan); });
  const auto small = [] { return pricing(bancor_curve<double>(100, 50, 0.5), 1.0); };
  const auto pricing_state = [](const pricing& p) { return curve_state(p.curve()); };
  s.on<bad_input>("load_responsive_pricing::step", "a surplus selling the whole supply", "tokens", "100", small,
                  [](pricing& p) { (void)p.step(kilowatt_hours(-100)); }, pricing_state);
  s.on<bad_input>("load_responsive_pricing::run", "a bad third period after two good ones", "net_demand[2]",
                  "-200000 Wh", small,
                  [](pricing& p) {
                    const std::vector<energy> demand{kilowatt_hours(5), kilowatt_hours(-3), kilowatt_hours(-200)};
                    (void)p.run(demand);
                  },
                  pricing_state);
}

/// The verdict of an on-chain call: its revert and the error value() would throw.
verdict of(const bancor_evm_result& r) {
  if (r.ok()) return {};
  try {
    (void)r.value();
  } catch (const bancor_evm_error& e) {
    return {"bancor_revert::" + std::string(revert_name(r.revert())), e.what()};
  }
  return {"no error from value()", ""};
}

void evm_rows(section& s) {

  const auto row = [&](std::string entry, std::string input, bancor_revert expected, std::string field,
                       std::string value, std::function<bancor_evm_result()> call) {
    // The twin is a set of pure functions: the "object" is nothing; a constant snapshot.
    s.on_status(std::move(entry), std::move(input), "bancor_revert::" + std::string(revert_name(expected)),
                std::move(field), std::move(value), [] { return 0; }, [call](int&) { return of(call()); },
                [](int x) { return x; });
  };
  using R = bancor_revert;
  const std::string buy = "bancor_evm::try_purchase_target_amount";
  row(buy, "zero supply", R::invalid_supply, "supply", "0", [] { return evm::try_purchase_target_amount(0, 1, 500000, 1); });
  row(buy, "zero reserve balance", R::invalid_reserve_balance, "reserve_balance", "0",
      [] { return evm::try_purchase_target_amount(1, 0, 500000, 1); });
  row(buy, "zero weight", R::invalid_reserve_weight, "reserve_weight", "0",
      [] { return evm::try_purchase_target_amount(1, 1, 0, 1); });
  row(buy, "weight above 10^6 ppm", R::invalid_reserve_weight, "reserve_weight", "1000001",
      [] { return evm::try_purchase_target_amount(1, 1, 1000001, 1); });
  const std::string sell = "bancor_evm::try_sale_target_amount";
  row(sell, "amount above the supply", R::invalid_amount, "amount", "11",
      [] { return evm::try_sale_target_amount(10, 10, 500000, 11); });
  row(sell, "zero supply", R::invalid_supply, "supply", "0", [] { return evm::try_sale_target_amount(0, 10, 500000, 0); });
  row(sell, "weight above 10^6 ppm", R::invalid_reserve_weight, "reserve_weight", "2000000",
      [] { return evm::try_sale_target_amount(10, 10, 2000000, 1); });
  const std::string cross = "bancor_evm::try_cross_reserve_target_amount";
  row(cross, "zero source balance", R::invalid_reserve_balance, "source_balance", "0",
      [] { return evm::try_cross_reserve_target_amount(0, 500000, 10, 500000, 1); });
  row(cross, "zero target balance", R::invalid_reserve_balance, "target_balance", "0",
      [] { return evm::try_cross_reserve_target_amount(10, 500000, 0, 500000, 1); });
  row(cross, "zero source weight", R::invalid_reserve_weight, "source_weight", "0",
      [] { return evm::try_cross_reserve_target_amount(10, 0, 10, 500000, 1); });
  row(cross, "target weight above 10^6 ppm", R::invalid_reserve_weight, "target_weight", "1000001",
      [] { return evm::try_cross_reserve_target_amount(10, 500000, 10, 1000001, 1); });
  const std::string fund = "bancor_evm::try_fund_cost";
  row(fund, "ratio 1 ppm", R::invalid_reserve_ratio, "reserve_ratio", "1",
      [] { return evm::try_fund_cost(10, 10, 1, 1); });
  row(fund, "zero supply", R::invalid_supply, "supply", "0", [] { return evm::try_fund_cost(0, 10, 500000, 1); });
  row(fund, "zero reserve balance", R::invalid_reserve_balance, "reserve_balance", "0",
      [] { return evm::try_fund_cost(10, 0, 500000, 1); });
  const std::string supply = "bancor_evm::try_fund_supply_amount";
  row(supply, "zero ratio", R::invalid_reserve_ratio, "reserve_ratio", "0",
      [] { return evm::try_fund_supply_amount(10, 10, 0, 1); });
  row(supply, "ratio above 2 x 10^6 ppm", R::invalid_reserve_ratio, "reserve_ratio", "2000001",
      [] { return evm::try_fund_supply_amount(10, 10, 2000001, 1); });
  row(supply, "zero supply", R::invalid_supply, "supply", "0", [] { return evm::try_fund_supply_amount(0, 10, 500000, 1); });
  const std::string liquidate = "bancor_evm::try_liquidate_reserve_amount";
  row(liquidate, "amount above the supply", R::invalid_amount, "amount", "11",
      [] { return evm::try_liquidate_reserve_amount(10, 10, 500000, 11); });
  row(liquidate, "ratio above 2 x 10^6 ppm", R::invalid_reserve_ratio, "reserve_ratio", "3000000",
      [] { return evm::try_liquidate_reserve_amount(10, 10, 3000000, 1); });
  row(liquidate, "zero reserve balance", R::invalid_reserve_balance, "reserve_balance", "0",
      [] { return evm::try_liquidate_reserve_amount(10, 0, 500000, 1); });

  // The throwing forms and the conversions.
  s.call<bancor_evm_error>("bancor_evm::purchase_target_amount", "zero supply", "supply", "0",
                           [] { (void)evm::purchase_target_amount(0, 1, 500000, 1); });
  s.call<bancor_evm_error>("bancor_evm::sale_target_amount", "amount above the supply", "amount", "11",
                           [] { (void)evm::sale_target_amount(10, 10, 500000, 11); });
  s.call<bancor_evm_error>("bancor_evm::cross_reserve_target_amount", "zero source weight", "source_weight", "0",
                           [] { (void)evm::cross_reserve_target_amount(10, 0, 10, 500000, 1); });
  s.call<bancor_evm_error>("bancor_evm::fund_cost", "zero ratio", "reserve_ratio", "0",
                           [] { (void)evm::fund_cost(10, 10, 0, 1); });
  s.call<bancor_evm_error>("bancor_evm::fund_supply_amount", "zero reserve balance", "reserve_balance", "0",
                           [] { (void)evm::fund_supply_amount(10, 0, 500000, 1); });
  s.call<bancor_evm_error>("bancor_evm::liquidate_reserve_amount", "amount above the supply", "amount", "100000",
                           [] { (void)evm::liquidate_reserve_amount(10, 10, 500000, 100000); });
  s.call<bancor_evm_error>("bancor_evm::power", "base of 2^129", "base_n", (uint256(1) << 129).str(),
                           [] { (void)evm::power(uint256(1) << 129, 1, 1, 1); });
  s.call<bancor_evm_error>("bancor_evm::power", "exponent too large: 1000^9", "exponent", "",
                           [] { (void)evm::power(1000, 1, 9, 1); });
  s.call<bad_input>("bancor_evm::power", "base_n below base_d", "base_n", "1", [] { (void)evm::power(1, 2, 1, 1); });
  s.call<bad_input>("bancor_evm::power", "zero exponent numerator", "exp_n", "0", [] { (void)evm::power(2, 1, 0, 1); });
  s.call<bad_input>("bancor_evm::power", "zero base_d", "base_d", "0", [] { (void)evm::power(2, 0, 1, 1); });
  s.call<bad_input>("bancor_evm::power", "zero exponent denominator", "exp_d", "0", [] { (void)evm::power(2, 1, 1, 0); });
  s.call<bad_input>("bancor_evm::to_base_units", "negative tokens", "tokens", "-1", [] { (void)evm::to_base_units(-1.0); });
  s.call<bad_input>("bancor_evm::to_base_units", "NaN tokens", "tokens", "NaN",
                    [] { (void)evm::to_base_units(std::numeric_limits<double>::quiet_NaN()); });
  s.call<bad_input>("bancor_evm::to_base_units", "overflow: 1e80 tokens beyond 2^256 base units", "tokens", "1e+80",
                    [] { (void)evm::to_base_units(1e80); });
  s.call<bad_input>("bancor_evm::to_base_units", "79 decimals", "decimals", "79",
                    [] { (void)evm::to_base_units(1.0, 79); });
  s.call<bad_input>("bancor_evm::to_ppm", "zero fraction", "fraction", "0", [] { (void)evm::to_ppm(0.0); });
  s.call<bad_input>("bancor_evm::to_ppm", "fraction 2.5", "fraction", "2.5", [] { (void)evm::to_ppm(2.5); });
  s.call<bad_input>("bancor_evm::to_ppm", "NaN fraction", "fraction", "NaN", [] { (void)evm::to_ppm(nan); });
  s.call<bad_input>("bancor_evm::to_ppm", "below one part per million", "fraction", "9.9999999999999995e-08",
                    [] { (void)evm::to_ppm(1e-7); });
  s.call<bad_input>("bancor_evm::unit_scale", "78 decimals", "decimals", "78", [] { (void)evm::unit_scale(78); });
}

const bool registered = evmarket_catalogue::add_section(50, "curve", [](section& s) {
  curve_rows(s);
  pool_rows(s);
  evm_rows(s);
});

}  // namespace
