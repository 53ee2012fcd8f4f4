// read_delta('path' [, version => n] [, timestamp => '...']): any Delta table,
// read file by file with projection, and partition values and file statistics
// skipping files the WHERE clause rules out.
#include "ingest/delta_function.h"

#include "common/cast.h"
#include "exec/column_predicates.h"
#include "exec/plan.h"
#include "storage/delta/delta_scan.h"
#include "storage/delta_table_store.h"

namespace alopex {

namespace {

class DeltaSource : public TableFunctionSource {
 public:
  explicit DeltaSource(std::shared_ptr<const DeltaSnapshot> snap) : snap_(std::move(snap)) {
    for (const auto& f : snap_->schema.fields) {
      names_.push_back(f.name);
      types_.push_back(f.type);
    }
  }
  const std::vector<std::string>& names() const override { return names_; }
  const std::vector<LogicalType>& types() const override { return types_; }
  bool SupportsProjection() const override { return true; }
  void SetFilters(const std::vector<const BoundExpr*>& filters) override {
    filters_.clear();
    for (const BoundExpr* f : filters)
      if (f) filters_.push_back(f->Copy());
  }

  Status Prepare(const ExecContext&) override {
    std::vector<int> out = Output();
    std::vector<std::string> columns;
    for (int c : out) columns.push_back(names_[size_t(c)]);
    auto predicates = ToColumnPredicates(filters_, [&](int ref) -> std::string {
      return ref >= 0 && size_t(ref) < out.size() ? names_[size_t(out[size_t(ref)])] : "";
    });
    // No columns (count(*)): read the first and drop it.
    no_columns_ = columns.empty();
    if (no_columns_ && !names_.empty()) columns.push_back(names_[0]);
    ALOPEX_ASSIGN_OR_RETURN(DeltaFileScan scan, DeltaFileScan::Make(snap_, columns, predicates));
    scan_ = std::make_unique<DeltaFileScan>(std::move(scan));
    return Status::OK();
  }
  size_t NumMorsels() const override { return scan_ ? scan_->num_files() : 0; }
  Status ReadMorsel(size_t i, const ExecContext& ctx, const std::function<Status(Batch&&)>& emit) override {
    ALOPEX_RETURN_IF_ERROR(ctx.CheckInterrupt());
    return scan_->ReadFile(i, [&](Batch&& b) {
      if (no_columns_) b.columns.clear();
      return emit(std::move(b));
    });
  }
  std::string ToString() const override {
    return "read_delta(" + snap_->table_path + ", version " + std::to_string(snap_->version) + ")";
  }

 private:
  std::vector<int> Output() const {
    if (!projection_.empty()) return projection_;
    std::vector<int> all;
    for (size_t i = 0; i < names_.size(); i++) all.push_back(int(i));
    return all;
  }
  std::shared_ptr<const DeltaSnapshot> snap_;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
  std::vector<BoundExprPtr> filters_;
  std::unique_ptr<DeltaFileScan> scan_;
  bool no_columns_ = false;
};

}  // namespace

Result<std::shared_ptr<TableFunctionSource>> BindReadDelta(const TableFunctionInput& in) {
  if (in.args.size() != 1 || in.args[0].is_null() || in.args[0].type().id() != TypeId::kVarchar)
    return Status::InvalidArgument("read_delta takes the table's path: read_delta('path' [, version => n])");
  const std::string path = in.args[0].ToString();
  std::optional<int64_t> version, micros;
  for (const auto& [name, value] : in.named_args) {
    if (name == "version") {
      auto v = CastValue(value, TypeId::kBigInt);
      if (!v.ok() || v->is_null() || v->GetInt64() < 0)
        return Status::InvalidArgument("read_delta: version must be a version number of the table, got " +
                                       value.ToString());
      version = v->GetInt64();
    } else if (name == "timestamp") {
      auto t = CastValue(value, LogicalType(TypeId::kTimestamp));
      if (!t.ok() || t->is_null())
        return Status::InvalidArgument("read_delta: timestamp must be a timestamp, got " + value.ToString());
      micros = t->GetInt64();
    } else {
      return Status::InvalidArgument("read_delta: unknown option \"" + name + "\" (known: version, timestamp)");
    }
  }
  if (version && micros) return Status::InvalidArgument("read_delta: give version or timestamp, not both");
  ALOPEX_ASSIGN_OR_RETURN(auto table, DeltaTable::Open(path));
  DeltaSnapshot snap;
  if (micros) {
    ALOPEX_ASSIGN_OR_RETURN(snap, table->SnapshotAsOfTimestamp(*micros));
  } else {
    ALOPEX_ASSIGN_OR_RETURN(snap, table->Snapshot(version.value_or(-1)));
  }
  return std::shared_ptr<TableFunctionSource>(
      std::make_shared<DeltaSource>(std::make_shared<const DeltaSnapshot>(std::move(snap))));
}

}  // namespace alopex
