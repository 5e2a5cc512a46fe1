#include "app/interpreter_factory.hpp"

#include <chrono>
#include <utility>

#include "interpret/claude_interpreter.hpp"

namespace fl::app {

std::unique_ptr<domain::interpreter> make_interpreter(const config& c) {
  if (!c.anthropic_api_key || c.anthropic_api_key->empty())
    return std::make_unique<domain::rules_interpreter>();
  interpret::claude_options options;
  options.api_key = *c.anthropic_api_key;
  options.api_base = c.anthropic_api_base;
  options.model = c.anthropic_model;
  options.timeout = std::chrono::milliseconds(c.anthropic_timeout_ms);
  return std::make_unique<interpret::claude_interpreter>(std::move(options));
}

}  // namespace fl::app
