#pragma once
/// @file
/// Constants of the on-chain Bancor formula, generated from their rules by
/// tools/bancor_evm_constants.py (do not edit by hand; re-run the generator). Each value is
/// three 64-bit limbs, least significant first.

#include <evmarket/config.hpp>

#include <array>
#include <cstdint>

EVMARKET_BEGIN_NAMESPACE
namespace detail::bancor_evm_constants {

/// A constant below 2^192 as limbs, least significant first.
using limbs = std::array<std::uint64_t, 3>;

/// floor((2^256 - 1) / (129 * 2^127 - 1)): the largest multiplier of the largest log2 value.
inline constexpr limbs ln2_numerator = {0xf80fe03f80fe03f8ULL, 0x03f80fe03f80fe03ULL, 0x0000000000000000ULL};
/// ceil(ln2_numerator / ln 2), so that numerator / denominator <= ln 2.
inline constexpr limbs ln2_denominator = {0xd647b0955897ba80ULL, 0x05b9de1d10bf4103ULL, 0x0000000000000000ULL};
/// floor(e * 2^127): optimalLog serves bases below e.
inline constexpr limbs opt_log_max_val = {0x5fb8ac404e7a79e3ULL, 0x5bf0a8b145769535ULL, 0x0000000000000001ULL};
/// T_n = floor(e^(2^-n) * 2^127), n = 1..8.
inline constexpr std::array<limbs, 8> optimal_log_thresholds = {{
    {0x96ff7d5b6f99fcd8ULL, 0xd3094c70f034de4bULL, 0x0000000000000000ULL},
    {0x3de1db4dd55f29a7ULL, 0xa45af1e1f40c333bULL, 0x0000000000000000ULL},
    {0x76b441c27035c6a1ULL, 0x910b022db7ae67ceULL, 0x0000000000000000ULL},
    {0xd8d00cf112e4d4a8ULL, 0x88415abbe9a76beaULL, 0x0000000000000000ULL},
    {0x05e841d5d4064bd3ULL, 0x84102b00893f64c7ULL, 0x0000000000000000ULL},
    {0x5c3259f4822735a2ULL, 0x8204055aaef1c8bdULL, 0x0000000000000000ULL},
    {0x1931c15e39b44e99ULL, 0x810100ab00222d86ULL, 0x0000000000000000ULL},
    {0x451521693554f733ULL, 0x808040155aabbbe9ULL, 0x0000000000000000ULL},
}};
/// optimalExp's multipliers NUM_n / DEN_n just below e^(2^(n-3)), n = 0..6 (chained rule).
inline constexpr std::array<limbs, 7> optimal_exp_numerators = {{
    {0x7d624d3e5eba95f9ULL, 0xc3d6a24ed8221878ULL, 0x0000000000000001ULL},
    {0x82b9793ac6d1e778ULL, 0x8ebef9eac820ae86ULL, 0x0000000000000001ULL},
    {0xaceb46aa619baed5ULL, 0x368b2fc6f9609fe7ULL, 0x0000000000000001ULL},
    {0x75bd8f0520a9f21eULL, 0xbc5ab1b16779be35ULL, 0x0000000000000000ULL},
    {0x6ddbab84b40a55c5ULL, 0x454aaa8efe072e7fULL, 0x0000000000000000ULL},
    {0xf4578099615711d7ULL, 0x0960aadc109e7a3bULL, 0x0000000000000000ULL},
    {0x77f9a8cf01fdc307ULL, 0x002bf84208204f59ULL, 0x0000000000000000ULL},
}};
inline constexpr std::array<limbs, 7> optimal_exp_denominators = {{
    {0x82b9793ac6d1e776ULL, 0x8ebef9eac820ae86ULL, 0x0000000000000001ULL},
    {0xaceb46aa619baed4ULL, 0x368b2fc6f9609fe7ULL, 0x0000000000000001ULL},
    {0x75bd8f0520a9f21fULL, 0xbc5ab1b16779be35ULL, 0x0000000000000000ULL},
    {0x6ddbab84b40a55c9ULL, 0x454aaa8efe072e7fULL, 0x0000000000000000ULL},
    {0xf4578099615711eaULL, 0x0960aadc109e7a3bULL, 0x0000000000000000ULL},
    {0x77f9a8cf01fdce3dULL, 0x002bf84208204f59ULL, 0x0000000000000000ULL},
    {0xb95b4cbee7e65d11ULL, 0x000003c6ab775dd0ULL, 0x0000000000000000ULL},
}};
/// maxExpArray[p] = ((M_p + 1) << (127 - p)) - 1, p = 0..127 (entries below 32 are unused).
inline constexpr std::array<limbs, 128> max_exp_array = {{
    {0xffffffffffffffffULL, 0xffffffffffffffffULL, 0x000000000000006bULL},
    {0xffffffffffffffffULL, 0xffffffffffffffffULL, 0x0000000000000067ULL},
    {0xffffffffffffffffULL, 0x7fffffffffffffffULL, 0x0000000000000063ULL},
    {0xffffffffffffffffULL, 0x6fffffffffffffffULL, 0x000000000000005fULL},
    {0xffffffffffffffffULL, 0x77ffffffffffffffULL, 0x000000000000005bULL},
    {0xffffffffffffffffULL, 0xb3ffffffffffffffULL, 0x0000000000000057ULL},
    {0xffffffffffffffffULL, 0x19ffffffffffffffULL, 0x0000000000000054ULL},
    {0xffffffffffffffffULL, 0xa2ffffffffffffffULL, 0x0000000000000050ULL},
    {0xffffffffffffffffULL, 0x517fffffffffffffULL, 0x000000000000004dULL},
    {0xffffffffffffffffULL, 0x233fffffffffffffULL, 0x000000000000004aULL},
    {0xffffffffffffffffULL, 0x165fffffffffffffULL, 0x0000000000000047ULL},
    {0xffffffffffffffffULL, 0x29afffffffffffffULL, 0x0000000000000044ULL},
    {0xffffffffffffffffULL, 0x5bc7ffffffffffffULL, 0x0000000000000041ULL},
    {0xffffffffffffffffULL, 0xab73ffffffffffffULL, 0x000000000000003eULL},
    {0xffffffffffffffffULL, 0x1771ffffffffffffULL, 0x000000000000003cULL},
    {0xffffffffffffffffULL, 0x9e96ffffffffffffULL, 0x0000000000000039ULL},
    {0xffffffffffffffffULL, 0x3fc47fffffffffffULL, 0x0000000000000037ULL},
    {0xffffffffffffffffULL, 0xf9e8ffffffffffffULL, 0x0000000000000034ULL},
    {0xffffffffffffffffULL, 0xcbfd5fffffffffffULL, 0x0000000000000032ULL},
    {0xffffffffffffffffULL, 0xb5057fffffffffffULL, 0x0000000000000030ULL},
    {0xffffffffffffffffULL, 0xb40f9fffffffffffULL, 0x000000000000002eULL},
    {0xffffffffffffffffULL, 0xc8340fffffffffffULL, 0x000000000000002cULL},
    {0xffffffffffffffffULL, 0xf09481ffffffffffULL, 0x000000000000002aULL},
    {0xffffffffffffffffULL, 0x2c5bddffffffffffULL, 0x0000000000000029ULL},
    {0xffffffffffffffffULL, 0x7abdcdffffffffffULL, 0x0000000000000027ULL},
    {0xffffffffffffffffULL, 0xdaf6657fffffffffULL, 0x0000000000000025ULL},
    {0xffffffffffffffffULL, 0x4c49c65fffffffffULL, 0x0000000000000024ULL},
    {0xffffffffffffffffULL, 0xce03cd5fffffffffULL, 0x0000000000000022ULL},
    {0xffffffffffffffffULL, 0x5f77c047ffffffffULL, 0x0000000000000021ULL},
    {0xffffffffffffffffULL, 0xffffffffffffffffULL, 0x000000000000001fULL},
    {0xffffffffffffffffULL, 0xaefdbdabffffffffULL, 0x000000000000001eULL},
    {0xffffffffffffffffULL, 0x6bd8b2ebffffffffULL, 0x000000000000001dULL},
    {0xffffffffffffffffULL, 0x35fedd14ffffffffULL, 0x000000000000001cULL},
    {0xffffffffffffffffULL, 0x0ce43b323fffffffULL, 0x000000000000001bULL},
    {0xffffffffffffffffULL, 0xf0028ec1ffffffffULL, 0x0000000000000019ULL},
    {0xffffffffffffffffULL, 0xded91f0e7fffffffULL, 0x0000000000000018ULL},
    {0xffffffffffffffffULL, 0xd8ec7f0417ffffffULL, 0x0000000000000017ULL},
    {0xffffffffffffffffULL, 0xddc6556cdbffffffULL, 0x0000000000000016ULL},
    {0xffffffffffffffffULL, 0xecf52776a1ffffffULL, 0x0000000000000015ULL},
    {0xffffffffffffffffULL, 0x060c256cb2ffffffULL, 0x0000000000000015ULL},
    {0xffffffffffffffffULL, 0x28a2f98d72ffffffULL, 0x0000000000000014ULL},
    {0xffffffffffffffffULL, 0x545598e5c23fffffULL, 0x0000000000000013ULL},
    {0xffffffffffffffffULL, 0x88c4161ce1dfffffULL, 0x0000000000000012ULL},
    {0xffffffffffffffffULL, 0xc592761c666fffffULL, 0x0000000000000011ULL},
    {0xffffffffffffffffULL, 0x0a688680a757ffffULL, 0x0000000000000011ULL},
    {0xffffffffffffffffULL, 0x56f1b5bedf77ffffULL, 0x0000000000000010ULL},
    {0xffffffffffffffffULL, 0xaadceceeff8bffffULL, 0x000000000000000fULL},
    {0xffffffffffffffffULL, 0x05dc6b27edadffffULL, 0x000000000000000fULL},
    {0xffffffffffffffffULL, 0x67a5a25da4107fffULL, 0x000000000000000eULL},
    {0xffffffffffffffffULL, 0xcff115b14eedffffULL, 0x000000000000000dULL},
    {0xffffffffffffffffULL, 0x3e7a392431239fffULL, 0x000000000000000dULL},
    {0xffffffffffffffffULL, 0xb2ff529eb71e4fffULL, 0x000000000000000cULL},
    {0xffffffffffffffffULL, 0x2d415c3db974afffULL, 0x000000000000000cULL},
    {0xffffffffffffffffULL, 0xad03e7d883f69bffULL, 0x000000000000000bULL},
    {0xffffffffffffffffULL, 0x320d03b2c343d5ffULL, 0x000000000000000bULL},
    {0xffffffffffffffffULL, 0xbc25204e02828dffULL, 0x000000000000000aULL},
    {0xffffffffffffffffULL, 0x4b16f74ee4bb207fULL, 0x000000000000000aULL},
    {0xffffffffffffffffULL, 0xdeaf736ac1f569ffULL, 0x0000000000000009ULL},
    {0xffffffffffffffffULL, 0x76bd9952c7aa957fULL, 0x0000000000000009ULL},
    {0xffffffffffffffffULL, 0x131271922eaa606fULL, 0x0000000000000009ULL},
    {0xffffffffffffffffULL, 0xb380f3558668c46fULL, 0x0000000000000008ULL},
    {0xffffffffffffffffULL, 0x57ddf0117efa215bULL, 0x0000000000000008ULL},
    {0xffffffffffffffffULL, 0xffffffffffffffffULL, 0x0000000000000007ULL},
    {0xffffffffffffffffULL, 0xabbf6f6abb9d087fULL, 0x0000000000000007ULL},
    {0x7fffffffffffffffULL, 0x5af62cbac95f7dfaULL, 0x0000000000000007ULL},
    {0x3fffffffffffffffULL, 0x0d7fb7452e187ac1ULL, 0x0000000000000007ULL},
    {0x5fffffffffffffffULL, 0xc3390ecc8af37929ULL, 0x0000000000000006ULL},
    {0x6fffffffffffffffULL, 0x7c00a3b07ffc01fdULL, 0x0000000000000006ULL},
    {0x27ffffffffffffffULL, 0x37b647c39cbb9d3dULL, 0x0000000000000006ULL},
    {0x87ffffffffffffffULL, 0xf63b1fc104dbd395ULL, 0x0000000000000005ULL},
    {0x35ffffffffffffffULL, 0xb771955b36e12f72ULL, 0x0000000000000005ULL},
    {0xf6ffffffffffffffULL, 0x7b3d49dda84556d6ULL, 0x0000000000000005ULL},
    {0x30ffffffffffffffULL, 0x4183095b2c8ececfULL, 0x0000000000000005ULL},
    {0xf77fffffffffffffULL, 0x0a28be635ca2b888ULL, 0x0000000000000005ULL},
    {0x3c3fffffffffffffULL, 0xd5156639708c9db3ULL, 0x0000000000000004ULL},
    {0xdfdfffffffffffffULL, 0xa23105873875bd52ULL, 0x0000000000000004ULL},
    {0x756fffffffffffffULL, 0x71649d87199aa990ULL, 0x0000000000000004ULL},
    {0x7cfbffffffffffffULL, 0x429a21a029d4c145ULL, 0x0000000000000004ULL},
    {0x2cb3ffffffffffffULL, 0x15bc6d6fb7dd71afULL, 0x0000000000000004ULL},
    {0x3ce1ffffffffffffULL, 0xeab73b3bbfe28224ULL, 0x0000000000000003ULL},
    {0xe229ffffffffffffULL, 0xc1771ac9fb6b4c18ULL, 0x0000000000000003ULL},
    {0x85257fffffffffffULL, 0x99e96897690418f7ULL, 0x0000000000000003ULL},
    {0xf0ea9fffffffffffULL, 0x73fc456c53bb779bULL, 0x0000000000000003ULL},
    {0x6ab8bfffffffffffULL, 0x4f9e8e490c48e67eULL, 0x0000000000000003ULL},
    {0x0b3337ffffffffffULL, 0x2cbfd4a7adc79056ULL, 0x0000000000000003ULL},
    {0xa94613ffffffffffULL, 0x0b50570f6e5d2accULL, 0x0000000000000003ULL},
    {0x6c2861ffffffffffULL, 0xeb40f9f620fda6b5ULL, 0x0000000000000002ULL},
    {0xa6af58ffffffffffULL, 0xcc8340ecb0d0f520ULL, 0x0000000000000002ULL},
    {0xf1ba02ffffffffffULL, 0xaf09481380a0a35cULL, 0x0000000000000002ULL},
    {0x287b1b3fffffffffULL, 0x92c5bdd3b92ec810ULL, 0x0000000000000002ULL},
    {0xac6d6b9fffffffffULL, 0x77abdcdab07d5a77ULL, 0x0000000000000002ULL},
    {0xd64df5efffffffffULL, 0x5daf6654b1eaa55fULL, 0x0000000000000002ULL},
    {0x2dce88b7ffffffffULL, 0x44c49c648baa9819ULL, 0x0000000000000002ULL},
    {0x2471268bffffffffULL, 0x2ce03cd5619a311bULL, 0x0000000000000002ULL},
    {0x54a44a0fffffffffULL, 0x15f77c045fbe8856ULL, 0x0000000000000002ULL},
    {0xffffffffffffffffULL, 0xffffffffffffffffULL, 0x0000000000000001ULL},
    {0xc4d3ede5ffffffffULL, 0xeaefdbdaaee7421fULL, 0x0000000000000001ULL},
    {0x8ca57b09bfffffffULL, 0xd6bd8b2eb257df7eULL, 0x0000000000000001ULL},
    {0x443f7f133fffffffULL, 0xc35fedd14b861eb0ULL, 0x0000000000000001ULL},
    {0x56e8ada5afffffffULL, 0xb0ce43b322bcde4aULL, 0x0000000000000001ULL},
    {0x5a195a39dfffffffULL, 0x9f0028ec1fff007fULL, 0x0000000000000001ULL},
    {0x49b15ba527ffffffULL, 0x8ded91f0e72ee74fULL, 0x0000000000000001ULL},
    {0x615fd41a63ffffffULL, 0x7d8ec7f04136f4e5ULL, 0x0000000000000001ULL},
    {0x8d12d22e6fffffffULL, 0x6ddc6556cdb84bdcULL, 0x0000000000000001ULL},
    {0xbd8395814f7fffffULL, 0x5ecf52776a1155b5ULL, 0x0000000000000001ULL},
    {0xcc3754cf40ffffffULL, 0x5060c256cb23b3b3ULL, 0x0000000000000001ULL},
    {0x3ddab715be3fffffULL, 0x428a2f98d728ae22ULL, 0x0000000000000001ULL},
    {0xcf0ede68034fffffULL, 0x3545598e5c23276cULL, 0x0000000000000001ULL},
    {0xb7f61081194fffffULL, 0x288c4161ce1d6f54ULL, 0x0000000000000001ULL},
    {0x1d5a01a40f17ffffULL, 0x1c592761c666aa64ULL, 0x0000000000000001ULL},
    {0x5f3e6e6cfdcdffffULL, 0x10a688680a753051ULL, 0x0000000000000001ULL},
    {0xcb2ce8aed428ffffULL, 0x056f1b5bedf75c6bULL, 0x0000000000000001ULL},
    {0x0f3875f008277fffULL, 0xfaadceceeff8a089ULL, 0x0000000000000000ULL},
    {0x388a600f6ba0bfffULL, 0xf05dc6b27edad306ULL, 0x0000000000000000ULL},
    {0xe1495d5b18cdbfffULL, 0xe67a5a25da41063dULL, 0x0000000000000000ULL},
    {0xfc3aa5353f2e4fffULL, 0xdcff115b14eedde6ULL, 0x0000000000000000ULL},
    {0x9aae2e0f868f8fffULL, 0xd3e7a3924312399fULL, 0x0000000000000000ULL},
    {0x82cccd5a1ee26fffULL, 0xcb2ff529eb71e415ULL, 0x0000000000000000ULL},
    {0x2a51840c0b67edffULL, 0xc2d415c3db974ab3ULL, 0x0000000000000000ULL},
    {0x5b0a186184e06bffULL, 0xbad03e7d883f69adULL, 0x0000000000000000ULL},
    {0x29abd6075f0cc5ffULL, 0xb320d03b2c343d48ULL, 0x0000000000000000ULL},
    {0x3c6e80bcdb1a95bfULL, 0xabc25204e02828d7ULL, 0x0000000000000000ULL},
    {0x0a1ec6c15fbbf2dfULL, 0xa4b16f74ee4bb204ULL, 0x0000000000000000ULL},
    {0xeb1b5ae3f36c130fULL, 0x9deaf736ac1f569dULL, 0x0000000000000000ULL},
    {0xf5937d790ef65037ULL, 0x976bd9952c7aa957ULL, 0x0000000000000000ULL},
    {0x4b73a22d0bd4f2bfULL, 0x9131271922eaa606ULL, 0x0000000000000000ULL},
    {0xc91c49a2f8e967b9ULL, 0x8b380f3558668c46ULL, 0x0000000000000000ULL},
    {0x952912839f6473e6ULL, 0x857ddf0117efa215ULL, 0x0000000000000000ULL},
}};

}  // namespace detail::bancor_evm_constants
EVMARKET_END_NAMESPACE
