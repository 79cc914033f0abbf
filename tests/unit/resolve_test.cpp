#include "analysis/resolve.h"

#include <doctest/doctest.h>

#include <string>

#include "analysis/facts.h"
#include "analysis/syntax.h"

using namespace loopsafe;

namespace {

// Resolves the callee of the call that starts at `marker` in `source`.
Value callee_at(const std::string& source, const std::string& marker) {
  SourceFile file(source);
  const FileFacts facts = collect_facts(file);
  const Resolver resolver(file, facts);
  const auto offset = static_cast<uint32_t>(source.find(marker));
  REQUIRE(offset != std::string::npos);
  for (const CallSite& call : facts.calls)
    if (ts_node_start_byte(call.node) == offset) return resolver.callee(call.node, call.scope);
  FAIL("no call at marker " << marker);
  return {};
}

}  // namespace

TEST_CASE("imports and aliases resolve to qualified names") {
  CHECK(callee_at("import time as t\nasync def f():\n    t.sleep(1)\n", "t.sleep").name == "time.sleep");
  CHECK(callee_at("from time import sleep as nap\nasync def f():\n    nap(1)\n", "nap(").name ==
        "time.sleep");
  CHECK(callee_at("import os.path\nasync def f():\n    os.path.exists(p)\n", "os.path.exists(").name ==
        "os.path.exists");
  CHECK(callee_at("async def f():\n    import requests\n    requests.get(u)\n", "requests.get").name ==
        "requests.get");
}

TEST_CASE("local definitions shadow imports") {
  const Value local_def =
      callee_at("from time import sleep\ndef sleep(x): pass\nasync def f():\n    sleep(1)\n", "sleep(1)");
  CHECK(local_def.is(Value::Kind::LocalFunction));
  const Value parameter =
      callee_at("import requests\nasync def f(requests):\n    requests.get(u)\n", "requests.get");
  CHECK(parameter.is(Value::Kind::Unknown));
  const Value assigned =
      callee_at("import time\nasync def f():\n    time = Clock()\n    time.sleep(1)\n", "time.sleep");
  CHECK(assigned.name != "time.sleep");
}

TEST_CASE("receivers are typed from constructors, annotations, with-statements and loops") {
  CHECK(callee_at("import requests\ns = requests.Session()\nasync def f():\n    s.get(u)\n", "s.get").name ==
        "requests.Session.get");
  CHECK(callee_at("from sqlalchemy.orm import Session\nasync def f(db: Session):\n    db.query(X)\n",
                  "db.query")
            .name == "sqlalchemy.orm.Session.query");
  CHECK(callee_at("from typing import Optional\nimport httpx\nasync def f(c: Optional[httpx.Client]):\n    "
                  "c.get(u)\n",
                  "c.get")
            .name == "httpx.Client.get");
  CHECK(callee_at("async def f(p):\n    with open(p) as fh:\n        fh.read()\n", "fh.read").name ==
        "io.File.read");
  CHECK(callee_at("from pathlib import Path\nBASE = Path('x')\nasync def f():\n    for p in BASE.iterdir():\n"
                  "        p.read_text()\n",
                  "p.read_text")
            .name == "pathlib.Path.read_text");
  CHECK(callee_at("from pathlib import Path\nasync def f(base: Path):\n    (base / 'a').touch()\n", "(base /")
            .name == "pathlib.Path.touch");
}

TEST_CASE("self attributes assigned in __init__ carry their type into other methods") {
  const std::string source =
      "import httpx\nclass Api:\n    def __init__(self):\n        self.client = httpx.Client()\n"
      "    async def fetch(self):\n        return self.client.get(u)\n";
  CHECK(callee_at(source, "self.client.get").name == "httpx.Client.get");
}

TEST_CASE("a dict is never a cache client") {
  const Value v = callee_at("cache = {}\nasync def f():\n    cache.get('k')\n", "cache.get");
  CHECK_FALSE(v.is(Value::Kind::Method));
}

TEST_CASE("self-referential assignments terminate") {
  const Value v = callee_at("async def f(x):\n    x = x.parent\n    y = x or y\n    x.go()\n", "x.go");
  CHECK(v.is(Value::Kind::Unknown));
}
