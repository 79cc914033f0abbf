#include "cli/check_command.h"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "analysis/checker.h"
#include "analysis/project/project_index.h"
#include "cache/result_cache.h"
#include "cli/config_loader.h"
#include "cli/file_discovery.h"
#include "cli/file_writer.h"
#include "cli/unified_diff.h"

namespace loopsafe::cli {
namespace fs = std::filesystem;
namespace {

// Fixing a finding can reveal or shift others; re-check a bounded number of times, like ruff.
constexpr int kMaxFixPasses = 10;

struct Unit {
  fs::path path;         // empty for stdin
  fs::path absolute;     // of the file (stdin: of the path it stands for)
  bool reported = true;  // false: only read for the project-wide analysis
  std::string display;   // as reported
  std::string original;  // bytes as read
  std::string fixed;     // bytes after --fix / --add-noqa
  FileReport report;
  int fixes_applied = 0;
  std::string error;
  std::shared_ptr<const LoadedConfig> config;
  std::string config_relative;  // from the config's directory, for per-file-ignores
  std::shared_ptr<const project::ModuleSummary> summary;
  std::optional<size_t> root;    // index of the project it belongs to
  std::string project_relative;  // its path from that project's root
  cache::Key cache_key;
  std::string cache_entry;  // to store: results computed for the bytes on disk
};

fs::path absolute_path(const fs::path& path) {
  std::error_code ec;
  return fs::weakly_canonical(fs::absolute(path, ec), ec);
}

std::string display_path(const fs::path& path) {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  const fs::path absolute = fs::absolute(path, ec).lexically_normal();
  const fs::path relative = absolute.lexically_relative(cwd);
  if (!relative.empty() && *relative.begin() != "..") return relative.generic_string();
  return path.lexically_normal().generic_string();
}

class CheckRun {
 public:
  explicit CheckRun(const CheckOptions& options)
      : options_(options),
        loader_(options.config ? std::optional<fs::path>(*options.config) : std::nullopt,
                [this](Settings& s) { apply_overrides(s); }) {}

  int run() {
    for (const auto* list : {&options_.select, &options_.extend_select, &options_.ignore})
      for (const std::string& selector : *list)
        if (!is_valid_selector(selector))
          return usage_error("unknown rule code or prefix `" + selector + "`");
    if (options_.stdin_filename) {
      Unit unit;
      unit.display = *options_.stdin_filename;
      unit.original.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
      units_.push_back(std::move(unit));
      units_.back().absolute = absolute_path(unit_path(units_.back()));
    } else {
      if (!collect_files()) return 2;
    }
    collect_project_files();
    place_units();
    open_caches();
    check_all();
    update_caches();
    add_project_findings();
    const int status = report();
    save_caches();
    return status;
  }

 private:
  void apply_overrides(Settings& s) const {
    if (!options_.select.empty()) s.select = options_.select;
    s.extend_select.insert(s.extend_select.end(), options_.extend_select.begin(),
                           options_.extend_select.end());
    s.ignore.insert(s.ignore.end(), options_.ignore.begin(), options_.ignore.end());
  }

  int usage_error(const std::string& message) {
    std::cerr << "loopsafe: error: " << message << "\n";
    return 2;
  }

  std::vector<std::string> checked_paths() const {
    return options_.paths.empty() ? std::vector<std::string>{"."} : options_.paths;
  }

  static fs::path unit_path(const Unit& unit) {
    return unit.path.empty() ? fs::path(unit.display) : unit.path;
  }

  Discovery discover(const std::vector<std::string>& paths, std::string& config_error) {
    return discover_files(paths, [&](const fs::path& dir) {
      std::string error;
      const auto config = loader_.for_directory(dir, error);
      if (!config) {
        if (config_error.empty()) config_error = error;
        return ExcludeRules{};
      }
      return ExcludeRules{config->base, config->settings.exclude};
    });
  }

  bool collect_files() {
    std::string config_error;
    const Discovery found = discover(checked_paths(), config_error);
    if (!config_error.empty()) {
      usage_error(config_error);
      return false;
    }
    for (const std::string& error : found.errors) std::cerr << "loopsafe: error: " << error << "\n";
    had_error_ = !found.errors.empty();
    for (const fs::path& path : found.files) {
      Unit unit;
      unit.path = path;
      unit.absolute = absolute_path(path);
      unit.display = display_path(path);
      units_.push_back(std::move(unit));
    }
    return true;
  }

