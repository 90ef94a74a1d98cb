# FindClp: locates COIN-OR Clp (EPL-2.0) and its CoinUtils, and defines the imported target Clp::Clp.
# Sets Clp_FOUND, Clp_INCLUDE_DIR, Clp_LIBRARY, Clp_CoinUtils_LIBRARY and Clp_VERSION.
find_path(Clp_INCLUDE_DIR NAMES ClpSimplex.hpp PATH_SUFFIXES coin coin-or)
find_library(Clp_LIBRARY NAMES Clp)
find_library(Clp_CoinUtils_LIBRARY NAMES CoinUtils)

if(Clp_INCLUDE_DIR AND EXISTS "${Clp_INCLUDE_DIR}/ClpConfig.h")
  file(STRINGS "${Clp_INCLUDE_DIR}/ClpConfig.h" _clp_version REGEX "#define CLP_VERSION +\"")
  string(REGEX REPLACE ".*CLP_VERSION +\"([0-9.]+)\".*" "\\1" Clp_VERSION "${_clp_version}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Clp
  REQUIRED_VARS Clp_LIBRARY Clp_CoinUtils_LIBRARY Clp_INCLUDE_DIR
  VERSION_VAR Clp_VERSION)

if(Clp_FOUND AND NOT TARGET Clp::Clp)
  add_library(Clp::Clp UNKNOWN IMPORTED)
  set_target_properties(Clp::Clp PROPERTIES
    IMPORTED_LOCATION "${Clp_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${Clp_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${Clp_CoinUtils_LIBRARY}")
endif()
mark_as_advanced(Clp_INCLUDE_DIR Clp_LIBRARY Clp_CoinUtils_LIBRARY)
