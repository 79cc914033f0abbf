#include "analysis/project/summary.h"

#include <cctype>

#include "analysis/resolve.h"
#include "analysis/rules/rule.h"
#include "analysis/suppression.h"
#include "analysis/syntax.h"

namespace loopsafe::project {
namespace {

TextPoint point_at(const SourceFile& file, uint32_t offset) {
  const LineIndex& lines = file.lines();
  const LineColumn bytes = lines.position(offset, ColumnUnit::Byte);
  return {bytes.line, bytes.column, lines.position(offset, ColumnUnit::Utf16).column,
          lines.position(offset, ColumnUnit::CodePoint).column};
}

Span span_of(const SourceFile& file, TSNode node) {
  const uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
  return {start, end, point_at(file, start), point_at(file, end)};
}

// Decorators that leave "calling the function runs its body" true. Any other one may wrap it in
// something else (a thread offloader, `sync_to_async`, a task factory): such functions are not followed.
bool transparent_decorator(std::string_view text) {
  text = text.substr(0, text.find('('));
  for (std::string_view known :
       {"staticmethod", "classmethod", "functools.lru_cache", "lru_cache", "functools.cache", "cache",
        "abc.abstractmethod", "abstractmethod", "typing.override", "override", "functools.wraps", "wraps"})
    if (text == known) return true;
  return false;
}

bool identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// `coro = f()` where `coro` never appears again in the function: its value is dropped. A text search
// (a mention in a comment or string counts as a use): most assignments are not of coroutines, and
// walking the rest of the body for each one would cost more than the whole analysis.
bool dropped_by_assignment_text(const SourceFile& file, const FileFacts& facts,
                                const loopsafe::CallSite& call) {
  if (ts_node_is_null(call.assigned_to)) return false;
  const std::string_view name = file.text_of(call.assigned_to);
  const uint32_t from = ts_node_end_byte(call.node);
  const uint32_t to = call.function >= 0 ? ts_node_end_byte(facts.functions[call.function].node)
                                         : static_cast<uint32_t>(file.text().size());
  const std::string_view rest = file.text().substr(from, to - from);
  for (size_t at = rest.find(name); at != std::string_view::npos; at = rest.find(name, at + 1)) {
    const bool starts = at == 0 || !identifier_char(rest[at - 1]);
    const bool ends = at + name.size() == rest.size() || !identifier_char(rest[at + name.size()]);
    if (starts && ends) return false;
  }
  return true;
}

class Summarizer {
 public:
  Summarizer(const SourceFile& file, const FileFacts& facts, const Resolver& resolver,
             const Settings& settings)
      : file_(file),
        facts_(facts),
        resolver_(resolver),
        noqa_(file, facts),
        ctx_{file, facts, resolver_, settings, FixContext{file, facts, settings}, {}, {}} {}

  ModuleSummary run() {
    ModuleSummary s;
    for (size_t i = 0; i < facts_.functions.size(); ++i) s.functions.push_back(function(static_cast<int>(i)));
    for (size_t i = 0; i < facts_.classes.size(); ++i) s.classes.push_back(klass(static_cast<int>(i)));
    symbols(s);
    for (const loopsafe::CallSite& call : facts_.calls) visit(call, s);
    return s;
  }

 private:
  std::string scope_name(int scope) const {
    const Scope& sc = facts_.scopes[scope];
    if (sc.kind == ScopeKind::Function) return function_name(sc.owner) + ".";
    if (sc.kind == ScopeKind::Class) return class_name(sc.owner) + ".";
    return {};
  }
  std::string function_name(int index) const {
    const FunctionInfo& fn = facts_.functions[index];
    return scope_name(fn.defining_scope) + fn.name;
  }
  std::string class_name(int index) const {
    const ClassInfo& cls = facts_.classes[index];
    return scope_name(cls.defining_scope) + cls.name;
  }

