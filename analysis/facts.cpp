#include "analysis/facts.h"

#include <algorithm>
#include <utility>

#include "analysis/syntax.h"

namespace loopsafe {
namespace {

// The state every node inherits from its parent during the walk.
struct WalkState {
  int scope = 0;
  Frame frame = Frame::Module;
  int function = -1;
  bool in_generator = false;
};

Binding binding_at(BindingKind kind, uint32_t offset) {
  Binding b;
  b.kind = kind;
  b.offset = offset;
  return b;
}

struct StackEntry {
  TSNode node;
  NodeKind kind;
  WalkState state;
  int own_scope = -1;     // scope created by a def/class/lambda for its parameters and body
  int own_function = -1;  // def index
  int own_class = -1;     // class index
};

class FactCollector {
 public:
  FactCollector(const SourceFile& file, const std::vector<uint32_t>* skip_functions)
      : file_(file), skip_functions_(skip_functions) {}

  FileFacts run() {
    // An incremental check knows how many defs there are at least: growing these vectors step by step
    // moved every FunctionInfo and Scope several times.
    if (skip_functions_) {
      facts_.functions.reserve(skip_functions_->size() + 16);
      facts_.scopes.reserve(skip_functions_->size() + skip_functions_->size() / 4 + 16);
    }
    facts_.scopes.push_back(Scope{ScopeKind::Module, -1, -1, {}});
    if (skip_functions_) facts_.scopes[0].bindings.reserve(skip_functions_->size());
    facts_.header_end = static_cast<uint32_t>(file_.text().size());
    file_.for_each_top_level([&](TSNode child) {
      if (kind_of(child) == NodeKind::Comment) return true;
      facts_.header_end = ts_node_start_byte(child);
      return false;
    });
    // One module, whatever the number of trees it is parsed into: the first tree's root opens the
    // module scope, and every tree's statements are walked in it.
    const SyntaxPieces& pieces = file_.pieces();
    if (pieces.empty()) return std::move(facts_);
    enter(ts_tree_root_node(pieces.front().tree.get()), nullptr);
    for (const SyntaxPiece& piece : pieces) walk_below(ts_tree_root_node(piece.tree.get()));
    return std::move(facts_);
  }

  // Walks the nodes under `top`, depth first, with enter() and the stack.
  void walk_below(TSNode top) {
    TSTreeCursor cursor = ts_tree_cursor_new(top);
    if (!ts_tree_cursor_goto_first_child(&cursor)) {
      ts_tree_cursor_delete(&cursor);
      return;
    }
    uint32_t depth = 1;
    enter(ts_tree_cursor_current_node(&cursor), &cursor);
    for (;;) {
      if (std::exchange(descend_, true) && ts_tree_cursor_goto_first_child(&cursor)) {
        ++depth;
        enter(ts_tree_cursor_current_node(&cursor), &cursor);
        continue;
      }
      for (;;) {
        stack_.pop_back();
        if (ts_tree_cursor_goto_next_sibling(&cursor)) {
          enter(ts_tree_cursor_current_node(&cursor), &cursor);
          break;
        }
        ts_tree_cursor_goto_parent(&cursor);
        if (--depth == 0) {
          ts_tree_cursor_delete(&cursor);
          return;
        }
      }
    }
  }

 private:
  std::string text(TSNode node) const { return std::string(file_.text_of(node)); }
  std::string_view view(TSNode node) const { return file_.text_of(node); }

  // Names are views of the source text, which outlives the facts.
  void bind(int scope, std::string_view name, Binding binding) {
    if (name.empty()) return;
    facts_.scopes[scope].bindings[name].push_back(std::move(binding));
  }

  void bind_unknown_targets(TSNode pattern, int scope) {
    switch (kind_of(pattern)) {
      case NodeKind::Identifier:
        bind(scope, view(pattern), binding_at(BindingKind::Unknown, ts_node_start_byte(pattern)));
        break;
      case NodeKind::Tuple:
      case NodeKind::PatternList:
      case NodeKind::List:
      case NodeKind::ListSplatPattern:
      case NodeKind::ListSplat:
      case NodeKind::ParenthesizedExpression:
        for_each_named_child(pattern, [&](TSNode child, const char*) { bind_unknown_targets(child, scope); });
        break;
      default:
        break;
    }
  }

