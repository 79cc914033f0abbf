#include "analysis/syntax.h"

#include <array>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

namespace loopsafe {
namespace {

const std::unordered_map<std::string_view, NodeKind>& kinds_by_name() {
  static const std::unordered_map<std::string_view, NodeKind> map = {
      {"module", NodeKind::Module},
      {"identifier", NodeKind::Identifier},
      {"attribute", NodeKind::Attribute},
      {"call", NodeKind::Call},
      {"argument_list", NodeKind::ArgumentList},
      {"keyword_argument", NodeKind::KeywordArgument},
      {"await", NodeKind::Await},
      {"function_definition", NodeKind::FunctionDefinition},
      {"class_definition", NodeKind::ClassDefinition},
      {"decorated_definition", NodeKind::DecoratedDefinition},
      {"decorator", NodeKind::Decorator},
      {"lambda", NodeKind::Lambda},
      {"lambda_parameters", NodeKind::LambdaParameters},
      {"parameters", NodeKind::Parameters},
      {"typed_parameter", NodeKind::TypedParameter},
      {"default_parameter", NodeKind::DefaultParameter},
      {"typed_default_parameter", NodeKind::TypedDefaultParameter},
      {"list_splat_pattern", NodeKind::ListSplatPattern},
      {"dictionary_splat_pattern", NodeKind::DictionarySplatPattern},
      {"import_statement", NodeKind::ImportStatement},
      {"import_from_statement", NodeKind::ImportFromStatement},
      {"future_import_statement", NodeKind::FutureImportStatement},
      {"aliased_import", NodeKind::AliasedImport},
      {"dotted_name", NodeKind::DottedName},
      {"relative_import", NodeKind::RelativeImport},
      {"wildcard_import", NodeKind::WildcardImport},
      {"assignment", NodeKind::Assignment},
      {"augmented_assignment", NodeKind::AugmentedAssignment},
      {"named_expression", NodeKind::NamedExpression},
      {"expression_statement", NodeKind::ExpressionStatement},
      {"for_statement", NodeKind::ForStatement},
      {"for_in_clause", NodeKind::ForInClause},
      {"with_statement", NodeKind::WithStatement},
      {"with_item", NodeKind::WithItem},
      {"as_pattern", NodeKind::AsPattern},
      {"as_pattern_target", NodeKind::AsPatternTarget},
      {"global_statement", NodeKind::GlobalStatement},
      {"nonlocal_statement", NodeKind::NonlocalStatement},
      {"yield", NodeKind::Yield},
      {"comment", NodeKind::Comment},
      {"string", NodeKind::String},
      {"concatenated_string", NodeKind::String},
      {"parenthesized_expression", NodeKind::ParenthesizedExpression},
      {"binary_operator", NodeKind::BinaryOperator},
      {"boolean_operator", NodeKind::BooleanOperator},
      {"conditional_expression", NodeKind::ConditionalExpression},
      {"subscript", NodeKind::Subscript},
      {"type", NodeKind::Type},
      {"generic_type", NodeKind::GenericType},
      {"type_parameter", NodeKind::TypeParameter},
      {"list_comprehension", NodeKind::ListComprehension},
      {"set_comprehension", NodeKind::SetComprehension},
      {"dictionary_comprehension", NodeKind::DictionaryComprehension},
      {"generator_expression", NodeKind::GeneratorExpression},
      {"block", NodeKind::Block},
      {"return_statement", NodeKind::ReturnStatement},
      {"except_clause", NodeKind::ExceptClause},
      {"tuple", NodeKind::Tuple},
      {"pattern_list", NodeKind::PatternList},
      {"tuple_pattern", NodeKind::PatternList},
      {"list_pattern", NodeKind::PatternList},
      {"list", NodeKind::List},
      {"expression_list", NodeKind::Tuple},
      {"list_splat", NodeKind::ListSplat},
      {"dictionary_splat", NodeKind::DictionarySplat},
      {"none", NodeKind::None},
  };
  return map;
}

std::vector<NodeKind> build_table() {
  const TSLanguage* lang = tree_sitter_python();
  const uint32_t count = ts_language_symbol_count(lang);
  std::vector<NodeKind> table(count, NodeKind::Other);
  for (uint32_t symbol = 0; symbol < count; ++symbol) {
    const char* name = ts_language_symbol_name(lang, static_cast<TSSymbol>(symbol));
    const bool named = ts_language_symbol_type(lang, static_cast<TSSymbol>(symbol)) == TSSymbolTypeRegular;
    if (!name) continue;
    if (!named) {
      if (std::strcmp(name, "async") == 0) table[symbol] = NodeKind::Keyword;
      continue;
    }
    const auto it = kinds_by_name().find(name);
    if (it != kinds_by_name().end()) table[symbol] = it->second;
  }
  return table;
}

}  // namespace

NodeKind kind_of(TSNode node) {
  static const std::vector<NodeKind> table = build_table();
  const TSSymbol symbol = ts_node_symbol(node);
  return symbol < table.size() ? table[symbol] : NodeKind::Other;
}

std::string_view node_text(TSNode node, std::string_view source) {
  const uint32_t start = ts_node_start_byte(node);
  const uint32_t end = ts_node_end_byte(node);
  if (start >= source.size() || end < start) return {};
  return source.substr(start, std::min<size_t>(end, source.size()) - start);
}

TSFieldId field_id(Field f) {
  static const std::array<TSFieldId, static_cast<size_t>(Field::Count)> ids = [] {
    constexpr std::array<std::string_view, static_cast<size_t>(Field::Count)> names{
        "alias",       "arguments",   "attribute",    "body",   "definition", "function", "left",
        "mode",        "module_name", "name",         "object", "objects",    "operator", "parameters",
        "return_type", "right",       "superclasses", "type",   "value"};
    std::array<TSFieldId, static_cast<size_t>(Field::Count)> table{};
    for (size_t i = 0; i < names.size(); ++i)
      table[i] = ts_language_field_id_for_name(tree_sitter_python(), names[i].data(),
                                               static_cast<uint32_t>(names[i].size()));
    return table;
  }();
  return ids[static_cast<size_t>(f)];
}

TSNode field(TSNode node, Field f) {
  return ts_node_child_by_field_id(node, field_id(f));
}

bool is_async(TSNode node, std::string_view source) {
  return source.substr(ts_node_start_byte(node), 5) == "async";
}

TSNode unparenthesize(TSNode node) {
  while (!ts_node_is_null(node) && kind_of(node) == NodeKind::ParenthesizedExpression &&
         ts_node_named_child_count(node) == 1)
    node = ts_node_named_child(node, 0);
  return node;
}

TSNode logical_parent(TSNode node) {
  TSNode parent = ts_node_parent(node);
  while (!ts_node_is_null(parent) && kind_of(parent) == NodeKind::ParenthesizedExpression)
    parent = ts_node_parent(parent);
  return parent;
}

}  // namespace loopsafe
