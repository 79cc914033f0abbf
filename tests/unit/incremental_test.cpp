#include "analysis/incremental.h"

#include <doctest/doctest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "analysis/syntax_pieces.h"

using namespace loopsafe;

namespace {

const char* const kModule = R"(import time
import requests
from pathlib import Path

BASE = Path("/srv")


def make_session():
    return requests.Session()


def data_dir():
    return BASE / "data"


class Repository:
    def __init__(self):
        self.session = requests.Session()
        self.root = BASE

    async def fetch(self, key):
        self.session.get("https://example.com/" + key)
        return key

    async def load(self):
        return self.root.read_text()


async def handler(request):
    time.sleep(1)
    s = make_session()
    s.get("https://example.com")
    data_dir().read_text()


async def worker(queue):
    while True:
        job = await queue.get()
        requests.post("https://example.com/jobs", json=job)


async def ticker():
    time.sleep(0.5)  # noqa: ASYNC251
    await run()


async def run():
    pass
)";

// One edit, as the server records it, and the text after it.
struct Edited {
  std::string text;
  SourceEdit edit;
};

Edited replace(const std::string& text, uint32_t start, uint32_t end, const std::string& with) {
  Edited e{text, {start, end, start + static_cast<uint32_t>(with.size())}};
  e.text.replace(start, end - start, with);
  return e;
}

// Replaces the first `from` (after `after`, when given) by `to`.
Edited replace_text(const std::string& text, const std::string& from, const std::string& to,
                    const std::string& after = "") {
  const size_t anchor = after.empty() ? 0 : text.find(after);
  REQUIRE(anchor != std::string::npos);
  const size_t at = text.find(from, anchor);
  REQUIRE(at != std::string::npos);
  return replace(text, static_cast<uint32_t>(at), static_cast<uint32_t>(at + from.size()), to);
}

void require_same(const IncrementalCheck& check, const CheckResult& whole) {
  REQUIRE(check.result.skipped == whole.skipped);
  REQUIRE(check.result.findings.size() == whole.findings.size());
  for (size_t i = 0; i < whole.findings.size(); ++i) {
    INFO("finding " << i << ": " << whole.findings[i].code << " at " << whole.findings[i].start << ": "
                    << whole.findings[i].message);
    CHECK(check.result.findings[i] == whole.findings[i]);
  }
}

// Checks `next` incrementally from `before` (checked whole) and compares with a whole check.
IncrementalCheck check_after(const std::string& before, const std::vector<SourceEdit>& edits,
                             const std::string& next, const Settings& settings = {}) {
  const SourceFile old_file(before);
  const IncrementalCheck first = check_file_incremental(old_file, settings, "x.py", nullptr);
  const PreviousCheck previous{old_file.text(), *first.state, first.result.findings, edits};
  const SourceFile new_file(next);
  IncrementalCheck again = check_file_incremental(new_file, settings, "x.py", &previous);
  require_same(again, check_file(new_file, settings, "x.py"));
  return again;
}

IncrementalCheck check_after(const std::string& before, const Edited& e, const Settings& settings = {}) {
  return check_after(before, {e.edit}, e.text, settings);
}

// The findings of a whole check of `text` with `code`, for saying what an edit changed.
size_t count(const std::string& text, const std::string& code) {
  size_t n = 0;
  for (const Finding& f : check_file(SourceFile(text), {}, "x.py").findings) n += f.code == code ? 1 : 0;
  return n;
}

size_t count_all(const std::string& text) {
  return check_file(SourceFile(text), {}, "x.py").findings.size();
}

}  // namespace

TEST_CASE("typing in one function body reuses the other functions' findings, moved") {
  const std::string text = kModule;
  const auto at = static_cast<uint32_t>(text.find("/jobs") + 1);
  const Edited e = replace(text, at, at + 4, "queue_jobs");
  const IncrementalCheck check = check_after(text, {e.edit}, e.text);
  CHECK(check.reused);
  CHECK(check.walked == 1);
  CHECK(check.result.findings.size() >= 6);
}

TEST_CASE("a new blocking call in a body is found without checking the whole file") {
  const std::string text = kModule;
  const auto at = static_cast<uint32_t>(text.find("        requests.post"));
  const Edited e = replace(text, at, at, "        time.sleep(3)\n");
  const IncrementalCheck check = check_after(text, {e.edit}, e.text);
  CHECK(check.reused);
}

