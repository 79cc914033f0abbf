// Linking again after changes: the index keeps what each module's calls resolved to while nothing they
// were resolved through changed, so each kind of change must still reach a chain of sync helpers
// through other modules.
#include "analysis/project/project_index.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace loopsafe::project {
namespace {

void put(ProjectIndex& index, const std::string& path, const std::string& text) {
  const SourceFile file(text);
  index.set(path, path, check_file_for_project(file, {}, path).summary);
}

bool handler_blocks(ProjectIndex& index) {
  index.link();
  for (const Finding& f : index.findings("app/handlers.py", {}, "app/handlers.py"))
    if (f.code == "LS200") return true;
  return false;
}

}  // namespace

TEST_CASE("each kind of change reaches a chain of helpers in other modules when linking again") {
  ProjectIndex index;
  put(index, "app/__init__.py", "");
  put(index, "app/handlers.py", "from app.utils import wrapper\n\n\nasync def handler():\n    wrapper()\n");
  put(index, "app/utils.py", "from app import slow\n\n\ndef wrapper():\n    return slow.helper()\n");
  put(index, "app/slow.py", "def other():\n    return 1\n");
  CHECK_FALSE(handler_blocks(index));

  // A function appears in the module the chain goes through.
  put(index, "app/slow.py",
      "import time\n\ndef other():\n    return 1\n\ndef helper():\n    time.sleep(1)\n");
  CHECK(handler_blocks(index));

  // Its body stops blocking, then blocks again: names and classes stay the same.
  put(index, "app/slow.py", "def other():\n    return 1\n\ndef helper():\n    return 2\n");
  CHECK_FALSE(handler_blocks(index));
  put(index, "app/slow.py",
      "import os\n\ndef other():\n    return 1\n\ndef helper():\n    os.system('true')\n");
  CHECK(handler_blocks(index));

  // It moves to a new module and is re-exported; that module goes away.
  put(index, "app/slow.py", "from app.deep import helper\n");
  put(index, "app/deep.py", "import subprocess\n\ndef helper():\n    subprocess.run(['true'])\n");
  CHECK(handler_blocks(index));
  index.remove("app/deep.py");
  CHECK_FALSE(handler_blocks(index));

  // A class's method is what blocks, through `Class().method()`.
  put(index, "app/slow.py",
      "import time\n\nclass Slow:\n    def run(self):\n        return 1\n\ndef helper():\n    "
      "Slow().run()\n");
  CHECK_FALSE(handler_blocks(index));
  put(index, "app/slow.py",
      "import time\n\nclass Slow:\n    def run(self):\n        time.sleep(1)\n\ndef helper():\n    "
      "Slow().run()\n");
  CHECK(handler_blocks(index));
}

}  // namespace loopsafe::project
