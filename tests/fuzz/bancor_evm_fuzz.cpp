// The on-chain Bancor twin on arbitrary 256-bit arguments. Properties, from the contract's
// specification: the argument checks revert in the stated order; A = 0 gives 0 and selling the
// whole supply gives the whole reserve; the one-step paths revert on a SafeMath overflow exactly
// when the exact product or sum reaches 2^256 and otherwise return the exact floor; on the power
// path an addition overflow, a base of 2^129 or more, and a too-large exponent revert only when
// the exact figures say so; every value is at most the real formula (fund_cost at most one unit
// above it, as its last step rounds up); the throwing form agrees with the try_ form.
#include "fuzz_support.hpp"

#include <evmarket/curve/bancor_evm.hpp>

#include <boost/multiprecision/cpp_bin_float.hpp>

#include <limits>
#include <utility>
#include <vector>

using namespace evmarket;
namespace evm = evmarket::bancor_evm;
using real = boost::multiprecision::number<boost::multiprecision::cpp_bin_float<100>, boost::multiprecision::et_off>;
using wide = boost::multiprecision::number<boost::multiprecision::cpp_int_backend<>, boost::multiprecision::et_off>;
using checks = std::vector<std::pair<bool, bancor_revert>>;

namespace {

constexpr std::uint32_t M = evm::max_weight;

uint256 arbitrary_amount(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 9)) {
    case 0:
      return uint256(0);
    case 1:
      return (uint256(1) << in.ConsumeIntegralInRange<unsigned>(0, 255)) - in.ConsumeIntegralInRange<unsigned>(0, 1);
    case 2:
      return ~uint256(0);
    case 3:
      return uint256(in.ConsumeIntegralInRange<std::uint64_t>(0, 1000));
    default: {
      uint256 v = 0;
      const unsigned words = in.ConsumeIntegralInRange<unsigned>(1, 4);
      for (unsigned k = 0; k < words; ++k) v = (v << 64) | uint256(in.ConsumeIntegral<std::uint64_t>());
      return v >> in.ConsumeIntegralInRange<unsigned>(0, 63);
    }
  }
}

std::uint32_t arbitrary_weight(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0:
      return 0;
    case 1:
      return 1;
    case 2:
      return M;
    case 3:
      return M + 1;
    case 4:
      return 2 * M;
    case 5:
      return 2 * M + 1;
    case 6:
      return in.ConsumeIntegral<std::uint32_t>();
    default:
      return in.ConsumeIntegralInRange<std::uint32_t>(1, M);
  }
}

const wide two_256 = wide(1) << 256;
const wide two_129 = wide(1) << 129;
wide w(const uint256& v) { return wide(v); }
real r(const uint256& v) { return real(v); }

struct expectation {
  bancor_revert revert = bancor_revert::none;  // an argument check that must fail first
};

// The common ending: a value is never above `bound`; a revert is one the exact figures allow.
void check_outcome(const bancor_evm_result& got, const real& bound, const real& exponent, const wide& base_n,
                   const wide& add_sum, const real& tail_product) {
  if (got.ok()) {
    FUZZ_CHECK(r(got.value()) <= bound * (1 + real("1e-60")) + real("1e-60"));
    return;
  }
  switch (got.revert()) {
    case bancor_revert::addition_overflow:
      FUZZ_CHECK(add_sum >= two_256);
      break;
    case bancor_revert::power_base_too_large:
      FUZZ_CHECK(add_sum < two_256 && base_n >= two_129);
      break;
    case bancor_revert::exponent_too_large:
      FUZZ_CHECK(base_n < two_129 && exponent > 56);
      break;
    case bancor_revert::multiplication_overflow:
      FUZZ_CHECK(base_n < two_129 && exponent <= real("56.5") && tail_product >= real(wide(1) << 128));
      break;
    default:
      FUZZ_CHECK(false);  // an argument check that should not have failed
  }
  if (add_sum >= two_256)
    FUZZ_CHECK(got.revert() == bancor_revert::addition_overflow);
  else if (base_n >= two_129)
    FUZZ_CHECK(got.revert() == bancor_revert::power_base_too_large);
  else if (exponent < 56)
    FUZZ_CHECK(got.revert() != bancor_revert::exponent_too_large);
}

