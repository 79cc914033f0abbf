#pragma once
// Where words occur in a text as whole words, found once per word and carried to the next version of
// the text through an edit. An incremental check asks where the same few words (the members a method
// assigns, its name) are mentioned on every keystroke in that method; scanning 300 KB for each took a
// tenth of a millisecond a word.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace loopsafe {

// Identifiers as loopsafe compares them: raw bytes. Treating other bytes as boundaries can only find
// more mentions, never fewer.
inline bool is_word_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Whole-word occurrences of `word` that lie in text[from, to), in order.
template <typename F>
void for_each_occurrence(std::string_view text, std::string_view word, size_t from, size_t to, F&& f) {
  const std::string_view range = text.substr(0, to);  // a search must not run on past `to`
  for (size_t at = range.find(word, from); at != std::string_view::npos; at = range.find(word, at + 1)) {
    const size_t end = at + word.size();
    if ((at > 0 && is_word_byte(text[at - 1])) || (end < text.size() && is_word_byte(text[end]))) continue;
    f(static_cast<uint32_t>(at));
  }
}

// A word's whole-word occurrences, by offset in order, for some of the words of one text.
using WordHits = std::unordered_map<std::string, std::vector<uint32_t>>;

class Mentions {
 public:
  explicit Mentions(std::string_view text) : text_(text) {}
  // What `known` says of this same text.
  void carry(const WordHits* known);
  // What `earlier` says of the text before an edit: its bytes [start, old_end) became this text's
  // [start, new_end). Occurrences away from the edit move with it; only around it is the text read.
  void carry(const WordHits* earlier, uint32_t start, uint32_t old_end, uint32_t new_end);

  // The whole-word occurrences of `word`. The reference stays valid while this object lives.
  const std::vector<uint32_t>& of(std::string_view word);
  const WordHits& known() const { return hits_; }
  WordHits take() { return std::move(hits_); }

 private:
  std::string_view text_;
  const WordHits* earlier_ = nullptr;
  bool edited_ = false;
  uint32_t start_ = 0, old_end_ = 0, new_end_ = 0;
  WordHits hits_;
};

}  // namespace loopsafe
