#pragma once
/// @file
/// evmarket's version, and the versioned inline namespace every public entity lives in.

///@{
/// The version's major, minor and patch numbers.
#define EVMARKET_VERSION_MAJOR 0
#define EVMARKET_VERSION_MINOR 4
#define EVMARKET_VERSION_PATCH 0
///@}

/// The version as one comparable number: major * 10000 + minor * 100 + patch.
#define EVMARKET_VERSION (EVMARKET_VERSION_MAJOR * 10000 + EVMARKET_VERSION_MINOR * 100 + EVMARKET_VERSION_PATCH)

// Every public name lives in evmarket::v0 (inline), so two incompatible versions linked into one
// program give different mangled names and fail at link time instead of misbehaving at run time.
/// Opens evmarket's versioned namespace, evmarket::v0 (inline).
#define EVMARKET_BEGIN_NAMESPACE \
  namespace evmarket {           \
  inline namespace v0 {
/// Closes the namespace EVMARKET_BEGIN_NAMESPACE opened.
#define EVMARKET_END_NAMESPACE \
  }                            \
  }

#define EVMARKET_DETAIL_STRINGIZE2(x) #x
#define EVMARKET_DETAIL_STRINGIZE(x) EVMARKET_DETAIL_STRINGIZE2(x)
/// The version as the string literal "major.minor.patch", built from the three numbers above.
#define EVMARKET_VERSION_STRING                     \
  EVMARKET_DETAIL_STRINGIZE(EVMARKET_VERSION_MAJOR) \
  "." EVMARKET_DETAIL_STRINGIZE(EVMARKET_VERSION_MINOR) "." EVMARKET_DETAIL_STRINGIZE(EVMARKET_VERSION_PATCH)

EVMARKET_BEGIN_NAMESPACE
/// The library's version as "major.minor.patch".
inline constexpr const char* version_string = EVMARKET_VERSION_STRING;
EVMARKET_END_NAMESPACE
