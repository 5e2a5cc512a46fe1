# Every third-party dependency, all from Debian packages (scripts/install-deps).

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(restinio REQUIRED)  # needs fmt found first: its config lacks find_dependency(fmt)
find_package(nlohmann_json 3 REQUIRED)
find_package(simdjson REQUIRED)
find_package(RocksDB REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(date REQUIRED)
find_package(CURL REQUIRED)
if(FL_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
  find_package(yaml-cpp REQUIRED)  # the OpenAPI test reads docs/openapi.yaml
  include(Catch)
endif()
find_package(prometheus-cpp CONFIG REQUIRED)

# mimalloc takes glibc malloc's place in every program: linked (not only
# found), its malloc and free come first in the process's symbol lookup. A
# rebuild's threads allocate strings that other threads free, where glibc's
# arenas spent ~20 % of the CPU (docs/performance.md, session 9). The
# sanitizers bring their own allocator: not with them.
if(NOT FL_SANITIZE)
  find_package(mimalloc 2 CONFIG REQUIRED)
  link_libraries(mimalloc)
  add_compile_definitions(FL_MIMALLOC=1)
endif()

# CAF 0.17 ships no CMake package (see ../shared/docs/stack.md): imported
# targets of our own.
find_path(FL_CAF_INCLUDE_DIR caf/all.hpp REQUIRED)
find_library(FL_CAF_CORE_LIB caf_core REQUIRED)
find_library(FL_CAF_IO_LIB caf_io REQUIRED)
if(NOT TARGET CAF::core)
  add_library(CAF::core UNKNOWN IMPORTED)
  set_target_properties(CAF::core PROPERTIES IMPORTED_LOCATION ${FL_CAF_CORE_LIB}
                                             INTERFACE_INCLUDE_DIRECTORIES ${FL_CAF_INCLUDE_DIR}
                                             INTERFACE_LINK_LIBRARIES Threads::Threads)
  add_library(CAF::io UNKNOWN IMPORTED)
  set_target_properties(CAF::io PROPERTIES IMPORTED_LOCATION ${FL_CAF_IO_LIB}
                                           INTERFACE_LINK_LIBRARIES CAF::core)
endif()
