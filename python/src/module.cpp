// evmarket._core: the permissive (MIT) bindings. The GLPK-based nucleolus is in evmarket._lp.
#include "common.hpp"

#include <evmarket/version.hpp>

PYBIND11_MODULE(_core, m) {
  namespace ep = evmarket_python;
  m.doc() = "evmarket's compiled core: market mechanisms for EV charging and P2P energy trading";
  m.attr("__version__") = std::to_string(EVMARKET_VERSION_MAJOR) + "." + std::to_string(EVMARKET_VERSION_MINOR) + "." +
                          std::to_string(EVMARKET_VERSION_PATCH);
  ep::register_errors();
  ep::bind_allocation(m);
  ep::bind_auction(m);
  ep::bind_order_book(m);
  ep::bind_matching(m);
  ep::bind_credit(m);
  ep::bind_curve(m);
  ep::bind_coalition(m);
  ep::bind_coordination(m);
  ep::bind_market(m);
  ep::bind_lab(m);
}
