#include "test_runner.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <system_error>
#include <vector>

#include "alopex/database.h"
#include "result_check.h"
#include "test_file.h"

namespace alopex::slt {

bool IsKnownFeature(const std::string& feature) {
  static const std::set<std::string> kFeatures = {
      "parquet", "csv", "json", "jsonb", "delta", "vector", "hnsw", "graph", "pgq", "time_travel",
  };
  return kFeatures.count(feature) > 0;
}

namespace {

using Kind = TestRecord::Kind;

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
  return s;
}

std::string Indent(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out += "    " + line + "\n";
  return out;
}

class FileRun {
 public:
  FileRun(std::string path, const RunnerOptions& options) : path_(std::move(path)), options_(options) {}

  FileOutcome Run() {
    std::ifstream in(path_, std::ios::binary);
    if (!in) {
      Fail(0, "", "cannot read the file");
      return outcome_;
    }
    std::stringstream text;
    text << in.rdbuf();
    Result<std::vector<TestRecord>> parsed = ParseTestFile(text.str());
    if (!parsed.ok()) {
      Fail(0, "", parsed.status().message());
      return outcome_;
    }
    records_ = std::move(parsed).value();

    std::string pattern = (std::filesystem::temp_directory_path() / "alopex_slt_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      Fail(0, "", "cannot create a temporary directory");
      return outcome_;
    }
    test_dir_ = pattern;
    if (Status st = OpenDatabase(":memory:", false); !st.ok()) {
      Fail(0, "", "cannot open an in-memory database: " + st.ToString());
    } else {
      RunRange(0, records_.size(), {});
    }
    con_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(test_dir_, ec);
    if (options_.verbose) {
      outcome_.log += path_ + ": " + std::to_string(outcome_.passed) + " passed, " +
                      std::to_string(outcome_.failed) + " failed, " + std::to_string(outcome_.skipped) +
                      " skipped\n";
    }
    return outcome_;
  }

 private:
  // Runs records [begin, end); loops recurse over their bodies.
  void RunRange(size_t begin, size_t end, std::map<std::string, std::string> vars) {
    for (size_t i = begin; i < end && !stopped_; i++) {
      const TestRecord& r = records_[i];
      switch (r.kind) {
        case Kind::kLoop: {
          size_t body_end = MatchingEndLoop(i);
          for (const std::string& v : r.loop_values) {
            vars[r.loop_variable] = v;
            RunRange(i + 1, body_end, vars);
            if (stopped_) return;
          }
          i = body_end;  // the endloop
          break;
        }
        case Kind::kEndLoop: break;
        case Kind::kRequire:
          if (!IsKnownFeature(r.argument)) {
            outcome_.log += "skipped " + path_ + ": requires " + r.argument + "\n";
            SkipRest(i);
          }
          break;
        case Kind::kModeSkip: skipping_ = true; break;
        case Kind::kModeUnskip: skipping_ = false; break;
        case Kind::kHalt: stopped_ = true; break;
        case Kind::kLoad: {
          if (skipping_) break;
          std::string path = Substitute(r.argument, vars);
          if (Status st = OpenDatabase(path, r.read_only); !st.ok()) {
            Fail(r.line, "load " + path, st.ToString());
            stopped_ = true;
          }
          break;
        }
        case Kind::kRestart:
          if (skipping_) break;
          if (Status st = OpenDatabase(db_path_, read_only_); !st.ok()) {
            Fail(r.line, "restart", st.ToString());
            stopped_ = true;
          }
          break;
        default: RunCheck(r, vars); break;
      }
    }
  }

  size_t MatchingEndLoop(size_t loop) const {
    int depth = 0;
    for (size_t i = loop; i < records_.size(); i++) {
      if (records_[i].kind == Kind::kLoop) depth++;
      if (records_[i].kind == Kind::kEndLoop && --depth == 0) return i;
    }
    return records_.size();  // the parser guarantees balance
  }

  void SkipRest(size_t from) {
    for (size_t i = from; i < records_.size(); i++)
      if (records_[i].IsCheck()) outcome_.skipped++;
    stopped_ = true;
  }

  std::string Substitute(std::string s, const std::map<std::string, std::string>& vars) const {
    for (const auto& [name, value] : vars) s = ReplaceAll(s, "${" + name + "}", value);
    s = ReplaceAll(s, "__TEST_DIR__", test_dir_);
    s = ReplaceAll(s, "__TESTDATA__", options_.testdata_dir);
    return s;
  }

  // `COPY (query) TO 'path' ...`: a statement that makes a test's input file.
  static bool WritesInputFile(const std::string& sql) {
    size_t i = sql.find_first_not_of(" \t\n");
    if (i == std::string::npos || sql.size() < i + 6) return false;
    std::string head = sql.substr(i, 6);
    for (auto& ch : head) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    return head == "COPY (" && sql.find(") TO '") != std::string::npos;
  }

