#include "domain/interpreter.hpp"

#include <utility>

#include "domain/rules_interpreter.hpp"

namespace fl::domain {

interpreter_result rules_interpreter::interpret(std::string_view text,
                                                const interpret_context& /*context*/) {
  return interpreter_result{interpret_with_rules(text), std::nullopt, std::nullopt, 0};
}

void rules_interpreter::interpret_async(std::string text, interpret_context context,
                                        callback done) {
  done(interpret(text, context));
}

}  // namespace fl::domain
