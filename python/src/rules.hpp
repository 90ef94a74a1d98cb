#pragma once
// The call auction's pricing rules chosen at run time by name: a std::variant over the library's
// compile-time policies (the C++ API stays static; Python picks by string).
#include "common.hpp"

#include <ratio>
#include <string>
#include <variant>

namespace evmarket_python {

using uniform_0 = em::uniform_price<std::ratio<0>>;
using uniform_1_4 = em::uniform_price<std::ratio<1, 4>>;
using uniform_1_3 = em::uniform_price<std::ratio<1, 3>>;
using uniform_1_2 = em::uniform_price<std::ratio<1, 2>>;
using uniform_2_3 = em::uniform_price<std::ratio<2, 3>>;
using uniform_3_4 = em::uniform_price<std::ratio<3, 4>>;
using uniform_1 = em::uniform_price<std::ratio<1>>;

/// Every pricing rule the Python API offers, each wrapped in `Wrap` (the rule itself, or a
/// call_auction holding it); uniform_price for the k values listed in make_rule.
template <template <class> class Wrap>
using rule_variant =
    std::variant<Wrap<em::midpoint_per_match>, Wrap<uniform_0>, Wrap<uniform_1_4>, Wrap<uniform_1_3>,
                 Wrap<uniform_1_2>, Wrap<uniform_2_3>, Wrap<uniform_3_4>, Wrap<uniform_1>, Wrap<em::pay_as_bid>,
                 Wrap<em::pay_as_offer>, Wrap<em::mcafee>, Wrap<em::trade_reduction>, Wrap<em::vcg>, Wrap<em::sbba<>>>;

template <class Rule>
using bare = Rule;
template <class Rule>
using in_auction = em::call_auction<Rule>;

/// A pricing rule chosen at run time.
using any_rule = rule_variant<bare>;
/// A call auction with a pricing rule chosen at run time.
using any_call_auction = rule_variant<in_auction>;

/// The rule names make_rule accepts.
inline constexpr const char* rule_names =
    "midpoint_per_match, uniform_price, pay_as_bid, pay_as_offer, mcafee, trade_reduction, vcg, sbba";

/// The rule named `rule` ("uniform_price" takes k in {0, 1/4, 1/3, 1/2, 2/3, 3/4, 1} as
/// numerator/denominator; "sbba" takes the lottery's seed). Throws bad_input for anything else.
any_rule make_rule(std::string_view rule, std::int64_t k_num, std::int64_t k_den, std::uint64_t seed);

/// A call auction holding make_rule(rule, k_num, k_den, seed).
inline any_call_auction make_call_auction(std::string_view rule, std::int64_t k_num, std::int64_t k_den,
                                          std::uint64_t seed) {
  return std::visit([](auto chosen) { return any_call_auction(em::call_auction<decltype(chosen)>(std::move(chosen))); },
                    make_rule(rule, k_num, k_den, seed));
}

}  // namespace evmarket_python