TEST_CASE("a body that needs another function's body to resolve its calls walks that one too") {
  // `s = make_session(); s.get(...)`: what make_session returns is in a body that was not walked.
  const std::string text = kModule;
  const auto at = static_cast<uint32_t>(text.find("time.sleep(1)") + 11);
  const Edited e = replace(text, at, at + 1, "2");
  const IncrementalCheck check = check_after(text, {e.edit}, e.text);
  CHECK(check.reused);
  CHECK(check.walked == 3);  // handler, make_session, data_dir
}

TEST_CASE("an instance attribute is read from the bodies of the methods that assign it, and only then") {
  const std::string text =
      "class Api:\n    def __init__(self):\n        self.x = 1\n\n    async def m(self):\n"
      "        pass\n\nasync def h(api: Api):\n    api.missing.get()\n\nasync def g(api: Api):\n"
      "    api.x.get()\n";
  // `api.missing` is no method of Api, and no method assigns it (the previous version says which
  // names each one assigns): typing `api.mi`, `api.mis`, ... walks nothing else.
  const IncrementalCheck missing = check_after(text, replace_text(text, "get()", "get(1)"));
  CHECK(missing.reused);
  CHECK(missing.walked == 1);
  const IncrementalCheck typed = check_after(text, replace_text(text, "api.missing", "api.missin"));
  CHECK(typed.reused);
  CHECK(typed.walked == 1);
  // `api.x` is assigned in `__init__`: what it holds is read there, so Api's methods are walked.
  const IncrementalCheck assigned = check_after(text, replace_text(text, "api.x.get()", "api.x.get(1)"));
  CHECK(assigned.reused);
  CHECK(assigned.walked == 3);
}

TEST_CASE("a changed return value walks the callers again") {
  const std::string text = kModule;
  const Edited e = replace_text(text, "return requests.Session()", "return object()");
  REQUIRE(count(text, "ASYNC210") > count(e.text, "ASYNC210"));
  const IncrementalCheck check = check_after(text, e);
  CHECK(check.reused);
  CHECK(check.walked < check.units);
}

TEST_CASE("a broken function's callers are walked again after an edit elsewhere (found by fuzzing)") {
  // Before the edit, `requests.Session~()` is a call with an ERROR inside; once `    while` in `worker`
  // becomes a NUL byte, the incremental reparse reads the same text as `return requests.Session` and a
  // stray `~()`, so make_session returns the class, not a session, and handler's `s.get` is no longer
  // ASYNC210. The fuzzer's document: the `import` broken by invalid bytes is part of what it takes.
  const std::string text =
      "import time\nimpo" + std::string(28, '\xd3') + std::string(20, '\xff') + std::string(28, '\xd3') +
      "rt requests\n\n\ndef make_session():\n    return requests.Session~()\n\n\n"
      "async def handler(request):\n    time.sleep(1)\n    s = make_session()\n"
      "    s.get(\"https://example.com\")\n\n\nasync def worker(queue):\n    while Tru\x01\x08\x01\"";
  const auto old_file = SourceFile::parse_within(text, {}, {}, 64);
  const IncrementalCheck first = check_file_incremental(*old_file, {}, "x.py", nullptr);
  REQUIRE(count(text, "ASYNC210") == 1);
  // As the server parses (in 64-byte pieces, joined into one here by the errors at their seams), the
  // next version from the old tree, edited.
  const Edited e = replace_text(text, "    while", std::string(1, '\0'), "def worker");
  SyntaxPieces pieces = copy_pieces(old_file->pieces());
  const LineIndex before(text), after(e.text);
  const TSInputEdit edit{e.edit.start,
                         e.edit.old_end,
                         e.edit.new_end,
                         tree_sitter_point(before, e.edit.start),
                         tree_sitter_point(before, e.edit.old_end),
                         tree_sitter_point(after, e.edit.new_end)};
  edit_pieces(pieces, edit, e.text);
  const auto new_file = SourceFile::parse_within(e.text, std::move(pieces), {}, 64);
  const std::vector<SourceEdit> edits{e.edit};
  const PreviousCheck previous{old_file->text(), *first.state, first.result.findings, edits};
  const IncrementalCheck again = check_file_incremental(*new_file, {}, "x.py", &previous);
  const CheckResult whole = check_file(*new_file, {}, "x.py");
  size_t blocking_session_calls = 0;
  for (const Finding& f : whole.findings) blocking_session_calls += f.code == "ASYNC210" ? 1 : 0;
  REQUIRE(blocking_session_calls == 0);
  require_same(again, whole);
}

