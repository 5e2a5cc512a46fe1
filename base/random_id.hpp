#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fl {

/// `prefix` followed by the lowercase hex of `bytes` random bytes from
/// OpenSSL's generator ("tkt_3f9a..."): ids nobody can guess or collide.
/// Throws std::runtime_error if the generator fails (never in practice).
std::string random_id(std::string_view prefix, std::size_t bytes = 8);

}  // namespace fl
