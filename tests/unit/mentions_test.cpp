#include "analysis/mentions.h"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using loopsafe::for_each_occurrence;
using loopsafe::Mentions;
using loopsafe::WordHits;

namespace {

std::vector<uint32_t> scanned(std::string_view text, std::string_view word) {
  std::vector<uint32_t> hits;
  for_each_occurrence(text, word, 0, text.size(), [&](uint32_t at) { hits.push_back(at); });
  return hits;
}

}  // namespace

TEST_CASE("mentions are whole words") {
  Mentions mentions("cache = self.cache + caches + _cache + cache_ + cache");
  CHECK(mentions.of("cache") == std::vector<uint32_t>{0, 13, 48});
  CHECK(mentions.of("self") == std::vector<uint32_t>{8});
  CHECK(mentions.of("missing").empty());
}

// Carried through random edits, as checks carry them from one version to the next, they are what a
// scan of each version finds: edits next to a word (which join it to another or split it), inside it,
// across it, at the ends of the text.
TEST_CASE("mentions carried through edits are those a scan finds") {
  std::mt19937 random(11);
  const std::vector<std::string> words{"cache", "self", "a", "fetch_2"};
  const std::string alphabet = "cache self.a _fetch_2 x\n";
  std::string text = "self.cache = cache(a)\nfetch_2 = self.cache.a + cache_\n";
  WordHits known;
  for (int round = 0; round < 3000; ++round) {
    std::string next = text;
    const auto start = static_cast<uint32_t>(random() % (text.size() + 1));
    const auto removed =
        std::min<uint32_t>(static_cast<uint32_t>(random() % 6), static_cast<uint32_t>(text.size()) - start);
    std::string inserted;
    for (uint32_t k = random() % 6; k > 0; --k) inserted += alphabet[random() % alphabet.size()];
    next.replace(start, removed, inserted);
    Mentions before(text);
    before.carry(&known);
    Mentions after(next);
    after.carry(&before.known(), start, start + removed, start + static_cast<uint32_t>(inserted.size()));
    // Some words asked of the earlier text first (carried), some not (scanned).
    for (const std::string& word : words)
      if (random() % 3 != 0) before.of(word);
    for (const std::string& word : words) {
      INFO("round " << round << ", word " << word << ", text " << next);
      CHECK(after.of(word) == scanned(next, word));
    }
    known = after.take();
    text = std::move(next);
    if (text.size() > 400) text.erase(0, 200), known.clear();
  }
}
