// Baseline for bench/check_corpus: parses every file named on stdin with tree-sitter (no analysis),
// in parallel like `loopsafe check`, so the two runs differ only by the analysis.
#include <atomic>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "analysis/source_file.h"

int main() {
  std::vector<std::string> paths;
  for (std::string line; std::getline(std::cin, line);)
    if (!line.empty()) paths.push_back(line);
  std::atomic<size_t> next{0};
  std::atomic<size_t> nodes{0};
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < std::max(1u, std::thread::hardware_concurrency()); ++w)
    threads.emplace_back([&] {
      for (size_t i = next++; i < paths.size(); i = next++) {
        std::ifstream in(paths[i], std::ios::binary);
        std::stringstream buffer;
        buffer << in.rdbuf();
        loopsafe::SourceFile file(std::move(buffer).str());
        nodes += ts_node_child_count(file.root());
      }
    });
  for (auto& t : threads) t.join();
  std::cout << "parsed " << paths.size() << " files\n";
}
