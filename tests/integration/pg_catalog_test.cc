// The PostgreSQL catalog shared by several Alopex processes (issue 5), against
// a real PostgreSQL server this test starts on 127.0.0.1: `alopex --catalog
// postgresql://... DBDIR` shells run as separate processes, and what one
// creates, inserts, renames, drops or imports the others see on their next
// statement. Skipped when no PostgreSQL server binaries are installed.
#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "alopex/database.h"
#include "api/database_instance.h"
#include "ingest/import_jobs.h"
#include "scratch_dir.h"

namespace alopex::interop {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUser = "alopex";
constexpr const char* kPassword = "pg-s3cret-pw";

// ---------------------------------------------------------------- processes

// Output of a command (stdout and stderr together) and its exit code.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};

// Starts `argv` with stdin from `stdin_fd` (or /dev/null) and stdout+stderr
// into `out_fd`; as `run_as` (a user name) when given. The child gets SIGTERM
// if this process dies first, so a crashed test leaves no server behind.
// Returns the pid.
pid_t Spawn(const std::vector<std::string>& argv, int stdin_fd, int out_fd, const std::optional<passwd>& run_as) {
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid != 0) return pid;
  if (stdin_fd < 0) stdin_fd = open("/dev/null", O_RDONLY);
  dup2(stdin_fd, 0);
  dup2(out_fd, 1);
  dup2(out_fd, 2);
  for (int fd = 3; fd < 256; fd++) close(fd);
  if (run_as) {
    if (initgroups(run_as->pw_name, run_as->pw_gid) != 0 || setgid(run_as->pw_gid) != 0 || setuid(run_as->pw_uid) != 0)
      _exit(126);
  }
  prctl(PR_SET_PDEATHSIG, SIGTERM);  // after setuid, which clears it
  if (getppid() != parent) _exit(125);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  _exit(127);
}

// Reads `fd` until EOF. Bounded by the child's own end.
std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    out.append(buf, size_t(n));
  }
  return out;
}

CommandResult RunCommand(const std::vector<std::string>& argv, const std::optional<passwd>& run_as = std::nullopt) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  pid_t pid = Spawn(argv, -1, fds[1], run_as);
  close(fds[1]);
  CommandResult r;
  r.output = ReadAll(fds[0]);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

// A port on 127.0.0.1 nothing listens on right now.
int FreePort() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = -1;
  if (bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  close(s);
  return port;
}

// The folder of initdb and postgres: `pg_config --bindir`, else the newest
// /usr/lib/postgresql/*/bin. Empty when there is none.
std::string PostgresBinDir() {
  auto has_server = [](const fs::path& dir) { return fs::exists(dir / "initdb") && fs::exists(dir / "postgres"); };
  CommandResult r = RunCommand({"pg_config", "--bindir"});
  if (r.exit_code == 0) {
    std::string dir = r.output.substr(0, r.output.find('\n'));
    if (has_server(dir)) return dir;
  }
  std::string best;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec))
    if (has_server(e.path() / "bin") && (e.path() / "bin").string() > best) best = (e.path() / "bin").string();
  return best;
}

// ---------------------------------------------------------------- the server

