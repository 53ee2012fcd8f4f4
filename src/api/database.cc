#include <malloc.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "api/client_context.h"
#include "api/database_instance.h"
#include "common/cast.h"
#include "common/column.h"
#include "exec/function.h"
#include "exec/range_function.h"
#include "ingest/file_scan.h"
#include "ingest/import_jobs.h"
#include "io/file_system.h"
#include "sql/parser.h"
#include "storage/catalog_store.h"

namespace alopex {

// ---------------------------------------------------------------- DatabaseInstance

namespace {

// The open databases of this process using each spill folder. A folder named
// by this process's pid that none uses was left by an earlier process with
// the same pid, and is emptied.
std::mutex spill_dirs_mu;
std::map<std::string, int> spill_dir_users;

// DESIGN.md § On disk: spill files do not outlive their process. Several
// processes may share a database directory, so each spills into
// DBDIR/tmp/<pid>/, removed when the process's last database on it closes;
// opening removes the folders of processes that are gone (kill(pid, 0) says
// ESRCH) and anything else in tmp/, never a live process's folder.
Result<std::shared_ptr<const std::string>> PrepareSpillDir(const std::string& db_dir) {
  ALOPEX_ASSIGN_OR_RETURN(FileSystem * fs, FileSystem::ForPath(db_dir));
  std::string tmp = JoinPath(db_dir, "tmp");
  ALOPEX_RETURN_IF_ERROR(fs->CreateDirectories(tmp));
  {
    // One name per folder, however the directory was spelled.
    std::error_code ec;
    auto canonical = std::filesystem::canonical(tmp, ec);
    if (!ec) tmp = canonical.string();
  }
  std::string own = JoinPath(tmp, std::to_string(getpid()));
  ALOPEX_ASSIGN_OR_RETURN(auto entries, fs->List(tmp, /*recursive=*/false));
  std::lock_guard<std::mutex> lock(spill_dirs_mu);
  bool made_here = spill_dir_users.count(own) > 0;
  for (const auto& e : entries) {
    std::string name = e.path.substr(e.path.find_last_of('/') + 1);
    bool numeric = !name.empty() && name.size() < 10 && name.find_first_not_of("0123456789") == std::string::npos;
    if (e.is_directory && numeric) {
      pid_t pid = pid_t(std::stol(name));
      if (pid == getpid() ? made_here : (kill(pid, 0) == 0 || errno != ESRCH)) continue;
    }
    Status st = e.is_directory ? fs->DeleteRecursive(e.path) : fs->Delete(e.path);
    if (!st.ok() && st.code() != StatusCode::kNotFound) return st;  // NotFound: another process was first
  }
  ALOPEX_RETURN_IF_ERROR(fs->CreateDirectories(own));
  spill_dir_users[own]++;
  return std::shared_ptr<const std::string>(new std::string(own), [fs](const std::string* dir) {
    {
      std::lock_guard<std::mutex> lock(spill_dirs_mu);
      if (--spill_dir_users[*dir] == 0) {
        spill_dir_users.erase(*dir);
        (void)fs->DeleteRecursive(*dir);  // a folder left behind goes when the directory is next opened
      }
    }
    delete dir;
  });
}

}  // namespace

Result<std::shared_ptr<DatabaseInstance>> DatabaseInstance::Open(const std::string& path, const DatabaseOptions& options) {
  auto db = std::make_shared<DatabaseInstance>();
  db->path_ = path.empty() ? ":memory:" : path;
  db->options_ = options;
  if (db->path_ == ":memory:" && !options.catalog.empty())
    return Status::InvalidArgument("catalog \"" + RedactConnection(options.catalog) +
                                   "\" needs a database directory for the tables' data: open a directory (alopex "
                                   "--catalog URI DBDIR), not an in-memory database");
  if (db->path_ != ":memory:") {
    struct stat st;
    if (stat(db->path_.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) return Status::InvalidArgument("database path \"" + db->path_ + "\" exists and is not a directory");
    } else if (mkdir(db->path_.c_str(), 0755) != 0 &&
               !(errno == EEXIST && stat(db->path_.c_str(), &st) == 0 && S_ISDIR(st.st_mode))) {
      // (Another process starting at the same moment may have just made it.)
      return Status::IOError("cannot create database directory \"" + db->path_ + "\": " + std::strerror(errno));
    }
    ALOPEX_ASSIGN_OR_RETURN(db->spill_dir_, PrepareSpillDir(db->path_));
    ALOPEX_RETURN_IF_ERROR(db->catalog_.Open(db->path_, options.catalog));
  }
  db->pool_ = std::make_unique<ThreadPool>(options.threads);
  for (const char* name : {"range", "generate_series"}) {
    std::string n = name;
    db->table_functions_[n] = [n](const TableFunctionInput& in) { return MakeRangeSource(n, in.args); };
  }
  RegisterFileTableFunctions(&db->table_functions_);
  RegisterImportTableFunctions(&db->table_functions_, &db->catalog_);
  return db;
}

// ---------------------------------------------------------------- QueryResult

QueryResult::QueryResult() : batches_(std::make_unique<std::vector<Batch>>()) {}
QueryResult::~QueryResult() = default;
QueryResult::QueryResult(QueryResult&&) noexcept = default;
QueryResult& QueryResult::operator=(QueryResult&&) noexcept = default;

size_t QueryResult::num_rows() const {
  if (batches_->empty()) return 0;
  return batch_starts_.back() + batches_->back().num_rows;
}

const std::vector<Batch>& QueryResult::batches() const { return *batches_; }

const Batch* QueryResult::Locate(size_t row, size_t* local) const {
  auto it = std::upper_bound(batch_starts_.begin(), batch_starts_.end(), row);
  size_t b = size_t(it - batch_starts_.begin()) - 1;
  *local = row - batch_starts_[b];
  return &(*batches_)[b];
}

bool QueryResult::IsNull(size_t row, size_t col) const {
  size_t local;
  const Batch* b = Locate(row, &local);
  return b->columns[col].IsNull(local);
}

Value QueryResult::GetValue(size_t row, size_t col) const {
  size_t local;
  const Batch* b = Locate(row, &local);
  return b->columns[col].GetValue(local);
}

int64_t QueryResult::GetInt64(size_t row, size_t col) const {
  Value v = GetValue(row, col);
  if (v.is_null()) return 0;
  auto c = CastValue(v, TypeId::kBigInt);
  return c.ok() ? c->GetInt64() : 0;
}

double QueryResult::GetDouble(size_t row, size_t col) const {
  Value v = GetValue(row, col);
  if (v.is_null()) return 0;
  auto c = CastValue(v, TypeId::kDouble);
  return c.ok() ? c->GetDouble() : 0;
}

bool QueryResult::GetBool(size_t row, size_t col) const {
  Value v = GetValue(row, col);
  if (v.is_null()) return false;
  auto c = CastValue(v, TypeId::kBoolean);
  return c.ok() && c->GetBool();
}

std::string QueryResult::GetString(size_t row, size_t col) const {
  size_t local;
  const Batch* b = Locate(row, &local);
  if (b->columns[col].IsNull(local)) return "NULL";
  return FormatValue(b->columns[col], local);
}

std::vector<float> QueryResult::GetVector(size_t row, size_t col) const {
  Value v = GetValue(row, col);
  if (v.is_null()) return {};
  if (v.type().id() == TypeId::kVector) return v.GetVector();
  std::vector<float> out;
  if (v.type().id() == TypeId::kList)
    for (const auto& x : v.children()) out.push_back(float(x.AsDouble()));
  return out;
}

// ---------------------------------------------------------------- Database

namespace {
// Column buffers of a few MB are allocated and freed per batch. glibc serves
// them with mmap/munmap by default, so every batch pays fresh page faults;
// keeping them in the heap lets freed buffers be reused (a 2-3x faster first
// scan of embedding columns).
void TuneAllocator() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (getenv("ALOPEX_NO_MALLOPT")) return;
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
  });
}
}  // namespace