  // Binds the target of `for target in iterable` / `with value as target`.
  void bind_target(TSNode target, BindingKind kind, TSNode value, int scope) {
    if (kind_of(target) == NodeKind::Identifier) {
      Binding b = binding_at(kind, ts_node_start_byte(target));
      b.value = value;
      b.scope = scope;
      bind(scope, view(target), std::move(b));
    } else {
      bind_unknown_targets(target, scope);
    }
  }

  const StackEntry* parent_entry() const { return stack_.empty() ? nullptr : &stack_.back(); }

  int new_scope(ScopeKind kind, int parent, int owner) {
    facts_.scopes.push_back(Scope{kind, parent, owner, {}});
    return static_cast<int>(facts_.scopes.size()) - 1;
  }

  void enter(TSNode node, TSTreeCursor* cursor) {
    const StackEntry* parent = parent_entry();
    WalkState state = parent ? parent->state : WalkState{};
    const NodeKind kind = kind_of(node);
    if (kind == NodeKind::Other || kind == NodeKind::Keyword) {  // most nodes: nothing to learn here
      stack_.push_back(StackEntry{node, kind, state});
      return;
    }
    const TSFieldId role =
        parent && parent->own_scope >= 0 && cursor ? ts_tree_cursor_current_field_id(cursor) : 0;

    // Parameters and bodies run in the scope their def/class/lambda created.
    if (role != 0 && (role == field_id(Field::Parameters) || role == field_id(Field::Body))) {
      state.scope = parent->own_scope;
      if (role == field_id(Field::Body)) {
        switch (parent->kind) {
          case NodeKind::FunctionDefinition:
            state.frame =
                facts_.functions[parent->own_function].is_async ? Frame::AsyncFunction : Frame::SyncFunction;
            state.function = parent->own_function;
            state.in_generator = false;
            break;
          case NodeKind::Lambda:
            state.frame = Frame::Lambda;
            state.function = -1;
            break;
          case NodeKind::ClassDefinition:
            state.frame = Frame::ClassBody;
            state.function = -1;
            break;
          default:
            break;
        }
      }
    }

    StackEntry entry{node, kind, state};
    switch (kind) {
      case NodeKind::FunctionDefinition:
        enter_function(node, entry);
        break;
      case NodeKind::ClassDefinition:
        enter_class(node, entry);
        break;
      case NodeKind::Lambda:
        entry.own_scope = new_scope(ScopeKind::Lambda, state.scope, -1);
        parameter_count_ = 0;
        break;
      case NodeKind::GeneratorExpression:
        entry.state.in_generator = true;
        entry.state.scope = new_scope(ScopeKind::Comprehension, state.scope, -1);
        break;
      case NodeKind::ListComprehension:
      case NodeKind::SetComprehension:
      case NodeKind::DictionaryComprehension:
        entry.state.scope = new_scope(ScopeKind::Comprehension, state.scope, -1);
        break;
      case NodeKind::Call:
        record_call(node, state);
        break;
      case NodeKind::ImportStatement:
      case NodeKind::ImportFromStatement:
        record_import(node, kind, state.scope);
        break;
      case NodeKind::Assignment:
        record_assignment(node, state);
        break;
      case NodeKind::NamedExpression: {
        Binding b = binding_at(BindingKind::Value, ts_node_start_byte(node));
        b.value = field(node, Field::Value);
        b.scope = state.scope;
        bind(state.scope, view(field(node, Field::Name)), std::move(b));
        break;
      }
      case NodeKind::ForStatement:
      case NodeKind::ForInClause:
        if (is_async(node, file_.text())) mark_awaits(state);
        bind_target(field(node, Field::Left), BindingKind::ForTarget, field(node, Field::Right), state.scope);
        break;
      case NodeKind::WithStatement:
        if (is_async(node, file_.text())) mark_awaits(state);
        break;
      case NodeKind::AsPattern: {
        TSNode alias = field(node, Field::Alias);
        TSNode target = ts_node_is_null(alias) ? alias : ts_node_named_child(alias, 0);
        if (ts_node_is_null(target)) break;
        if (parent && parent->kind == NodeKind::WithItem)
          bind_target(target, BindingKind::WithTarget, ts_node_named_child(node, 0), state.scope);
        else
          bind_unknown_targets(target, state.scope);
        break;
      }
      case NodeKind::GlobalStatement:
        for_each_named_child(node, [&](TSNode name, const char*) {
          bind(state.scope, view(name), binding_at(BindingKind::Global, ts_node_start_byte(name)));
        });
        break;
      case NodeKind::NonlocalStatement:
        for_each_named_child(node, [&](TSNode name, const char*) {
          bind(state.scope, view(name), binding_at(BindingKind::Unknown, ts_node_start_byte(name)));
        });
        break;
      case NodeKind::Await:
        mark_awaits(state);
        break;
      case NodeKind::ReturnStatement:
        if (state.function >= 0 && ts_node_named_child_count(node) == 1)
          facts_.functions[state.function].returned.push_back(ts_node_named_child(node, 0));
        break;
      case NodeKind::Yield:
        if (state.function >= 0) facts_.functions[state.function].yields = true;
        break;
      case NodeKind::Comment:
        facts_.comments.push_back({ts_node_start_byte(node), ts_node_end_byte(node)});
        break;
      case NodeKind::Identifier:
        if (parent && (parent->kind == NodeKind::Parameters || parent->kind == NodeKind::LambdaParameters))
          bind_parameter(node, TSNode{}, state.scope);
        break;
      case NodeKind::TypedParameter:
      case NodeKind::DefaultParameter:
      case NodeKind::TypedDefaultParameter:
      case NodeKind::ListSplatPattern:
      case NodeKind::DictionarySplatPattern:
        if (parent && (parent->kind == NodeKind::Parameters || parent->kind == NodeKind::LambdaParameters))
          record_parameter(node, kind, state.scope);
        break;
      case NodeKind::String: {
        if (ts_node_start_point(node).row != ts_node_end_point(node).row)
          facts_.multiline_strings.push_back({ts_node_start_byte(node), ts_node_end_byte(node)});
        break;
      }
      default:
        break;
    }
    stack_.push_back(entry);
  }

