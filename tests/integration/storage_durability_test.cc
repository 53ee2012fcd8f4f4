// The storage engine's promises, checked from outside the process: each test
// runs the alopex binary (build/<preset>/alopex, beside this test binary, or
// $ALOPEX_BINARY) on a database directory and reads the Delta log it leaves.
//
// - a statement killed with SIGKILL at a random moment is either wholly
//   committed or invisible, the next open sees the last commit and can write,
//   and VACUUM RETAIN 0 HOURS removes the killed statements' files;
// - two processes appending to one table at once lose no commit and no row;
// - DuckDB (npm) reads every live data file with the row counts the log's
//   stats promise, and every action carries the protocol's required fields;
// - COPY INTO killed and run again loads each source row exactly once, and a
//   killed COPY FROM leaves its table as it was;
// - DuckDB computes from the log and files the row ids Alopex keeps through
//   UPDATE, DELETE, OPTIMIZE and MERGE (row tracking).
//
// The kill delays are random (the seed is printed); no assertion depends on
// when a kill lands, only on what the log says was committed.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "duckdb_peer.h"
#include "scratch_dir.h"

extern char** environ;

namespace alopex::interop {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// ------------------------------------------------------------ processes

// The alopex shell binary: $ALOPEX_BINARY, else the one built beside this test.
fs::path AlopexBinary() {
  if (const char* env = std::getenv("ALOPEX_BINARY"); env && *env) return env;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path("alopex") : self.parent_path() / "alopex";
}

// How a child process ended.
struct Outcome {
  bool exited = false;     // returned from main (or called exit)
  int exit_code = -1;      // when exited
  int signal = 0;          // the signal that ended it, when not exited
  bool timed_out = false;  // still running at the deadline, then killed
  bool not_started = false;
  std::string Describe() const {
    if (not_started) return "did not start";
    if (timed_out) return "timed out and was killed";
    if (exited) return "exited with status " + std::to_string(exit_code);
    return std::string("was ended by signal ") + strsignal(signal);
  }
};

// One run of the alopex binary with its stdout and stderr in files.
class AlopexProcess {
 public:
  // Starts `alopex args...`; stdin is /dev/null, stdout and stderr go to
  // `stem`.out and `stem`.err.
  AlopexProcess(const std::vector<std::string>& args, const fs::path& stem)
      : out_path_(stem.string() + ".out"), err_path_(stem.string() + ".err") {
    std::string binary = AlopexBinary().string();
    std::vector<std::string> storage = {binary};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      pid_ = -1;
      spawn_error_ = "cannot start " + binary + ": " + std::strerror(rc);
    }
  }
  ~AlopexProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      int status;
      ::waitpid(pid_, &status, 0);
    }
  }
  AlopexProcess(const AlopexProcess&) = delete;
  AlopexProcess& operator=(const AlopexProcess&) = delete;

  bool started() const { return pid_ > 0; }
  const std::string& spawn_error() const { return spawn_error_; }

  // Sends SIGKILL (harmless when the child has already exited: it stays a
  // zombie until Wait reaps it).
  void Kill() {
    if (pid_ > 0 && !reaped_) ::kill(pid_, SIGKILL);
  }

  // Waits for the child to end, at most `limit`; past it the child is killed
  // and the outcome says it timed out.
  Outcome Wait(std::chrono::seconds limit = std::chrono::seconds(120)) {
    if (reaped_ || pid_ <= 0) return outcome_;
    auto deadline = Clock::now() + limit;
    int status = 0;
    for (;;) {
      pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) break;
      if (r < 0 && errno != EINTR) break;
      if (Clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        outcome_.timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    reaped_ = true;
    if (WIFEXITED(status)) {
      outcome_.exited = true;
      outcome_.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      outcome_.signal = WTERMSIG(status);
    }
    return outcome_;
  }

  std::string out() const { return ReadWholeFile(out_path_); }
  std::string err() const { return ReadWholeFile(err_path_); }

 private:
  std::string out_path_, err_path_;
  pid_t pid_ = -1;
  std::string spawn_error_;
  bool reaped_ = false;
  Outcome outcome_;
};

// A finished run: how it ended and what it printed.
struct RunResult {
  Outcome outcome;
  std::string out, err;
  bool ok() const { return outcome.exited && outcome.exit_code == 0; }
  std::string Describe() const { return "alopex " + outcome.Describe() + "\nstderr: " + err + "\nstdout: " + out; }
};

// ------------------------------------------------------------ output parsing

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

// The integer value of `"key":N` in one JSON line, if there.
std::optional<int64_t> JsonInt(const std::string& line, const std::string& key) {
  std::smatch m;
  if (!std::regex_search(line, m, std::regex("\"" + key + "\":(-?[0-9]+)"))) return std::nullopt;
  return std::stoll(m[1].str());
}

