# CTest: build the Debian package, extract it into an empty root, and build the find_package
# consumer against that root alone (cmake -P, with the variables listed below).
#   BINARY_DIR   the evmarket build directory (holds CPackConfig.cmake)
#   WORK_DIR     a scratch directory, emptied first
#   CONSUMER_DIR tests/consumer/find_package
#   VERSION      the project version; GENERATOR, CXX_COMPILER for the consumer build
foreach(_required BINARY_DIR WORK_DIR CONSUMER_DIR VERSION GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${_required})
    message(FATAL_ERROR "deb_consumer.cmake: -D${_required}=... is required")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _result OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  if(NOT _result EQUAL 0)
    message(FATAL_ERROR "failed (${_result}): ${ARGN}\n${_out}\n${_err}")
  endif()
  set(run_output "${_out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/root)
run(${CMAKE_CPACK_COMMAND} -G DEB --config ${BINARY_DIR}/CPackConfig.cmake -B ${WORK_DIR})
set(_deb ${WORK_DIR}/evmarket-dev_${VERSION}_all.deb)
if(NOT EXISTS ${_deb})
  file(GLOB _made ${WORK_DIR}/*.deb)
  message(FATAL_ERROR "expected ${_deb}, cpack made: ${_made}")
endif()

# The control fields the issue asks for.
run(dpkg-deb --field ${_deb} Package Version Architecture Depends)
message(STATUS "control:\n${run_output}")
foreach(_expected "Package: evmarket-dev" "Version: ${VERSION}" "Architecture: all" "libeigen3-dev" "libboost-dev")
  string(FIND "${run_output}" "${_expected}" _at)
  if(_at EQUAL -1)
    message(FATAL_ERROR "control file lacks '${_expected}'")
  endif()
endforeach()

run(dpkg-deb --extract ${_deb} ${WORK_DIR}/root)
foreach(_file usr/include/evmarket/evmarket.hpp usr/share/cmake/evmarket/evmarketConfig.cmake
              usr/share/pkgconfig/evmarket.pc usr/share/doc/evmarket-dev/copyright usr/share/doc/evmarket-dev/README.md)
  if(NOT EXISTS ${WORK_DIR}/root/${_file})
    message(FATAL_ERROR "the package lacks /${_file}")
  endif()
endforeach()

# The consumer sees only the extracted root: no package registry, no system prefix for evmarket.
run(${CMAKE_CTEST_COMMAND} --build-and-test ${CONSUMER_DIR} ${WORK_DIR}/consumer
    --build-generator ${GENERATOR}
    --build-options -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_BUILD_TYPE=Release
                    -Devmarket_DIR=${WORK_DIR}/root/usr/share/cmake/evmarket
                    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
                    -DEVMARKET_EXPECTED_DIR=${WORK_DIR}/root/usr/share/cmake/evmarket
    --test-command consumer_find_package)
message(STATUS "consumer built and ran against ${WORK_DIR}/root:\n${run_output}")

# pkg-config, relocated into the root, points at the root's headers.
find_program(_pkg_config pkg-config)
if(_pkg_config)
  set(ENV{PKG_CONFIG_PATH} ${WORK_DIR}/root/usr/share/pkgconfig)
  run(${_pkg_config} --cflags-only-I evmarket)
  string(FIND "${run_output}" "${WORK_DIR}/root/usr/share/pkgconfig/../../include" _at)
  if(_at EQUAL -1)
    message(FATAL_ERROR "pkg-config points elsewhere: ${run_output}")
  endif()
endif()
