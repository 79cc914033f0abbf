#include <doctest/doctest.h>

#include "analysis/checker.h"

using namespace loopsafe;

namespace {

// Applies the preferred fix of every finding (unsafe ones too), like `--fix --unsafe-fixes` in one pass.
std::string fix_all(const std::string& source, const Settings& settings = {}) {
  SourceFile file(source);
  const CheckResult result = check_file(file, settings, "x.py");
  std::vector<const Fix*> fixes;
  for (const Finding& f : result.findings)
    if (!f.fixes.empty() && !f.fixes.front().suppression) fixes.push_back(&f.fixes.front());
  std::string text = source;
  apply_fixes(text, fixes);
  return text;
}

}  // namespace

TEST_CASE("sleep becomes asyncio.sleep and asyncio is imported once") {
  CHECK(fix_all("import time\n\nasync def f():\n    time.sleep(1)\n    time.sleep(2)\n") ==
        "import time\nimport asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n    await "
        "asyncio.sleep(2)\n");
}

TEST_CASE("an existing alias of asyncio is reused") {
  CHECK(fix_all("import asyncio as aio\nfrom time import sleep\n\nasync def f():\n    sleep(1)\n") ==
        "import asyncio as aio\nfrom time import sleep\n\nasync def f():\n    await aio.sleep(1)\n");
}

TEST_CASE("a call inside a larger expression is parenthesised") {
  CHECK(fix_all("import asyncio\nimport requests\n\nasync def f(u):\n    return requests.get(u, "
                "timeout=3).json()\n") ==
        "import asyncio\nimport requests\n\nasync def f(u):\n"
        "    return (await asyncio.to_thread(requests.get, u, timeout=3)).json()\n");
}

TEST_CASE("CRLF files get CRLF imports") {
  CHECK(fix_all("import time\r\n\r\nasync def f():\r\n    time.sleep(1)\r\n") ==
        "import time\r\nimport asyncio\r\n\r\nasync def f():\r\n    await asyncio.sleep(1)\r\n");
}

TEST_CASE("the import goes after a statement continued by a backslash, not into it") {
  // Found by the analysis fuzzer: the continued line is part of `import requests`.
  CHECK(fix_all("import time\nimport requests\\\n\n\nasync def f():\n    time.sleep(1)\n") ==
        "import time\nimport requests\\\n\nimport asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n");
  CHECK(
      fix_all("import time\nimport requests  # c:\\\n\nasync def f():\n    time.sleep(1)\n") ==
      "import time\nimport requests  # c:\\\nimport asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n");
}

TEST_CASE("Python 3.8 projects get run_in_executor with functools.partial") {
  Settings settings;
  settings.min_python = PythonVersion{3, 8};
  CHECK(fix_all("import asyncio\nimport requests\n\nasync def f(u):\n    requests.get(u, timeout=3)\n",
                settings) ==
        "import asyncio\nimport requests\nimport functools\n\nasync def f(u):\n"
        "    await asyncio.get_running_loop().run_in_executor(None, functools.partial(requests.get, u, "
        "timeout=3))\n");
}

TEST_CASE("overlapping fixes: the first one wins, the rest wait for the next pass") {
  std::string text = "abcdef";
  const Fix a{"a", Applicability::Safe, {TextEdit{1, 3, "X"}}};
  const Fix b{"b", Applicability::Safe, {TextEdit{2, 4, "Y"}}};
  const Fix c{"c", Applicability::Safe, {TextEdit{5, 5, "Z"}}};
  CHECK(apply_fixes(text, {&a, &b, &c}) == 2);
  CHECK(text == "aXdeZf");
}

TEST_CASE("noqa merges into an existing noqa comment") {
  SourceFile file("import time\nasync def f():\n    time.sleep(1)  # noqa: ASYNC210\n");
  const CheckResult result = check_file(file, Settings{}, "x.py");
  REQUIRE(result.findings.size() == 1);
  std::string text(file.text());
  const auto edits = add_noqa_edits(file, result.findings, Settings{});
  const Fix all{"noqa", Applicability::Safe, edits};
  apply_fixes(text, {&all});
  CHECK(text == "import time\nasync def f():\n    time.sleep(1)  # noqa: ASYNC210, ASYNC251\n");
}
