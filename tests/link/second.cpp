// Link test, second translation unit.
#include "all_headers.hpp"

int evmarket_link_test_second() { return evmarket::watts(2).base() == 2 ? 2 : 0; }
