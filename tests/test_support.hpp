#pragma once
// Helpers shared by the component tests (each tests/*_test.cpp is its own executable).
#include <evmarket/core/error.hpp>

#include <string>

namespace evmarket_test {

/// The field a bad_input thrown by `make()` names, or "no error" when it throws nothing.
template <class Make>
std::string field_of(Make&& make) {
  try {
    make();
  } catch (const evmarket::bad_input& e) {
    return e.field();
  }
  return "no error";
}

}  // namespace evmarket_test