  void mark_awaits(const WalkState& state) {
    if (state.function >= 0 && state.frame == Frame::AsyncFunction)
      facts_.functions[state.function].awaits = true;
  }

  void enter_function(TSNode node, StackEntry& entry) {
    const int index = static_cast<int>(facts_.functions.size());
    FunctionInfo fn;
    fn.node = node;
    fn.outer_node = node;
    fn.name_node = field(node, Field::Name);
    fn.name = text(fn.name_node);
    fn.is_async = is_async(node, file_.text());
    fn.defining_scope = entry.state.scope;
    if (!stack_.empty() && stack_.back().kind == NodeKind::DecoratedDefinition) {
      const TSNode decorated = stack_.back().node;
      fn.outer_node = decorated;
      for_each_named_child(decorated, [&](TSNode child, const char*) {
        if (kind_of(child) == NodeKind::Decorator && ts_node_named_child_count(child) > 0)
          fn.decorators.push_back(ts_node_named_child(child, 0));
      });
    }
    const Scope& defining = facts_.scopes[entry.state.scope];
    if (defining.kind == ScopeKind::Class) {
      fn.class_index = defining.owner;
      facts_.classes[defining.owner].methods[fn.name] = index;
    }
    fn.scope = new_scope(ScopeKind::Function, entry.state.scope, index);
    bind_definition(BindingKind::Function, node, index, entry.state.scope, view(fn.name_node));
    facts_.functions.push_back(std::move(fn));
    entry.own_scope = facts_.functions[index].scope;
    entry.own_function = index;
    parameter_count_ = 0;
    // Parameters and the return annotation only matter to code inside the function: a skipped
    // function is not walked past its name, which is most of what an incremental check walks.
    // The walk meets defs in the order of their starts, as the list has them.
    const uint32_t start = ts_node_start_byte(node);
    while (skip_functions_ && next_skip_ < skip_functions_->size() && (*skip_functions_)[next_skip_] < start)
      ++next_skip_;
    if (skip_functions_ && next_skip_ < skip_functions_->size() && (*skip_functions_)[next_skip_] == start) {
      FunctionInfo& skipped = facts_.functions[index];
      skipped.body_skipped = true;
      skipped.yields_known = false;
      if (skipped.class_index >= 0) facts_.classes[skipped.class_index].has_skipped_method = true;
      descend_ = false;
    }
  }

  void bind_definition(BindingKind kind, TSNode node, int index, int scope, std::string_view name) {
    Binding b = binding_at(kind, ts_node_start_byte(node));
    b.index = index;
    bind(scope, name, std::move(b));
  }

