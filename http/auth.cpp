#include "http/auth.hpp"

#include <openssl/crypto.h>

#include "base/sha256.hpp"
#include "http/token_hashes.hpp"

#include "tenants/tenant_service.hpp"

namespace fl::http {

std::optional<std::string> bearer_token(const request_view& req) {
  auto h = req.header("Authorization");
  if (!h || h->size() <= 7 || h->compare(0, 7, "Bearer ") != 0) return std::nullopt;
  return h->substr(7);
}

bool same_secret(std::string_view given, const secret& expected) {
  auto a = sha256(given);
  auto b = sha256(expected.reveal());
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

domain::tenant_directory::tenant_ptr tenant_of(const domain::tenant_directory& tenants,
                                               const request_view& req, const respond_fn& respond) {
  auto token = bearer_token(req);
  if (!token) {
    respond(error_answer(401, "unauthorized", "a tenant bearer token is required"));
    return nullptr;
  }
  static token_hashes known;
  auto hash = known.find(*token);
  const bool remembered = hash.has_value();
  if (!remembered) hash = tenants::token_hash(*token);
  auto tenant = tenants.by_token_hash(*hash);
  if (tenant && !remembered) known.remember(*token, std::move(*hash));
  if (!tenant)
    respond(error_answer(401, "unauthorized", "the bearer token is not a tenant's API token"));
  return tenant;
}

}  // namespace fl::http
