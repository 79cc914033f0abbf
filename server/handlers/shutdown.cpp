// shutdown: from now on requests are refused; `exit` (handled by the dispatcher, as it is valid in any
// state) then ends the process with 0, or 1 when shutdown never came.
#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {

void shutdown(Server& server, const json& id, const json&) {
  server.shutdown();
  server.reply(id, nullptr);
}

}  // namespace loopsafe::server::handlers