  FunctionSummary function(int index) const {
    const FunctionInfo& fn = facts_.functions[index];
    FunctionSummary f;
    f.name = function_name(index);
    f.is_async = fn.is_async;
    f.is_generator = fn.yields;
    for (TSNode decorator : fn.decorators)
      f.runs_when_called = f.runs_when_called && transparent_decorator(file_.text_of(decorator));
    f.name_at = span_of(file_, fn.name_node);
    return f;
  }

  ClassSummary klass(int index) const {
    const ClassInfo& cls = facts_.classes[index];
    ClassSummary c;
    c.name = class_name(index);
    for (TSNode base : cls.bases) {
      Reference ref = reference_to(resolver_.resolve(base, cls.defining_scope));
      if (!ref.empty()) c.bases.push_back(std::move(ref));
    }
    for (const auto& [name, function] : cls.methods) c.methods[name] = function;
    return c;
  }

  // Module-level names as another module importing them sees them: the last binding wins.
  void symbols(ModuleSummary& s) const {
    for (const auto& [name, bindings] : facts_.scopes[0].bindings) {
      const Binding& b = bindings.back();
      Symbol symbol;
      if (b.kind == BindingKind::Function) {
        symbol = {Symbol::Kind::Function, b.index, {}};
      } else if (b.kind == BindingKind::Class) {
        symbol = {Symbol::Kind::Class, b.index, {}};
      } else if (b.kind == BindingKind::Import) {
        symbol = {Symbol::Kind::Import, -1, b.target};
      } else if (b.kind == BindingKind::Value && !ts_node_is_null(b.value)) {
        // `load = _load_impl`, `get = client.get`: an alias of something resolvable.
        const Value v = resolver_.resolve(b.value, 0);
        if (v.is(Value::Kind::LocalFunction)) {
          symbol = {Symbol::Kind::Function, v.index, {}};
        } else if (v.is(Value::Kind::LocalClass)) {
          symbol = {Symbol::Kind::Class, v.index, {}};
        } else if (v.is(Value::Kind::Name)) {
          symbol = {Symbol::Kind::Import, -1, v.name};
        } else {
          continue;
        }
      } else {
        continue;
      }
      s.symbols.emplace(std::string(name), std::move(symbol));
    }
  }

  Reference reference_to(const Value& v) const {
    switch (v.kind) {
      case Value::Kind::LocalFunction:
        return "#" + std::to_string(v.index);
      case Value::Kind::LocalClass:
        return "@" + class_name(v.index);
      case Value::Kind::Name:
      case Value::Kind::Method:
        return v.name;
      default:
        return {};
    }
  }

  // A class named from elsewhere (an import, `module.Class`), as a reference; empty for anything else.
  Reference imported_class(TSNode node, int scope) const {
    if (kind_of(node) == NodeKind::Type) node = ts_node_named_child(node, 0);  // `repo: Repo`
    if (ts_node_is_null(node)) return {};
    const Value v = resolver_.resolve(node, scope);
    return v.is(Value::Kind::Name) ? v.name : Reference();
  }

  // The class that `node` is an instance of when that class comes from elsewhere and may be the
  // project's: `Repository(...)`, a name bound once to such a call, or annotated with such a class
  // (`repo: Repository`). Types the single-file resolver knows (the catalog's) never get here.
  Reference instance_class(TSNode node, int scope, int depth = 0) const {
    if (depth > 4) return {};
    node = unparenthesize(node);
    if (kind_of(node) == NodeKind::Call) {
      const Value callee = resolver_.callee(node, scope);
      return callee.is(Value::Kind::Name) ? callee.name : Reference();
    }
    if (kind_of(node) != NodeKind::Identifier) return {};
    const Binding* b = resolver_.lookup(file_.text_of(node), scope, ts_node_start_byte(node));
    if (!b) return {};
    if (!ts_node_is_null(b->annotation)) return imported_class(b->annotation, b->scope);
    if (b->kind == BindingKind::Value && !ts_node_is_null(b->value))
      return instance_class(b->value, b->scope, depth + 1);
    return {};
  }

