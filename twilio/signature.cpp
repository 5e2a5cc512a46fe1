#include "twilio/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <stdexcept>

namespace fl::twilio {

namespace {

// UTF-8 strings compared in UTF-16 code-unit order, as JavaScript sorts: it
// differs from byte order only where one side is U+E000..U+FFFF (lead byte
// 0xEE/0xEF) and the other above U+FFFF (lead 0xF0..0xF4, a surrogate pair
// in UTF-16, so smaller). The first differing byte is then a lead byte.
bool utf16_less(std::string_view a, std::string_view b) {
  auto [ia, ib] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  if (ib == b.end()) return false;
  if (ia == a.end()) return true;
  auto key = [](char c) {
    auto u = static_cast<unsigned>(static_cast<unsigned char>(c));
    return (u == 0xEE || u == 0xEF) ? u + 0x10 : u;
  };
  return key(*ia) < key(*ib);
}

struct url_parts {
  std::string_view scheme;     // "https://"
  std::string_view user_info;  // "user@" or empty
  std::string_view host;
  std::string_view port;  // ":8443" or empty
  std::string_view rest;  // path, query, fragment
};

// node's splitUrl: /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i, without normalizing.
std::optional<url_parts> split_url(std::string_view url) {
  std::size_t i = 0;
  if (url.empty() || !std::isalpha(static_cast<unsigned char>(url[0]))) return std::nullopt;
  while (i < url.size() && (std::isalnum(static_cast<unsigned char>(url[i])) || url[i] == '+' ||
                            url[i] == '.' || url[i] == '-'))
    ++i;
  if (url.substr(i, 3) != "://") return std::nullopt;
  url_parts p;
  p.scheme = url.substr(0, i + 3);
  std::size_t auth_end = url.find_first_of("/?#", i + 3);
  if (auth_end == std::string_view::npos) auth_end = url.size();
  std::string_view authority = url.substr(i + 3, auth_end - (i + 3));
  p.rest = url.substr(auth_end);
  std::size_t at = authority.rfind('@');
  std::size_t host_start = at == std::string_view::npos ? 0 : at + 1;
  p.user_info = authority.substr(0, host_start);
  std::string_view host_port = authority.substr(host_start);
  std::size_t bracket = host_port.rfind(']');
  std::size_t colon = host_port.find(':', bracket == std::string_view::npos ? 0 : bracket + 1);
  p.host = host_port.substr(0, colon);
  p.port = colon == std::string_view::npos ? std::string_view{} : host_port.substr(colon);
  return p;
}

std::string base64(const unsigned char* bytes, std::size_t len) {
  std::string out(4 * ((len + 2) / 3), '\0');
  int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(len));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool signature_equals(std::string_view expected, std::string_view given) {
  // The length is fixed by the algorithm and not secret.
  return expected.size() == given.size() &&
         CRYPTO_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

}  // namespace

std::string compute_signature(const secret& auth_token, std::string_view url,
                              const form_fields& params) {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(params.size());
  for (const auto& field : params) sorted.push_back(&field);
  std::sort(sorted.begin(), sorted.end(), [](const auto* x, const auto* y) {
    if (x->first != y->first) return utf16_less(x->first, y->first);
    return utf16_less(x->second, y->second);
  });
  // Twilio's node library signs each distinct value of a repeated name once.
  sorted.erase(std::unique(sorted.begin(), sorted.end(),
                           [](const auto* x, const auto* y) { return *x == *y; }),
               sorted.end());

  std::string data(url);
  for (const auto* field : sorted) {
    data += field->first;
    data += field->second;
  }
  const std::string& key = auth_token.reveal();
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
           &mac_len) == nullptr)
    throw std::runtime_error("OpenSSL: HMAC-SHA1 failed");
  return base64(mac, mac_len);
}

bool validate_signature(const secret& auth_token, std::string_view signature_header,
                        std::string_view url, const form_fields& params) {
  if (signature_header.empty()) return false;
  for (const std::string& candidate : {url_without_port(url), url_with_default_port(url)})
    if (signature_equals(compute_signature(auth_token, candidate, params), signature_header))
      return true;
  return false;
}

std::string url_without_port(std::string_view url) {
  auto p = split_url(url);
  if (!p) return std::string(url);
  return std::string(p->scheme) + std::string(p->user_info) + std::string(p->host) +
         std::string(p->rest);
}

std::string url_with_default_port(std::string_view url) {
  auto p = split_url(url);
  if (!p || !p->port.empty()) return std::string(url);
  std::string scheme(p->scheme);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string port = scheme == "https://" ? ":443" : ":80";
  return std::string(p->scheme) + std::string(p->user_info) + std::string(p->host) + port +
         std::string(p->rest);
}

}  // namespace fl::twilio
