#pragma once
// What one walk over a file's tree learns: scopes and the names they bind, functions, classes, call
// sites and comments. Nothing here is resolved yet; resolve.h turns names into qualified names and types.
#include <tree_sitter/api.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/source_file.h"

namespace loopsafe {

enum class BindingKind {
  Import,      // `import a.b as c`, `from a import b`: target holds the qualified name
  Function,    // `def`: index into FileFacts::functions
  Class,       // `class`: index into FileFacts::classes
  Value,       // `x = expr`, `x: T = expr`, walrus: value (and annotation) nodes
  Parameter,   // annotation node, if any; `self`/`cls` get implicit types
  ForTarget,   // `for x in expr`: value is the iterable
  WithTarget,  // `with expr as x`: value is the context manager
  Global,      // `global x`: look the name up in the module scope
  Unknown,     // anything else that rebinds the name (unpacking, except-as, del, ...)
};

struct Binding {
  BindingKind kind = BindingKind::Unknown;
  uint32_t offset = 0;  // where the binding happens, to pick the one in effect
  std::string target;   // Import: qualified name
  int index = -1;       // Function/Class index; Parameter: position in the parameter list
  TSNode value{};       // Value/ForTarget/WithTarget: the expression
  TSNode annotation{};  // Value/Parameter: the annotation, if any
  int scope = -1;       // scope in which `value`/`annotation` are evaluated
};

enum class ScopeKind { Module, Function, Lambda, Class, Comprehension };

struct Scope {
  ScopeKind kind = ScopeKind::Module;
  int parent = -1;
  int owner = -1;  // Function: function index; Class: class index
  std::unordered_map<std::string_view, std::vector<Binding>> bindings;  // names are views of the source
};

struct FunctionInfo {
  std::string name;
  TSNode node{};  // function_definition
  TSNode name_node{};
  TSNode outer_node{};  // decorated_definition when decorated, else node
  bool is_async = false;
  bool awaits = false;  // await / async for / async with in its own body
  bool yields = false;
  int scope = -1;                  // the function's own scope
  int defining_scope = -1;         // where its name is bound
  int class_index = -1;            // enclosing class when this is a method
  std::vector<TSNode> decorators;  // the decorator expressions
  std::vector<int> call_sites;     // calls made in its own body
  std::vector<TSNode> returned;    // the expressions of its `return` statements
  // Its parameters, return annotation and body were not walked (an unchanged function in an
  // incremental check): call_sites, returned, awaits, yields and every binding of its scope are
  // missing, and must not be relied on.
  bool body_skipped = false;
  bool yields_known = true;  // false while a skipped body's `yields` is not restored from elsewhere
};

struct ClassInfo {
  std::string name;
  TSNode node{};
  int scope = -1;
  int defining_scope = -1;
  std::vector<TSNode> bases;
  std::unordered_map<std::string, int> methods;  // name -> function index
  // `self.x = value` in any method: value nodes with the method scope they are evaluated in.
  std::unordered_map<std::string_view, std::vector<Binding>> instance_attributes;
  bool has_skipped_method = false;  // instance_attributes may miss some
  // When known (an incremental check fills it in from the previous version): the names the skipped
  // methods assign as `self.name`, the only ones instance_attributes may miss.
  std::optional<std::vector<std::string_view>> skipped_attributes;
};

// Where a call runs: what would be blocked if it blocks.
enum class Frame { Module, AsyncFunction, SyncFunction, Lambda, ClassBody };

struct CallSite {
  TSNode node{};    // the call
  TSNode parent{};  // first ancestor that is not a parenthesized expression
  int scope = -1;   // scope for name lookup
  Frame frame = Frame::Module;
  int function = -1;  // innermost enclosing def whose body runs it (-1 at module level or in a lambda)
  bool awaited = false;
  bool statement = false;     // the whole expression statement is this call: its value is dropped
  bool in_generator = false;  // inside a generator expression: `await` there would change its meaning
  TSNode assigned_to{};       // `name = call(...)` as a statement: the name
};

struct Comment {
  uint32_t start = 0;
  uint32_t end = 0;
};

struct FileFacts {
  std::vector<Scope> scopes;  // scopes[0] is the module
  std::vector<FunctionInfo> functions;
  std::vector<ClassInfo> classes;
  std::vector<CallSite> calls;
  std::vector<Comment> comments;           // in source order
  std::vector<Comment> multiline_strings;  // byte ranges of strings spanning lines, in source order
  uint32_t header_end = 0;                 // end of the leading comments (for `# loopsafe: skip-file`)
  bool imports_django = false;
  bool imports_web_framework = false;  // fastapi / starlette
  // Framework imports inside functions (which also set the flags above), by offset: an incremental
  // check learns from them what a skipped function body contributed.
  struct LocalImport {
    uint32_t offset = 0;
    bool django = false;
    bool web_framework = false;
  };
  std::vector<LocalImport> local_framework_imports;
};

// `skip_functions`: start offsets of the `def`s (after any decorators) whose parameters, return
// annotation and body are not to be walked (sorted), for incremental checks.
FileFacts collect_facts(const SourceFile& file, const std::vector<uint32_t>* skip_functions = nullptr);

}  // namespace loopsafe
