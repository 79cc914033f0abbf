// didSave: a saved pyproject.toml (for clients that cannot watch files) reloads the configuration.
#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {

void did_save(Server& server, const json& params) {
  if (document_uri(params).ends_with("/pyproject.toml")) server.reload_project_configs();
}

}  // namespace loopsafe::server::handlers