// A PostgreSQL cluster in a fresh folder, serving 127.0.0.1:port() with
// password authentication for kUser, stopped and removed on destruction.
class PostgresServer {
 public:
  // Empty error() when it accepts connections.
  explicit PostgresServer(const std::string& bin) {
    char tmpl[] = "/tmp/alopex_pg_XXXXXX";
    if (!mkdtemp(tmpl)) {
      error_ = "mkdtemp failed";
      return;
    }
    dir_ = tmpl;
    // initdb refuses to run as root: the cluster belongs to the postgres user.
    if (geteuid() == 0) {
      passwd* pw = getpwnam("postgres");
      if (!pw) {
        error_ = "running as root and there is no postgres user to run the server as";
        return;
      }
      run_as_ = *pw;
    }
    std::string pwfile = dir_ + "/pwfile";
    if (FILE* f = std::fopen(pwfile.c_str(), "w")) {
      std::fputs(kPassword, f);
      std::fclose(f);
    }
    if (run_as_) {
      if (chown(dir_.c_str(), run_as_->pw_uid, run_as_->pw_gid) != 0 ||
          chown(pwfile.c_str(), run_as_->pw_uid, run_as_->pw_gid) != 0) {
        error_ = "cannot chown " + dir_ + " to postgres";
        return;
      }
    }
    CommandResult init = RunCommand({bin + "/initdb", "-D", dir_ + "/data", "-U", kUser, "--auth-local=trust",
                                     "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "--no-sync"},
                                    run_as_);
    if (init.exit_code != 0) {
      error_ = "initdb failed: " + init.output;
      return;
    }
    port_ = FreePort();
    std::string log = dir_ + "/server.log";
    int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (run_as_ && fchown(log_fd, run_as_->pw_uid, run_as_->pw_gid) != 0) {
      error_ = "cannot chown the server log";
      return;
    }
    pid_ = Spawn({bin + "/postgres", "-D", dir_ + "/data", "-p", std::to_string(port_), "-k", dir_, "-c",
                  "listen_addresses=127.0.0.1", "-c", "fsync=off"},
                 -1, log_fd, run_as_);
    close(log_fd);
    // Up to 60 s for the server to come up (a loaded machine is slow).
    std::string ping = "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=postgres connect_timeout=2";
    for (int i = 0; i < 1200; i++) {
      if (PQping(ping.c_str()) == PQPING_OK) return;
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        error_ = "postgres exited: " + ReadWholeFile(log);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    error_ = "postgres did not accept connections within 60 s: " + ReadWholeFile(log);
  }

  ~PostgresServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      bool exited = false;
      for (int i = 0; i < 400 && !exited; i++) {  // up to 20 s
        exited = waitpid(pid_, nullptr, WNOHANG) == pid_;
        if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (!exited) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
      }
    }
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string Uri(const std::string& dbname, const std::string& password = kPassword) const {
    return std::string("postgresql://") + kUser + ":" + password + "@127.0.0.1:" + std::to_string(port_) + "/" + dbname;
  }
  // Runs `sql` on the postgres database; empty on success, else the error.
  std::string Exec(const std::string& sql) const {
    PGconn* conn = PQconnectdb(Uri("postgres").c_str());
    std::string err;
    if (PQstatus(conn) != CONNECTION_OK) {
      err = PQerrorMessage(conn);
    } else {
      PGresult* res = PQexec(conn, sql.c_str());
      if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
        err = PQresultErrorMessage(res);
      PQclear(res);
    }
    PQfinish(conn);
    return err;
  }

 private:
  std::string dir_;
  std::optional<passwd> run_as_;
  int port_ = -1;
  pid_t pid_ = -1;
  std::string error_;
};

// ---------------------------------------------------------------- the shell

#ifdef ALOPEX_SHELL
constexpr const char* kShell = ALOPEX_SHELL;
#else
constexpr const char* kShell = "";
#endif

// A long-running `alopex` shell reading statements from a pipe, as a user
// would keep one open; Run sends one and returns its CSV output.
class ShellProcess {
 public:
  explicit ShellProcess(const std::vector<std::string>& args) {
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return;
    std::vector<std::string> argv = {kShell, "--format", "csv"};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = Spawn(argv, in[0], out[1], std::nullopt);
    close(in[0]);
    close(out[1]);
    to_ = in[1];
    from_ = out[0];
  }
  ~ShellProcess() {
    if (to_ >= 0) close(to_);  // end of input: the shell exits
    if (pid_ > 0) waitpid(pid_, nullptr, 0);
    if (from_ >= 0) close(from_);
  }

