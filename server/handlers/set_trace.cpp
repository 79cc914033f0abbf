// $/setTrace: "verbose" turns on debug logging (to stderr), "off"/"messages" return to the setting.
#include <spdlog/spdlog.h>

#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {

void set_trace(Server& server, const json& params) {
  const std::string& value = string_member(params, "value");
  if (value == "verbose")
    spdlog::set_level(spdlog::level::debug);
  else
    spdlog::set_level(spdlog::level::from_str(server.settings().log_level));
}

}  // namespace loopsafe::server::handlers
