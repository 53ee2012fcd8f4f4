// sqllogictest: runs the behaviour tests under tests/sql (DuckDB's format).
//
//   sqllogictest [--verbose] [-j N] [FILE_OR_DIR...]     default: tests/sql
//
// Directories are searched recursively for *.test. Prints each failure with
// its file:line, SQL, expected and actual output, then one summary line
// "N passed, N failed, N skipped" counting statements and queries. Exits 1 when
// any failed, 2 on bad usage.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "test_runner.h"

namespace fs = std::filesystem;

namespace {

// The repository root: the nearest directory above the working directory (or
// above this source file, wherever the build runs) holding tests/sqllogictest.
fs::path RepoRoot() {
  std::error_code ec;
  for (fs::path p = fs::current_path(ec); !p.empty(); p = p.parent_path()) {
    if (fs::is_directory(p / "tests" / "sqllogictest", ec)) return p;
    if (p == p.parent_path()) break;
  }
  return fs::path(__FILE__).parent_path().parent_path().parent_path();
}

int Usage(const char* message) {
  if (message) std::cerr << "sqllogictest: " << message << "\n";
  std::cerr << "Usage: sqllogictest [--verbose] [-j N] [--duckdb-inputs] [FILE_OR_DIR...]   (default: tests/sql)\n"
               "  --duckdb-inputs: statements COPY (...) TO '...' that write input files run in DuckDB (npm)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  alopex::slt::RunnerOptions options;
  int jobs = 1;
  bool duckdb_inputs = false;
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; i++) {
    std::string arg = argv[i];
    if (arg == "--verbose" || arg == "-v") {
      options.verbose = true;
    } else if (arg == "-j" || arg == "--jobs") {
      if (i + 1 >= argc) return Usage("-j needs a number");
      jobs = std::atoi(argv[++i]);
      if (jobs < 1) return Usage("-j needs a positive number");
    } else if (arg == "--duckdb-inputs") {
      duckdb_inputs = true;
    } else if (arg == "--help" || arg == "-h") {
      Usage(nullptr);
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      return Usage(("unknown option " + arg).c_str());
    } else {
      inputs.push_back(arg);
    }
  }

  fs::path root = RepoRoot();
  const char* testdata = std::getenv("ALOPEX_TESTDATA");
  options.testdata_dir = testdata && *testdata ? std::string(testdata)
                                               : (root.parent_path() / "shared" / "testdata").lexically_normal().string();
  if (duckdb_inputs) {
    options.duckdb_script = (root / "tests" / "integration" / "duckdb" / "query.mjs").string();
    options.peers_dir = (root / "tests" / "peers").string();
    if (!fs::is_directory(root / "tests" / "peers" / "node_modules" / "@duckdb" / "node-api")) {
      std::printf("--duckdb-inputs: @duckdb/node-api is not installed in tests/peers (scripts/setup installs it)\n");
      std::printf("0 passed, 0 failed, 1 skipped\n");
      return 0;
    }
  }
  if (inputs.empty()) inputs.push_back(fs::is_directory("tests/sql") ? "tests/sql" : (root / "tests" / "sql").string());

  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(input, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".test") found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(input, ec)) {
      files.push_back(input);
    } else {
      return Usage(("no such file or directory: " + input).c_str());
    }
  }

  // Files run on `jobs` threads; each file's log prints whole, in completion order.
  std::atomic<size_t> next{0};
  std::mutex mu;
  int passed = 0, failed = 0, skipped = 0;
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < files.size();) {
      if (options.verbose) {
        std::lock_guard<std::mutex> lock(mu);
        std::cout << "running " << files[i] << std::endl;
      }
      alopex::slt::FileOutcome outcome = alopex::slt::RunTestFile(files[i], options);
      std::lock_guard<std::mutex> lock(mu);
      std::cout << outcome.log << std::flush;
      passed += outcome.passed;
      failed += outcome.failed;
      skipped += outcome.skipped;
    }
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < std::min<int>(jobs, int(files.size())); t++) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  std::cout << passed << " passed, " << failed << " failed, " << skipped << " skipped" << std::endl;
  return failed > 0 ? 1 : 0;
}
