# The Debian package evmarket-dev_<version>_all.deb (cpack -G DEB in the build directory): headers,
# the CMake package, the pkg-config file and the documentation, depending on the Debian packages
# of the core and of every component built into this installation.
set(_evmarket_deb_depends "libeigen3-dev (>= 3.4)" "libboost-dev (>= 1.74)")
set(_evmarket_deb_package_lp "libglpk-dev")
set(_evmarket_deb_package_clp "coinor-libclp-dev")
set(_evmarket_deb_package_sodium "libsodium-dev (>= 1.0.18)")
set(_evmarket_deb_package_openssl "libssl-dev (>= 3.0)")
set(_evmarket_deb_package_ocpp "nlohmann-json3-dev (>= 3.10)")
foreach(_component IN LISTS _evmarket_components)
  list(APPEND _evmarket_deb_depends "${_evmarket_deb_package_${_component}}")
endforeach()
list(JOIN _evmarket_deb_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME evmarket-dev)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR evmarket)
set(CPACK_PACKAGE_CONTACT "evmarket maintainers <evmarket@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION} (C++20 headers)")
set(CPACK_PACKAGE_DESCRIPTION "evmarket is a header-only C++20 library of market mechanisms for electric-vehicle \
charging and peer-to-peer energy trading: capacity allocation, double auctions, creditworthiness, \
Bancor pricing, matching, the nucleolus, a ledger interface and OCPP charging profiles.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_STRIP_FILES OFF)
# Header-only: packaging needs no build, so `cpack` does not build the tests and benchmarks first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

# Debian puts a package's documents in /usr/share/doc/<package>, with the licence as `copyright`.
set(_evmarket_doc_dir ${CMAKE_INSTALL_DATADIR}/doc/${CPACK_PACKAGE_NAME})
install(FILES README.md CHANGELOG.md DESTINATION ${_evmarket_doc_dir})
install(FILES LICENSE DESTINATION ${_evmarket_doc_dir} RENAME copyright)
install(DIRECTORY docs/ DESTINATION ${_evmarket_doc_dir}/guide FILES_MATCHING PATTERN "*.md")

include(CPack)
