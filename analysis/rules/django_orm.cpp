// LS101 for the Django ORM: in an async view, `Model.objects.get(...)`, an evaluated queryset
// (`list(Model.objects.filter(...))`, `.first()`, `.count()`...) and `instance.save()` run SQL on the
// event loop's thread (Django raises SynchronousOnlyOperation for some of them, not all).
// Use instead: the `a`-prefixed async methods (`aget`, `afirst`, `acount`, `asave`) or `sync_to_async`.
#include <unordered_set>

#include "analysis/rules/rule.h"
#include "analysis/syntax.h"

namespace loopsafe {
namespace {

const std::unordered_set<std::string_view>& evaluating_methods() {
  static const std::unordered_set<std::string_view> set = {
      "get",         "first",    "last",          "count",
      "exists",      "create",   "get_or_create", "update_or_create",
      "update",      "delete",   "aggregate",     "bulk_create",
      "bulk_update", "in_bulk",  "earliest",      "latest",
      "iterator",    "contains", "explain"};
  return set;
}

const std::unordered_set<std::string_view>& lazy_methods() {
  static const std::unordered_set<std::string_view> set = {
      "filter", "exclude",     "all",      "order_by",          "select_related", "prefetch_related",
      "values", "values_list", "annotate", "distinct",          "only",           "defer",
      "using",  "none",        "reverse",  "select_for_update", "alias"};
  return set;
}

// `Model.objects` or a lazy queryset built from it: `Model.objects.filter(...).order_by(...)`.
bool is_queryset(const RuleContext& ctx, TSNode node) {
  node = unparenthesize(node);
  while (!ts_node_is_null(node)) {
    if (kind_of(node) == NodeKind::Attribute) {
      TSNode object = field(node, Field::Object);
      if (ctx.file.text_of(field(node, Field::Attribute)) == "objects") {
        const std::string_view model = ctx.file.text_of(object);
        const auto dot = model.rfind('.');
        const char first = model[dot == std::string_view::npos ? 0 : dot + 1];
        return kind_of(object) != NodeKind::Call && first >= 'A' && first <= 'Z';
      }
      return false;
    }
    if (kind_of(node) != NodeKind::Call) return false;
    TSNode function = field(node, Field::Function);
    if (kind_of(function) != NodeKind::Attribute ||
        !lazy_methods().contains(ctx.file.text_of(field(function, Field::Attribute))))
      return false;
    node = field(function, Field::Object);
  }
  return false;
}

// A model instance: bound to `Model.objects.get(...)`-like results or to `Model(...)` of a Django model.
bool is_model_instance(const RuleContext& ctx, TSNode receiver, int scope) {
  TSNode value = unparenthesize(receiver);
  if (kind_of(value) == NodeKind::Identifier) {
    const Binding* b = ctx.resolver.lookup(ctx.file.text_of(value), scope, ts_node_start_byte(value));
    if (!b || b->kind != BindingKind::Value || ts_node_is_null(b->value)) return false;
    value = unparenthesize(b->value);
    scope = b->scope;
  }
  if (kind_of(value) == NodeKind::Await) value = unparenthesize(ts_node_named_child(value, 0));
  if (kind_of(value) != NodeKind::Call) return false;
  TSNode function = field(value, Field::Function);
  if (kind_of(function) == NodeKind::Attribute) {
    const std::string_view method = ctx.file.text_of(field(function, Field::Attribute));
    const bool returns_instance = method == "get" || method == "create" || method == "first" ||
                                  method == "last" || method == "aget" || method == "acreate" ||
                                  method == "afirst" || method == "alast";
    if (returns_instance && is_queryset(ctx, field(function, Field::Object))) return true;
  }
  const Value callee = ctx.resolver.resolve(function, scope);
  if (!callee.is(Value::Kind::LocalClass)) return false;
  for (TSNode base : ctx.facts.classes[callee.index].bases) {
    const Value v = ctx.resolver.resolve(base, ctx.facts.classes[callee.index].defining_scope);
    if (v.is(Value::Kind::Name) && v.name.starts_with("django.") && v.name.ends_with(".Model")) return true;
  }
  return false;
}

}  // namespace

void check_django_orm(RuleContext& ctx) {
  if (!ctx.facts.imports_django) return;
  for (const CallSite& call : ctx.facts.calls) {
    if (call.frame != Frame::AsyncFunction || call.awaited) continue;
    TSNode function = field(call.node, Field::Function);
    std::string method;
    bool blocking = false;
    if (kind_of(function) == NodeKind::Attribute) {
      method = std::string(ctx.file.text_of(field(function, Field::Attribute)));
      TSNode object = field(function, Field::Object);
      blocking = (evaluating_methods().contains(method) && is_queryset(ctx, object)) ||
                 ((method == "save" || method == "delete" || method == "refresh_from_db") &&
                  is_model_instance(ctx, object, call.scope));
    } else if (kind_of(function) == NodeKind::Identifier) {
      // list(qs), len(qs), bool(qs): evaluating a queryset runs the query.
      const std::string_view name = ctx.file.text_of(function);
      TSNode arguments = field(call.node, Field::Arguments);
      if ((name == "list" || name == "len" || name == "bool" || name == "tuple") &&
          ts_node_named_child_count(arguments) == 1 && !ctx.resolver.lookup(name, call.scope, 0)) {
        blocking = is_queryset(ctx, ts_node_named_child(arguments, 0));
        method = std::string(name);
      }
    }
    if (!blocking) continue;
    const bool builtin = kind_of(function) == NodeKind::Identifier;
    const std::string alternative = builtin ? "`[x async for x in queryset]` or `sync_to_async`"
                                            : "`a" + method + "()` or `sync_to_async`";
    ctx.report("LS101", function,
               ctx.quoted_call(function) + " runs a Django ORM query and blocks the event loop in " +
                   describe_function(ctx, call) + "; use " + alternative,
               {to_thread_fix(ctx.fix_context, call)}, call.function);
  }
}

}  // namespace loopsafe
