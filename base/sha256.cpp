#include "base/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace fl {

namespace {
EVP_MD_CTX* as_ctx(void* p) {
  return static_cast<EVP_MD_CTX*>(p);
}

// Fetched once: with OpenSSL 3, EVP_sha256() makes every init look the
// algorithm up again (EVP_MD_fetch: a lock and allocations), and the log
// writer hashes every event.
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);  // kept for the process
  if (!md) throw std::runtime_error("OpenSSL: SHA-256 is not available");
  return md;
}

void init(void* ctx) {
  if (EVP_DigestInit_ex(as_ctx(ctx), sha256_md(), nullptr) != 1)
    throw std::runtime_error("OpenSSL: SHA-256 init failed");
}
}  // namespace

void sha256_hasher::ctx_deleter::operator()(void* ctx) const {
  EVP_MD_CTX_free(as_ctx(ctx));
}

sha256_hasher::sha256_hasher() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_) throw std::bad_alloc();
  init(ctx_.get());
}

sha256_hasher::~sha256_hasher() = default;

sha256_hasher& sha256_hasher::update(std::string_view bytes) {
  EVP_DigestUpdate(as_ctx(ctx_.get()), bytes.data(), bytes.size());
  return *this;
}

sha256_hasher& sha256_hasher::update(const sha256_digest& bytes) {
  EVP_DigestUpdate(as_ctx(ctx_.get()), bytes.data(), bytes.size());
  return *this;
}

sha256_digest sha256_hasher::finish() {
  sha256_digest out{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(as_ctx(ctx_.get()), out.data(), &len);
  init(ctx_.get());
  return out;
}

sha256_digest sha256(std::string_view bytes) {
  sha256_hasher h;
  return h.update(bytes).finish();
}

}  // namespace fl
