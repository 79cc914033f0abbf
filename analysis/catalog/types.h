#pragma once
// What calls and attributes of well-known libraries evaluate to, so receivers can be typed:
// `requests.Session()` is a `requests.Session`, `Path(x).parent` a `pathlib.Path`, `p.iterdir()` an
// iterator of paths. Types are canonical names; aliases (`pathlib.PosixPath`) map onto them.
#include <string>
#include <string_view>

namespace loopsafe {

// The type an object gets from calling `qualified` (a class or factory), or from an annotation naming it.
const std::string* type_from_call(std::string_view qualified);
// The type `type.method(...)` returns.
const std::string* type_from_method(std::string_view type, std::string_view method);
// The type of `type.attribute` (or `type[...]` with attribute "[]").
const std::string* type_from_attribute(std::string_view type, std::string_view attribute);
// What `with <type> as x` binds x to, when `__enter__` does not return the object itself.
const std::string* type_entered(std::string_view type);

// "Iterator[T]" -> "T"; empty when `type` is not an iterator type.
std::string element_type(std::string_view type);

}  // namespace loopsafe
