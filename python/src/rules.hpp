#pragma once
// The call auction's pricing rules chosen at run time by name: a std::variant over the library's
// compile-time policies (the C++ API stays static; Python picks by string).
#include "common.hpp"

#include <ratio>
#include <string>
#include <variant>

namespace evmarket_python {

/// Every pricing rule the Python API offers; uniform_price for the k values listed in make_rule.
using any_call_auction = std::variant<
    em::call_auction<em::midpoint_per_match>, em::call_auction<em::uniform_price<std::ratio<0>>>,
    em::call_auction<em::uniform_price<std::ratio<1, 4>>>, em::call_auction<em::uniform_price<std::ratio<1, 3>>>,
    em::call_auction<em::uniform_price<std::ratio<1, 2>>>, em::call_auction<em::uniform_price<std::ratio<2, 3>>>,
    em::call_auction<em::uniform_price<std::ratio<3, 4>>>, em::call_auction<em::uniform_price<std::ratio<1>>>,
    em::call_auction<em::pay_as_bid>, em::call_auction<em::pay_as_offer>, em::call_auction<em::mcafee>,
    em::call_auction<em::trade_reduction>, em::call_auction<em::vcg>, em::call_auction<em::sbba<>>>;

/// The rule names make_call_auction accepts.
inline constexpr const char* rule_names =
    "midpoint_per_match, uniform_price, pay_as_bid, pay_as_offer, mcafee, trade_reduction, vcg, sbba";

/// A call auction for `rule` ("uniform_price" takes k in {0, 1/4, 1/3, 1/2, 2/3, 3/4, 1} as
/// numerator/denominator; "sbba" takes the lottery's seed). Throws bad_input for anything else.
any_call_auction make_call_auction(std::string_view rule, std::int64_t k_num, std::int64_t k_den, std::uint64_t seed);

}  // namespace evmarket_python
