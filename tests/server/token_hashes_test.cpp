// The remembered hashes of bearer tokens: found by the token's bytes, and
// never more than the capacity.

#include "http/token_hashes.hpp"

#include <catch2/catch.hpp>

using namespace fl;

TEST_CASE("a remembered token's hash is found by the token's exact bytes", "[http][auth]") {
  http::token_hashes known;
  known.remember("tok_abc", "hash_abc");
  CHECK(known.find("tok_abc") == "hash_abc");
  CHECK_FALSE(known.find("tok_ab"));
  CHECK_FALSE(known.find("tok_abcd"));
  CHECK_FALSE(known.find("TOK_ABC"));
}

TEST_CASE("remembered token hashes never exceed their capacity", "[http][auth]") {
  http::token_hashes known(4);
  for (int i = 0; i < 10; ++i) known.remember("tok_" + std::to_string(i), "h" + std::to_string(i));
  CHECK(known.size() <= 4);
  CHECK(known.find("tok_9") == "h9");
  known.remember("tok_9", "h9");
  CHECK(known.find("tok_9") == "h9");
}