  // The project a checked path belongs to: the directory of its pyproject.toml, else the path itself.
  fs::path project_root(const fs::path& checked) {
    std::error_code ec;
    const fs::path absolute = absolute_path(checked);
    const fs::path dir = fs::is_directory(absolute, ec) ? absolute : absolute.parent_path();
    std::string error;
    const auto config = loader_.for_directory(dir, error);
    if (config && !config->file.empty()) return absolute_path(config->base);
    return dir;
  }

  // Every Python file of the checked paths' projects takes part in the project-wide analysis: a
  // helper in a module that was not named on the command line still blocks.
  void collect_project_files() {
    std::set<fs::path> roots;
    if (options_.stdin_filename)
      roots.insert(project_root(*options_.stdin_filename));
    else
      for (const std::string& path : checked_paths()) roots.insert(project_root(path));
    roots_.assign(roots.begin(), roots.end());
    std::vector<std::string> paths;
    for (const fs::path& root : roots_) paths.push_back(root.string());
    std::string config_error;
    const Discovery found = discover(paths, config_error);  // errors were reported for the checked paths
    std::set<fs::path> known;
    for (const Unit& unit : units_) known.insert(unit.absolute);
    for (const fs::path& path : found.files) {
      Unit unit;
      unit.path = path;
      unit.absolute = absolute_path(path);
      if (!known.insert(unit.absolute).second) continue;
      unit.reported = false;
      unit.display = display_path(path);
      units_.push_back(std::move(unit));
    }
  }

  // The deepest project root holding `file`, and the file's path from it.
  std::optional<std::pair<size_t, std::string>> place_in_project(const fs::path& file) const {
    std::optional<std::pair<size_t, std::string>> best;
    size_t best_depth = 0;
    for (size_t i = 0; i < roots_.size(); ++i) {
      const fs::path relative = file.lexically_relative(roots_[i]);
      if (relative.empty() || *relative.begin() == "..") continue;
      const size_t depth = std::distance(roots_[i].begin(), roots_[i].end());
      if (!best || depth > best_depth) {
        best = std::make_pair(i, relative.generic_string());
        best_depth = depth;
      }
    }
    return best;
  }

  void place_units() {
    for (Unit& unit : units_)
      if (const auto place = place_in_project(unit.absolute)) {
        unit.root = place->first;
        unit.project_relative = place->second;
      }
  }

  // One cache per project, in the directory `--cache-dir`, the project's `cache-dir` setting or the
  // default names (see cache::prepare_directory); a project without a usable one goes uncached.
  void open_caches() {
    caches_.resize(roots_.size());
    if (options_.no_cache) return;
    const std::string stamp = cache::build_stamp();
    for (size_t i = 0; i < roots_.size(); ++i) {
      std::optional<fs::path> configured;
      if (options_.cache_dir) {
        configured = absolute_path(*options_.cache_dir);
      } else {
        std::string error;
        const auto config = loader_.for_directory(roots_[i], error);
        if (config && config->settings.cache_dir)
          configured = (config->base / *config->settings.cache_dir).lexically_normal();
      }
      if (const auto directory = cache::prepare_directory(roots_[i], configured))
        caches_[i] = std::make_unique<cache::ResultCache>(*directory, roots_[i], stamp);
    }
  }

  // The cache to read for `unit`: none for stdin (its text is not the file's) or after project-wide
  // fixes (the text is not on disk yet).
  const cache::ResultCache* cache_for(const Unit& unit, bool again) const {
    if (again || unit.path.empty() || !unit.root) return nullptr;
    return caches_[*unit.root].get();
  }

  void update_caches() {
    for (Unit& unit : units_) {
      if (!unit.root || !caches_[*unit.root]) continue;
      cache::ResultCache& cache = *caches_[*unit.root];
      if (unit.cache_entry.empty())
        cache.keep(unit.project_relative);
      else
        cache.store(unit.project_relative, unit.cache_key, std::exchange(unit.cache_entry, {}));
    }
  }

  // A cache that cannot be written costs the next run time, not this run its result.
  void save_caches() {
    for (const auto& cache : caches_) {
      std::string error;
      if (cache) cache->save(error);
    }
  }

