// Project-wide analysis in the server. After `initialized`, every Python file of the workspace folders
// is summarised on the indexer thread (reported with $/progress, cancellable); open documents are
// summarised from the editor's text once typing pauses; files changed on disk are summarised again.
// Each change re-links the index and re-publishes the open documents whose LS200/LS302 findings moved.
// The summaries of files on disk come from the project's result cache when their bytes are unchanged,
// the cache `loopsafe check` keeps, so a server starts warm.
#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "analysis/checker.h"
#include "cache/result_cache.h"
#include "server/server.h"
#include "server/workspace_files.h"

namespace loopsafe::server {
namespace fs = std::filesystem;
namespace {

// Typing pauses this long before the document's text is summarised for the other files' findings.
constexpr int kSummaryDelayMs = 150;

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

struct Summarised {
  size_t root = 0;
  std::string relative;
  std::string uri;
  std::shared_ptr<const project::ModuleSummary> summary;  // null: the file is gone
};

// The offsets of `findings` (made for `before`) moved to `after`, which differs from it by one span;
// findings touching that span are dropped. Used while the document's own summary catches up.
std::vector<Finding> carried_over(const std::vector<Finding>& findings, std::string_view before,
                                  std::string_view after) {
  size_t prefix = 0;
  while (prefix < before.size() && prefix < after.size() && before[prefix] == after[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < before.size() - prefix && suffix < after.size() - prefix &&
         before[before.size() - 1 - suffix] == after[after.size() - 1 - suffix])
    ++suffix;
  const auto old_end = static_cast<uint32_t>(before.size() - suffix);
  const int64_t delta = static_cast<int64_t>(after.size()) - static_cast<int64_t>(before.size());
  std::vector<Finding> out;
  for (Finding f : findings) {
    if (f.end >= prefix && f.start <= old_end) continue;
    if (f.start > old_end) {
      const auto move = [&](uint32_t& offset) { offset = static_cast<uint32_t>(offset + delta); };
      move(f.start);
      move(f.end);
      for (RelatedLocation& r : f.related)
        if (r.path.empty()) move(r.start), move(r.end);
      for (Fix& fix : f.fixes)
        for (TextEdit& e : fix.edits)
          if (e.start > old_end) move(e.start), move(e.end);
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

std::optional<std::pair<size_t, std::string>> Server::place_in_project(const fs::path& file) const {
  std::optional<std::pair<size_t, std::string>> best;
  size_t best_depth = 0;
  for (size_t i = 0; i < roots_.size(); ++i) {
    const fs::path relative = file.lexically_relative(roots_[i].path);
    if (relative.empty() || *relative.begin() == "..") continue;
    const auto depth = static_cast<size_t>(std::distance(roots_[i].path.begin(), roots_[i].path.end()));
    if (!best || depth > best_depth) {
      best.emplace(i, relative.generic_string());
      best_depth = depth;
    }
  }
  return best;
}

void Server::index_workspace() {
  indexing_cancelled_->store(true);
  indexing_cancelled_ = std::make_shared<std::atomic<bool>>(false);
  const uint64_t epoch = ++index_epoch_;
  roots_.clear();
  indexed_ = false;
  for (const std::string& uri : workspace_folders_)
    if (auto path = uri_to_path(uri)) roots_.push_back({*path, {}});
  for (auto& [uri, doc] : documents_) {
    doc->summary_version = -1;
    summarise_later(*doc);
  }
  if (roots_.empty()) return;

  // What the indexer needs, taken here: settings are io-thread state.
  struct Work {
    fs::path root;
    Settings settings;
    std::vector<std::string> exclude;
    std::optional<fs::path> cache_dir;  // configured; else the default place
  };
  std::vector<Work> work;
  for (const ProjectRoot& root : roots_) {
    const auto config = project_configs_.for_document(root.path / "__init__.py");
    Settings settings = effective_settings(config->settings, settings_);
    std::vector<std::string> exclude = settings.exclude;
    std::optional<fs::path> cache_dir;
    if (settings.cache_dir) cache_dir = (config->base / *settings.cache_dir).lexically_normal();
    work.push_back({root.path, std::move(settings), std::move(exclude), std::move(cache_dir)});
  }
  const auto start = [this, epoch, work = std::move(work), cancelled = indexing_cancelled_] {
    asio::post(indexer_, [this, epoch, work, cancelled] {
      const auto began = Clock::now();
      std::vector<std::pair<size_t, fs::path>> files;
      for (size_t r = 0; r < work.size(); ++r)
        for (fs::path& file : python_files(work[r].root, work[r].exclude, *cancelled))
          files.emplace_back(r, std::move(file));
      std::vector<std::unique_ptr<cache::ResultCache>> caches(work.size());
      const std::string stamp = cache::build_stamp();
      for (size_t r = 0; r < work.size(); ++r)
        if (const auto directory = cache::prepare_directory(work[r].root, work[r].cache_dir))
          caches[r] = std::make_unique<cache::ResultCache>(*directory, work[r].root, stamp);
      std::vector<Summarised> batch;
      size_t from_cache = 0;
      auto last_report = Clock::now();
      for (size_t i = 0; i < files.size() && !*cancelled; ++i) {
        const auto& [r, path] = files[i];
        if (auto text = read_text(path)) {
          const std::string relative = path.lexically_relative(work[r].root).generic_string();
          cache::ResultCache* cache = caches[r].get();
          const cache::Key key = cache ? cache::key_of(*text, work[r].settings, relative) : cache::Key{};
          std::shared_ptr<const project::ModuleSummary> summary;
          if (auto hit = cache ? cache->find(relative, key) : std::nullopt; hit && hit->summary) {
            summary = std::move(hit->summary);
            cache->keep(relative);
            ++from_cache;
          } else {
            project::FileCheck checked =
                project::check_file_for_project(SourceFile(std::move(*text)), work[r].settings, relative);
            summary = std::move(checked.summary);
            if (cache) cache->store(relative, key, cache::encode_entry(checked.result, summary.get()));
          }
          batch.push_back({r, relative, path_to_uri(path), std::move(summary)});
        }
        if (Clock::now() - last_report > std::chrono::milliseconds(100) || i + 1 == files.size()) {
          last_report = Clock::now();
          const int percentage = static_cast<int>(100 * (i + 1) / files.size());
          asio::post(io_, [this, epoch, batch = std::exchange(batch, {}), done = i + 1, total = files.size(),
                           percentage] {
            if (epoch != index_epoch_) return;
            for (const Summarised& s : batch) set_summary(s.root, s.relative, s.uri, s.summary);
            if (!progress_token_.empty())
              notify("$/progress",
                     {{"token", progress_token_},
                      {"value",
                       {{"kind", "report"},
                        {"message", std::to_string(done) + "/" + std::to_string(total) + " files"},
                        {"percentage", percentage}}}});
          });
        }
      }
      // A cancelled pass did not see every file: saving would drop the others' entries.
      for (const auto& cache : caches) {
        std::string error;
        if (cache && !*cancelled && !cache->save(error))
          spdlog::info("cache {} not saved: {}", cache->file().string(), error);
      }
      spdlog::info("indexed {} Python file(s) in {:.0f} ms, {} from the cache{}", files.size(),
                   std::chrono::duration<double, std::milli>(Clock::now() - began).count(), from_cache,
                   *cancelled ? " (cancelled)" : "");
      asio::post(io_, [this, epoch] {
        index_ready(epoch);
        release_memory_when_idle();
      });
    });
  };
  if (!client_.work_done_progress) {
    start();
    return;
  }
  progress_token_ = "loopsafe-index-" + std::to_string(epoch);
  request("window/workDoneProgress/create", {{"token", progress_token_}},
          [this, epoch, start](const json&, const json& error) {
            if (epoch != index_epoch_) return;
            if (!error.is_null()) {
              progress_token_.clear();
            } else {
              notify("$/progress", {{"token", progress_token_},
                                    {"value",
                                     {{"kind", "begin"},
                                      {"title", "loopsafe: indexing the workspace"},
                                      {"cancellable", true},
                                      {"percentage", 0}}}});
            }
            start();
          });
}

void Server::cancel_progress(const json& token) {
  if (!progress_token_.empty() && token == progress_token_) indexing_cancelled_->store(true);
}

void Server::index_ready(uint64_t epoch) {
  if (epoch != index_epoch_) return;
  indexed_ = true;
  if (!progress_token_.empty()) {
    notify("$/progress",
           {{"token", progress_token_},
            {"value", {{"kind", "end"}, {"message", indexing_cancelled_->load() ? "cancelled" : "done"}}}});
    progress_token_.clear();
  }
  relink();
}

void Server::set_summary(size_t root, const std::string& relative, const std::string& uri,
                         std::shared_ptr<const project::ModuleSummary> summary) {
  if (root >= roots_.size()) return;
  // The editor's text of an open document wins over the file on disk.
  if (const OpenDocument* doc = find_document(uri); doc && doc->summary_version >= 0) return;
  if (summary)
    roots_[root].index.set(relative, uri, std::move(summary));
  else
    roots_[root].index.remove(relative);
}

void Server::relink() {
  for (ProjectRoot& root : roots_) root.index.link();
  bool changed = false;
  for (auto& [uri, doc] : documents_)
    if (update_project_findings(*doc)) {
      changed = true;
      if (!client_.pull_diagnostics && doc->analysis) publish(*doc);
    }
  if (changed && client_.pull_diagnostics && client_.diagnostic_refresh)
    request("workspace/diagnostic/refresh", nullptr, [](const json&, const json&) {});
}

bool Server::update_project_findings(OpenDocument& doc) {
  if (!doc.analysis || !doc.analysis->source) return false;
  const AnalysisResult& analysis = *doc.analysis;
  std::vector<Finding> found;
  const auto place = doc.path ? place_in_project(*doc.path) : std::nullopt;
  if (place && doc.summary_version == analysis.version && indexed_) {
    found = roots_[place->first].index.findings(place->second, analysis.settings, analysis.relative_path);
    sort_findings(found);
  } else if (doc.project_source && !doc.project_findings.empty()) {
    found = carried_over(doc.project_findings, doc.project_source->text(), analysis.source->text());
  }
  const bool fresh = !analysis.own_findings.has_value();
  const bool same = found == doc.project_findings;
  doc.project_findings = std::move(found);
  doc.project_source = analysis.source;
  if (same && !(fresh && !doc.project_findings.empty())) return false;
  // Handlers see one list: the file's own findings and the project's, in report order.
  auto merged = std::make_shared<AnalysisResult>(analysis);
  merged->own_findings.reset();
  ++merged->project_revision;  // a pull with the previous result id must get these findings
  merged->findings = analysis.file_findings();
  if (!doc.project_findings.empty()) {
    merged->own_findings = merged->findings;
    merged->findings.insert(merged->findings.end(), doc.project_findings.begin(), doc.project_findings.end());
    sort_findings(merged->findings);
  }
  doc.analysis = std::move(merged);
  return true;
}

void Server::summarise_later(OpenDocument& doc) {
  if (roots_.empty() || !doc.path || !doc.path->string().ends_with(".py")) return;
  if (!place_in_project(*doc.path)) return;
  doc.summary_timer.expires_after(std::chrono::milliseconds(kSummaryDelayMs));
  doc.summary_timer.async_wait([this, uri = doc.uri, epoch = index_epoch_](const asio::error_code& ec) {
    OpenDocument* current = find_document(uri);
    if (ec || !current || epoch != index_epoch_ || !current->analysis || !current->analysis->source) return;
    if (current->summary_version == current->analysis->version) return;
    const auto place = place_in_project(*current->path);
    if (!place) return;
    asio::post(indexer_, [this, uri, epoch, place = *place, analysis = current->analysis] {
      const auto began = Clock::now();
      auto summary =
          project::check_file_for_project(*analysis->source, analysis->settings, analysis->relative_path)
              .summary;
      const double summary_ms = std::chrono::duration<double, std::milli>(Clock::now() - began).count();
      asio::post(io_, [this, uri, epoch, place, version = analysis->version, summary = std::move(summary),
                       summary_ms] {
        OpenDocument* open = find_document(uri);
        if (!open || epoch != index_epoch_ || !open->analysis || open->analysis->version != version) return;
        const auto linking = Clock::now();
        roots_[place.first].index.set(place.second, uri, summary);
        open->summary_version = version;
        if (indexed_) relink();
        // What bench/project_index reads: the work a change in the editor costs the project's findings.
        spdlog::debug("project findings updated for {} v{}: summary {:.1f} ms, link and publish {:.1f} ms",
                      uri, version, summary_ms,
                      std::chrono::duration<double, std::milli>(Clock::now() - linking).count());
        release_memory_when_idle();
      });
    });
  });
}

void Server::python_file_changed(const std::string& uri, bool deleted) {
  const auto path = uri_to_path(uri);
  if (!path || roots_.empty()) return;
  const auto place = place_in_project(*path);
  if (!place) return;
  if (find_document(uri)) return;  // open: the editor's text is what counts
  const auto config = project_configs_.for_document(*path);
  Settings settings = effective_settings(config->settings, settings_);
  asio::post(indexer_, [this, uri, deleted, path = *path, place = *place, settings, epoch = index_epoch_] {
    std::shared_ptr<const project::ModuleSummary> summary;
    if (!deleted)
      if (auto text = read_text(path))
        summary =
            project::check_file_for_project(SourceFile(std::move(*text)), settings, place.second).summary;
    asio::post(io_, [this, uri, place, summary = std::move(summary), epoch] {
      if (epoch != index_epoch_) return;
      set_summary(place.first, place.second, uri, summary);
      if (indexed_) relink();
      release_memory_when_idle();
    });
  });
}

}  // namespace loopsafe::server