// The string value of `"key":"..."` (its first occurrence) in one JSON line.
std::optional<std::string> JsonString(const std::string& line, const std::string& key) {
  std::smatch m;
  if (!std::regex_search(line, m, std::regex("\"" + key + "\":\"((?:[^\"\\\\]|\\\\.)*)\""))) return std::nullopt;
  std::string raw = m[1].str(), out;
  for (size_t i = 0; i < raw.size(); i++) {
    if (raw[i] == '\\' && i + 1 < raw.size()) {
      out += raw[++i];  // the paths Alopex writes escape at most '/' and '"'
    } else {
      out += raw[i];
    }
  }
  return out;
}

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(s[i + 1]) && std::isxdigit(s[i + 2])) {
      out += char(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// ------------------------------------------------------------ the Delta log

// What the JSON commits of a table's _delta_log say (checkpoints are ignored:
// Alopex never deletes the JSON commits they summarize).
struct DeltaLog {
  std::string error;                    // non-empty when the log is unreadable or has a gap
  int64_t latest_version = -1;          // the newest commit
  std::vector<std::string> operations;  // commitInfo.operation, by version
  std::set<std::string> live_files;     // relative, decoded paths of adds not removed since
  int64_t removes = 0;

  int64_t Count(const std::string& operation) const {
    return std::count(operations.begin(), operations.end(), operation);
  }
};

DeltaLog ReadDeltaLog(const fs::path& table_dir) {
  DeltaLog log;
  std::map<int64_t, fs::path> commits;
  static const std::regex commit_name("^([0-9]{20})\\.json$");
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(table_dir / "_delta_log", ec)) {
    std::smatch m;
    std::string name = e.path().filename().string();
    if (std::regex_match(name, m, commit_name)) commits[std::stoll(m[1].str())] = e.path();
  }
  if (ec) {
    log.error = "cannot list " + (table_dir / "_delta_log").string() + ": " + ec.message();
    return log;
  }
  int64_t expected = 0;
  for (const auto& [version, path] : commits) {
    if (version != expected) {
      log.error = "the log has no commit " + std::to_string(expected) + " but has " + path.filename().string();
      return log;
    }
    expected++;
    std::string operation;
    for (const auto& line : Lines(ReadWholeFile(path))) {
      if (line.rfind("{\"commitInfo\":", 0) == 0) {
        operation = JsonString(line, "operation").value_or("?");
      } else if (line.rfind("{\"add\":", 0) == 0) {
        if (auto p = JsonString(line, "path")) log.live_files.insert(PercentDecode(*p));
      } else if (line.rfind("{\"remove\":", 0) == 0) {
        log.removes++;
        if (auto p = JsonString(line, "path")) log.live_files.erase(PercentDecode(*p));
      }
    }
    log.operations.push_back(operation);
    log.latest_version = version;
  }
  return log;
}

// Every regular file under the table folder outside _delta_log, relative.
std::set<std::string> DataFolderFiles(const fs::path& table_dir) {
  std::set<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(table_dir, ec); it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (ec) break;
    if (it->is_directory() && it->path().filename() == "_delta_log") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) out.insert(fs::relative(it->path(), table_dir).string());
  }
  return out;
}

std::string JoinSet(const std::set<std::string>& s, size_t limit = 4) {
  std::string out;
  size_t n = 0;
  for (const auto& x : s) {
    if (n++ == limit) return out + ", ... (" + std::to_string(s.size()) + " in all)";
    out += (out.empty() ? "" : ", ") + x;
  }
  return out;
}

// ------------------------------------------------------------ the fixture

class StorageDurabilityTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(AlopexBinary()))
        << "the alopex binary is not at " << AlopexBinary()
        << "; build the alopex target (or set ALOPEX_BINARY) before running this test";
    std::random_device rd;
    seed_ = (uint64_t(rd()) << 32) | rd();
    if (const char* env = std::getenv("ALOPEX_DURABILITY_SEED"); env && *env) seed_ = std::stoull(env);
    rng_.seed(seed_);
    std::cout << "[ seed     ] " << seed_ << " (set ALOPEX_DURABILITY_SEED to repeat the kill delays)" << std::endl;
  }

  fs::path Db(const std::string& name = "db") const { return dir_.path() / name; }
  fs::path TableDir(const std::string& table, const std::string& db = "db") const {
    return Db(db) / "data" / "main" / "public" / table;
  }
  fs::path NextStem() { return dir_.path() / ("run_" + std::to_string(++runs_)); }

  // Runs alopex to completion (or the time limit).
  RunResult Run(const std::vector<std::string>& args, std::chrono::seconds limit = std::chrono::seconds(120)) {
    AlopexProcess p(args, NextStem());
    RunResult r;
    if (!p.started()) {
      r.outcome.not_started = true;
      r.err = p.spawn_error();
      return r;
    }
    r.outcome = p.Wait(limit);
    r.out = p.out();
    r.err = p.err();
    return r;
  }
  RunResult Sql(const std::string& sql, const std::string& db = "db") {
    return Run({Db(db).string(), "--format", "jsonl", "-c", sql});
  }

  // The first line's integer `key` of a jsonl query, or nullopt (with a
  // test failure naming the query) when the query fails.
  std::optional<int64_t> QueryInt(const std::string& sql, const std::string& key, const std::string& db = "db") {
    RunResult r = Sql(sql, db);
    EXPECT_TRUE(r.ok()) << sql << "\n" << r.Describe();
    auto lines = Lines(r.out);
    if (!r.ok() || lines.empty()) return std::nullopt;
    auto v = JsonInt(lines[0], key);
    EXPECT_TRUE(v.has_value()) << sql << ": no \"" << key << "\" in " << lines[0];
    return v;
  }

  // Seconds one run of `args` takes, run to completion (it must succeed).
  double TimeRun(const std::vector<std::string>& args) {
    auto start = Clock::now();
    RunResult r = Run(args);
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    EXPECT_TRUE(r.ok()) << r.Describe();
    return seconds;
  }

  // Starts `args`, SIGKILLs it after a delay drawn uniformly from [0, max],
  // and reaps it. Returns the delay in ms and whether the kill ended it (false
  // when it had already finished).
  std::pair<int64_t, bool> RunAndKill(const std::vector<std::string>& args, double max_seconds) {
    std::uniform_real_distribution<double> delay_dist(0, max_seconds);
    auto delay = std::chrono::microseconds(int64_t(delay_dist(rng_) * 1e6));
    AlopexProcess p(args, NextStem());
    EXPECT_TRUE(p.started()) << p.spawn_error();
    std::this_thread::sleep_for(delay);  // the random kill moment is the point of the test
    p.Kill();
    Outcome o = p.Wait();
    EXPECT_TRUE(o.signal == SIGKILL || (o.exited && o.exit_code == 0))
        << "the statement " << o.Describe() << " before it was killed\nstderr: " << p.err();
    return {std::chrono::duration_cast<std::chrono::milliseconds>(delay).count(), o.signal == SIGKILL};
  }

  ScratchDir dir_;
  uint64_t seed_ = 0;
  std::mt19937_64 rng_;
  int runs_ = 0;
};