  // The statement's output lines (the CSV header first), or "error: ..." with
  // what the shell printed when it stopped.
  std::string Run(const std::string& sql) {
    std::string marker = "end-of-statement-" + std::to_string(++count_);
    std::string text = sql + ";\nSELECT '" + marker + "' AS marker;\n";
    if (write(to_, text.data(), text.size()) != ssize_t(text.size())) return "error: cannot write to the shell";
    // Up to 60 s for one statement; the shell ends its output with the marker.
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
      size_t end = buffer_.find("marker\n" + marker + "\n");
      if (end != std::string::npos) {
        out = buffer_.substr(0, end);
        buffer_.erase(0, end + marker.size() + 8);
        break;
      }
      int left = int(
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
      pollfd p{from_, POLLIN, 0};
      if (left <= 0 || poll(&p, 1, left) <= 0) return "error: no answer within 60 s; got: " + buffer_;
      char buf[4096];
      ssize_t n = read(from_, buf, sizeof buf);
      if (n <= 0) return "error: the shell exited: " + buffer_;
      buffer_.append(buf, size_t(n));
    }
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

 private:
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
  int count_ = 0;
  std::string buffer_;
};

class PgCatalogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    signal(SIGPIPE, SIG_IGN);  // a shell that exited fails the test, not the process
    std::string bin = PostgresBinDir();
    if (bin.empty()) {
      skip_ = "no PostgreSQL server binaries (pg_config --bindir, /usr/lib/postgresql/*/bin): install postgresql";
      return;
    }
    server_ = new PostgresServer(bin);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (!skip_.empty()) GTEST_SKIP() << skip_;
    if (std::string(kShell).empty()) GTEST_SKIP() << "the alopex shell was not built with this test";
    ASSERT_TRUE(server_->error().empty()) << server_->error();
    // A database of its own for each test: the catalog starts empty.
    db_name_ = std::string("t_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (auto& c : db_name_) c = char(std::tolower(static_cast<unsigned char>(c)));
    ASSERT_EQ(server_->Exec("CREATE DATABASE " + db_name_), "");
  }
  std::string Uri() const { return server_->Uri(db_name_); }
  // One alopex process running `sql` on `dir`.
  CommandResult Alopex(const std::string& dir, const std::string& sql, const std::string& uri) const {
    return RunCommand({kShell, "--format", "csv", "--catalog", uri, dir, "-c", sql});
  }

