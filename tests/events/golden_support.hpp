#pragma once

// Shared by the golden-file tests: reading a golden file and checking that it
// decodes to a value and re-encodes to the same bytes.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <variant>

#include "events/codec.hpp"

namespace fl::testing::golden {

// A golden file's bytes without the one newline that ends the file.
inline std::string read_golden(const std::string& name) {
  std::filesystem::path path = std::filesystem::path(FL_GOLDEN_DIR) / name;
  std::ifstream in(path, std::ios::binary);
  INFO(path.string());
  REQUIRE(in);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  REQUIRE(!text.empty());
  REQUIRE(text.back() == '\n');
  text.pop_back();
  return text;
}

template <class T>
std::string golden_name() {
  return std::string(T::type_name) + ".v" + std::to_string(T::schema_version) + ".json";
}

// Decodes the golden file of `T`, checks it against `expected` and checks that
// re-encoding gives the file's bytes back.
template <class T>
void check_golden(const T& expected) {
  std::string stored = read_golden(golden_name<T>());
  auto decoded = events::decode_data(T::type_name, T::schema_version, stored);
  if (!decoded) FAIL("golden file does not decode: " << decoded.error().message);
  REQUIRE(std::holds_alternative<T>(*decoded));
  CHECK(std::get<T>(*decoded) == expected);
  CHECK(events::encode_data(*decoded) == stored);
  CHECK(events::encode_data(expected) == stored);
}

}  // namespace fl::testing::golden
