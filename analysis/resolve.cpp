#include "analysis/resolve.h"

#include <algorithm>
#include <unordered_set>

#include "analysis/catalog/types.h"
#include "analysis/syntax.h"

namespace loopsafe {
namespace {

// Inference follows assignments (`a = b`, `b = c.d`, ...); this bounds the recursion on long chains.
constexpr int kMaxDepth = 200;

Value make(Value::Kind kind, std::string name, int index = -1) {
  return Value{kind, std::move(name), index};
}

bool is_iterable_generic(std::string_view name) {
  for (std::string_view g :
       {"list", "set", "frozenset", "tuple", "typing.List", "typing.Set", "typing.Sequence",
        "typing.Iterable", "typing.Iterator", "typing.Generator", "typing.Collection",
        "collections.abc.Iterable", "collections.abc.Iterator", "collections.abc.Sequence",
        "typing.FrozenSet", "typing.Tuple", "typing.AbstractSet"})
    if (name == g) return true;
  return false;
}

bool is_wrapper_generic(std::string_view name) {
  for (std::string_view g : {"typing.Optional", "typing.Union", "typing.Annotated",
                             "typing_extensions.Annotated", "typing.Final", "typing.ClassVar"})
    if (name == g) return true;
  return false;
}

}  // namespace

const Binding* Resolver::lookup(std::string_view name, int scope, uint32_t offset) const {
  const int start = scope;
  while (scope >= 0) {
    const Scope& s = facts_.scopes[scope];
    // A class body's names are not visible from the functions defined in it.
    if (!(s.kind == ScopeKind::Class && scope != start)) {
      const auto it = s.bindings.find(name);
      if (it != s.bindings.end()) {
        const auto& bindings = it->second;
        if (bindings.front().kind == BindingKind::Global) {
          scope = 0;
          if (start == 0) return nullptr;
          continue;
        }
        // In the scope of the use, the binding in effect is the last one before it; from an enclosing
        // scope, the function runs later, so the last binding of the whole scope is in effect.
        if (scope == start) {
          const Binding* best = &bindings.front();
          for (const Binding& b : bindings)
            if (b.offset <= offset) best = &b;
          return best;
        }
        return &bindings.back();
      }
    }
    scope = s.parent;
  }
  return nullptr;
}

Value Resolver::resolve(TSNode node, int scope) const {
  return resolve_at(node, scope, 0);
}
Value Resolver::callee(TSNode call, int scope) const {
  const uint64_t key = (uint64_t{ts_node_start_byte(call)} << 32) | ts_node_end_byte(call);
  if (const auto it = callees_.find(key); it != callees_.end()) return it->second;
  Value value = callee_at(call, scope, 0);
  callees_.emplace(key, value);
  return value;
}
Value Resolver::result_of_call(TSNode call, int scope) const {
  return call_result(callee_at(call, scope, 0), 0);
}

Value Resolver::resolve_at(TSNode node, int scope, int depth) const {
  if (ts_node_is_null(node) || depth > kMaxDepth) return Value::unknown();
  switch (kind_of(node)) {
    case NodeKind::Identifier: {
      const std::string_view name = file_.text_of(node);
      const Binding* binding = lookup(name, scope, ts_node_start_byte(node));
      if (!binding) return make(Value::Kind::Name, std::string(name));  // a builtin, or undefined
      return value_of(*binding, scope, depth + 1);
    }
    case NodeKind::Attribute: {
      const Value object = resolve_at(field(node, Field::Object), scope, depth + 1);
      const TSNode attribute = field(node, Field::Attribute);
      const uint32_t outer = attribute_at_;
      attribute_at_ = ts_node_start_byte(attribute);
      Value member = attribute_of(object, std::string(file_.text_of(attribute)), depth + 1);
      attribute_at_ = outer;
      return member;
    }
    case NodeKind::Call: {
      const Value callee = callee_at(node, scope, depth + 1);
      // sorted(base.glob("*")), list(...): the same elements.
      static const std::unordered_set<std::string_view> passthrough = {"sorted", "list", "reversed", "tuple",
                                                                       "set",    "iter", "frozenset"};
      if (callee.is(Value::Kind::Name) && passthrough.contains(callee.name)) {
        TSNode arguments = field(node, Field::Arguments);
        if (ts_node_named_child_count(arguments) == 0) return Value::unknown();
        const Value iterable = resolve_at(ts_node_named_child(arguments, 0), scope, depth + 1);
        return element_type(iterable.name).empty() ? Value::unknown() : iterable;
      }
      return call_result(callee, depth + 1);
    }
    case NodeKind::ParenthesizedExpression:
      return resolve_at(ts_node_named_child(node, 0), scope, depth + 1);
    case NodeKind::Subscript: {
      const Value object = resolve_at(field(node, Field::Value), scope, depth + 1);
      if (object.is(Value::Kind::Instance))
        if (const std::string* t = type_from_attribute(object.name, "[]"))
          return make(Value::Kind::Instance, *t);
      return Value::unknown();
    }
    case NodeKind::List:
    case NodeKind::Tuple: {
      // `[Path(a), Path(b)]`: iterating it gives paths.
      TSNode first = ts_node_named_child(node, 0);
      const Value element = ts_node_is_null(first) ? Value::unknown() : resolve_at(first, scope, depth + 1);
      if (element.is(Value::Kind::Instance))
        return make(Value::Kind::Instance, "Iterator[" + element.name + "]");
      return Value::unknown();
    }
    case NodeKind::BinaryOperator: {
      // `path / "name"` is a path.
      const std::string_view op = file_.text_of(field(node, Field::Operator));
      if (op != "/") return Value::unknown();
      for (const Field side : {Field::Left, Field::Right}) {
        const Value v = resolve_at(field(node, side), scope, depth + 1);
        if (v.is(Value::Kind::Instance) && v.name == "pathlib.Path") return v;
      }
      return Value::unknown();
    }
    case NodeKind::BooleanOperator:
    case NodeKind::ConditionalExpression: {
      // `x or Path(...)`, `a if c else b`: the first operand with a known type.
      Value found;
      for_each_named_child(node, [&](TSNode child, const char*) {
        if (found.is(Value::Kind::Unknown)) {
          const Value v = resolve_at(child, scope, depth + 1);
          if (v.is(Value::Kind::Instance) || v.is(Value::Kind::LocalInstance)) found = v;
        }
      });
      return found;
    }
    default:
      return Value::unknown();
  }
}

Value Resolver::callee_at(TSNode call, int scope, int depth) const {
  TSNode function = unparenthesize(field(call, Field::Function));
  if (ts_node_is_null(function)) return Value::unknown();
  if (kind_of(function) == NodeKind::Attribute) {
    const Value object = resolve_at(field(function, Field::Object), scope, depth + 1);
    const std::string method(file_.text_of(field(function, Field::Attribute)));
    if (object.is(Value::Kind::Instance)) return make(Value::Kind::Method, object.name + "." + method);
  }
  return resolve_at(function, scope, depth + 1);
}

Value Resolver::call_result(const Value& callee, int depth) const {
  if (depth > kMaxDepth) return Value::unknown();
  switch (callee.kind) {
    case Value::Kind::Name:
      if (const std::string* t = type_from_call(callee.name)) return make(Value::Kind::Instance, *t);
      return Value::unknown();
    case Value::Kind::Method: {
      const auto dot = callee.name.rfind('.');
      if (const std::string* t = type_from_method(callee.name.substr(0, dot), callee.name.substr(dot + 1)))
        return make(Value::Kind::Instance, *t);
      return Value::unknown();
    }
    case Value::Kind::Instance:
      if (const std::string* t = type_from_method(callee.name, "__call__"))
        return make(Value::Kind::Instance, *t);
      return Value::unknown();
    case Value::Kind::LocalClass:
      return make(Value::Kind::LocalInstance, facts_.classes[callee.index].name, callee.index);
    case Value::Kind::LocalFunction: {
      const FunctionInfo& fn = facts_.functions[callee.index];
      if (fn.is_async) return Value::unknown();
      if (fn.body_skipped) {
        incomplete_ = true;
        return Value::unknown();
      }
      if (fn.yields) return Value::unknown();
      TSNode annotation = field(fn.node, Field::ReturnType);
      if (!ts_node_is_null(annotation)) return annotation_type(annotation, fn.defining_scope, depth + 1);
      // No annotation: what a helper like `def data_dir(): return BASE / "data"` returns.
      for (TSNode returned : fn.returned) {
        const Value v = resolve_at(returned, fn.scope, depth + 1);
        if (v.is(Value::Kind::Instance) || v.is(Value::Kind::LocalInstance)) return v;
      }
      return Value::unknown();
    }
    default:
      return Value::unknown();
  }
}

Value Resolver::value_of(const Binding& binding, int scope, int depth) const {
  if (depth > kMaxDepth) return Value::unknown();
  const auto [it, inserted] = binding_values_.try_emplace(&binding, Value::unknown());
  if (!inserted) return it->second;
  Value value = compute_value_of(binding, scope, depth);
  binding_values_[&binding] = value;
  return value;
}

Value Resolver::compute_value_of(const Binding& binding, int scope, int depth) const {
  switch (binding.kind) {
    case BindingKind::Import:
      return make(Value::Kind::Name, binding.target);
    case BindingKind::Function:
      return make(Value::Kind::LocalFunction, facts_.functions[binding.index].name, binding.index);
    case BindingKind::Class:
      return make(Value::Kind::LocalClass, facts_.classes[binding.index].name, binding.index);
    case BindingKind::Value: {
      if (!ts_node_is_null(binding.annotation)) {
        const Value annotated = annotation_type(binding.annotation, binding.scope, depth + 1);
        if (!annotated.is(Value::Kind::Unknown)) return annotated;
      }
      return resolve_at(binding.value, binding.scope, depth + 1);
    }
    case BindingKind::Parameter: {
      if (!ts_node_is_null(binding.annotation))
        return annotation_type(binding.annotation, binding.scope, depth + 1);
      if (!ts_node_is_null(binding.value)) {
        // The default is evaluated where the def is, but names in it resolve the same way there.
        const Value v = resolve_at(binding.value, facts_.scopes[binding.scope].parent, depth + 1);
        if (v.is(Value::Kind::Instance)) return v;
      }
      // `self` and `cls`: the first parameter of a method.
      const Scope& s = facts_.scopes[binding.scope];
      if (binding.index != 0 || s.kind != ScopeKind::Function) return Value::unknown();
      const FunctionInfo& fn = facts_.functions[s.owner];
      if (fn.class_index < 0) return Value::unknown();
      for (TSNode decorator : fn.decorators) {
        const std::string_view d = file_.text_of(decorator);
        if (d == "staticmethod") return Value::unknown();
        if (d == "classmethod")
          return make(Value::Kind::LocalClass, facts_.classes[fn.class_index].name, fn.class_index);
      }
      return make(Value::Kind::LocalInstance, facts_.classes[fn.class_index].name, fn.class_index);
    }
    case BindingKind::ForTarget: {
      const Value iterable = resolve_at(binding.value, binding.scope, depth + 1);
      if (iterable.is(Value::Kind::Instance)) {
        const std::string element = element_type(iterable.name);
        if (!element.empty()) return make(Value::Kind::Instance, element);
      }
      return Value::unknown();
    }
    case BindingKind::WithTarget: {
      const Value context = resolve_at(binding.value, binding.scope, depth + 1);
      if (context.is(Value::Kind::Instance))
        if (const std::string* t = type_entered(context.name)) return make(Value::Kind::Instance, *t);
      return context;
    }
    default:
      (void)scope;
      return Value::unknown();
  }
}

Value Resolver::attribute_of(const Value& object, const std::string& attribute, int depth) const {
  if (depth > kMaxDepth) return Value::unknown();
  switch (object.kind) {
    case Value::Kind::Name:
      return make(Value::Kind::Name, object.name + "." + attribute);
    case Value::Kind::Instance:
      if (const std::string* t = type_from_attribute(object.name, attribute))
        return make(Value::Kind::Instance, *t);
      return make(Value::Kind::Method, object.name + "." + attribute);
    case Value::Kind::LocalInstance:
      return local_class_member(object.index, attribute, true, depth + 1);
    case Value::Kind::LocalClass:
      return local_class_member(object.index, attribute, false, depth + 1);
    default:
      return Value::unknown();
  }
}

bool Resolver::is_async_generator(int function) const {
  const FunctionInfo& fn = facts_.functions[function];
  if (fn.is_async && !fn.yields_known) incomplete_ = true;
  return fn.is_async && fn.yields;
}

Value Resolver::local_class_member(int class_index, const std::string& name, bool instance, int depth) const {
  if (depth > kMaxDepth) return Value::unknown();
  if (lookups_ && attribute_at_ != UINT32_MAX) lookups_->push_back({attribute_at_, class_index});
  const ClassInfo& cls = facts_.classes[class_index];
  if (const auto m = cls.methods.find(name); m != cls.methods.end()) {
    // A property reads as its getter's result.
    const FunctionInfo& method = facts_.functions[m->second];
    for (TSNode decorator : method.decorators) {
      const std::string_view d = file_.text_of(decorator);
      if (instance && (d == "property" || d.ends_with("cached_property")))
        return call_result(make(Value::Kind::LocalFunction, name, m->second), depth + 1);
    }
    return make(Value::Kind::LocalFunction, name, m->second);
  }
  if (instance) {
    if (cls.has_skipped_method &&
        (!cls.skipped_attributes || std::find(cls.skipped_attributes->begin(), cls.skipped_attributes->end(),
                                              name) != cls.skipped_attributes->end()))
      incomplete_ = true;
    if (const auto a = cls.instance_attributes.find(name); a != cls.instance_attributes.end()) {
      // Several assignments (`self.x = None` then `self.x = Client()`): the first one with a known type.
      for (const Binding& b : a->second) {
        const Value v = value_of(b, b.scope, depth + 1);
        if (!v.is(Value::Kind::Unknown) && !(v.is(Value::Kind::Name) && v.name == "None")) return v;
      }
    }
  }
  const auto& class_bindings = facts_.scopes[cls.scope].bindings;
  if (const auto b = class_bindings.find(name); b != class_bindings.end()) {
    const Value v = value_of(b->second.back(), cls.scope, depth + 1);
    if (!v.is(Value::Kind::Unknown)) return v;
  }
  // Members inherited from a known library class (`class Api(httpx.Client)`).
  const std::string base = external_base(class_index, depth + 1);
  if (!base.empty()) {
    if (instance) return attribute_of(make(Value::Kind::Instance, base), name, depth + 1);
    return make(Value::Kind::Name, base + "." + name);
  }
  for (TSNode base_node : cls.bases) {
    const Value b = resolve_at(base_node, cls.defining_scope, depth + 1);
    if (b.is(Value::Kind::LocalClass) && b.index != class_index) {
      const Value inherited = local_class_member(b.index, name, instance, depth + 1);
      if (!inherited.is(Value::Kind::Unknown)) return inherited;
    }
  }
  return Value::unknown();
}

std::string Resolver::external_base(int class_index, int depth) const {
  for (TSNode base_node : facts_.classes[class_index].bases) {
    const Value b = resolve_at(base_node, facts_.classes[class_index].defining_scope, depth + 1);
    if (b.is(Value::Kind::Name))
      if (const std::string* t = type_from_call(b.name)) return *t;
  }
  return {};
}

Value Resolver::annotation_type(TSNode annotation, int scope, int depth) const {
  if (ts_node_is_null(annotation) || depth > kMaxDepth) return Value::unknown();
  switch (kind_of(annotation)) {
    case NodeKind::Type:
    case NodeKind::ParenthesizedExpression:
      return annotation_type(ts_node_named_child(annotation, 0), scope, depth + 1);
    case NodeKind::Identifier:
    case NodeKind::Attribute: {
      const Value v = resolve_at(annotation, scope, depth + 1);
      if (v.is(Value::Kind::Name))
        if (const std::string* t = type_from_call(v.name)) return make(Value::Kind::Instance, *t);
      if (v.is(Value::Kind::LocalClass)) return make(Value::Kind::LocalInstance, v.name, v.index);
      return Value::unknown();
    }
    case NodeKind::String: {
      // A forward reference: "Session" or "requests.Session".
      TSNode content = ts_node_named_child(annotation, 1);
      if (ts_node_is_null(content)) return Value::unknown();
      const std::string text(file_.text_of(content));
      const auto dot = text.find('.');
      const Binding* b = lookup(text.substr(0, dot), scope, ts_node_start_byte(annotation));
      if (!b) return Value::unknown();
      Value v = value_of(*b, scope, depth + 1);
      if (v.is(Value::Kind::Name) && dot != std::string::npos) v.name += text.substr(dot);
      if (v.is(Value::Kind::Name))
        if (const std::string* t = type_from_call(v.name)) return make(Value::Kind::Instance, *t);
      return v.is(Value::Kind::LocalClass) ? make(Value::Kind::LocalInstance, v.name, v.index)
                                           : Value::unknown();
    }
    case NodeKind::BinaryOperator: {  // `Session | None`
      for (const Field side : {Field::Left, Field::Right}) {
        const Value v = annotation_type(field(annotation, side), scope, depth + 1);
        if (!v.is(Value::Kind::Unknown)) return v;
      }
      return Value::unknown();
    }
    case NodeKind::GenericType:
    case NodeKind::Subscript: {  // Optional[Session], list[Path], Annotated[Session, Depends(...)]
      TSNode base = ts_node_named_child(annotation, 0);
      const Value generic = resolve_at(base, scope, depth + 1);
      std::string generic_name = generic.is(Value::Kind::Name) ? generic.name : std::string();
      if (generic_name == "List" || generic_name == "Optional") generic_name = "typing." + generic_name;
      const bool iterable = is_iterable_generic(generic_name);
      if (!iterable && !is_wrapper_generic(generic_name)) return Value::unknown();
      Value found;
      // The type arguments: the children after the base (type_parameter holds them in generic_type).
      std::vector<TSNode> arguments;
      for_each_named_child(annotation, [&](TSNode child, const char*) {
        if (ts_node_eq(child, base)) return;
        if (kind_of(child) == NodeKind::TypeParameter)
          for_each_named_child(child, [&](TSNode arg, const char*) { arguments.push_back(arg); });
        else
          arguments.push_back(child);
      });
      for (TSNode arg : arguments) {
        found = annotation_type(arg, scope, depth + 1);
        if (!found.is(Value::Kind::Unknown)) break;
      }
      if (iterable && found.is(Value::Kind::Instance))
        return make(Value::Kind::Instance, "Iterator[" + found.name + "]");
      return iterable ? Value::unknown() : found;
    }
    default:
      return Value::unknown();
  }
}

}  // namespace loopsafe
