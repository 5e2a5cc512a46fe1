#pragma once

// The one interface behind which crews' texts are read: the built-in rules
// (`rules_interpreter`, here) or Claude with the rules as fallback
// (`interpret/claude_interpreter.hpp`). The ticket session and the actors see
// only this.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/interpretation.hpp"

namespace fl::domain {

/// What a reader may know about the conversation besides the text itself.
/// The rules interpreter ignores it; Claude gets it as data.
struct interpret_context {
  /// The names of the properties the contractor is assigned to, as they know
  /// them ("Walmart Parking Lot"). Default: none.
  std::vector<std::string> property_names;
  /// Whether the contractor was just asked "which property?". Default: false.
  bool awaiting_property_choice = false;
};

/// One text read, and how: `reading.interpreter` names who read it.
struct interpreter_result {
  interpretation reading;
  /// Set when Claude was asked but the rules answered: why ("timed out after
  /// 8000 ms", "Anthropic answered 401: ...", "malformed answer: ..."). None
  /// when the first-choice interpreter answered.
  std::optional<std::string> fallback_reason;
  /// The Claude model that answered or was asked; none for rules only.
  std::optional<std::string> model;
  /// Requests sent to Anthropic for this text (retries included); 0 when
  /// none was sent.
  int attempts = 0;
  friend bool operator==(const interpreter_result&, const interpreter_result&) = default;
};

/// Reads crews' texts. Every implementation is thread-safe: both calls may
/// come from any thread at once.
class interpreter {
 public:
  using callback = std::function<void(interpreter_result)>;

  virtual ~interpreter() = default;

  /// Reads `text` and returns when done: at once for the rules, after up to
  /// the configured timeout for Claude. Never throws for any text. Not for
  /// an actor's thread (use `interpret_async`), nor from inside a callback.
  virtual interpreter_result interpret(std::string_view text, const interpret_context& context) = 0;

  /// Reads `text` without blocking the caller on the network; calls `done`
  /// exactly once with the result, which is never an error (failures fall
  /// back to the rules). `done` may run on the calling thread before this
  /// returns (the rules do) or on a thread of the interpreter (Claude); it
  /// must neither block nor throw.
  virtual void interpret_async(std::string text, interpret_context context, callback done) = 0;
};

/// The built-in rules (`interpret_with_rules`) behind the interface: offline,
/// deterministic, microseconds a text; `interpret_async` answers inline.
class rules_interpreter final : public interpreter {
 public:
  interpreter_result interpret(std::string_view text, const interpret_context& context) override;
  void interpret_async(std::string text, interpret_context context, callback done) override;
};

}  // namespace fl::domain
