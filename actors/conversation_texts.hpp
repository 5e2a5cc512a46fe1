#pragma once

#include <string>

#include "domain/tenant_directory.hpp"

namespace fl::actors {

/// The compliance replies a tenant's conversations send (STOP, START, HELP),
/// until the SMS settings make them editable.
struct conversation_texts {
  std::string opt_out;
  std::string opt_in;
  std::string help;
};

inline conversation_texts default_texts(const domain::tenant& t) {
  return {
      t.name + ": you are unsubscribed and will receive no more texts. Reply START to resubscribe.",
      t.name + ": you are subscribed to texts again. Reply STOP to unsubscribe.",
      t.name +
          ": texts about your service visits. Reply STOP to unsubscribe. Msg&data rates may "
          "apply."};
}

}  // namespace fl::actors