// One-step path: mul(x, y) / d, reverting exactly on overflow.
void check_one_step(const bancor_evm_result& got, const uint256& x, const uint256& y, const wide& d, bool ceiling) {
  const wide product = w(x) * w(y);
  if (product >= two_256) {
    FUZZ_CHECK(!got.ok() && got.revert() == bancor_revert::multiplication_overflow);
    return;
  }
  FUZZ_CHECK(got.ok());
  const wide expected = ceiling ? (product - 1) / d + 1 : product / d;
  FUZZ_CHECK(w(got.value()) == expected);
}

// Argument checks, in the specification's order; returns false when one must revert.
bool arguments_fail(const bancor_evm_result& got, const checks& in_order) {
  for (const auto& [fails, revert] : in_order)
    if (fails) {
      FUZZ_CHECK(!got.ok() && got.revert() == revert);
      return true;
    }
  return false;
}

// purchase (e = weight) and fund supply (e = ratio): S((1 + A/R)^(e/M) - 1).
void growth(const bancor_evm_result& got, const uint256& S, const uint256& R, std::uint32_t e, const uint256& A) {
  if (A == 0) {
    FUZZ_CHECK(got.ok() && got.value() == 0);
    return;
  }
  if (e == M) return check_one_step(got, S, A, w(R), false);
  const real value = boost::multiprecision::pow(1 + r(A) / r(R), real(e) / M);
  const real exponent = boost::multiprecision::log(value);
  check_outcome(got, r(S) * (value - 1), exponent, w(A) + w(R), w(A) + w(R), r(S) * value);
}

// sale (e = weight) and liquidation (e = ratio): R(1 - (1 - A/S)^(M/e)).
void reduction(const bancor_evm_result& got, const uint256& S, const uint256& R, std::uint32_t e, const uint256& A) {
  if (A > S) {
    FUZZ_CHECK(!got.ok() && got.revert() == bancor_revert::invalid_amount);
    return;
  }
  if (A == 0) {
    FUZZ_CHECK(got.ok() && got.value() == 0);
    return;
  }
  if (A == S) {
    FUZZ_CHECK(got.ok() && got.value() == R);
    return;
  }
  if (e == M) return check_one_step(got, R, A, w(S), false);
  const real ratio = r(S) / r(S - A);  // the power's base, >= 1
  const real exponent = boost::multiprecision::log(ratio) * M / e;
  const real value = boost::multiprecision::exp(exponent);
  check_outcome(got, r(R) * (1 - 1 / value), exponent, w(S), w(S), r(R) * value);
}

void fund_cost(const bancor_evm_result& got, const uint256& S, const uint256& R, std::uint32_t q, const uint256& A) {
  if (A == 0) {
    FUZZ_CHECK(got.ok() && got.value() == 0);
    return;
  }
  if (q == M) return check_one_step(got, A, R, w(S), true);
  const real exponent = boost::multiprecision::log(1 + r(A) / r(S)) * M / q;
  const real value = boost::multiprecision::exp(exponent);
  check_outcome(got, r(R) * (value - 1) + 1, exponent, w(S) + w(A), w(S) + w(A), r(R) * value);
}

