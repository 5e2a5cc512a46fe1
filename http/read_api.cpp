#include "http/read_api.hpp"

namespace fl::http {

namespace {
answer not_built() {
  return error_answer(503, "unavailable", "the read side is being built");
}
}  // namespace

void handle_list_messages(const read_api_deps&, const request_view&, respond_fn respond) {
  respond(not_built());
}
void handle_list_conversations(const read_api_deps&, const request_view&, respond_fn respond) {
  respond(not_built());
}
void handle_get_conversation(const read_api_deps&, const request_view&, const std::string&,
                             respond_fn respond) {
  respond(not_built());
}
void handle_mark_conversation_read(const read_api_deps&, const request_view&, const std::string&,
                                   respond_fn respond) {
  respond(not_built());
}
void handle_get_stats(const read_api_deps&, const request_view&, respond_fn respond) {
  respond(not_built());
}

}  // namespace fl::http