  void enter_class(TSNode node, StackEntry& entry) {
    const int index = static_cast<int>(facts_.classes.size());
    ClassInfo cls;
    cls.node = node;
    const TSNode name = field(node, Field::Name);
    cls.name = text(name);
    cls.defining_scope = entry.state.scope;
    TSNode bases = field(node, Field::Superclasses);
    if (!ts_node_is_null(bases))
      for_each_named_child(bases, [&](TSNode base, const char*) {
        if (kind_of(base) != NodeKind::KeywordArgument) cls.bases.push_back(base);
      });
    cls.scope = new_scope(ScopeKind::Class, entry.state.scope, index);
    bind_definition(BindingKind::Class, node, index, entry.state.scope, view(name));
    facts_.classes.push_back(std::move(cls));
    entry.own_scope = facts_.classes[index].scope;
    entry.own_class = index;
  }

  void bind_parameter(TSNode name, TSNode annotation, int scope) {
    Binding b = binding_at(BindingKind::Parameter, ts_node_start_byte(name));
    b.annotation = annotation;
    b.scope = scope;
    b.index = parameter_count_++;
    bind(scope, view(name), std::move(b));
  }

  void record_parameter(TSNode node, NodeKind kind, int scope) {
    if (kind == NodeKind::ListSplatPattern || kind == NodeKind::DictionarySplatPattern) {
      TSNode name = ts_node_named_child(node, 0);
      if (!ts_node_is_null(name))
        bind(scope, view(name), binding_at(BindingKind::Unknown, ts_node_start_byte(name)));
      ++parameter_count_;
      return;
    }
    TSNode name = kind == NodeKind::TypedParameter ? ts_node_named_child(node, 0) : field(node, Field::Name);
    if (ts_node_is_null(name) || kind_of(name) != NodeKind::Identifier) {
      if (!ts_node_is_null(name)) bind_unknown_targets(name, scope);
      ++parameter_count_;
      return;
    }
    bind_parameter(name, field(node, Field::Type), scope);
    // `def f(root=Path("/srv"))`: without an annotation, the default tells the type.
    facts_.scopes[scope].bindings[view(name)].back().value = field(node, Field::Value);
  }

  void record_import(TSNode node, NodeKind kind, int scope) {
    imported_django_ = imported_web_ = false;
    record_import_names(node, kind, scope);
    if (facts_.scopes[scope].kind != ScopeKind::Module && (imported_django_ || imported_web_))
      facts_.local_framework_imports.push_back({ts_node_start_byte(node), imported_django_, imported_web_});
  }

  void record_import_names(TSNode node, NodeKind kind, int scope) {
    std::string module;
    if (kind == NodeKind::ImportFromStatement) {
      module = text(field(node, Field::ModuleName));
      note_framework(module);
    }
    for_each_named_child(node, [&](TSNode child, const char* field_name) {
      if (!field_name || std::string_view(field_name) != "name") return;
      std::string_view name, alias;
      if (kind_of(child) == NodeKind::AliasedImport) {
        name = view(field(child, Field::Name));
        alias = view(field(child, Field::Alias));
      } else {
        name = view(child);
      }
      Binding b = binding_at(BindingKind::Import, ts_node_start_byte(node));
      if (kind == NodeKind::ImportFromStatement) {
        b.target = module.ends_with(".") ? module + std::string(name) : module + "." + std::string(name);
        bind(scope, alias.empty() ? name : alias, std::move(b));
      } else {
        note_framework(name);
        // `import a.b.c` binds `a`; `import a.b.c as d` binds d to a.b.c.
        const std::string_view bound = alias.empty() ? name.substr(0, name.find('.')) : alias;
        b.target = std::string(alias.empty() ? bound : name);
        bind(scope, bound, std::move(b));
      }
    });
  }

  void note_framework(std::string_view module) {
    const auto top = module.substr(0, module.find('.'));
    if (top == "django") facts_.imports_django = imported_django_ = true;
    if (top == "fastapi" || top == "starlette") facts_.imports_web_framework = imported_web_ = true;
  }

  // The `self` of the method whose body is being walked, if any.
  bool is_self_of_method(TSNode object, const WalkState& state, int* class_index) const {
    if (state.function < 0 || kind_of(object) != NodeKind::Identifier) return false;
    const FunctionInfo& fn = facts_.functions[state.function];
    if (fn.class_index < 0) return false;
    const auto& bindings = facts_.scopes[fn.scope].bindings;
    const auto it = bindings.find(std::string(file_.text_of(object)));
    if (it == bindings.end() || it->second.front().kind != BindingKind::Parameter ||
        it->second.front().index != 0)
      return false;
    *class_index = fn.class_index;
    return true;
  }

