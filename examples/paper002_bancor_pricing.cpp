// Paper 002 (Li, settlement of shared private piles): electricity priced by the Bancor formula
// P = B / (S * CRR). First the whitepaper case the paper builds on, on the exact curve, in exact
// mode and on the on-chain twin; then one day of half-hour periods whose net grid demand drives
// the price. Exits 1 if any figure disagrees with the paper or the price fails to follow the load.
#include <evmarket/curve/bancor.hpp>
#include <evmarket/curve/bancor_evm.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

int main() {
  using namespace evmarket;
  using exact = bin_float50;
  int mismatches = 0;
  auto report = [&](const char* what, const std::string& paper, const std::string& ours, bool same) {
    mismatches += same ? 0 : 1;
    std::printf("  %-34s %-26s %-26s %s\n", what, paper.c_str(), ours.c_str(), same ? "ok" : "MISMATCH");
  };

  std::printf("Paper 002: Bancor pricing, P = B / (S * CRR)\n\n");
  std::printf("Whitepaper case: supply S = 1000, reserve B = 250, CRR = 0.5\n");
  std::printf("  %-34s %-26s %-26s\n", "", "paper", "evmarket");
  const bancor_curve<exact> curve(1000, 250, exact("0.5"));
  const std::string price = curve.spot_price().str(3, std::ios_base::fixed);
  report("spot price", "0.500", price, price == "0.500");
  const exact bought = curve.purchase_return(10);
  const std::string digits = bought.str(25, std::ios_base::fixed);
  report("tokens for 10 reserve tokens", "19.8039027185569660056...", digits.substr(0, 25),
         digits.substr(0, 22) == "19.8039027185569660056");

  // Exact mode pays out whole base units (10^18 per token), rounded down; the on-chain twin
  // computes in those base units directly. The two agree to the unit.
  const bancor_curve<exact, directed_rounding<exact>> rounded(1000, 250, exact("0.5"));
  const exact paid = rounded.purchase_return(10);
  namespace evm = bancor_evm;
  const uint256 on_chain = evm::purchase_target_amount(evm::to_base_units(1000.0), evm::to_base_units(250.0), 500000,
                                                       evm::to_base_units(10.0));
  std::printf("  exact mode (rounded down):         %s tokens\n", paid.str(21, std::ios_base::fixed).c_str());
  const uint256 paid_units = evm::to_base_units(paid, 18, rounding::nearest);
  report("base units: on-chain twin vs exact", on_chain.str(), paid_units.str(), paid_units == on_chain);

  // A day of net grid demand (kWh per half hour): surplus overnight and at midday, peaks in the
  // morning and the evening. Each period's net demand buys (or, as a surplus, sells) one energy
  // token per kWh on a curve of 10000 tokens backed by 5000 reserve tokens, CRR 0.5.
  std::printf("\nOne day of load-driven prices (curve S = 10000, B = 5000, CRR = 0.5; 1 token per kWh)\n");
  std::printf("  %-6s %14s %8s %14s %14s\n", "time", "net kWh", "side", "paid/received", "price after");
  const double pi = 3.14159265358979323846;
  std::vector<energy> net_demand;
  for (int slot = 0; slot < 48; ++slot) {
    const double hour = slot / 2.0;
    const double kwh = 30 * std::sin((hour - 4) * pi / 12) + 25 * std::sin((hour - 1) * pi / 6);
    net_demand.push_back(kilowatt_hours(std::round(kwh * 10) / 10));
  }
  load_responsive_pricing<exact> pricing(bancor_curve<exact>(10000, 5000, exact("0.5")));
  exact previous = pricing.price();
  const auto series = pricing.run(net_demand);
  int wrong_direction = 0;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const auto& p = series[i];
    const bool up = p.price > previous, down = p.price < previous;
    const bool follows = net_demand[i].is_positive() ? up : (net_demand[i].is_negative() ? down : !up && !down);
    wrong_direction += follows ? 0 : 1;
    std::printf("  %02zu:%02zu  %14.1f %8s %14s %14s%s\n", i / 2, (i % 2) * 30, net_demand[i].display(),
                p.trade.side == curve_side::buy ? "buy" : (p.trade.side == curve_side::sell ? "sell" : "-"),
                p.trade.reserve.str(6, std::ios_base::fixed).c_str(), p.price.str(6, std::ios_base::fixed).c_str(),
                follows ? "" : "  <- price did not follow the load");
    previous = p.price;
  }
  report("price rises with load, falls with surplus", "every period",
         std::to_string(series.size() - static_cast<std::size_t>(wrong_direction)) + " of " +
             std::to_string(series.size()),
         wrong_direction == 0);
  std::printf("\n%s\n",
              mismatches == 0 ? "Paper 002's Bancor figures reproduced." : "Paper 002's figures NOT reproduced.");
  return mismatches == 0 ? 0 : 1;
}
