// textDocument/hover on a flagged call: the finding's message, then its rule's page.
#include "analysis/rule_docs.h"
#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {

void hover(Server& server, const json& id, const json& params) {
  OpenDocument* doc = server.find_document(document_uri(params));
  check_position(member(params, "position"));
  const auto analysis = doc ? server.current_analysis(*doc) : nullptr;
  if (!analysis || !analysis->source) {
    server.reply(id, nullptr);
    return;
  }
  const LineIndex& lines = analysis->source->lines();
  const uint32_t offset = to_offset(lines, member(params, "position"), server.client().encoding);
  const bool markdown = server.client().markdown_hover;
  std::string text;
  const Finding* first = nullptr;
  for (const Finding& f : analysis->findings) {
    if (offset < f.start || offset > f.end) continue;
    if (!first) first = &f;
    if (!text.empty()) text += "\n\n---\n\n";
    text += markdown ? "**" + f.code + "** " + f.message : f.code + " " + f.message;
    if (const std::string_view page = rule_doc(f.code); !page.empty()) {
      text += "\n\n";
      text += page;
    }
  }
  if (!first) {
    server.reply(id, nullptr);
    return;
  }
  server.reply(id, {{"contents", {{"kind", markdown ? "markdown" : "plaintext"}, {"value", text}}},
                    {"range", to_range(lines, first->start, first->end, server.client().encoding)}});
}

}  // namespace loopsafe::server::handlers
