#pragma once
// Python-like name resolution over FileFacts: an expression becomes a qualified name (`time.sleep`),
// an instance of a known type (`requests.Session`), or something defined in this file. Resolution is
// lazy and memo-free: it runs only for the expressions rules ask about.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/facts.h"

namespace loopsafe {

struct Value {
  enum class Kind {
    Unknown,
    Name,           // a module, function or class by qualified name: "time.sleep", "pathlib.Path"
    Instance,       // an instance of a known external type: "requests.Session", "Iterator[pathlib.Path]"
    Method,         // a method bound to an instance of a known type: "requests.Session.get"
    LocalFunction,  // a def of this file (index)
    LocalClass,     // a class of this file (index)
    LocalInstance,  // an instance of a class of this file (index)
  };
  Kind kind = Kind::Unknown;
  std::string name;
  int index = -1;

  static Value unknown() { return {}; }
  bool is(Kind k) const { return kind == k; }
};

// A member looked up on a class of this file (`obj.name` where `obj` is that class or an instance of
// it, its bases included), at the byte where the attribute's name starts.
struct MemberLookup {
  uint32_t at = 0;
  int class_index = -1;  // in FileFacts::classes
};

class Resolver {
 public:
  // With `lookups`, every member lookup resolution makes is appended there (incremental.cpp learns
  // from them which functions depend on a class's members).
  Resolver(const SourceFile& file, const FileFacts& facts, std::vector<MemberLookup>* lookups = nullptr)
      : file_(file), facts_(facts), lookups_(lookups) {}

  // What `node` evaluates to, looked up from `scope` as Python would.
  Value resolve(TSNode node, int scope) const;
  // What a call's `function` part designates: for `obj.m(...)` on a typed `obj`, the bound method.
  Value callee(TSNode call, int scope) const;
  // What the call evaluates to.
  Value result_of_call(TSNode call, int scope) const;
  // The binding `name` refers to at `offset` in `scope`, or null for a builtin / undefined name.
  const Binding* lookup(std::string_view name, int scope, uint32_t offset) const;

  // Whether a local async function is an async generator (iterated, not awaited).
  bool is_async_generator(int function) const;
  // Resolution needed a function body that was not walked (FunctionInfo::body_skipped): its answers
  // may differ from a full analysis, which the caller must then run instead.
  bool incomplete() const { return incomplete_; }

  const SourceFile& file() const { return file_; }
  const FileFacts& facts() const { return facts_; }

 private:
  Value resolve_at(TSNode node, int scope, int depth) const;
  Value callee_at(TSNode call, int scope, int depth) const;
  Value call_result(const Value& callee, int depth) const;
  Value value_of(const Binding& binding, int scope, int depth) const;
  Value compute_value_of(const Binding& binding, int scope, int depth) const;
  Value attribute_of(const Value& object, const std::string& attribute, int depth) const;
  Value annotation_type(TSNode annotation, int scope, int depth) const;
  Value local_class_member(int class_index, const std::string& name, bool instance, int depth) const;
  std::string external_base(int class_index, int depth) const;

  const SourceFile& file_;
  const FileFacts& facts_;
  // What each binding evaluates to does not depend on where it is used: computed once. A binding
  // being computed maps to Unknown, which cuts cycles such as `x = x.parent`.
  mutable std::unordered_map<const Binding*, Value> binding_values_;
  // Several rules ask about the same call; keyed by the call's byte range.
  mutable std::unordered_map<uint64_t, Value> callees_;
  mutable bool incomplete_ = false;
  std::vector<MemberLookup>* lookups_;
  mutable uint32_t attribute_at_ = UINT32_MAX;  // the attribute being resolved, for lookups_
};

}  // namespace loopsafe