TEST_CASE("a class broken by a typo does not walk the other classes' methods that share its names") {
  std::string text = "import requests\n\n";
  for (int i = 0; i < 6; ++i) {
    const std::string n = std::to_string(i);
    text += "\nclass Repo" + n + ":\n    def __init__(self, client):\n        self.client = client\n\n" +
            "    async def fetch(self):\n        return self.client.get(\"/" + n + "\")\n\n" +
            "    async def refresh(self):\n        requests.get(\"https://example.com\")\n\n";
  }
  // Repo0's methods are gone with its header: `client`, `fetch` and `refresh` are dirty as members of a
  // class no other `self.client` can reach.
  const Edited e = replace_text(text, "class Repo0:", "clas Repo0:");
  const IncrementalCheck check = check_after(text, e);
  CHECK(check.reused);
  CHECK(check.walked <= 6);
}

TEST_CASE("a method broken by a typo walks the functions that looked it up on its class, not every `.name`") {
  std::string text = "import time\n\n";
  for (int i = 0; i < 6; ++i) {
    const std::string n = std::to_string(i);
    text += "\nclass Repo" + n + ":\n    async def refresh(self):\n        time.sleep(" + n + ")\n\n" +
            "\nasync def handler_" + n + "(repo: Repo" + n + "):\n    await repo.refresh()\n\n";
  }
  text += "\nasync def untyped(repo):\n    await repo.refresh()\n";
  // A syntax error in Repo0.refresh: error recovery may read it differently, so `refresh` is dirty as
  // a member of Repo0. Only handler_0 looked `refresh` up on Repo0.
  const Edited e = replace_text(text, "time.sleep(0)", "time.sleep(0x y)");
  const IncrementalCheck check = check_after(text, e);
  CHECK(check.reused);
  CHECK(check.walked == 2);
}

TEST_CASE("a lookup made only when another function asked is kept while that function is not walked") {
  // `cfg.session` in Service.__init__ is looked up on Config only when `handler` reads `svc.session`.
  // An edit in Service.status walks __init__ too (it is of the same class) but not `handler`; the
  // lookup must still be known when Config.session changes next.
  const std::string text = R"(import requests


class Config:
    def __init__(self):
        self.session = requests.Session()


class Service:
    def __init__(self, cfg: Config):
        self.session = cfg.session

    def status(self):
        return 1


async def handler(svc: Service):
    svc.session.get("https://example.com")


async def other():
    pass
)";
  const SourceFile first_file(text);
  const IncrementalCheck first = check_file_incremental(first_file, {}, "x.py", nullptr);
  const Edited step = replace_text(text, "return 1", "return 2");
  const SourceFile second_file(step.text);
  const std::vector<SourceEdit> edits{step.edit};
  const PreviousCheck previous{first_file.text(), *first.state, first.result.findings, edits};
  const IncrementalCheck second = check_file_incremental(second_file, {}, "x.py", &previous);
  REQUIRE(second.reused);
  REQUIRE(second.walked == 2);  // Service's methods, not handler
  const Edited next = replace_text(step.text, "requests.Session()", "object()");
  REQUIRE(count(step.text, "ASYNC210") == 1);
  REQUIRE(count(next.text, "ASYNC210") == 0);
  const SourceFile third_file(next.text);
  const std::vector<SourceEdit> next_edits{next.edit};
  const PreviousCheck again{second_file.text(), *second.state, second.result.findings, next_edits};
  const IncrementalCheck third = check_file_incremental(third_file, {}, "x.py", &again);
  CHECK(third.reused);
  require_same(third, check_file(third_file, {}, "x.py"));
}

