#pragma once
/// @file
/// Internal: GLPK calls that cannot take the host process down. GLPK reports an internal error
/// (a failed assertion, a bad argument, memory exhausted) by printing a message and calling
/// abort(), unless an error hook leaves GLPK first. Its manual prescribes the way out: the hook
/// longjmps back to the caller, which then frees the GLPK environment with glp_free_env (the only
/// state GLPK guarantees usable after an error). glpk_guarded() does exactly that around one step.
///
/// longjmp skips the frames between setjmp and the hook without running destructors, so the
/// region is kept small: setjmp sits in glpk_guarded, whose locals are all trivial, and a step is
/// a lambda that only calls GLPK functions on arguments prepared beforehand. The state below is
/// trivially destructible for the same reason.
///
/// Threads: GLPK 5.0 as built by Debian 12 (libglpk40 5.0-1) keeps its environment in thread-local
/// storage: the library has a PT_TLS segment and glp_free_env and the environment lookup reach the
/// pointer through __tls_get_addr. Each thread has its own environment, hooks and memory, so this
/// state is thread-local too and no lock is needed; glp_free_env frees the calling thread's
/// environment only.

#include <evmarket/config.hpp>

#include <glpk.h>

#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

EVMARKET_BEGIN_NAMESPACE
namespace detail {

/// One thread's guard: where to jump back to, GLPK's last words, and the environment's generation.
struct glpk_guard_state {
  std::jmp_buf exit;
  /// Let GLPK's terminal output through (it is swallowed otherwise).
  bool print = false;
  /// The tail of what GLPK wrote during the current step: its error message after a failure.
  char message[512];
  std::size_t length = 0;
  /// Bumped whenever this thread's environment is freed: every problem object created before is gone.
  std::uint64_t generation = 0;
  /// Problem objects of this thread alive in glpk_backend objects.
  std::size_t live_problems = 0;
};
static_assert(std::is_trivially_destructible_v<glpk_guard_state>, "a longjmp must not skip a destructor");

/// The calling thread's guard state.
inline glpk_guard_state& glpk_guard() noexcept {
  thread_local glpk_guard_state state{};
  return state;
}

/// GLPK's error hook: leaves GLPK for the setjmp in glpk_guarded.
inline void glpk_on_error(void* info) { std::longjmp(static_cast<glpk_guard_state*>(info)->exit, 1); }

/// GLPK's terminal hook: keeps the tail of the text for an error message; prints only when asked.
inline int glpk_on_output(void* info, const char* text) {
  auto& state = *static_cast<glpk_guard_state*>(info);
  constexpr std::size_t capacity = sizeof state.message - 1;
  std::size_t size = std::strlen(text);
  if (size > capacity) {
    text += size - capacity;
    size = capacity;
  }
  if (state.length + size > capacity) {  // drop the oldest text
    const std::size_t drop = state.length + size - capacity;
    std::memmove(state.message, state.message + drop, state.length - drop);
    state.length -= drop;
  }
  std::memcpy(state.message + state.length, text, size);
  state.length += size;
  state.message[state.length] = '\0';
  return state.print ? 0 : 1;
}

/// Runs `step` (GLPK calls only) with GLPK's error hook set. Returns false when GLPK failed: its
/// environment on this thread has then been freed, and state.message holds what it said.
template <class Step>
bool glpk_guarded(glpk_guard_state& state, Step& step) noexcept {
  state.length = 0;
  state.message[0] = '\0';
  if (setjmp(state.exit) != 0) {
    glp_free_env();
    ++state.generation;
    state.live_problems = 0;
    return false;
  }
  glp_error_hook(glpk_on_error, &state);
  glp_term_hook(glpk_on_output, &state);
  glp_term_out(state.print ? GLP_ON : GLP_OFF);
  step();
  return true;
}

}  // namespace detail
EVMARKET_END_NAMESPACE
