#pragma once
// Thin helpers over tree-sitter's C API for the Python grammar. Node kinds are looked up once per
// language into a table indexed by symbol, so the hot walk compares integers, not strings.
#include <tree_sitter/api.h>

#include <cstdint>
#include <string_view>
#include <type_traits>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace loopsafe {

enum class NodeKind : uint8_t {
  Other,
  Module,
  Identifier,
  Attribute,
  Call,
  ArgumentList,
  KeywordArgument,
  Await,
  FunctionDefinition,
  ClassDefinition,
  DecoratedDefinition,
  Decorator,
  Lambda,
  LambdaParameters,
  Parameters,
  TypedParameter,
  DefaultParameter,
  TypedDefaultParameter,
  ListSplatPattern,
  DictionarySplatPattern,
  ImportStatement,
  ImportFromStatement,
  FutureImportStatement,
  AliasedImport,
  DottedName,
  RelativeImport,
  WildcardImport,
  Assignment,
  AugmentedAssignment,
  NamedExpression,
  ExpressionStatement,
  ForStatement,
  ForInClause,
  WithStatement,
  WithItem,
  AsPattern,
  AsPatternTarget,
  GlobalStatement,
  NonlocalStatement,
  Yield,
  Comment,
  String,
  ParenthesizedExpression,
  BinaryOperator,
  BooleanOperator,
  ConditionalExpression,
  Subscript,
  Type,
  GenericType,
  TypeParameter,
  ListComprehension,
  SetComprehension,
  DictionaryComprehension,
  GeneratorExpression,
  Block,
  ReturnStatement,
  ExceptClause,
  Tuple,
  PatternList,
  List,
  ListSplat,
  DictionarySplat,
  Keyword,  // anonymous "async" token
  None,
  Count
};

NodeKind kind_of(TSNode node);

// The grammar's fields loopsafe reads. Looked up once: by name, tree-sitter compares strings with every
// field's name on each call, and the walk asks for fields of every def.
enum class Field : uint8_t {
  Alias,
  Arguments,
  Attribute,
  Body,
  Definition,
  Function,
  Left,
  Mode,
  ModuleName,
  Name,
  Object,
  Objects,
  Operator,
  Parameters,
  ReturnType,
  Right,
  Superclasses,
  Type,
  Value,
  Count
};

std::string_view node_text(TSNode node, std::string_view source);
TSFieldId field_id(Field f);
TSNode field(TSNode node, Field f);
// A def, `for`, `with` or comprehension `for` that starts with the `async` keyword (read from the
// source: quicker than its first child, and asked of every def).
bool is_async(TSNode def_or_statement, std::string_view source);
// The expression inside any number of parentheses.
TSNode unparenthesize(TSNode node);
// Parent, skipping parentheses.
TSNode logical_parent(TSNode node);

// Visits the named children of `node` with a cursor (tree-sitter's ts_node_child is linear in the
// index, so indexing every child of a large block would be quadratic). When f returns a bool, stops
// at the first false; returns false when it stopped.
template <typename F>
bool for_each_named_child(TSNode node, F&& f) {
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  bool more = ts_tree_cursor_goto_first_child(&cursor);
  for (; more; more = ts_tree_cursor_goto_next_sibling(&cursor)) {
    const TSNode child = ts_tree_cursor_current_node(&cursor);
    if (!ts_node_is_named(child)) continue;
    if constexpr (std::is_same_v<std::invoke_result_t<F&, TSNode, const char*>, bool>) {
      if (!f(child, ts_tree_cursor_current_field_name(&cursor))) break;
    } else {
      f(child, ts_tree_cursor_current_field_name(&cursor));
    }
  }
  ts_tree_cursor_delete(&cursor);
  return !more;
}

}  // namespace loopsafe