namespace {

// Each version checked from the one before (as the server does), each compared with a whole check.
std::vector<IncrementalCheck> check_chain(std::string text,
                                          const std::vector<std::pair<std::string, std::string>>& steps) {
  auto file = std::make_shared<SourceFile>(text);
  std::vector<IncrementalCheck> checks;
  checks.push_back(check_file_incremental(*file, {}, "x.py", nullptr));
  for (const auto& step : steps) {
    const std::string& from = step.first;
    const std::string& to = step.second;
    const Edited e = replace_text(text, from, to);
    auto next = std::make_shared<SourceFile>(e.text);
    const std::vector<SourceEdit> edits{e.edit};
    const PreviousCheck previous{file->text(), *checks.back().state, checks.back().result.findings, edits};
    IncrementalCheck check = check_file_incremental(*next, {}, "x.py", &previous);
    INFO("after " << from << " -> " << to);
    require_same(check, check_file(*next, {}, "x.py"));
    checks.push_back(std::move(check));
    text = e.text;
    file = next;
  }
  return checks;
}

std::string repositories(int count) {
  std::string text = "import asyncio\nimport time\n\n";
  for (int i = 0; i < count; ++i) {
    const std::string n = std::to_string(i);
    text += "\nasync def worker_" + n +
            "(queue):\n    while True:\n        try:\n            await queue.get()\n" +
            "        finally:\n            queue.task_done()\n\nclass Repo" + n +
            ":\n    async def refresh(self):\n        time.sleep(" + n + ")\n\n" + "\nasync def handler_" +
            n + "(repo: Repo" + n + "):\n    await repo.refresh()\n\n";
  }
  return text;
}

}  // namespace

TEST_CASE("a typo that makes error recovery regroup a class, and its fix, are walked in one pass") {
  // `finally:` -> `finyally:` before Repo2 leaves Repo2's header in an ERROR and its method at the
  // top level: seed() finds the class gone. The guess sees the new syntax error over the class, and
  // on the way back the old error where a class now is.
  const std::vector<IncrementalCheck> checks =
      check_chain(repositories(5), {{"        finally:\n            queue.task_done()\n\nclass Repo2",
                                     "        finyally:\n            queue.task_done()\n\nclass Repo2"},
                                    {"        finyally:", "        finally:"}});
  for (size_t k = 1; k < checks.size(); ++k) {
    INFO("version " << k);
    CHECK(checks[k].reused);
    CHECK(checks[k].collections == 1);
    CHECK(checks[k].walked < 10);
  }
}

TEST_CASE("a class gone and back leaves no walks behind for later edits") {
  // While Repo1 is gone, handler_1's lookups on it count for members of gone classes; once it is
  // back they must not, or every later gone class would walk handler_1 again.
  const auto before = [](int n) {
    return "        finally:\n            queue.task_done()\n\nclass Repo" + std::to_string(n);
  };
  const auto broken = [](int n) {
    return "        finyally:\n            queue.task_done()\n\nclass Repo" + std::to_string(n);
  };
  const std::vector<IncrementalCheck> history =
      check_chain(repositories(5), {{before(1), broken(1)}, {broken(1), before(1)}, {before(3), broken(3)}});
  const std::vector<IncrementalCheck> fresh = check_chain(repositories(5), {{before(3), broken(3)}});
  CHECK(history.back().reused);
  CHECK(history.back().walked == fresh.back().walked);
}

TEST_CASE("a changed module name walks the functions that read it, not those with a local of that name") {
  std::string text = "import requests\n\nsettings = requests.Session()\n\n";
  for (int i = 0; i < 5; ++i)  // locals and parameters named `settings`: the module's never reaches them
    text += "\nasync def local_" + std::to_string(i) +
            "(request, settings=None):\n    settings = request.x\n" + "    settings.get(\"/\")\n\n";
  text += "\nasync def reads():\n    settings.get(\"/\")\n\n";
  text += "\nasync def declares():\n    global settings\n    settings.get(\"/\")\n";
  const Edited e = replace_text(text, "settings = requests.Session()", "settings = object()");
  REQUIRE(count(text, "ASYNC210") > count(e.text, "ASYNC210"));
  const IncrementalCheck check = check_after(text, e);
  CHECK(check.reused);
  CHECK(check.walked == 2);
}

TEST_CASE("a local rebinding behind an unchanged return expression is seen") {
  // The returned text stays `s`; what `s` is changes.
  const std::string text =
      "import requests\n\ndef make():\n    s = requests.Session()\n    return s\n\n"
      "async def h():\n    make().get('x')\n\nasync def other():\n    pass\n";
  const Edited e = replace_text(text, "requests.Session()", "object()");
  REQUIRE(count(e.text, "ASYNC210") == 0);
  CHECK(check_after(text, e).reused);
}

