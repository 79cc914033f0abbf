// workspace/didChangeConfiguration: clients that answer workspace/configuration are asked again (the
// notification's payload is often empty); others send the settings in it.
#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {

void did_change_configuration(Server& server, const json& params) {
  if (server.client().configuration)
    server.request_configuration();
  else
    server.apply_settings(optional_member(params, "settings"), false);
}

}  // namespace loopsafe::server::handlers
