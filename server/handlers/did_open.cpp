#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {

void did_open(Server& server, const json& params) {
  const json& document = member(params, "textDocument");
  const std::string& uri = string_member(document, "uri");
  const std::string& text = string_member(document, "text");
  const json& version = optional_member(document, "version");
  server.open_document(uri, version.is_number_integer() ? version.get<int>() : 0, text);
}

}  // namespace loopsafe::server::handlers
