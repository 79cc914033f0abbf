#include "analysis/incremental.h"

#include <doctest/doctest.h>

#include <random>

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

// Checks `next` incrementally from `before` (checked whole) and compares with a whole check.
IncrementalCheck check_after(const std::string& before, const std::vector<SourceEdit>& edits,
                             const std::string& next) {
  const SourceFile old_file(before);
  const IncrementalCheck first = check_file_incremental(old_file, {}, "x.py", nullptr);
  const PreviousCheck previous{old_file.text(), *first.state, first.result.findings, edits};
  const SourceFile new_file(next);
  IncrementalCheck again = check_file_incremental(new_file, {}, "x.py", &previous);
  const CheckResult whole = check_file(new_file, {}, "x.py");
  REQUIRE(again.result.findings.size() == whole.findings.size());
  for (size_t i = 0; i < whole.findings.size(); ++i) {
    INFO("finding " << i << ": " << whole.findings[i].code << " at " << whole.findings[i].start);
    CHECK(again.result.findings[i] == whole.findings[i]);
  }
  return again;
}

}  // namespace

TEST_CASE("typing in one function body reuses the other functions' findings, moved") {
  const std::string text = kModule;
  const auto at = static_cast<uint32_t>(text.find("/jobs") + 1);
  const Edited e = replace(text, at, at + 4, "queue_jobs");
  const IncrementalCheck check = check_after(text, {e.edit}, e.text);
  CHECK(check.reused);
  CHECK(check.result.findings.size() >= 6);
}

TEST_CASE("a new blocking call in a body is found without checking the whole file") {
  const std::string text = kModule;
  const auto at = static_cast<uint32_t>(text.find("        requests.post"));
  const Edited e = replace(text, at, at, "        time.sleep(3)\n");
  const IncrementalCheck check = check_after(text, {e.edit}, e.text);
  CHECK(check.reused);
}

TEST_CASE("a body that needs another function's body to resolve its calls checks the whole file") {
  // `s = make_session(); s.get(...)`: what make_session returns is in a body that was not walked.
  const std::string text = kModule;
  const auto at = static_cast<uint32_t>(text.find("time.sleep(1)") + 11);
  const Edited e = replace(text, at, at + 1, "2");
  CHECK_FALSE(check_after(text, {e.edit}, e.text).reused);
}

TEST_CASE("a changed return value or instance attribute falls back to a whole check") {
  const std::string text = kModule;
  auto at = static_cast<uint32_t>(text.find("requests.Session()\n\n\ndef data_dir"));
  Edited e = replace(text, at, at + 18, "object()");
  CHECK_FALSE(check_after(text, {e.edit}, e.text).reused);
  at = static_cast<uint32_t>(text.find("self.root = BASE"));
  e = replace(text, at + 12, at + 16, "None");
  CHECK_FALSE(check_after(text, {e.edit}, e.text).reused);
}

TEST_CASE("edits outside function bodies check the whole file") {
  const std::string text = kModule;
  const Edited e = replace(text, 0, 0, "import asyncio\n");
  CHECK_FALSE(check_after(text, {e.edit}, e.text).reused);
  const auto at = static_cast<uint32_t>(text.find("async def ticker"));
  const Edited header = replace(text, at, at + 6, "");  // no longer async
  CHECK_FALSE(check_after(text, {header.edit}, header.text).reused);
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
  CHECK(reused > 30);  // the comparison above covered reuse, not only whole checks
}
