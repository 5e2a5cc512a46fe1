#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

namespace fl {

/// A SHA-256 digest.
using sha256_digest = std::array<std::uint8_t, 32>;

/// Incremental SHA-256 (OpenSSL EVP). Reusable: `finish()` resets it.
/// Not thread-safe; give each thread its own.
class sha256_hasher {
 public:
  sha256_hasher();
  ~sha256_hasher();
  sha256_hasher(const sha256_hasher&) = delete;
  sha256_hasher& operator=(const sha256_hasher&) = delete;

  sha256_hasher& update(std::string_view bytes);
  sha256_hasher& update(const sha256_digest& bytes);
  sha256_digest finish();

 private:
  struct ctx_deleter {
    void operator()(void* ctx) const;
  };
  std::unique_ptr<void, ctx_deleter> ctx_;
};

/// One-shot SHA-256 of `bytes`.
sha256_digest sha256(std::string_view bytes);

}  // namespace fl
