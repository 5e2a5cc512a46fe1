#include "base/random_id.hpp"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

#include "base/hex.hpp"

namespace fl {

std::string random_id(std::string_view prefix, std::size_t bytes) {
  std::vector<std::uint8_t> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1)
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  return std::string(prefix) + to_hex(buf);
}

}  // namespace fl
