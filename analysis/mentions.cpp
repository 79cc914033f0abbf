#include "analysis/mentions.h"

#include <algorithm>

namespace loopsafe {

void Mentions::carry(const WordHits* known) {
  earlier_ = known;
  edited_ = false;
}

void Mentions::carry(const WordHits* earlier, uint32_t start, uint32_t old_end, uint32_t new_end) {
  earlier_ = earlier;
  edited_ = true;
  start_ = start;
  old_end_ = old_end;
  new_end_ = new_end;
}

const std::vector<uint32_t>& Mentions::of(std::string_view word) {
  if (const auto it = hits_.find(std::string(word)); it != hits_.end()) return it->second;
  std::vector<uint32_t>& hits = hits_[std::string(word)];
  const auto before = earlier_ ? earlier_->find(std::string(word)) : WordHits::const_iterator{};
  if (!earlier_ || before == earlier_->end()) {
    for_each_occurrence(text_, word, 0, text_.size(), [&](uint32_t at) { hits.push_back(at); });
    return hits;
  }
  if (!edited_) return hits = before->second;
  // An occurrence keeps its meaning when neither its bytes nor the byte on either side of it were
  // replaced: those wholly before the edit, and those after it (moved). The rest is read again, from
  // where a word ending at the edit would start to where one starting at its end would end.
  const auto size = static_cast<uint32_t>(word.size());
  const std::vector<uint32_t>& was = before->second;
  const auto after = std::upper_bound(was.begin(), was.end(), old_end_);
  for (auto it = was.begin(); it != after && *it + size < start_; ++it) hits.push_back(*it);
  const uint32_t from = start_ > size ? start_ - size : 0;
  const auto to = std::min<size_t>(text_.size(), static_cast<size_t>(new_end_) + size);
  for_each_occurrence(text_, word, from, to, [&](uint32_t at) {
    if (hits.empty() || at > hits.back()) hits.push_back(at);
  });
  for (auto it = after; it != was.end(); ++it) hits.push_back(*it - old_end_ + new_end_);
  return hits;
}

}  // namespace loopsafe
