# CTest: the version in version.hpp, CMake's project version, the generated pkg-config file, the
# Debian package's version and the CHANGELOG's newest release heading must agree (cmake -P).
#   SOURCE_DIR, BINARY_DIR, PROJECT_VERSION
file(STRINGS ${SOURCE_DIR}/include/evmarket/version.hpp _lines REGEX "#define EVMARKET_VERSION_(MAJOR|MINOR|PATCH) ")
foreach(_line IN LISTS _lines)
  string(REGEX REPLACE ".*_(MAJOR|MINOR|PATCH) ([0-9]+).*" "\\1;\\2" _pair "${_line}")
  list(GET _pair 0 _part)
  list(GET _pair 1 _number)
  set(_${_part} ${_number})
endforeach()
set(_header "${_MAJOR}.${_MINOR}.${_PATCH}")

file(STRINGS ${BINARY_DIR}/evmarket.pc _pc REGEX "^Version: ")
string(REPLACE "Version: " "" _pc "${_pc}")

include(${BINARY_DIR}/CPackConfig.cmake)
set(_deb "${CPACK_PACKAGE_VERSION}")

file(STRINGS ${SOURCE_DIR}/CHANGELOG.md _releases REGEX "^## \\[?[0-9]+\\.[0-9]+\\.[0-9]+")
list(GET _releases 0 _newest)
string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" _changelog "${_newest}")

message(STATUS "version.hpp ${_header}, CMake ${PROJECT_VERSION}, evmarket.pc ${_pc}, "
               "Debian ${_deb}, CHANGELOG ${_changelog}")
foreach(_other PROJECT_VERSION _pc _deb _changelog)
  if(NOT "${${_other}}" STREQUAL "${_header}")
    message(FATAL_ERROR "version mismatch: version.hpp says ${_header}, ${_other} says '${${_other}}'")
  endif()
endforeach()