  void add_project_findings() {
    std::vector<project::ProjectIndex> indexes(roots_.size());
    std::vector<std::pair<Unit*, std::pair<size_t, std::string>>> placed;
    for (Unit& unit : units_) {
      if (!unit.summary || !unit.root) continue;
      const std::pair<size_t, std::string> place(*unit.root, unit.project_relative);
      indexes[place.first].set(place.second, unit.display, unit.summary);
      placed.emplace_back(&unit, place);
      unit.summary.reset();
    }
    for (project::ProjectIndex& index : indexes) index.link();
    if (options_.fix || options_.diff) {
      // One round of project-wide fixes; the files they change are checked (and fixed) again.
      bool changed = false;
      for (auto& [unit, place] : placed) {
        if (!unit->reported || !unit->error.empty()) continue;
        const std::vector<Finding> found =
            indexes[place.first].findings(place.second, unit->config->settings, unit->config_relative);
        const int applied = apply_fixes(unit->fixed, fixes_to_apply(found));
        if (applied == 0) continue;
        unit->fixes_applied += applied;
        check_unit(*unit, true);
        indexes[place.first].set(place.second, unit->display, std::exchange(unit->summary, nullptr));
        changed = true;
      }
      if (changed)
        for (project::ProjectIndex& index : indexes) index.link();
    }
    for (auto& [unit, place] : placed) {
      if (!unit->reported || !unit->error.empty()) continue;
      std::vector<Finding> more =
          indexes[place.first].findings(place.second, unit->config->settings, unit->config_relative);
      if (more.empty()) continue;
      std::vector<Finding>& findings = unit->report.findings;
      findings.insert(findings.end(), std::make_move_iterator(more.begin()),
                      std::make_move_iterator(more.end()));
      sort_findings(findings);
    }
  }

  void check_all() {
    std::atomic<size_t> next{0};
    const size_t workers =
        std::max<size_t>(1, std::min<size_t>(std::thread::hardware_concurrency(), units_.size()));
    std::vector<std::thread> threads;
    for (size_t w = 0; w < workers; ++w)
      threads.emplace_back([&] {
        for (size_t i = next++; i < units_.size(); i = next++) check_unit(units_[i]);
      });
    for (std::thread& t : threads) t.join();
  }

  // `again`: after project-wide fixes were applied to `unit.fixed`, check that text.
  void check_unit(Unit& unit, bool again = false) {
    if (!again && !unit.path.empty() && !read_file(unit.path, unit.original, unit.error)) return;
    const fs::path location = unit.path.empty() ? fs::path(unit.display) : unit.path;
    std::string error;
    const auto config =
        loader_.for_directory(location.has_parent_path() ? location.parent_path() : fs::path("."), error);
    if (!config) {
      unit.error = error;
      return;
    }
    std::error_code ec;
    const std::string relative =
        fs::absolute(location, ec).lexically_normal().lexically_relative(config->base).generic_string();
    const Settings& settings = config->settings;
    unit.config = config;
    unit.config_relative = relative;
    // `check_file` and the module's summary for the project-wide analysis, of the final text.
    const auto check = [&](const SourceFile& file) {
      project::FileCheck checked = project::check_file_for_project(file, settings, relative);
      unit.summary = std::move(checked.summary);
      return std::move(checked.result);
    };
    // Results of the bytes on disk, from the cache or to be stored in it.
    const cache::ResultCache* cache = cache_for(unit, again);
    std::optional<cache::Entry> hit;
    if (cache) {
      unit.cache_key = cache::key_of(unit.original, settings, relative);
      hit = cache->find(unit.project_relative, unit.cache_key);
    }
    const auto remember = [&](const CheckResult& result) {
      if (cache && !hit) unit.cache_entry = cache::encode_entry(result, unit.summary.get());
    };
    if (!unit.reported) {
      if (hit) {
        unit.summary = std::move(hit->summary);
        unit.original = {};
      } else {
        remember(check(SourceFile(std::move(unit.original))));
      }
      return;
    }

    const bool rewrites = options_.fix || options_.diff || options_.add_noqa;
    if (rewrites && !again) unit.fixed = unit.original;
    std::shared_ptr<SourceFile> source;
    CheckResult result;
    if (hit) {
      // Reporting needs the text only; fixes and noqa edits need the tree.
      source = rewrites ? std::make_shared<SourceFile>(unit.original)
                        : std::make_shared<SourceFile>(std::move(unit.original), SourceFile::TextOnly{});
      result = std::move(hit->result);
      unit.summary = std::move(hit->summary);
    } else {
      // Without rewrites nothing compares against the original bytes later.
      source = std::make_shared<SourceFile>(again      ? unit.fixed
                                            : rewrites ? unit.original
                                                       : std::move(unit.original));
      result = check(*source);
    }
    if (options_.fix || options_.diff) {
      for (int pass = 0; pass < kMaxFixPasses; ++pass) {
        const std::vector<const Fix*> chosen = fixes_to_apply(result.findings);
        if (chosen.empty()) break;
        const int applied = apply_fixes(unit.fixed, chosen);
        if (applied == 0) break;
        unit.fixes_applied += applied;
        source = std::make_shared<SourceFile>(unit.fixed);
        result = check(*source);
      }
    }
    if (options_.add_noqa && !result.findings.empty()) {
      const std::vector<TextEdit> edits = add_noqa_edits(*source, result.findings, settings);
      const Fix all{"noqa", Applicability::Safe, edits, true};
      unit.fixes_applied += apply_fixes(unit.fixed, {&all}) > 0 ? static_cast<int>(edits.size()) : 0;
      source = std::make_shared<SourceFile>(unit.fixed);
      result = check(*source);
    }
    // Results of rewritten text must not be stored under the key of the bytes still on disk.
    if (!rewrites || unit.fixed == unit.original) remember(result);
    // Hundreds of files are reported together: keep their text, not their trees.
    source->release_tree();
    unit.report = FileReport{unit.display, source, std::move(result.findings)};
  }