Result<std::shared_ptr<Database>> Database::Open(const std::string& path, DatabaseOptions options) {
  TuneAllocator();
  ALOPEX_ASSIGN_OR_RETURN(auto inst, DatabaseInstance::Open(path, options));
  std::shared_ptr<Database> db(new Database());
  db->instance_ = std::move(inst);
  return db;
}

Database::~Database() = default;
const std::string& Database::path() const { return instance_->path(); }

// ---------------------------------------------------------------- ClientContext

namespace {

// Forwards the statement's progress to the listener every 100 ms.
class ProgressPump {
 public:
  ProgressPump(std::shared_ptr<Progress> listener, ProgressTracker* tracker, std::string op)
      : listener_(std::move(listener)), tracker_(tracker) {
    if (!listener_) return;
    listener_->OnStart(op);
    thread_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(mu_);
      while (!cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return done_; }))
        listener_->OnUpdate(tracker_->Snapshot());
    });
  }
  ~ProgressPump() {
    if (!listener_) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
    listener_->OnFinish();
  }

 private:
  std::shared_ptr<Progress> listener_;
  ProgressTracker* tracker_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
};

std::string OperationName(const sql::Statement& s) {
  size_t i = 0;
  while (i < s.text.size() && std::isspace(static_cast<unsigned char>(s.text[i]))) i++;
  size_t j = i;
  while (j < s.text.size() && std::isalpha(static_cast<unsigned char>(s.text[j]))) j++;
  std::string w = s.text.substr(i, j - i);
  for (auto& c : w) c = char(std::toupper(static_cast<unsigned char>(c)));
  return w;
}

}  // namespace

