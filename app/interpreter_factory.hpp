#pragma once

#include <memory>

#include "app/config.hpp"
#include "domain/interpreter.hpp"

namespace fl::app {

/// The interpreter of crews' texts the configuration asks for: Claude with
/// the rules as fallback (`interpret::claude_interpreter`, at
/// `anthropic_api_base` with `anthropic_model` and `anthropic_timeout_ms`)
/// when `anthropic_api_key` is set and not empty; otherwise the built-in
/// rules (`domain::rules_interpreter`). Never null. Keep it alive while any
/// callback of it may be pending; its destructor answers those with the rules.
std::unique_ptr<domain::interpreter> make_interpreter(const config& c);

}  // namespace fl::app