  std::vector<const Fix*> fixes_to_apply(const std::vector<Finding>& findings) const {
    std::vector<const Fix*> chosen;
    for (const Finding& f : findings)
      for (const Fix& fix : f.fixes) {
        if (fix.suppression) continue;
        if (fix.applicability == Applicability::Safe || options_.unsafe_fixes) chosen.push_back(&fix);
        break;  // only the preferred fix of each finding
      }
    return chosen;
  }

  int report() {
    std::vector<FileReport> reports;
    size_t remaining = 0, fixed = 0;
    bool would_change = false;
    for (Unit& unit : units_) {
      if (!unit.reported) continue;
      if (!unit.error.empty()) {
        std::cerr << "loopsafe: error: " << unit.error << "\n";
        had_error_ = true;
        continue;
      }
      fixed += unit.fixes_applied;
      const bool rewrites = options_.fix || options_.diff || options_.add_noqa;
      if (rewrites && unit.fixed != unit.original) {
        would_change = true;
        if (options_.diff) {
          std::cout << unified_diff(unit.display, unit.original, unit.fixed);
        } else if (unit.path.empty()) {
          std::cout << unit.fixed;  // stdin: the fixed source goes to stdout
        } else {
          std::string error;
          if (!write_file_atomically(unit.path, unit.fixed, error)) {
            std::cerr << "loopsafe: error: " << error << "\n";
            had_error_ = true;
            continue;
          }
        }
      } else if (unit.path.empty() && rewrites && !options_.diff) {
        std::cout << unit.fixed;
      }
      remaining += unit.report.findings.size();
      reports.push_back(std::move(unit.report));
    }
    if (options_.diff) {
      std::cerr << (fixed ? "Would fix " + std::to_string(fixed) + " finding(s).\n"
                          : "No fixes available.\n");
      return had_error_ ? 2 : (would_change && !options_.exit_zero ? 1 : 0);
    }
    // Findings go to stdout, except when stdout carries the fixed source.
    std::ostream& out =
        (options_.stdin_filename && (options_.fix || options_.add_noqa)) ? std::cerr : std::cout;
    if (options_.statistics) {
      write_statistics(out, reports);
    } else {
      switch (options_.format) {
        case OutputFormat::Text:
          write_text(out, reports, true);
          break;
        case OutputFormat::Concise:
          write_text(out, reports, false);
          break;
        case OutputFormat::Json:
          write_json(out, reports);
          break;
        case OutputFormat::Sarif:
          write_sarif(out, reports);
          break;
        case OutputFormat::Github:
          write_github(out, reports);
          break;
      }
    }
    if (options_.add_noqa)
      std::cerr << "Added " << fixed << " noqa directive(s).\n";
    else if (options_.fix && fixed)
      std::cerr << "Fixed " << fixed << " finding(s).\n";
    if (had_error_) return 2;
    return remaining > 0 && !options_.exit_zero ? 1 : 0;
  }

  const CheckOptions& options_;
  ConfigLoader loader_;
  std::vector<Unit> units_;
  std::vector<fs::path> roots_;                              // of the projects the checked paths belong to
  std::vector<std::unique_ptr<cache::ResultCache>> caches_;  // per root; null: not cached
  bool had_error_ = false;
};

}  // namespace

int run_check(const CheckOptions& options) {
  return CheckRun(options).run();
}

}  // namespace loopsafe::cli