TEST_CASE("an instance attribute changed in one method walks the methods reading it") {
  const std::string text = kModule;
  const Edited e = replace_text(text, "self.root = BASE", "self.root = None");
  const IncrementalCheck check = check_after(text, e);
  CHECK(check.reused);
  const Edited local = replace_text(text, "self.session = requests.Session()",
                                    "session = requests.Session()\n        self.session = session");
  CHECK(check_after(text, local).reused);
}

TEST_CASE("a return expression in an async def changes nothing for callers") {
  const std::string text = kModule;
  const IncrementalCheck check = check_after(text, replace_text(text, "return key", "return key + 1"));
  CHECK(check.reused);
  CHECK(check.walked == 3);  // the class's methods
}

TEST_CASE("signature edits") {
  const std::string text = kModule;
  // A parameter of an async def: nothing outside can tell.
  IncrementalCheck check = check_after(text, replace_text(text, "(self, key)", "(self, key, extra=1)"));
  CHECK(check.reused);
  CHECK(check.walked == 3);
  // A renamed helper: its callers now call something undefined.
  const Edited renamed = replace_text(text, "def make_session", "def make_sessions");
  check = check_after(text, renamed);
  CHECK(check.reused);
  // No longer async: `await run()` and callers see a sync function.
  check = check_after(text, replace_text(text, "async def run", "def run"));
  CHECK(check.reused);
  // A return annotation on a sync helper types its callers' receivers.
  const std::string annotated =
      "import requests\nfrom pathlib import Path\n\ndef make():\n    pass\n\n"
      "async def h():\n    make().get('x')\n    make().read_text()\n";
  const Edited e = replace_text(annotated, "def make():", "def make() -> requests.Session:");
  REQUIRE(count(e.text, "ASYNC210") == 1);
  CHECK(check_after(annotated, e).reused);
  CHECK(check_after(e.text, replace_text(e.text, "requests.Session:", "Path:")).reused);
}

TEST_CASE("decorators") {
  const std::string text =
      "import requests\n\nclass Api:\n    def session(self):\n        return requests.Session()\n"
      "\n    async def go(self):\n        self.session.get('x')\n\n"
      "    async def other(self):\n        pass\n\nasync def free():\n    pass\n";
  const Edited property = replace_text(text, "    def session", "    @property\n    def session");
  REQUIRE(count(property.text, "ASYNC210") == 1);
  CHECK(check_after(text, property).reused);
  CHECK(check_after(property.text, replace_text(property.text, "@property", "@staticmethod")).reused);
  CHECK(check_after(property.text, replace_text(property.text, "@property", "@cached_property")).reused);
}

TEST_CASE("class lines") {
  const std::string text =
      "import httpx\n\nclass Api:\n    async def go(self):\n        self.get('x')\n\n"
      "class Other:\n    async def go(self):\n        self.get('x')\n\n"
      "async def use(api: Api):\n    api.get('x')\n";
  // A base class gives the class members.
  const Edited based = replace_text(text, "class Api:", "class Api(httpx.Client):");
  REQUIRE(count(based.text, "ASYNC212") + count(based.text, "ASYNC210") > 0);
  IncrementalCheck check = check_after(text, based);
  CHECK(check.reused);
  check = check_after(based.text, replace_text(based.text, "httpx.Client", "httpx.AsyncClient"));
  CHECK(check.reused);
  // A renamed class: `api: Api` no longer names it.
  check = check_after(based.text, replace_text(based.text, "class Api(", "class Apis("));
  CHECK(check.reused);
  // A class-body statement.
  const std::string body =
      "import requests\n\nclass Api:\n    session = None\n\n    async def go(self):\n"
      "        self.session.get('x')\n\nasync def other():\n    pass\n";
  check = check_after(body, replace_text(body, "session = None", "session = requests.Session()"));
  CHECK(check.reused);
}

TEST_CASE("a subclass sees what its base's methods assign") {
  const std::string text =
      "import requests\n\nclass Base:\n    def __init__(self):\n        self.client = None\n\n"
      "class Child(Base):\n    async def go(self):\n        self.client.get('x')\n\n"
      "class Unrelated:\n    def __init__(self):\n        self.client = None\n\n"
      "    async def go(self):\n        self.client.get('x')\n";
  const Edited e = replace_text(text, "self.client = None", "self.client = requests.Session()");
  REQUIRE(count(e.text, "ASYNC210") == 1);
  const IncrementalCheck check = check_after(text, e);
  CHECK(check.reused);
  CHECK(check.walked == 2);  // Base and Child, not Unrelated
}

