#pragma once
// Every public header, core and optional components alike.
#include <evmarket/evmarket.hpp>
#if defined(EVMARKET_LINK_TEST_LP)
#include <evmarket/lp.hpp>
#endif
#if defined(EVMARKET_LINK_TEST_CLP)
#include <evmarket/clp.hpp>
#endif
#if defined(EVMARKET_LINK_TEST_SODIUM)
#include <evmarket/ledger/sodium.hpp>
#endif
#if defined(EVMARKET_LINK_TEST_OPENSSL)
#include <evmarket/ledger/openssl.hpp>
#endif
#if defined(EVMARKET_LINK_TEST_OCPP)
#include <evmarket/interop/ocpp.hpp>
#endif
