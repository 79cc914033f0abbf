// Baseline for bench/check_corpus: parses every file named on stdin with tree-sitter (no analysis),
// in parallel like `loopsafe check`, so the two runs differ only by the analysis.
#include <atomic>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "analysis/checker.h"
#include "analysis/facts.h"
#include "analysis/source_file.h"

int main(int argc, char** argv) {
  // `--facts` / `--check` add the fact walk / the whole per-file analysis, to split the cost.
  const std::string mode = argc > 1 ? argv[1] : "";
  const loopsafe::Settings settings;
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
        nodes += ts_node_child_count(ts_tree_root_node(file.pieces().front().tree.get()));
        if (mode == "--facts") nodes += loopsafe::collect_facts(file).calls.size();
        if (mode == "--check") nodes += loopsafe::check_file(file, settings, paths[i]).findings.size();
      }
    });
  for (auto& t : threads) t.join();
  std::cout << "parsed " << paths.size() << " files\n";
}
