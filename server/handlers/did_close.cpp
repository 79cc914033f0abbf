// didClose: forgets the document and clears its diagnostics.
#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {

void did_close(Server& server, const json& params) {
  server.close_document(document_uri(params));
}

}  // namespace loopsafe::server::handlers
