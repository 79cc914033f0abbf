// didChange: applies each change (a range in the negotiated encoding, or the whole text) to the text
// and the tree, then schedules analysis after the debounce. Changes to documents that are not open,
// and versions older than the one we hold, are ignored.
#include <spdlog/spdlog.h>

#include "server/handlers/handlers.h"
#include "server/server.h"

namespace loopsafe::server::handlers {
namespace {

// Checked before anything is applied, so a bad change in the middle leaves the text as it was.
void validate(const json& change) {
  string_member(change, "text");
  const json& range = optional_member(change, "range");
  if (!range.is_null()) check_range(range);
}

}  // namespace

void did_change(Server& server, const json& params) {
  const std::string& uri = document_uri(params);
  OpenDocument* doc = server.find_document(uri);
  if (!doc) {
    spdlog::warn("didChange for {}, which is not open; ignored", uri);
    return;
  }
  const json& version = optional_member(member(params, "textDocument"), "version");
  int64_t new_version = doc->version + 1;
  if (version.is_number_integer()) {
    new_version = version.get<int64_t>();
    if (new_version <= doc->version) {
      spdlog::warn("didChange for {} has version {}, not newer than {}; ignored", uri, new_version,
                   doc->version);
      return;
    }
  }
  const json& changes = member(params, "contentChanges");
  if (!changes.is_array()) throw InvalidParams("`contentChanges` must be a list");
  for (const json& change : changes) validate(change);
  for (const json& change : changes) {
    std::string text = change["text"].get<std::string>();
    const json& range = optional_member(change, "range");
    if (range.is_null()) {
      doc->document.replace_all(std::move(text));
    } else {
      const ByteRange bytes = to_byte_range(doc->document.lines(), range, server.client().encoding);
      doc->document.edit(bytes.start, bytes.end, text);
    }
  }
  doc->version = static_cast<int>(std::min<int64_t>(new_version, INT32_MAX));
  server.document_changed(*doc, false);
}

}  // namespace loopsafe::server::handlers
