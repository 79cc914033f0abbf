#include "cli/check_command.h"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <iterator>
#include <mutex>
#include <thread>

#include "analysis/checker.h"
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
  std::string display;   // as reported
  std::string original;  // bytes as read
  std::string fixed;     // bytes after --fix / --add-noqa
  FileReport report;
  int fixes_applied = 0;
  std::string error;
};

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
    } else {
      if (!collect_files()) return 2;
    }
    check_all();
    return report();
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

  bool collect_files() {
    std::vector<std::string> paths = options_.paths.empty() ? std::vector<std::string>{"."} : options_.paths;
    std::string config_error;
    const Discovery found = discover_files(paths, [&](const fs::path& dir) {
      std::string error;
      const auto config = loader_.for_directory(dir, error);
      if (!config) {
        if (config_error.empty()) config_error = error;
        return ExcludeRules{};
      }
      return ExcludeRules{config->base, config->settings.exclude};
    });
    if (!config_error.empty()) {
      usage_error(config_error);
      return false;
    }
    for (const std::string& error : found.errors) std::cerr << "loopsafe: error: " << error << "\n";
    had_error_ = !found.errors.empty();
    for (const fs::path& path : found.files) {
      Unit unit;
      unit.path = path;
      unit.display = display_path(path);
      units_.push_back(std::move(unit));
    }
    return true;
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

  void check_unit(Unit& unit) {
    if (!unit.path.empty() && !read_file(unit.path, unit.original, unit.error)) return;
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

    const bool rewrites = options_.fix || options_.diff || options_.add_noqa;
    if (rewrites) unit.fixed = unit.original;
    auto source = std::make_shared<SourceFile>(unit.original);
    CheckResult result = check_file(*source, settings, relative);
    if (options_.fix || options_.diff) {
      for (int pass = 0; pass < kMaxFixPasses; ++pass) {
        std::vector<const Fix*> chosen;
        for (const Finding& f : result.findings)
          for (const Fix& fix : f.fixes) {
            if (fix.suppression) continue;
            if (fix.applicability == Applicability::Safe || options_.unsafe_fixes) chosen.push_back(&fix);
            break;  // only the preferred fix of each finding
          }
        if (chosen.empty()) break;
        const int applied = apply_fixes(unit.fixed, chosen);
        if (applied == 0) break;
        unit.fixes_applied += applied;
        source = std::make_shared<SourceFile>(unit.fixed);
        result = check_file(*source, settings, relative);
      }
    }
    if (options_.add_noqa && !result.findings.empty()) {
      const std::vector<TextEdit> edits = add_noqa_edits(*source, result.findings, settings);
      const Fix all{"noqa", Applicability::Safe, edits, true};
      unit.fixes_applied += apply_fixes(unit.fixed, {&all}) > 0 ? static_cast<int>(edits.size()) : 0;
      source = std::make_shared<SourceFile>(unit.fixed);
      result = check_file(*source, settings, relative);
    }
    // Hundreds of files are reported together: keep their text, not their trees.
    source->release_tree();
    unit.report = FileReport{unit.display, source, std::move(result.findings)};
  }

  int report() {
    std::vector<FileReport> reports;
    size_t remaining = 0, fixed = 0;
    bool would_change = false;
    for (Unit& unit : units_) {
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
  bool had_error_ = false;
};

}  // namespace

int run_check(const CheckOptions& options) {
  return CheckRun(options).run();
}

}  // namespace loopsafe::cli