TEST_CASE("a method's return type feeds `x.method()` receivers in other classes") {
  const std::string text =
      "import requests\n\nclass A:\n    def session(self):\n        return object()\n\n"
      "class B:\n    def __init__(self):\n        self.a = A()\n\n    async def go(self):\n"
      "        self.a.session().get('x')\n\nasync def free(a: A):\n    a.session().get('y')\n";
  const Edited e = replace_text(text, "return object()", "return requests.Session()");
  REQUIRE(count(e.text, "ASYNC210") == 2);
  CHECK(check_after(text, e).reused);
}

TEST_CASE("module-level statements") {
  const std::string text = kModule;
  // What BASE is reaches data_dir(), Repository.root and their users.
  const Edited base = replace_text(text, "BASE = Path(\"/srv\")", "BASE = \"/srv\"");
  REQUIRE(count(text, "ASYNC240") > count(base.text, "ASYNC240"));
  IncrementalCheck check = check_after(text, base);
  CHECK(check.reused);
  // An alias follows what it names.
  const std::string alias =
      "import requests\n\ndef make():\n    return requests.Session()\n\nfactory = make\n\n"
      "async def h():\n    factory().get('x')\n\nasync def other():\n    pass\n";
  check = check_after(alias, replace_text(alias, "return requests.Session()", "return object()"));
  CHECK(check.reused);
  check = check_after(alias, replace_text(alias, "factory = make", "factory = print"));
  CHECK(check.reused);
  // A new statement between functions, shadowing a builtin.
  const std::string shadow = "async def h(p):\n    open(p)\n\nasync def other():\n    pass\n";
  const Edited shadowed = replace_text(shadow, "async def other", "open = print\n\n\nasync def other");
  REQUIRE(count(shadowed.text, "ASYNC230") == 0);
  CHECK(check_after(shadow, shadowed).reused);
}

TEST_CASE("renames change which functions a name reaches") {
  const std::string text =
      "def opener(p):\n    return p\n\nasync def h(p):\n    open(p)\n    opener(p)\n\n"
      "async def other():\n    pass\n";
  const Edited e = replace_text(text, "opener(p):", "open(p):");
  REQUIRE(count(e.text, "ASYNC230") == 0);
  const IncrementalCheck check = check_after(text, e);
  CHECK(check.reused);
  CHECK(check_after(e.text, replace_text(e.text, "open(p):", "opener(p):")).reused);
}

TEST_CASE("an edit that makes a function a generator") {
  const std::string text =
      "from pathlib import Path\n\ndef paths():\n    return Path('x')\n\n"
      "async def use():\n    paths().read_text()\n    ticker()\n\n"
      "async def ticker():\n    pass\n";
  const Edited sync = replace_text(text, "return Path('x')", "yield Path('x')");
  REQUIRE(count(sync.text, "ASYNC240") == 0);
  CHECK(check_after(text, sync).reused);
  // An async generator is iterated, not awaited: `ticker()` is no longer a dropped coroutine.
  const Edited async_gen = replace_text(text, "    pass\n", "    yield 1\n");
  REQUIRE(count(text, "LS302") == 1);
  REQUIRE(count(async_gen.text, "LS302") == 0);
  CHECK(check_after(text, async_gen).reused);
}

TEST_CASE("`global` in a body binds nothing other functions see") {
  const std::string text =
      "import requests\n\nCLIENT = None\n\ndef setup():\n    global CLIENT\n"
      "    CLIENT = requests.Session()\n\nasync def use():\n    CLIENT.get('x')\n";
  CHECK(check_after(text, replace_text(text, "CLIENT = requests.Session()", "CLIENT = object()")).reused);
  CHECK(check_after(text, replace_text(text, "CLIENT = None", "CLIENT = requests.Session()")).reused);
}

