// textDocument/diagnostic (pull): the report of the current version, answered once it is analysed;
// {"kind":"unchanged"} when the client already holds it (same resultId).
#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {

void diagnostic(Server& server, const json& id, const json& params) {
  OpenDocument* doc = server.find_document(document_uri(params));
  if (!doc) {
    server.reply(id, {{"kind", "full"}, {"items", json::array()}});
    return;
  }
  server.pull_diagnostics(*doc, id, optional_member(params, "previousResultId"));
}

}  // namespace loopsafe::server::handlers
