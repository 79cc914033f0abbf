// $/cancelRequest: a request still waiting (a pull for diagnostics not computed yet) is answered with
// RequestCancelled (-32800); one already answered is left alone.
#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {

void cancel_request(Server& server, const json& params) {
  const json& id = member(params, "id");
  if (id.is_string() || id.is_number_integer()) server.cancel(id);
}

}  // namespace loopsafe::server::handlers
