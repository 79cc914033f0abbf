#include "analysis/finding.h"

namespace loopsafe {

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Info:
      return "info";
    case Severity::Hint:
      return "hint";
  }
  return "warning";
}

}  // namespace loopsafe
