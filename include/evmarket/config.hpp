#pragma once
/// @file
/// Every EVMARKET_* switch in one place. Define a switch before including any evmarket header.

#include <evmarket/version.hpp>

#if __cplusplus < 202002L && (!defined(_MSVC_LANG) || _MSVC_LANG < 202002L)
#error "evmarket needs C++20: compile with -std=c++20 (or link the evmarket::evmarket target)"
#endif

#if !defined(__SIZEOF_INT128__)
#error "evmarket needs a compiler with a 128-bit integer type (GCC or Clang on a 64-bit target)"
#endif

/// EVMARKET_ASSERT: internal invariants. Off in release builds unless EVMARKET_ENABLE_ASSERTS is
/// defined; bad input from callers is never an assertion but a thrown evmarket::bad_input.
#ifndef EVMARKET_ASSERT
#if defined(EVMARKET_ENABLE_ASSERTS) || !defined(NDEBUG)
#include <cassert>
#define EVMARKET_ASSERT(condition) assert(condition)
#else
#define EVMARKET_ASSERT(condition) ((void)0)
#endif
#endif

/// EVMARKET_DETAIL_ALWAYS_INLINE (internal): marks a per-item step that a session's loop runs for
/// every station of a period, so that the loop keeps its state in registers instead of paying a
/// call per station. Not a switch.
#define EVMARKET_DETAIL_ALWAYS_INLINE [[gnu::always_inline]]