  // What a call's callee may be in the project; empty when it cannot be project code.
  Reference callee_reference(const loopsafe::CallSite& call, const Value& callee) const {
    if (!callee.is(Value::Kind::Unknown)) return reference_to(callee);
    TSNode function = field(call.node, Field::Function);
    if (kind_of(function) != NodeKind::Attribute) return {};
    const std::string attribute(file_.text_of(field(function, Field::Attribute)));
    // `self.helper()`, `cls.helper()`, `Repo.helper()` where `helper` comes from a base class in
    // another module: the local resolver does not know it, the project does.
    const Value object = resolver_.resolve(field(function, Field::Object), call.scope);
    if (object.is(Value::Kind::LocalInstance) || object.is(Value::Kind::LocalClass))
      return "@" + class_name(object.index) + "." + attribute;
    // `repo.load()` on an instance of a class of another module: that class's method (or nothing, when
    // the class is not the project's).
    if (object.is(Value::Kind::Unknown)) {
      const Reference type = instance_class(field(function, Field::Object), call.scope);
      if (!type.empty()) return type + "." + attribute;
    }
    return {};
  }

  void visit(const loopsafe::CallSite& call, ModuleSummary& s) {
    const Value callee = resolver_.callee(call.node, call.scope);
    TSNode function = field(call.node, Field::Function);
    const bool in_sync_body = call.function >= 0 && call.frame == Frame::SyncFunction;
    if (const auto blocking = match_blocking_call(ctx_, call, callee)) {
      if (in_sync_body && !s.functions[call.function].blocking)
        s.functions[call.function].blocking =
            BlockingCall{blocking->code, describe_call(ctx_, call, callee.name), blocking->alternative,
                         span_of(file_, function)};
      return;  // the file's own rules report it in async code
    }
    Reference ref = callee_reference(call, callee);
    if (ref.empty()) return;
    Call c{std::move(ref), span_of(file_, function), ctx_.quoted_call(function)};
    if (in_sync_body) s.functions[call.function].calls.push_back(c);
    const bool local_function = callee.is(Value::Kind::LocalFunction);
    if (call.frame == Frame::AsyncFunction && !call.awaited &&
        !(local_function && facts_.functions[callee.index].is_async))
      site(s, CallSite::Use::Blocking, call, c, "LS200", to_thread_fix(ctx_.fix_context, call));
    // A coroutine function of this file is the file's own rule's; the project adds the others.
    if (!local_function && (call.statement || dropped_by_assignment_text(file_, facts_, call)))
      site(s, CallSite::Use::Dropped, call, c, "LS302", add_await_fix(ctx_.fix_context, call));
  }

  void site(ModuleSummary& s, CallSite::Use use, const loopsafe::CallSite& call, const Call& c,
            const char* code, std::optional<Fix> fix) {
    CallSite site{use, c, describe_function(ctx_, call), {}, false};
    if (fix) site.fixes.push_back(std::move(*fix));
    if (auto noqa = noqa_fix(ctx_.fix_context, code, c.at.start)) site.fixes.push_back(std::move(*noqa));
    site.suppressed = noqa_.suppresses(code, c.at.start);
    s.sites.push_back(std::move(site));
  }

  const SourceFile& file_;
  const FileFacts& facts_;
  const Resolver& resolver_;
  NoqaLines noqa_;
  RuleContext ctx_;
};

}  // namespace

FileCheck check_file_for_project(const SourceFile& file, const Settings& settings,
                                 std::string_view relative_path) {
  FileCheck check;
  const FileFacts facts = collect_facts(file);
  const Resolver resolver(file, facts);  // one for both: the summary asks much of what the rules did
  if (has_skip_file(file, facts)) {
    check.result.skipped = true;
  } else {
    check.result.findings = run_rules(file, facts, resolver, settings, relative_path);
  }
  ModuleSummary summary = Summarizer(file, facts, resolver, settings).run();
  if (check.result.skipped) summary.sites.clear();  // its helpers still count; its own calls are not reported
  check.summary = std::make_shared<const ModuleSummary>(std::move(summary));
  return check;
}

}  // namespace loopsafe::project