#define ASSERT_RUN_OK(run)                 \
  do {                                     \
    RunResult r_ = (run);                  \
    ASSERT_TRUE(r_.ok()) << r_.Describe(); \
  } while (0)

// ------------------------------------------------------------ 1. crash

// 50 INSERTs killed at random moments: after each, a new process must see
// exactly the committed INSERTs (K rows each) and the marker rows, at the
// log's newest version, and must be able to write. VACUUM RETAIN 0 HOURS then
// leaves only files the log references.
TEST_F(StorageDurabilityTest, KilledInsertsLeaveTheLastCommitVisible) {
  constexpr int64_t kRows = 300000;
  constexpr int kKills = 50;
  const std::string db = Db().string();
  ASSERT_RUN_OK(Sql("CREATE TABLE t (id BIGINT, payload VARCHAR)"));
  const std::string insert =
      "INSERT INTO t SELECT i, 'row ' || i::VARCHAR FROM range(" + std::to_string(kRows) + ") r(i)";
  const std::vector<std::string> insert_args = {db, "-c", insert};

  // One un-killed run sets the window the kill delays are drawn from.
  double window = TimeRun(insert_args);
  std::cout << "[ window   ] one INSERT of " << kRows << " rows takes " << window << " s" << std::endl;

  int64_t markers = 0;
  int interrupted = 0;
  for (int i = 0; i < kKills; i++) {
    auto [delay_ms, killed] = RunAndKill(insert_args, window);
    interrupted += killed;
    SCOPED_TRACE("kill " + std::to_string(i + 1) + " of " + std::to_string(kKills) + ", after " +
                 std::to_string(delay_ms) + " ms (" + (killed ? "the kill ended it" : "it had already exited") + ")");

    DeltaLog log = ReadDeltaLog(TableDir("t"));
    ASSERT_TRUE(log.error.empty()) << log.error;
    const int64_t bulk_commits = log.Count("WRITE") - markers;

    // One process: what it sees, the history it opened at, then the next write.
    const std::string check =
        "SELECT count(*) FILTER (WHERE id >= 0) AS bulk_rows, "
        "count(*) FILTER (WHERE id < 0) AS marker_rows FROM t; "
        "DESCRIBE HISTORY t; "
        "INSERT INTO t VALUES (" +
        std::to_string(-1 - markers) + ", 'marker')";
    RunResult r = Sql(check);
    ASSERT_TRUE(r.ok()) << "reopening after the kill: " << r.Describe();
    auto lines = Lines(r.out);
    ASSERT_GE(lines.size(), 3u) << r.out;
    int64_t history_latest = -1, history_writes = 0;
    for (size_t l = 1; l + 1 < lines.size(); l++) {
      history_latest = std::max(history_latest, JsonInt(lines[l], "version").value_or(-1));
      if (JsonString(lines[l], "operation") == "WRITE") history_writes++;
    }
    EXPECT_EQ(history_latest, log.latest_version) << "DESCRIBE HISTORY does not end at the log's newest commit";
    EXPECT_EQ(history_writes, log.Count("WRITE")) << "DESCRIBE HISTORY and the log count different WRITE commits";
    ASSERT_EQ(JsonInt(lines[0], "bulk_rows"), kRows * bulk_commits)
        << "a partial INSERT is visible, or a committed one is missing: the log holds " << bulk_commits
        << " committed INSERTs of " << kRows << " rows";
    ASSERT_EQ(JsonInt(lines[0], "marker_rows"), markers);
    ASSERT_EQ(JsonInt(lines.back(), "Count"), 1) << "the write after reopening: " << lines.back();
    markers++;
  }
  // The last marker's commit is visible to the next process too.
  DeltaLog log = ReadDeltaLog(TableDir("t"));
  ASSERT_TRUE(log.error.empty()) << log.error;
  std::cout << "[ kills    ] " << interrupted << " of " << kKills << " kills ended the INSERT; "
            << log.Count("WRITE") - markers - 1 << " killed INSERTs had committed" << std::endl;
  const int64_t total = kRows * (log.Count("WRITE") - markers) + markers;
  ASSERT_EQ(QueryInt("SELECT count(*) AS n FROM t", "n"), total);

  // VACUUM: every file the killed statements left behind goes.
  std::set<std::string> leftovers;
  for (const auto& f : DataFolderFiles(TableDir("t")))
    if (!log.live_files.count(f)) leftovers.insert(f);
  std::cout << "[ vacuum   ] " << leftovers.size() << " files under the table are not in the log before VACUUM"
            << std::endl;
  // RETAIN 0 HOURS is below Delta's default retention, so the check goes off
  // first: Alopex's setting, else Databricks' name for it. The SET must run in
  // the VACUUM's own process (settings are per session).
  std::string no_check;
  for (const char* setting :
       {"alopex.vacuum_retention_check", "spark.databricks.delta.retentionDurationCheck.enabled"}) {
    std::string set = std::string("SET ") + setting + " = false";
    RunResult r = Sql(set);
    if (r.ok()) {
      no_check = set;
      break;
    }
    std::cout << "[ note     ] " << set << ": " << r.err;
  }
  RunResult vacuum = no_check.empty() ? Run({db, "-c", "VACUUM t RETAIN 0 HOURS"})
                                      : Run({db, "-c", no_check, "-c", "VACUUM t RETAIN 0 HOURS"});
  ASSERT_TRUE(vacuum.ok()) << "VACUUM t RETAIN 0 HOURS failed, so the " << leftovers.size()
                           << " files of killed statements stay (" << JoinSet(leftovers) << ")\n"
                           << vacuum.Describe();
  std::set<std::string> after = DataFolderFiles(TableDir("t")), unreferenced, missing;
  for (const auto& f : after)
    if (!log.live_files.count(f)) unreferenced.insert(f);
  for (const auto& f : log.live_files)
    if (!after.count(f)) missing.insert(f);
  EXPECT_TRUE(unreferenced.empty()) << "files VACUUM left that the log does not reference: " << JoinSet(unreferenced);
  EXPECT_TRUE(missing.empty()) << "files the log references that VACUUM deleted: " << JoinSet(missing);
  EXPECT_EQ(QueryInt("SELECT count(*) AS n FROM t", "n"), total) << "after VACUUM";
}