TEST_CASE("noqa comments and fixes") {
  const std::string text = kModule;
  CHECK(check_after(text, replace_text(text, "requests.post(\"https://example.com/jobs\", json=job)",
                                       "requests.post(\"https://example.com/jobs\", json=job)  # noqa"))
            .reused);
  // Fixes import asyncio after the imports: statements after the first def keep that place.
  const IncrementalCheck check =
      check_after(text, replace_text(text, "async def ticker", "X = 1\n\n\nasync def ticker"));
  CHECK(check.reused);
  // An import before it moves with it.
  CHECK(check_after(text,
                    replace_text(text, "from pathlib import Path\n", "from pathlib import Path\nimport os\n"))
            .reused);
  // Importing asyncio drops the import from every such fix (their other edits read only the name).
  const Edited imported = replace_text(text, "import time\n", "import time\nimport asyncio\n");
  CHECK(check_after(text, imported).reused);
  // Removing it makes every such fix add it again: the whole file is checked.
  const IncrementalCheck removed =
      check_after(imported.text, replace_text(imported.text, "import asyncio\n", ""));
  CHECK_FALSE(removed.reused);
  CHECK(std::string(removed.why_whole) == "the import insertion point changed");
}

TEST_CASE("a statement typed among the imports moves the import of the fixes of functions not walked") {
  const std::string text =
      "import time\nimport json\n\n\nasync def a():\n    time.sleep(1)\n\n\nasync def b():\n"
      "    time.sleep(2)\n";
  // The imports end before `x = 1` now: fixes add `import asyncio` after `import time`.
  const Edited typed = replace_text(text, "import json\n", "x = 1\nimport json\n");
  const IncrementalCheck check = check_after(text, typed);
  CHECK(check.reused);
  CHECK(check.walked == 0);
  const Finding& sleep = check.result.findings.front();
  REQUIRE_FALSE(sleep.fixes.empty());
  REQUIRE(sleep.fixes.front().edits.size() == 2);
  CHECK(sleep.fixes.front().edits[0].start == std::string("import time\n").size());
  CHECK(sleep.fixes.front().edits[0].new_text == "import asyncio\n");
}

TEST_CASE("import edits") {
  const std::string text = kModule;
  CHECK(check_after(text, replace_text(text, "import requests", "import requestz")).reused);
  const IncrementalCheck django =
      check_after(text, replace_text(text, "import time\n", "import time\nimport django\n"));
  CHECK_FALSE(django.reused);
  CHECK(std::string(django.why_whole) == "framework imports changed");
  const Edited local = replace_text(text, "    pass\n", "    import fastapi\n");
  CHECK_FALSE(check_after(text, local).reused);
}

TEST_CASE("edits that restructure the file walk everything they regrouped again") {
  const std::string text = kModule;
  const auto at = static_cast<uint32_t>(text.find("class Repository"));
  // An unclosed bracket swallows what follows: none of it keeps its old findings (check_after compares
  // with a whole check), and closing it brings them back.
  const Edited open = replace(text, at, at, "x = (\n");
  CHECK(check_after(text, open).result.findings.size() < count_all(text));
  CHECK(check_after(open.text, {SourceEdit{at, at + 6, at}}, text).result.findings.size() > 0);
}

TEST_CASE("several edits in a row, anywhere, give what a whole check gives") {
  std::mt19937 random(7);
  const std::string alphabet = "ab_(). \n:\"#x0";
  int reused = 0;
  for (int round = 0; round < 300; ++round) {
    std::string text = kModule;
    std::vector<SourceEdit> edits;
    const int count = 1 + static_cast<int>(random() % 3);
    // Mostly near one another, like typing; sometimes far apart.
    uint32_t at = static_cast<uint32_t>(random() % text.size());
    for (int k = 0; k < count; ++k) {
      if (random() % 4 == 0) at = static_cast<uint32_t>(random() % text.size());
      at = std::min<uint32_t>(at, static_cast<uint32_t>(text.size()));
      const uint32_t removed =
          std::min<uint32_t>(static_cast<uint32_t>(random() % 3), static_cast<uint32_t>(text.size()) - at);
      const std::string inserted(random() % 2 ? 1 : 0, alphabet[random() % alphabet.size()]);
      const Edited e = replace(text, at, at + removed, inserted);
      edits.push_back(e.edit);
      text = e.text;
      at += static_cast<uint32_t>(inserted.size());
    }
    INFO("round " << round);
    reused += check_after(kModule, edits, text).reused ? 1 : 0;
  }
  CHECK(reused > 150);  // the comparison above covered reuse, not only whole checks
}