void cross(const bancor_evm_result& got, const uint256& Rs, std::uint32_t ws, const uint256& Rt, std::uint32_t wt,
           const uint256& A) {
  if (ws == wt) {
    const wide sum = w(Rs) + w(A);
    const wide product = w(Rt) * w(A);
    if (product >= two_256) {
      FUZZ_CHECK(!got.ok() && got.revert() == bancor_revert::multiplication_overflow);
      return;
    }
    if (sum >= two_256) {
      FUZZ_CHECK(!got.ok() && got.revert() == bancor_revert::addition_overflow);
      return;
    }
    {
      FUZZ_CHECK(got.ok() && w(got.value()) == product / sum);
      return;
    }
  }
  const real exponent = boost::multiprecision::log(1 + r(A) / r(Rs)) * ws / wt;
  const real value = boost::multiprecision::exp(exponent);
  check_outcome(got, r(Rt) * (1 - 1 / value), exponent, w(Rs) + w(A), w(Rs) + w(A), r(Rt) * value);
}

// The throwing form throws exactly when the try_ form reverts, with the same revert.
template <class Plain>
void same_as_plain(const bancor_evm_result& got, Plain plain) {
  try {
    const uint256 value = plain();
    FUZZ_CHECK(got.ok() && value == got.value());
  } catch (const bancor_evm_error& e) {
    FUZZ_CHECK(!got.ok() && e.revert() == got.revert());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const uint256 S = arbitrary_amount(in), R = arbitrary_amount(in), A = arbitrary_amount(in);
  const std::uint32_t e = arbitrary_weight(in);
  const bool bad_weight = e == 0 || e > M, bad_ratio = e <= 1 || e > 2 * M;
  const auto common = [&](bool bad_exponent, bancor_revert exponent_revert) {
    return checks{{S == 0, bancor_revert::invalid_supply},
                  {R == 0, bancor_revert::invalid_reserve_balance},
                  {bad_exponent, exponent_revert}};
  };
  switch (in.ConsumeIntegralInRange<int>(0, 5)) {
    case 0: {
      const auto got = evm::try_purchase_target_amount(S, R, e, A);
      if (!arguments_fail(got, common(bad_weight, bancor_revert::invalid_reserve_weight))) growth(got, S, R, e, A);
      same_as_plain(got, [&] { return evm::purchase_target_amount(S, R, e, A); });
      break;
    }
    case 1: {
      const auto got = evm::try_fund_supply_amount(S, R, e, A);
      if (!arguments_fail(got, common(bad_ratio, bancor_revert::invalid_reserve_ratio))) growth(got, S, R, e, A);
      same_as_plain(got, [&] { return evm::fund_supply_amount(S, R, e, A); });
      break;
    }
    case 2: {
      const auto got = evm::try_sale_target_amount(S, R, e, A);
      if (!arguments_fail(got, common(bad_weight, bancor_revert::invalid_reserve_weight))) reduction(got, S, R, e, A);
      same_as_plain(got, [&] { return evm::sale_target_amount(S, R, e, A); });
      break;
    }
    case 3: {
      const auto got = evm::try_liquidate_reserve_amount(S, R, e, A);
      if (!arguments_fail(got, common(bad_ratio, bancor_revert::invalid_reserve_ratio))) reduction(got, S, R, e, A);
      same_as_plain(got, [&] { return evm::liquidate_reserve_amount(S, R, e, A); });
      break;
    }
    case 4: {
      const auto got = evm::try_fund_cost(S, R, e, A);
      if (!arguments_fail(got, common(bad_ratio, bancor_revert::invalid_reserve_ratio))) fund_cost(got, S, R, e, A);
      same_as_plain(got, [&] { return evm::fund_cost(S, R, e, A); });
      break;
    }
    default: {  // cross: S and R are the two reserve balances
      const std::uint32_t wt = arbitrary_weight(in);
      const auto got = evm::try_cross_reserve_target_amount(S, e, R, wt, A);
      const bool weights_bad = bad_weight || wt == 0 || wt > M;
      if (!arguments_fail(got, checks{{S == 0 || R == 0, bancor_revert::invalid_reserve_balance},
                                      {weights_bad, bancor_revert::invalid_reserve_weight}}))
        cross(got, S, e, R, wt, A);
      same_as_plain(got, [&] { return evm::cross_reserve_target_amount(S, e, R, wt, A); });
    }
  }
  return 0;
}