  void record_assignment(TSNode node, const WalkState& state) {
    TSNode left = field(node, Field::Left);
    TSNode right = field(node, Field::Right);
    TSNode annotation = field(node, Field::Type);
    // `a = b = value`: every target gets the innermost value.
    while (!ts_node_is_null(right) && kind_of(right) == NodeKind::Assignment)
      right = field(right, Field::Right);
    switch (kind_of(left)) {
      case NodeKind::Identifier: {
        Binding b = binding_at(BindingKind::Value, ts_node_start_byte(left));
        b.value = right;
        b.annotation = annotation;
        b.scope = state.scope;
        bind(state.scope, view(left), std::move(b));
        break;
      }
      case NodeKind::Attribute: {
        int class_index = -1;
        if (is_self_of_method(field(left, Field::Object), state, &class_index)) {
          Binding b = binding_at(BindingKind::Value, ts_node_start_byte(left));
          b.value = right;
          b.annotation = annotation;
          b.scope = state.scope;
          facts_.classes[class_index].instance_attributes[view(field(left, Field::Attribute))].push_back(
              std::move(b));
        }
        break;
      }
      default:
        if (!bind_elementwise(left, right, state.scope)) bind_unknown_targets(left, state.scope);
        break;
    }
  }

  // `a, b = Path(x), Path(y)`: each name gets its own value when both sides have the same shape.
  bool bind_elementwise(TSNode left, TSNode right, int scope) {
    const NodeKind right_kind = ts_node_is_null(right) ? NodeKind::Other : kind_of(right);
    if (kind_of(left) != NodeKind::PatternList ||
        (right_kind != NodeKind::Tuple && right_kind != NodeKind::List))
      return false;
    std::vector<TSNode> targets, values;
    for_each_named_child(left, [&](TSNode n, const char*) { targets.push_back(n); });
    for_each_named_child(right, [&](TSNode n, const char*) { values.push_back(n); });
    if (targets.size() != values.size()) return false;
    for (size_t i = 0; i < targets.size(); ++i) {
      if (kind_of(targets[i]) != NodeKind::Identifier) {
        bind_unknown_targets(targets[i], scope);
        continue;
      }
      Binding b = binding_at(BindingKind::Value, ts_node_start_byte(targets[i]));
      b.value = values[i];
      b.scope = scope;
      bind(scope, view(targets[i]), std::move(b));
    }
    return true;
  }

  void record_call(TSNode node, const WalkState& state) {
    CallSite call;
    call.node = node;
    call.scope = state.scope;
    call.frame = state.frame;
    call.function = state.function;
    call.in_generator = state.in_generator;
    // Walk up past parentheses using the walk's own stack (ts_node_parent is slow on large files).
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      if (it == stack_.rbegin()) call.parent = it->node;
      if (it->kind == NodeKind::ParenthesizedExpression) continue;
      call.awaited = it->kind == NodeKind::Await;
      call.statement = it->kind == NodeKind::ExpressionStatement && ts_node_named_child_count(it->node) == 1;
      if (it->kind == NodeKind::Assignment && std::next(it) != stack_.rend() &&
          std::next(it)->kind == NodeKind::ExpressionStatement) {
        TSNode left = field(it->node, Field::Left);
        if (kind_of(left) == NodeKind::Identifier &&
            ts_node_start_byte(field(it->node, Field::Right)) <= ts_node_start_byte(node))
          call.assigned_to = left;
      }
      break;
    }
    if (state.function >= 0)
      facts_.functions[state.function].call_sites.push_back(static_cast<int>(facts_.calls.size()));
    facts_.calls.push_back(call);
  }

  const SourceFile& file_;
  const std::vector<uint32_t>* skip_functions_;
  FileFacts facts_;
  std::vector<StackEntry> stack_;
  int parameter_count_ = 0;
  size_t next_skip_ = 0;  // in skip_functions_: the first not before the def being entered
  bool descend_ = true;
  bool imported_django_ = false,
       imported_web_ = false;  // by the import statement being recorded  // false: the node just entered is
                               // walked without its children
};

}  // namespace

FileFacts collect_facts(const SourceFile& file, const std::vector<uint32_t>* skip_functions) {
  return FactCollector(file, skip_functions).run();
}

}  // namespace loopsafe