ClientContext::ClientContext(std::shared_ptr<DatabaseInstance> db) : db_(std::move(db)) {
  if (db_->options().threads > 0) settings_.Set("threads", Value::BigInt(db_->options().threads));
}

void ClientContext::SetProgressListener(std::shared_ptr<Progress> listener) {
  std::lock_guard<std::mutex> lock(mu_);
  listener_ = std::move(listener);
}

Result<QueryResult> ClientContext::Execute(const sql::Statement& stmt, const std::vector<Value>& params) {
  // Other processes sharing the catalog may have changed it since.
  ALOPEX_RETURN_IF_ERROR(db_->catalog().Refresh());
  ProgressTracker tracker(OperationName(stmt));
  Session session;
  session.catalog = &db_->catalog();
  session.functions = &FunctionRegistry::BuiltIns();
  session.table_functions = &db_->table_functions();
  session.settings = &settings_;
  session.spill_dir = db_->spill_dir();
  session.exec.pool = &db_->pool();
  session.exec.threads = std::min(settings_.threads(), db_->pool().size());
  session.exec.interrupted = &interrupted_;
  session.exec.progress = &tracker;
  Result<StatementResult> r = Status::Internal("not run");
  {
    ProgressPump pump(listener_, &tracker, OperationName(stmt));
    r = ExecuteStatement(stmt, session, params);
  }
  if (!r.ok()) return r.status();
  QueryResult q;
  q.names_ = std::move(r->names);
  q.types_ = std::move(r->types);
  q.message_ = std::move(r->message);
  size_t start = 0;
  for (auto& b : r->data->batches) {
    if (b.num_rows == 0) continue;
    q.batch_starts_.push_back(start);
    start += b.num_rows;
    q.batches_->push_back(std::move(b));
  }
  return q;
}

Result<QueryResult> ClientContext::Query(const std::string& sql, const std::vector<Value>& params) {
  std::lock_guard<std::mutex> lock(mu_);
  interrupted_.store(false);
  ALOPEX_ASSIGN_OR_RETURN(auto stmts, sql::ParseSql(sql));
  if (stmts.empty()) return QueryResult();
  Result<QueryResult> last = QueryResult();
  for (const auto& s : stmts) {
    last = Execute(*s, params);
    if (!last.ok()) return last;
  }
  return last;
}

// ---------------------------------------------------------------- prepared statements

struct PreparedStatement::Impl {
  ClientContext* context;
  std::string sql;
  std::vector<sql::StatementPtr> statements;
  size_t num_params = 0;
};

namespace {
size_t CountParams(const std::string& sql) {
  // The highest $n in the text (outside strings), or the number of '?'.
  size_t best = 0, qmarks = 0;
  bool in_str = false;
  for (size_t i = 0; i < sql.size(); i++) {
    char c = sql[i];
    if (c == '\'') in_str = !in_str;
    if (in_str) continue;
    if (c == '?') qmarks++;
    if (c == '$' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      size_t n = 0, j = i + 1;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) n = n * 10 + size_t(sql[j++] - '0');
      best = std::max(best, n);
    }
  }
  return std::max(best, qmarks);
}
}  // namespace

Result<std::unique_ptr<PreparedStatement>> ClientContext::Prepare(const std::string& sql) {
  ALOPEX_ASSIGN_OR_RETURN(auto stmts, sql::ParseSql(sql));
  if (stmts.size() != 1) return Status::InvalidArgument("Prepare takes exactly one statement, got " + std::to_string(stmts.size()));
  std::unique_ptr<PreparedStatement> p(new PreparedStatement());
  p->impl_ = std::make_unique<PreparedStatement::Impl>();
  p->impl_->context = this;
  p->impl_->sql = sql;
  p->impl_->statements = std::move(stmts);
  p->impl_->num_params = CountParams(sql);
  return p;
}

PreparedStatement::~PreparedStatement() = default;
size_t PreparedStatement::num_params() const { return impl_->num_params; }

Result<QueryResult> PreparedStatement::Execute(const std::vector<Value>& params) {
  if (params.size() != impl_->num_params)
    return Status::InvalidArgument("prepared statement takes " + std::to_string(impl_->num_params) + " parameters, got " +
                                   std::to_string(params.size()));
  return impl_->context->Execute(*impl_->statements[0], params);
}

// ---------------------------------------------------------------- Connection

Connection::Connection(Database& db) : context_(std::make_unique<ClientContext>(db.instance_ptr())) {}
Connection::~Connection() = default;
Result<QueryResult> Connection::Query(const std::string& sql, const std::vector<Value>& params) {
  return context_->Query(sql, params);
}
Result<std::unique_ptr<PreparedStatement>> Connection::Prepare(const std::string& sql) { return context_->Prepare(sql); }
void Connection::Interrupt() { context_->Interrupt(); }
void Connection::SetProgressListener(std::shared_ptr<Progress> listener) { context_->SetProgressListener(std::move(listener)); }

}  // namespace alopex