namespace {

// A service module like bench/keystroke's, smaller, with the constructs whose meaning crosses
// functions: aliases, properties, inheritance, class attributes, generators, a sync helper's return.
std::string generated_module(int blocks) {
  std::string text = R"("""Generated."""
import asyncio
import json
import subprocess
import time
from pathlib import Path

import httpx
import requests

CONFIG = Path("/etc/service/config.json")


def make_session():
    return requests.Session()


session_factory = make_session


class Base:
    def __init__(self):
        self.http = requests.Session()

    @property
    def root(self):
        return CONFIG.parent
)";
  for (int n = 0; n < blocks; ++n) {
    const std::string i = std::to_string(n);
    text += R"(

class Repository)" +
            i + R"((Base):
    limit = httpx.Client()

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.cache = {}

    async def fetch(self, key: str) -> dict:
        if key in self.cache:
            return self.cache[key]
        response = await self.client.get(f"/items/{key}")
        self.http.get("/sync")
        self.cache[key] = response.json()
        return self.cache[key]

    async def refresh(self) -> None:
        time.sleep()" +
            i + R"( % 3)
        self.root.read_text()
        await asyncio.sleep(0)


def parse_)" +
            i + R"((raw: str) -> dict:
    data = json.loads(raw)
    return {k: v for k, v in data.items() if v is not None}


def lines_)" +
            i + R"((path):
    for line in open(path):
        yield line


async def handler_)" +
            i + R"((request, repo: Repository)" + i + R"() -> dict:
    item = await repo.fetch(request.query["key"])
    if item.get("stale"):
        requests.get("https://example.com/hook/)" +
            i + R"(")
    settings = CONFIG.read_text()
    session_factory().get("x")
    repo.limit.get("y")
    async with asyncio.timeout(5):
        await asyncio.gather(repo.refresh(), asyncio.sleep(0.1))
    return parse_)" +
            i + R"((json.dumps(item))


async def worker_)" +
            i + R"((queue: asyncio.Queue) -> None:
    while True:
        job = await queue.get()
        try:
            await asyncio.to_thread(subprocess.run, ["true", str(job)])
        finally:
            queue.task_done()
)";
  }
  return text;
}

}  // namespace

TEST_CASE("random keystrokes over a service module: every version as a whole check finds it") {
  // As the server does it: each version checked from the one before, never from a whole check.
  const std::string start = generated_module(4);
  std::mt19937 random(11);
  const std::string alphabet = "abcxyz_0 ().:=\n#'\"";
  std::string text = start;
  auto file = std::make_shared<SourceFile>(text);
  IncrementalCheck check = check_file_incremental(*file, {}, "x.py", nullptr);
  int reused = 0, steps = 0;
  for (int step = 0; step < 1500; ++step) {
    // Type a character at a random place, or delete one; now and then, go back to the start.
    std::vector<SourceEdit> edits;
    std::string next;
    if (step % 200 == 199) {
      next = start;
    } else {
      const auto at = static_cast<uint32_t>(random() % (text.size() + 1));
      const bool insert = random() % 2 == 0 || at == text.size();
      const Edited e = insert ? replace(text, at, at, std::string(1, alphabet[random() % alphabet.size()]))
                              : replace(text, at, at + 1, "");
      edits.push_back(e.edit);
      next = e.text;
    }
    auto next_file = std::make_shared<SourceFile>(next);
    const PreviousCheck previous{file->text(), *check.state, check.result.findings, edits};
    IncrementalCheck again = check_file_incremental(*next_file, {}, "x.py", &previous);
    INFO("step " << step << ", reused: " << again.reused << ", text:\n" << next);
    require_same(again, check_file(*next_file, {}, "x.py"));
    reused += again.reused ? 1 : 0;
    ++steps;
    // Keep going from a broken file sometimes, but mostly type in a file that parses.
    if (random() % 4 == 0 || !next_file->has_syntax_error() || step % 200 == 199) {
      text = next;
      file = next_file;
      check = std::move(again);
    } else {
      // Undo: the next version is checked from the broken one, back to the text before.
      const std::vector<SourceEdit> undo{SourceEdit{edits[0].start, edits[0].new_end, edits[0].old_end}};
      const PreviousCheck back{next_file->text(), *again.state, again.result.findings, undo};
      auto restored = std::make_shared<SourceFile>(text);
      IncrementalCheck undone = check_file_incremental(*restored, {}, "x.py", &back);
      require_same(undone, check_file(*restored, {}, "x.py"));
      file = restored;
      check = std::move(undone);
    }
  }
  CHECK(reused > steps / 2);
}
