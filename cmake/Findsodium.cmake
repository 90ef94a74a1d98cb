# Findsodium: libsodium, as the imported target sodium::sodium.
#   sodium_FOUND, sodium_INCLUDE_DIR, sodium_LIBRARY, sodium_VERSION
# pkg-config supplies hints when present; find_path/find_library do the finding, so the module
# also works on systems without pkg-config (set sodium_ROOT or CMAKE_PREFIX_PATH).
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(PC_sodium QUIET libsodium)
endif()

find_path(sodium_INCLUDE_DIR NAMES sodium.h HINTS ${PC_sodium_INCLUDEDIR} ${PC_sodium_INCLUDE_DIRS})
find_library(sodium_LIBRARY NAMES sodium libsodium HINTS ${PC_sodium_LIBDIR} ${PC_sodium_LIBRARY_DIRS})

if(sodium_INCLUDE_DIR AND EXISTS "${sodium_INCLUDE_DIR}/sodium/version.h")
  file(STRINGS "${sodium_INCLUDE_DIR}/sodium/version.h" _sodium_version_line
       REGEX "#define SODIUM_VERSION_STRING ")
  if(_sodium_version_line MATCHES "\"([0-9.]+)")
    set(sodium_VERSION "${CMAKE_MATCH_1}")
  endif()
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(sodium
  REQUIRED_VARS sodium_LIBRARY sodium_INCLUDE_DIR
  VERSION_VAR sodium_VERSION)

if(sodium_FOUND AND NOT TARGET sodium::sodium)
  add_library(sodium::sodium UNKNOWN IMPORTED)
  set_target_properties(sodium::sodium PROPERTIES
    IMPORTED_LOCATION "${sodium_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${sodium_INCLUDE_DIR}")
endif()
mark_as_advanced(sodium_INCLUDE_DIR sodium_LIBRARY)