// ------------------------------------------------------------ 2. concurrency

// Two processes, 200 single-row INSERTs each, at the same time: 400 commits
// after the creation and every row there once.
TEST_F(StorageDurabilityTest, TwoProcessesAppendingAtOnceLoseNothing) {
  constexpr int kInserts = 200;
  ASSERT_RUN_OK(Sql("CREATE TABLE t (id BIGINT, writer INTEGER)"));
  std::vector<int64_t> expected;
  std::vector<fs::path> scripts;
  for (int w = 1; w <= 2; w++) {
    std::string sql;
    for (int i = 0; i < kInserts; i++) {
      int64_t id = int64_t(w) * 100000 + i;
      expected.push_back(id);
      sql += "INSERT INTO t VALUES (" + std::to_string(id) + ", " + std::to_string(w) + ");\n";
    }
    scripts.push_back(dir_.path() / ("writer_" + std::to_string(w) + ".sql"));
    WriteWholeFile(scripts.back(), sql);
  }
  std::sort(expected.begin(), expected.end());

  AlopexProcess a({Db().string(), "-f", scripts[0].string()}, NextStem());
  AlopexProcess b({Db().string(), "-f", scripts[1].string()}, NextStem());
  ASSERT_TRUE(a.started()) << a.spawn_error();
  ASSERT_TRUE(b.started()) << b.spawn_error();
  Outcome oa = a.Wait(std::chrono::seconds(90)), ob = b.Wait(std::chrono::seconds(90));
  EXPECT_TRUE(oa.exited && oa.exit_code == 0) << "writer 1 " << oa.Describe() << "\nstderr: " << a.err();
  EXPECT_TRUE(ob.exited && ob.exit_code == 0) << "writer 2 " << ob.Describe() << "\nstderr: " << b.err();

  DeltaLog log = ReadDeltaLog(TableDir("t"));
  ASSERT_TRUE(log.error.empty()) << log.error;
  EXPECT_EQ(log.latest_version, 2 * kInserts);
  EXPECT_EQ(log.Count("WRITE"), 2 * kInserts);

  RunResult history = Sql("DESCRIBE HISTORY t");
  ASSERT_TRUE(history.ok()) << history.Describe();
  int64_t writes = 0, latest = -1;
  for (const auto& line : Lines(history.out)) {
    if (JsonString(line, "operation") == "WRITE") writes++;
    latest = std::max(latest, JsonInt(line, "version").value_or(-1));
  }
  EXPECT_EQ(writes, 2 * kInserts) << "WRITE commits in DESCRIBE HISTORY";
  EXPECT_EQ(latest, 2 * kInserts) << "newest version in DESCRIBE HISTORY";

  RunResult rows = Sql("SELECT id FROM t ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.Describe();
  std::vector<int64_t> ids;
  for (const auto& line : Lines(rows.out)) ids.push_back(JsonInt(line, "id").value_or(INT64_MIN));
  std::vector<int64_t> lost, extra;
  std::set_difference(expected.begin(), expected.end(), ids.begin(), ids.end(), std::back_inserter(lost));
  std::set_difference(ids.begin(), ids.end(), expected.begin(), expected.end(), std::back_inserter(extra));
  EXPECT_EQ(ids.size(), expected.size());
  EXPECT_TRUE(lost.empty()) << lost.size() << " rows are missing, the first " << lost.front();
  EXPECT_TRUE(extra.empty()) << extra.size() << " rows are extra or repeated, the first " << extra.front();
}

// ------------------------------------------------------------ 3. DuckDB

#define SKIP_WITHOUT_DUCKDB()                                                                                         \
  do {                                                                                                                \
    if (!DuckdbPeer::Unavailable().empty()) GTEST_SKIP() << "DuckDB peer unavailable: " << DuckdbPeer::Unavailable(); \
  } while (0)

// A table built by INSERTs, an UPDATE and DELETEs: DuckDB reads its log with
// read_json_objects and every live file with read_parquet; each file holds the
// rows its stats say, together the rows Alopex counts; every action line has
// the fields the protocol requires.
TEST_F(StorageDurabilityTest, DuckdbReadsTheFilesAndLogAlopexWrote) {
  SKIP_WITHOUT_DUCKDB();
  fs::path script = dir_.path() / "build.sql";
  WriteWholeFile(script,
                 "CREATE TABLE t (id BIGINT, name VARCHAR, score DOUBLE);\n"
                 "INSERT INTO t SELECT i, 'name ' || i::VARCHAR, i / 4 FROM range(0, 3000) r(i);\n"
                 "INSERT INTO t SELECT i, 'name ' || i::VARCHAR, i / 4 FROM range(3000, 5000) r(i);\n"
                 "INSERT INTO t VALUES (100000, 'single', 1.5);\n"
                 "UPDATE t SET score = score + 1 WHERE id % 3 = 0;\n"
                 "DELETE FROM t WHERE id % 7 = 0;\n"
                 "INSERT INTO t SELECT i, 'name ' || i::VARCHAR, i / 4 FROM range(5000, 6000) r(i);\n"
                 "DELETE FROM t WHERE id BETWEEN 5000 AND 5099;\n"
                 "INSERT INTO t SELECT i, NULL, NULL FROM range(7000, 7010) r(i);\n");
  ASSERT_RUN_OK(Run({Db().string(), "-f", script.string()}));
  RunResult alopex = Sql("SELECT count(*) AS n, sum(id) AS s FROM t");
  ASSERT_TRUE(alopex.ok()) << alopex.Describe();
  auto alopex_count = JsonInt(alopex.out, "n"), alopex_sum = JsonInt(alopex.out, "s");
  ASSERT_TRUE(alopex_count && alopex_sum) << alopex.out;

  const fs::path table = TableDir("t");
  const std::string log_lines =
      "CREATE TABLE log AS SELECT parse_filename(filename) AS commit_file, json FROM "
      "read_json_objects(" +
      SqlString((table / "_delta_log" / "*.json").string()) + ", format = 'newline_delimited', filename = true);\n";

  // The live files by DuckDB's replay: adds whose path no remove names.
  auto live = DuckdbPeer::Query(log_lines +
                                    "WITH adds AS (SELECT json->>'$.add.path' AS path, "
                                    "(json->>'$.add.stats')::JSON->>'numRecords' AS n FROM log "
                                    "WHERE json_exists(json, '$.add')), "
                                    "removes AS (SELECT json->>'$.remove.path' AS path FROM log "
                                    "WHERE json_exists(json, '$.remove')) "
                                    "SELECT path, n, (SELECT count(*) FROM removes)::VARCHAR FROM adds "
                                    "WHERE path NOT IN (SELECT path FROM removes) ORDER BY path",
                                dir_.path());
  ASSERT_TRUE(live.ok) << live.error;
  ASSERT_FALSE(live.rows.empty()) << "DuckDB finds no live add in the log";
  EXPECT_NE(live.rows[0][2].value_or("0"), "0") << "the UPDATE and DELETEs wrote no remove action";
  std::cout << "[ log      ] " << live.rows.size() << " live files, " << live.rows[0][2].value_or("?")
            << " remove actions" << std::endl;

  // Each live file's rows, read by DuckDB.
  std::map<std::string, std::string> stats_rows;
  std::string counts;
  for (const auto& row : live.rows) {
    ASSERT_TRUE(row[0] && row[1]) << "an add without path or stats.numRecords";
    stats_rows[*row[0]] = *row[1];
    counts += std::string(counts.empty() ? "" : " UNION ALL ") + "SELECT " + SqlString(*row[0]) +
              ", count(*)::VARCHAR, coalesce(sum(id), 0)::VARCHAR FROM read_parquet(" +
              SqlString((table / PercentDecode(*row[0])).string()) + ")";
  }
  auto files = DuckdbPeer::Query(counts, dir_.path());
  ASSERT_TRUE(files.ok) << files.error;
  int64_t duck_count = 0, duck_sum = 0;
  for (const auto& row : files.rows) {
    ASSERT_EQ(row.size(), 3u);
    EXPECT_EQ(*row[1], stats_rows[*row[0]]) << "rows DuckDB reads in " << *row[0] << " vs the add's stats.numRecords";
    duck_count += std::stoll(*row[1]);
    duck_sum += std::stoll(*row[2]);
  }
  EXPECT_EQ(files.rows.size(), live.rows.size());
  EXPECT_EQ(duck_count, *alopex_count) << "rows in the live files (DuckDB) vs count(*) (Alopex)";
  EXPECT_EQ(duck_sum, *alopex_sum) << "sum(id) over the live files (DuckDB) vs Alopex";

  // Required fields of each action, and one commitInfo per commit.
  const std::vector<std::pair<std::string, std::vector<std::string>>> required = {
      {"add", {"path", "partitionValues", "size", "modificationTime", "dataChange"}},
      {"remove", {"path", "dataChange"}},
      {"metaData", {"id", "format.provider", "schemaString", "partitionColumns", "configuration"}},
      {"protocol", {"minReaderVersion", "minWriterVersion"}},
  };
  std::string missing;
  for (const auto& [action, fields] : required) {
    for (const auto& field : fields) {
      missing += std::string(missing.empty() ? "" : " UNION ALL ") + "SELECT commit_file, '" + action + "." + field +
                 "' FROM log WHERE json_exists(json, '$." + action + "') AND NOT json_exists(json, '$." + action + "." +
                 field + "')";
    }
  }
  // Types where the protocol names one.
  missing +=
      " UNION ALL SELECT commit_file, 'add.size is ' || json_type(json, '$.add.size') FROM log "
      "WHERE json_exists(json, '$.add.size') AND json_type(json, '$.add.size') NOT IN ('BIGINT', 'UBIGINT')"
      " UNION ALL SELECT commit_file, 'add.dataChange is ' || json_type(json, '$.add.dataChange') FROM log "
      "WHERE json_exists(json, '$.add.dataChange') AND json_type(json, '$.add.dataChange') <> 'BOOLEAN'"
      " UNION ALL SELECT commit_file, 'remove.dataChange is ' || json_type(json, '$.remove.dataChange') FROM log "
      "WHERE json_exists(json, '$.remove.dataChange') AND json_type(json, '$.remove.dataChange') <> 'BOOLEAN'"
      " UNION ALL SELECT commit_file, 'a line of ' || json_array_length(json_keys(json))::VARCHAR || ' actions' "
      "FROM log WHERE json_array_length(json_keys(json)) <> 1"
      " UNION ALL SELECT commit_file, count(*) FILTER (WHERE json_exists(json, '$.commitInfo'))::VARCHAR || "
      "' commitInfo actions' FROM log GROUP BY commit_file "
      "HAVING count(*) FILTER (WHERE json_exists(json, '$.commitInfo')) <> 1"
      " UNION ALL SELECT '00000000000000000000.json', 'no protocol and metaData' FROM log "
      "WHERE commit_file = '00000000000000000000.json' HAVING count(*) FILTER (WHERE json_exists(json, '$.protocol')) "
      "<> 1 OR count(*) FILTER (WHERE json_exists(json, '$.metaData')) <> 1";
  auto problems = DuckdbPeer::Query(log_lines + "SELECT * FROM (" + missing + ") ORDER BY ALL", dir_.path());
  ASSERT_TRUE(problems.ok) << problems.error;
  std::string listed;
  for (const auto& row : problems.rows) listed += row[0].value_or("?") + ": " + row[1].value_or("?") + "\n";
  EXPECT_TRUE(problems.rows.empty()) << "action lines without a required field (or of the wrong type):\n" << listed;
}

// Row tracking as another engine reads it: after UPDATE, DELETE, OPTIMIZE,
// MERGE and INSERT, DuckDB works out every live row's id from the log alone
// (the materialized row-id column where a file has it and it is not NULL,
// else add.baseRowId + the row's position in the file; likewise the commit
// version) and gets the ids Alopex's _row_id gives.
TEST_F(StorageDurabilityTest, DuckdbComputesTheRowIdsAlopexKeeps) {
  SKIP_WITHOUT_DUCKDB();
  fs::path script = dir_.path() / "row_ids.sql";
  WriteWholeFile(script,
                 "CREATE TABLE t (id BIGINT, name VARCHAR);\n"
                 "INSERT INTO t SELECT i, 'n' || i::VARCHAR FROM range(0, 1000) r(i);\n"
                 "INSERT INTO t SELECT i, 'n' || i::VARCHAR FROM range(1000, 2000) r(i);\n"
                 "UPDATE t SET name = 'updated' WHERE id % 10 = 0 AND id < 1000;\n"
                 "DELETE FROM t WHERE id % 7 = 0 AND id >= 1000;\n"
                 "OPTIMIZE t;\n"
                 "MERGE INTO t USING (SELECT i AS id FROM range(1990, 2010) r(i)) s ON t.id = s.id "
                 "WHEN MATCHED THEN UPDATE SET name = 'merged' WHEN NOT MATCHED THEN INSERT VALUES (s.id, 'new');\n"
                 "INSERT INTO t SELECT i, 'late' FROM range(3000, 3010) r(i);\n");
  ASSERT_RUN_OK(Run({Db().string(), "-f", script.string()}));
  // A checksum of (id, row id, commit version) over every row; the first two
  // INSERTs gave row `id` the id `id`, which it keeps whatever rewrote it (a
  // row the DELETE removed and the MERGE inserted again is a new row).
  const std::string checksum =
      "count(*) AS n, count(DISTINCT rid) AS ids, sum(id * 1000003 + rid) AS s, sum(id * 31 + ver) AS v, "
      "count(*) FILTER (WHERE id < 2000 AND rid <> id AND name <> 'new') AS moved";
  RunResult alopex =
      Sql("SELECT " + checksum + " FROM (SELECT id, name, _row_id AS rid, _row_commit_version AS ver FROM t)");
  ASSERT_TRUE(alopex.ok()) << alopex.Describe();

  const fs::path table = TableDir("t");
  const std::string log_lines =
      "CREATE TABLE log AS SELECT parse_filename(filename) AS commit_file, json FROM "
      "read_json_objects(" +
      SqlString((table / "_delta_log" / "*.json").string()) + ", format = 'newline_delimited', filename = true);\n";
  // The live adds with their row-tracking fields, and the hidden columns' names.
  auto live = DuckdbPeer::Query(
      log_lines +
          "WITH adds AS (SELECT json->>'$.add.path' AS path, json->>'$.add.baseRowId' AS base, "
          "json->>'$.add.defaultRowCommitVersion' AS ver FROM log WHERE json_exists(json, '$.add')), "
          "removes AS (SELECT json->>'$.remove.path' AS path FROM log WHERE json_exists(json, '$.remove')), "
          "names AS (SELECT json->'$.metaData.configuration' AS c FROM log WHERE json_exists(json, '$.metaData') "
          "ORDER BY commit_file DESC LIMIT 1) "
          "SELECT path, base, ver, c->>'$.\"delta.rowTracking.materializedRowIdColumnName\"', "
          "c->>'$.\"delta.rowTracking.materializedRowCommitVersionColumnName\"' FROM adds, names "
          "WHERE path NOT IN (SELECT path FROM removes) ORDER BY path",
      dir_.path());
  ASSERT_TRUE(live.ok) << live.error;
  ASSERT_GE(live.rows.size(), 2u) << "expected the OPTIMIZE/MERGE file and the last INSERT's";
  ASSERT_TRUE(live.rows[0][3] && live.rows[0][4]) << "no materialized row-tracking column names in metaData";
  std::string files, adds;
  for (const auto& row : live.rows) {
    ASSERT_TRUE(row[0] && row[1] && row[2]) << "a live add without baseRowId or defaultRowCommitVersion";
    std::string path = (table / PercentDecode(*row[0])).string();
    files += std::string(files.empty() ? "" : ", ") + SqlString(path);
    adds += std::string(adds.empty() ? "" : ", ") + "(" + SqlString(path) + ", " + *row[1] + ", " + *row[2] + ")";
  }
  auto quoted = [](const std::string& name) { return "\"" + name + "\""; };
  auto duck = DuckdbPeer::Query(
      "SELECT " + checksum + " FROM (SELECT f.id, f.name, coalesce(f." + quoted(*live.rows[0][3]) +
          ", a.base + f.file_row_number) AS rid, coalesce(f." + quoted(*live.rows[0][4]) +
          ", a.ver) AS ver FROM read_parquet([" + files +
          "], union_by_name = true, file_row_number = true, filename = true) f JOIN (VALUES " + adds +
          ") a(path, base, ver) ON f.filename = a.path)",
      dir_.path());
  ASSERT_TRUE(duck.ok) << duck.error;
  ASSERT_EQ(duck.rows.size(), 1u);
  for (size_t i = 0; i < 5; i++) {
    static const char* kNames[] = {"n", "ids", "s", "v", "moved"};
    auto mine = JsonInt(alopex.out, kNames[i]);
    ASSERT_TRUE(mine && duck.rows[0][i]) << alopex.out;
    EXPECT_EQ(std::to_string(*mine), *duck.rows[0][i]) << kNames[i] << ": Alopex vs DuckDB reading the log and files";
  }
  EXPECT_EQ(JsonInt(alopex.out, "n"), JsonInt(alopex.out, "ids")) << "row ids are not unique";
  EXPECT_EQ(JsonInt(alopex.out, "moved"), 0) << "rows of the first INSERTs whose id changed";
}

// ------------------------------------------------------------ 4. import kills

// Twenty Parquet files, COPY INTO killed five times at random moments, then
// run to completion and run once more: each source row is in the table once.
// Then COPY FROM killed mid-way leaves its table as it was, or wholly loaded.
TEST_F(StorageDurabilityTest, KilledImportsLoadEachRowOnce) {
  constexpr int kFiles = 20;
  constexpr int64_t kRowsPerFile = 20000;
  constexpr int64_t kTotal = kFiles * kRowsPerFile;
  constexpr int kKills = 5;
  const fs::path source = dir_.path() / "source";
  fs::create_directories(source);
  std::string write_source;
  for (int f = 0; f < kFiles; f++) {
    write_source += "COPY (SELECT " + std::to_string(f * kRowsPerFile) + " + i AS id, 'value ' || i::VARCHAR AS s " +
                    "FROM range(" + std::to_string(kRowsPerFile) + ") r(i)) TO " +
                    SqlString((source / ("f_" + std::to_string(f) + ".parquet")).string()) + ";\n";
  }
  ASSERT_RUN_OK(Run({":memory:", "-c", write_source}));

  const std::string copy_into = "COPY INTO t FROM " + SqlString(source.string()) + " FILE_FORMAT = PARQUET";
  const std::string copy_from = "COPY FROM " + SqlString(source.string()) + " INTO t2";
  const std::string create = "CREATE TABLE t (id BIGINT, s VARCHAR); CREATE TABLE t2 (id BIGINT, s VARCHAR)";

  // The kill windows: each statement run to completion on a scratch database.
  ASSERT_RUN_OK(Sql(create, "probe"));
  double into_window = TimeRun({Db("probe").string(), "-c", copy_into});
  double from_window = TimeRun({Db("probe").string(), "-c", copy_from});
  std::cout << "[ window   ] COPY INTO takes " << into_window << " s, COPY FROM " << from_window << " s" << std::endl;

  ASSERT_RUN_OK(Sql(create + "; INSERT INTO t2 VALUES (-1, 'before'), (-2, 'before'), (-3, 'before')"));

  // COPY INTO, killed: the table holds nothing or everything, never twice.
  auto rows_and_ids = [&](const std::string& table) -> std::pair<int64_t, int64_t> {
    RunResult r = Sql("SELECT count(*) AS n, count(DISTINCT id) AS d FROM " + table);
    EXPECT_TRUE(r.ok()) << r.Describe();
    return {JsonInt(r.out, "n").value_or(-1), JsonInt(r.out, "d").value_or(-1)};
  };
  int interrupted = 0;
  for (int k = 0; k < kKills; k++) {
    auto [delay_ms, killed] = RunAndKill({Db().string(), "-c", copy_into}, into_window);
    interrupted += killed;
    SCOPED_TRACE("COPY INTO kill " + std::to_string(k + 1) + ", after " + std::to_string(delay_ms) + " ms (" +
                 (killed ? "the kill ended it" : "it had already exited") + ")");
    auto [rows, ids] = rows_and_ids("t");
    EXPECT_EQ(rows, ids) << "some source rows are loaded twice";
    EXPECT_TRUE(ids == 0 || ids == kTotal) << "a partial import is visible: " << ids << " of " << kTotal << " rows";
  }
  DeltaLog into_log = ReadDeltaLog(TableDir("t"));
  std::cout << "[ kills    ] " << interrupted << " of " << kKills << " COPY INTO kills ended the statement; "
            << into_log.latest_version << " runs committed before their kill" << std::endl;
  RunResult complete = Run({Db().string(), "--format", "jsonl", "-c", copy_into});
  ASSERT_TRUE(complete.ok()) << complete.Describe();
  auto [rows, ids] = rows_and_ids("t");
  EXPECT_EQ(rows, kTotal) << "after COPY INTO ran to completion (it reported " << complete.out << ")";
  EXPECT_EQ(ids, kTotal) << "after COPY INTO ran to completion";
  RunResult again = Run({Db().string(), "--format", "jsonl", "-c", copy_into});
  ASSERT_TRUE(again.ok()) << again.Describe();
  EXPECT_EQ(JsonInt(again.out, "rows_imported"), 0) << "COPY INTO run again in a new process: " << again.out;
  EXPECT_EQ(rows_and_ids("t").first, kTotal) << "after COPY INTO ran again in a new process";

  // COPY FROM, killed: t2 is at its last commit, which is its previous
  // contents unless the kill came after the import committed.
  for (int k = 0; k < 3; k++) {
    auto [delay_ms, killed] = RunAndKill({Db().string(), "-c", copy_from}, from_window);
    SCOPED_TRACE("COPY FROM kill " + std::to_string(k + 1) + ", after " + std::to_string(delay_ms) + " ms (" +
                 (killed ? "the kill ended it" : "it had already exited") + ")");
    DeltaLog log = ReadDeltaLog(TableDir("t2"));
    ASSERT_TRUE(log.error.empty()) << log.error;
    const int64_t imports = log.latest_version - 1;  // version 0 creates t2, version 1 adds the three rows
    auto [t2_rows, t2_ids] = rows_and_ids("t2");
    EXPECT_EQ(t2_rows, 3 + imports * kTotal) << "t2 after the kill; the log holds " << imports << " imports";
    EXPECT_EQ(QueryInt("SELECT count(*) AS n FROM t2 WHERE id < 0", "n"), 3) << "t2's previous rows";
  }
}

}  // namespace
}  // namespace alopex::interop
