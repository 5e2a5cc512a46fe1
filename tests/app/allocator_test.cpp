// The programs allocate through mimalloc (cmake/fieldline_dependencies.cmake):
// linking it is what puts its malloc first; this fails if a link change (say
// --as-needed) quietly brings glibc's back.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <memory>
#include <string>

#ifdef FL_MIMALLOC
#include <mimalloc.h>

TEST_CASE("malloc and operator new are mimalloc's in a release program", "[app][allocator]") {
  void* raw = std::malloc(100);
  CHECK(mi_is_in_heap_region(raw));
  std::free(raw);
  auto text = std::make_unique<std::string>(1000, 'x');
  CHECK(mi_is_in_heap_region(text.get()));
  CHECK(mi_is_in_heap_region(text->data()));
}
#else
TEST_CASE("the sanitizers' allocator stands in for mimalloc", "[app][allocator]") {
  SUCCEED("built with FL_SANITIZE: AddressSanitizer replaces malloc");
}
#endif
