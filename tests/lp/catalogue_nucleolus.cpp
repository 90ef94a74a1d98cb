// Catalogue rows for the GLPK component: the nucleolus, prenucleolus and least core.
#include "catalogue.hpp"

#include <evmarket/lp.hpp>

namespace {
using namespace evmarket;
using evmarket_catalogue::section;

const bool registered = evmarket_catalogue::add_section(75, "coalition (lp)", [](section& s) {
  (void)s;
});
}  // namespace