  // Runs `sql` in DuckDB (creating the target's folder first, as Alopex's COPY
  // does); the error text, empty on success.
  std::string RunInDuckdb(const std::string& sql) const {
    size_t to = sql.rfind(") TO '");
    size_t start = to + 6, end = sql.find('\'', start);
    if (end != std::string::npos) {
      std::filesystem::path target(sql.substr(start, end - start));
      std::error_code ec;
      bool partitioned = sql.find("PARTITION_BY", end) != std::string::npos;
      std::filesystem::create_directories(partitioned ? target : target.parent_path(), ec);
    }
    std::string file = test_dir_ + "/duckdb_input.sql";
    std::string log = test_dir_ + "/duckdb_input.log";
    {
      std::ofstream out(file);
      out << sql;
    }
    std::string cmd = "cd '" + options_.peers_dir + "' && node '" + options_.duckdb_script + "' '" + file + "' > '" +
                      log + "' 2>&1";
    int rc = std::system(cmd.c_str());
    if (rc == 0) return "";
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.empty() ? "exit status " + std::to_string(rc) : text;
  }

  Status OpenDatabase(const std::string& path, bool read_only) {
    con_.reset();
    db_.reset();
    DatabaseOptions options;
    options.read_only = read_only;
    ALOPEX_ASSIGN_OR_RETURN(db_, Database::Open(path, options));
    con_ = std::make_unique<Connection>(*db_);
    db_path_ = path;
    read_only_ = read_only;
    return Status::OK();
  }

  void RunCheck(const TestRecord& r, const std::map<std::string, std::string>& vars) {
    if (skipping_) {
      outcome_.skipped++;
      return;
    }
    if (r.sql.find("__TESTDATA__") != std::string::npos && !std::filesystem::is_directory(options_.testdata_dir)) {
      outcome_.skipped++;
      outcome_.log += "skipped " + path_ + ":" + std::to_string(r.line) + ": no test data at " +
                      options_.testdata_dir + "\n";
      return;
    }
    std::string sql = Substitute(r.sql, vars);
    if (!options_.duckdb_script.empty() && r.kind == Kind::kStatementOk && WritesInputFile(sql)) {
      std::string error = RunInDuckdb(sql);
      if (!error.empty()) return Fail(r.line, sql, "DuckDB (writing the input file) failed: " + error);
      return Pass();
    }
    Result<QueryResult> result = con_->Query(sql);

    switch (r.kind) {
      case Kind::kStatementOk:
        if (!result.ok()) return Fail(r.line, sql, "expected success, got: " + result.status().ToString());
        return Pass();
      case Kind::kStatementError:
      case Kind::kStatementMaybe: {
        if (result.ok()) {
          if (r.kind == Kind::kStatementMaybe) return Pass();
          return Fail(r.line, sql, "expected an error" +
                                       (r.expected_error.empty() ? "" : " containing: " + r.expected_error) +
                                       "\n  but the statement succeeded");
        }
        std::string message = result.status().ToString();
        std::string fragment = Substitute(r.expected_error, vars);
        if (!fragment.empty() && message.find(fragment) == std::string::npos)
          return Fail(r.line, sql, "expected an error containing:\n" + Indent(fragment) + "  got:\n" + Indent(message));
        return Pass();
      }
      case Kind::kQuery: {
        if (!result.ok()) return Fail(r.line, sql, "query failed: " + result.status().ToString());
        if (!r.has_expected) return Pass();
        TextRows actual;
        for (size_t row = 0; row < result->num_rows(); row++) {
          std::vector<std::string> values;
          for (size_t col = 0; col < result->num_columns(); col++) {
            if (result->IsNull(row, col)) {
              values.push_back("NULL");
            } else {
              std::string s = result->GetString(row, col);
              values.push_back(s.empty() ? "(empty)" : s);
            }
          }
          actual.push_back(std::move(values));
        }
        std::string mismatch = CheckRows(r, actual, result->num_columns());
        if (mismatch.empty()) return Pass();
        return Fail(r.line, sql,
                    mismatch + "\n  expected:\n" + Indent(RowsToText(ExpectedRows(r, result->num_columns()))) +
                        "  actual:\n" + Indent(RowsToText(actual)));
      }
      default: return;
    }
  }

  void Pass() { outcome_.passed++; }

  void Fail(int line, const std::string& sql, const std::string& what) {
    outcome_.failed++;
    std::string& log = outcome_.log;
    log += "FAILED " + path_ + (line > 0 ? ":" + std::to_string(line) : "") + "\n";
    if (!sql.empty()) log += "  SQL:\n" + Indent(sql);
    std::string text = what;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    log += "  " + text + "\n\n";
  }

  std::string path_;
  const RunnerOptions& options_;
  std::vector<TestRecord> records_;
  FileOutcome outcome_;
  std::string test_dir_;
  std::string db_path_;
  bool read_only_ = false;
  bool skipping_ = false;
  bool stopped_ = false;
  std::shared_ptr<Database> db_;
  std::unique_ptr<Connection> con_;
};

}  // namespace

FileOutcome RunTestFile(const std::string& path, const RunnerOptions& options) {
  return FileRun(path, options).Run();
}

}  // namespace alopex::slt
