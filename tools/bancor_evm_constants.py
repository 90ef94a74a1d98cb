#!/usr/bin/env python3
"""Generate include/evmarket/detail/bancor_evm_constants.hpp from the rules of the on-chain Bancor
formula's constants: exact integers, and Decimal at 400 significant digits (exact floor/ceiling)
wherever e or ln 2 enter. Deterministic: the same input always gives the same bytes.

    python3 tools/bancor_evm_constants.py > include/evmarket/detail/bancor_evm_constants.hpp
    python3 tools/bancor_evm_constants.py --check include/evmarket/detail/bancor_evm_constants.hpp
"""
import sys
from decimal import Decimal, getcontext, ROUND_FLOOR, ROUND_CEILING

getcontext().prec = 400
U256 = 2**256
FIXED_1 = 2**127


def floor_dec(x):
    return int(x.to_integral_value(rounding=ROUND_FLOOR))


def ceil_dec(x):
    return int(x.to_integral_value(rounding=ROUND_CEILING))


def e_pow(x):
    return Decimal(x).exp()


def ln2_pair():
    # B: the largest value generalLog can produce before scaling, floor(log2(2^129 - 1) * 2^127).
    b = floor_dec((Decimal(2**129 - 1).ln() / Decimal(2).ln()) * FIXED_1)
    assert b == 129 * FIXED_1 - 1
    num = (U256 - 1) // b
    den = ceil_dec(Decimal(num) / Decimal(2).ln())
    return num, den


def optimal_log_thresholds():
    return [floor_dec(e_pow(Decimal(2) ** -n) * FIXED_1) for n in range(1, 9)]


def optimal_exp_multipliers():
    pairs = []
    top = floor_dec(e_pow(Decimal(1) / 8) * FIXED_1) - 1
    for n in range(7):
        c = e_pow(Decimal(2) ** (n - 3))
        den = floor_dec(Decimal(U256 - 1) / (c * top))
        num = floor_dec(Decimal(den) * c)
        assert top * num < U256
        pairs.append((num, den))
        top = top * num // den
    return pairs


def general_exp_coefficients():
    fact = [1]
    for k in range(1, 34):
        fact.append(fact[-1] * k)
    return [fact[33] // fact[k] for k in range(2, 34)], fact[33]


def general_exp_fits(x, p, coefs, divisor):
    """True when generalExp(x, p) keeps every intermediate value below 2^256."""
    xi, res = x, 0
    for coef in coefs:
        product = xi * x
        if product >= U256:
            return False
        xi = product >> p
        term = xi * coef
        if term >= U256:
            return False
        res += term
        if res >= U256:
            return False
    res = res // divisor + x
    if res >= U256:
        return False
    return res + (1 << p) < U256


def max_exp_array():
    coefs, divisor = general_exp_coefficients()
    table = []
    for p in range(128):
        lo, hi = 0, U256 - 1  # invariant: fits(lo), and everything above hi fails
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if general_exp_fits(mid, p, coefs, divisor):
                lo = mid
            else:
                hi = mid - 1
        table.append(((lo + 1) << (127 - p)) - 1)
    return table


def limbs(value, count=3):
    assert 0 <= value < 2 ** (64 * count), hex(value)
    return "{" + ", ".join("0x%016xULL" % ((value >> (64 * i)) & (2**64 - 1)) for i in range(count)) + "}"


def render():
    ln2_num, ln2_den = ln2_pair()
    opt_log_max = floor_dec(e_pow(1) * FIXED_1)
    thresholds = optimal_log_thresholds()
    multipliers = optimal_exp_multipliers()
    max_exp = max_exp_array()
    out = []
    w = out.append
    w("#pragma once")
    w("/// @file")
    w("/// Constants of the on-chain Bancor formula, generated from their rules by")
    w("/// tools/bancor_evm_constants.py (do not edit by hand; re-run the generator). Each value is")
    w("/// three 64-bit limbs, least significant first.")
    w("")
    w("#include <evmarket/config.hpp>")
    w("")
    w("#include <array>")
    w("#include <cstdint>")
    w("")
    w("EVMARKET_BEGIN_NAMESPACE")
    w("namespace detail::bancor_evm_constants {")
    w("")
    w("/// A constant below 2^192 as limbs, least significant first.")
    w("using limbs = std::array<std::uint64_t, 3>;")
    w("")
    w("/// floor((2^256 - 1) / (129 * 2^127 - 1)): the largest multiplier of the largest log2 value.")
    w("inline constexpr limbs ln2_numerator = %s;" % limbs(ln2_num))
    w("/// ceil(ln2_numerator / ln 2), so that numerator / denominator <= ln 2.")
    w("inline constexpr limbs ln2_denominator = %s;" % limbs(ln2_den))
    w("/// floor(e * 2^127): optimalLog serves bases below e.")
    w("inline constexpr limbs opt_log_max_val = %s;" % limbs(opt_log_max))
    w("/// T_n = floor(e^(2^-n) * 2^127), n = 1..8.")
    w("inline constexpr std::array<limbs, 8> optimal_log_thresholds = {{")
    for t in thresholds:
        w("    %s," % limbs(t))
    w("}};")
    w("/// optimalExp's multipliers NUM_n / DEN_n just below e^(2^(n-3)), n = 0..6 (chained rule).")
    w("inline constexpr std::array<limbs, 7> optimal_exp_numerators = {{")
    for num, _ in multipliers:
        w("    %s," % limbs(num))
    w("}};")
    w("inline constexpr std::array<limbs, 7> optimal_exp_denominators = {{")
    for _, den in multipliers:
        w("    %s," % limbs(den))
    w("}};")
    w("/// maxExpArray[p] = ((M_p + 1) << (127 - p)) - 1, p = 0..127 (entries below 32 are unused).")
    w("inline constexpr std::array<limbs, 128> max_exp_array = {{")
    for v in max_exp:
        w("    %s," % limbs(v))
    w("}};")
    w("")
    w("}  // namespace detail::bancor_evm_constants")
    w("EVMARKET_END_NAMESPACE")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    text = render()
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        with open(sys.argv[2]) as f:
            same = f.read() == text
        print("constants header is up to date" if same else "constants header differs from the rules")
        sys.exit(0 if same else 1)
    sys.stdout.write(text)