  static inline PostgresServer* server_ = nullptr;
  static inline std::string skip_;
  std::string db_name_;
  ScratchDir scratch_;
};

TEST_F(PgCatalogTest, TwoProcessesShareTablesAndRows) {
  std::string dir = scratch_.File("db");
  ShellProcess a({"--catalog", Uri(), dir});
  ShellProcess b({"--catalog", Uri(), dir});
  EXPECT_EQ(b.Run("SHOW TABLES"), "name");

  EXPECT_EQ(a.Run("CREATE TABLE docs (id INTEGER, name VARCHAR)"), "");
  EXPECT_EQ(a.Run("INSERT INTO docs VALUES (1, 'a'), (2, 'b')"), "Count\n2");
  EXPECT_EQ(b.Run("SELECT id, name FROM docs ORDER BY id"), "id,name\n1,a\n2,b");
  EXPECT_EQ(b.Run("INSERT INTO docs VALUES (3, 'c')"), "Count\n1");
  EXPECT_EQ(a.Run("SELECT count(*) AS n, sum(id) AS s FROM docs"), "n,s\n3,6");

  // Renames, views, schemas and drops travel too.
  EXPECT_EQ(a.Run("ALTER TABLE docs RENAME TO documents"), "");
  EXPECT_EQ(b.Run("SELECT count(*) AS n FROM documents"), "n\n3");
  EXPECT_EQ(b.Run("CREATE SCHEMA silver"), "");
  EXPECT_EQ(b.Run("CREATE VIEW silver.firsts AS SELECT name FROM documents WHERE id < 3"), "");
  EXPECT_EQ(a.Run("SELECT name FROM silver.firsts ORDER BY name"), "name\na\nb");
  EXPECT_EQ(b.Run("DROP SCHEMA silver CASCADE"), "");
  EXPECT_EQ(a.Run("DROP TABLE documents"), "");
  EXPECT_EQ(b.Run("SHOW TABLES"), "name");
  EXPECT_EQ(a.Run("CREATE SCHEMA silver"), "");  // "already exists" had A missed the drop
}

// The locations are absolute: a process with another directory (elsewhere,
// on shared storage) reads the same files.
TEST_F(PgCatalogTest, AnotherDirectoryResolvesTheStoredLocations) {
  CommandResult create = Alopex(scratch_.File("first"), "CREATE TABLE t AS SELECT 41 + 1 AS answer", Uri());
  ASSERT_EQ(create.exit_code, 0) << create.output;
  CommandResult read = Alopex(scratch_.File("second"), "SELECT answer FROM t", Uri());
  EXPECT_EQ(read.exit_code, 0) << read.output;
  EXPECT_EQ(read.output, "answer\n42\n");
  EXPECT_FALSE(fs::exists(scratch_.File("second") + "/data/main/public/t"));
}

// Processes starting together on an empty database all create the tables.
TEST_F(PgCatalogTest, ProcessesStartingTogetherAllSucceed) {
  std::vector<std::thread> threads;
  std::vector<CommandResult> results(4);
  for (size_t i = 0; i < results.size(); i++)
    threads.emplace_back([&, i] { results[i] = Alopex(scratch_.File("db"), "SELECT 1 AS one", Uri()); });
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_EQ(r.exit_code, 0) << r.output;
}

// A job running in this process (a PostgreSQL-catalog database opened through
// the C++ API) is in another process's alopex_import_status while it runs,
// and a COPY FROM run by one shell is in the other's once done.
TEST_F(PgCatalogTest, ImportJobsAreVisibleFromAnotherProcess) {
  std::string dir = scratch_.File("db");
  DatabaseOptions options;
  options.catalog = Uri();
  auto db = Database::Open(dir, options);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto job = ImportJobRegistry::Global().Start("docs", &(*db)->instance().catalog());
  job->SetFilesTotal(2);
  job->AddRows(7);
  job->AddFilesDone(1);
  ShellProcess b({"--catalog", Uri(), dir});
  std::string query =
      "SELECT status, files_total, files_done, rows_imported FROM alopex_import_status WHERE job_id = '" + job->id() +
      "'";
  EXPECT_EQ(b.Run(query), "status,files_total,files_done,rows_imported\nin_progress,2,1,7");
  job->AddFilesDone(1);
  job->Complete(7, 1);
  EXPECT_EQ(b.Run(query), "status,files_total,files_done,rows_imported\ncompleted,2,2,7");

  WriteWholeFile(scratch_.File("a.csv"), "id,name\n1,a\n2,b\n");
  ShellProcess a({"--catalog", Uri(), dir});
  std::string copied = a.Run("COPY FROM '" + scratch_.File("a.csv") + "' INTO docs WITH (format = 'csv')");
  ASSERT_EQ(copied.find("error"), std::string::npos) << copied;
  EXPECT_EQ(
      b.Run("SELECT status, files_done, rows_imported FROM alopex_import_status WHERE job_id <> '" + job->id() + "'"),
      "status,files_done,rows_imported\ncompleted,1,2");
  EXPECT_EQ(b.Run("SELECT count(*) AS n FROM docs"), "n\n2");
  // One row per job in the process that ran them too.
  EXPECT_EQ(a.Run("SELECT count(*) AS n, count(DISTINCT job_id) AS d FROM alopex_import_status"), "n,d\n2,2");
}

TEST_F(PgCatalogTest, ConnectionErrorsNameTheServerButNotThePassword) {
  std::string dir = scratch_.File("db");
  CommandResult wrong = Alopex(dir, "SELECT 1", server_->Uri(db_name_, "not-the-pw-123"));
  EXPECT_NE(wrong.exit_code, 0);
  std::string server = "127.0.0.1:" + std::to_string(server_->port());
  EXPECT_NE(wrong.output.find(server), std::string::npos) << wrong.output;
  EXPECT_NE(wrong.output.find("password authentication failed"), std::string::npos) << wrong.output;
  EXPECT_EQ(wrong.output.find("not-the-pw-123"), std::string::npos) << wrong.output;

  // A port nothing listens on.
  int closed = FreePort();
  std::string uri = "postgresql://alopex:" + std::string(kPassword) + "@127.0.0.1:" + std::to_string(closed) + "/x";
  CommandResult refused = Alopex(dir, "SELECT 1", uri);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("127.0.0.1:" + std::to_string(closed)), std::string::npos) << refused.output;
  EXPECT_EQ(refused.output.find(kPassword), std::string::npos) << refused.output;

  // Not even a database error through a working connection shows it.
  CommandResult missing = Alopex(dir, "SELECT 1", server_->Uri("no_such_database"));
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.output.find("no_such_database"), std::string::npos) << missing.output;
  EXPECT_EQ(missing.output.find(kPassword), std::string::npos) << missing.output;
}

}  // namespace
}  // namespace alopex::interop
