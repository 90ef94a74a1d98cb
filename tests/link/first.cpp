// Link test, first translation unit: includes every header. A non-inline definition in a header
// makes the link fail with a duplicate symbol.
#include "all_headers.hpp"

int evmarket_link_test_second();

int main() { return evmarket_link_test_second() == 2 ? 0 : 1; }
