#include "exec/executor.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <unordered_map>

#include "exec/column_predicates.h"
#include "exec/expression_executor.h"
#include "exec/operators.h"
#include "exec/row_ops.h"
#include "exec/table_function.h"
#include "storage/table.h"
#include "storage/table_scan.h"

namespace alopex {

namespace {

// ---------------------------------------------------------------- sources

// Rows already in memory; one morsel per kBatchSize slice of each batch.
class BatchListSource : public Source {
 public:
  BatchListSource(std::vector<const Batch*> batches, std::vector<int> column_ids = {})
      : batches_(std::move(batches)), column_ids_(std::move(column_ids)) {
    for (size_t b = 0; b < batches_.size(); b++)
      for (size_t off = 0; off < batches_[b]->num_rows; off += kBatchSize) morsels_.push_back({b, off});
  }
  size_t NumMorsels() const override { return morsels_.size(); }
  Status Read(size_t m, const ExecContext& ctx, const std::function<Status(Batch&&)>& emit) override {
    const Batch& src = *batches_[morsels_[m].first];
    size_t off = morsels_[m].second;
    size_t n = std::min(kBatchSize, src.num_rows - off);
    Batch out;
    out.num_rows = n;
    auto copy = [&](const Column& c) {
      Column col(c.type(), n);
      col.CopyFrom(c, off, 0, n);
      out.columns.push_back(std::move(col));
    };
    if (column_ids_.empty()) {
      for (const auto& c : src.columns) copy(c);
    } else {
      for (int id : column_ids_) copy(src.columns[size_t(id)]);
    }
    if (ctx.progress) ctx.progress->AddRows(n), ctx.progress->AddWork(1);
    return emit(std::move(out));
  }

 private:
  std::vector<const Batch*> batches_;
  std::vector<int> column_ids_;
  std::vector<std::pair<size_t, size_t>> morsels_;
};

class TableScanSource : public Source {
 public:
  explicit TableScanSource(const PlanNode& node) : node_(node) {}
  Status Prepare(const ExecContext& ctx) override {
    std::shared_ptr<const TableSnapshot> snapshot = node_.snapshot;
    if (!snapshot) {
      ALOPEX_ASSIGN_OR_RETURN(snapshot, node_.table->Snapshot(node_.version));
    }
    // Pushed conjuncts over the output skip files by their statistics.
    auto predicates = ToColumnPredicates(node_.pushed_filters, [&](int ref) -> std::string {
      if (ref < 0 || size_t(ref) >= node_.column_ids.size()) return "";
      int c = node_.column_ids[size_t(ref)];  // metadata columns (< 0) have no statistics
      return c >= 0 && size_t(c) < snapshot->columns.size() ? snapshot->columns[size_t(c)].name : "";
    });
    auto scan = TableScan::Make(std::move(snapshot), node_.column_ids, predicates);
    if (!scan.ok()) return scan.status().WithContext("table " + node_.table->qualified_name() + ": ");
    scan_ = std::move(*scan);
    if (ctx.progress) ctx.progress->AddWorkTotal(scan_->num_morsels());
    return Status::OK();
  }
  size_t NumMorsels() const override { return scan_->num_morsels(); }
  Status Read(size_t m, const ExecContext& ctx, const std::function<Status(Batch&&)>& emit) override {
    ALOPEX_RETURN_IF_ERROR(scan_->Read(m, [&](Batch&& b) {
      if (ctx.progress) ctx.progress->AddRows(b.num_rows);
      return emit(std::move(b));
    }));
    if (ctx.progress) ctx.progress->AddWork(1);
    return Status::OK();
  }

 private:
  const PlanNode& node_;
  std::unique_ptr<TableScan> scan_;
};

class MaterializedSource : public Source {
 public:
  explicit MaterializedSource(std::shared_ptr<MaterializedData> data) : data_(std::move(data)) {
    std::vector<const Batch*> list;
    for (const auto& b : data_->batches) list.push_back(&b);
    inner_ = std::make_unique<BatchListSource>(std::move(list));
  }
  size_t NumMorsels() const override { return inner_->NumMorsels(); }
  Status Read(size_t m, const ExecContext& ctx, const std::function<Status(Batch&&)>& emit) override {
    return inner_->Read(m, ctx, emit);
  }

 private:
  std::shared_ptr<MaterializedData> data_;
  std::unique_ptr<BatchListSource> inner_;
};

class TableFunctionScan : public Source {
 public:
  explicit TableFunctionScan(const PlanNode& node) : node_(node) {}
  Status Prepare(const ExecContext& ctx) override {
    ALOPEX_RETURN_IF_ERROR(node_.source->Prepare(ctx));
    if (ctx.progress) ctx.progress->AddWorkTotal(node_.source->NumMorsels());
    return Status::OK();
  }
  size_t NumMorsels() const override { return node_.source->NumMorsels(); }
  Status Read(size_t m, const ExecContext& ctx, const std::function<Status(Batch&&)>& emit) override {
    ALOPEX_RETURN_IF_ERROR(node_.source->ReadMorsel(m, ctx, [&](Batch&& b) -> Status {
      if (ctx.progress) ctx.progress->AddRows(b.num_rows);
      return emit(std::move(b));
    }));
    if (ctx.progress) ctx.progress->AddWork(1);
    return Status::OK();
  }

 private:
  const PlanNode& node_;
};

class ValuesSource : public Source {
 public:
  explicit ValuesSource(const PlanNode& node) : node_(node) {}
  size_t NumMorsels() const override { return 1; }
  Status Read(size_t, const ExecContext& ctx, const std::function<Status(Batch&&)>& emit) override {
    Batch out(node_.types);
    Batch one;
    one.num_rows = 1;
    for (size_t r = 0; r < node_.values.size(); r++) {
      for (size_t c = 0; c < node_.types.size(); c++) {
        Column v;
        ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*node_.values[r][c], one, &v, ctx));
        out.columns[c].AppendRange(v, 0, 1);
      }
      out.num_rows++;
      if (out.num_rows == kBatchSize) {
        ALOPEX_RETURN_IF_ERROR(emit(std::move(out)));
        out = Batch(node_.types);
      }
    }
    if (out.num_rows) return emit(std::move(out));
    return Status::OK();
  }

 private:
  const PlanNode& node_;
};

class EmptyRowSource : public Source {
 public:
  size_t NumMorsels() const override { return 1; }
  Status Read(size_t, const ExecContext&, const std::function<Status(Batch&&)>& emit) override {
    Batch b;
    b.num_rows = 1;
    return emit(std::move(b));
  }
};

// ---------------------------------------------------------------- streaming operators

class FilterOperator : public StreamOperator {
 public:
  explicit FilterOperator(const PlanNode& node) : node_(node) {}
  Status Process(Batch&& in, std::vector<Batch>* out, const ExecContext& ctx) override {
    std::vector<uint32_t> sel;
    ALOPEX_RETURN_IF_ERROR(SelectRows(*node_.condition, in, &sel, ctx));
    if (sel.size() == in.num_rows) {
      out->push_back(std::move(in));
    } else if (!sel.empty()) {
      out->push_back(GatherBatch(in, sel.data(), sel.size()));
    }
    return Status::OK();
  }

 private:
  const PlanNode& node_;
};

class ProjectionOperator : public StreamOperator {
 public:
  explicit ProjectionOperator(const PlanNode& node) : node_(node) {
    // Input columns referenced exactly once by a bare column reference are moved, not copied.
    std::map<int, int> uses;
    for (const auto& e : node.expressions)
      if (e->kind == BoundExprKind::kColumnRef) uses[e->column_index]++;
    for (const auto& e : node.expressions)
      movable_.push_back(e->kind == BoundExprKind::kColumnRef && uses[e->column_index] == 1 && !ReadElsewhere(e->column_index));
  }
  Status Process(Batch&& in, std::vector<Batch>* out, const ExecContext& ctx) override {
    Batch b;
    b.num_rows = in.num_rows;
    b.columns.resize(node_.expressions.size());
    // Computed expressions first: they may read columns that are moved below.
    for (size_t i = 0; i < node_.expressions.size(); i++)
      if (!movable_[i]) ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*node_.expressions[i], in, &b.columns[i], ctx));
    for (size_t i = 0; i < node_.expressions.size(); i++)
      if (movable_[i]) b.columns[i] = std::move(in.columns[size_t(node_.expressions[i]->column_index)]);
    out->push_back(std::move(b));
    return Status::OK();
  }

 private:
  // True when a non-trivial expression reads input column `col`.
  bool ReadElsewhere(int col) const {
    for (const auto& e : node_.expressions)
      if (e->kind != BoundExprKind::kColumnRef && Reads(*e, col)) return true;
    return false;
  }
  static bool Reads(const BoundExpr& e, int col) {
    if (e.kind == BoundExprKind::kColumnRef) return e.column_index == col;
    for (const auto& c : e.children)
      if (Reads(*c, col)) return true;
    for (const auto& c : e.correlated_outer)
      if (Reads(*c, col)) return true;
    return false;
  }
  const PlanNode& node_;
  std::vector<bool> movable_;
};

// UNNEST: expressions[0..k) are list expressions expanded row-wise; the other
// input columns repeat. Output: input columns then one column per list.
class UnnestOperator : public StreamOperator {
 public:
  explicit UnnestOperator(const PlanNode& node) : node_(node) {}
  Status Process(Batch&& in, std::vector<Batch>* out, const ExecContext& ctx) override {
    std::vector<Column> lists(node_.expressions.size());
    for (size_t k = 0; k < lists.size(); k++)
      ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*node_.expressions[k], in, &lists[k], ctx));
    std::vector<uint32_t> rows;
    std::vector<std::vector<int64_t>> elems(lists.size());
    for (size_t r = 0; r < in.num_rows; r++) {
      uint64_t len = 0;
      for (auto& l : lists)
        if (l.IsValid(r)) len = std::max(len, l.list_entries()[r].length);
      for (uint64_t j = 0; j < len; j++) {
        rows.push_back(uint32_t(r));
        for (size_t k = 0; k < lists.size(); k++) {
          const Column& l = lists[k];
          bool has = l.IsValid(r) && j < l.list_entries()[r].length;
          elems[k].push_back(has ? int64_t(l.list_entries()[r].offset + j) : -1);
        }
      }
    }
    for (size_t start = 0; start < rows.size(); start += kBatchSize) {
      size_t n = std::min(kBatchSize, rows.size() - start);
      Batch b = GatherBatch(in, rows.data() + start, n);
      for (size_t k = 0; k < lists.size(); k++) {
        Column c(node_.types[in.columns.size() + k], n);
        c.Resize(n);
        for (size_t j = 0; j < n; j++) {
          int64_t e = elems[k][start + j];
          if (e < 0)
            c.SetNull(j);
          else
            c.CopyFrom(lists[k].child(), size_t(e), j, 1);
        }
        b.columns.push_back(std::move(c));
      }
      out->push_back(std::move(b));
    }
    return Status::OK();
  }

 private:
  const PlanNode& node_;
};

// ---------------------------------------------------------------- sinks

// Collects every batch, restoring source order by morsel index.
class CollectSink : public Sink {
 public:
  Status Consume(size_t morsel, std::vector<Batch>&& batches, int) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& b : batches) {
      if (b.num_rows == 0) continue;
      parts_.emplace(std::make_pair(morsel, seq_++), std::move(b));
    }
    return Status::OK();
  }
  Status Finalize(const ExecContext&) override {
    for (auto& [k, b] : parts_) {
      result->num_rows += b.num_rows;
      result->batches.push_back(std::move(b));
    }
    parts_.clear();
    return Status::OK();
  }

 private:
  std::mutex mu_;
  size_t seq_ = 0;
  std::map<std::pair<size_t, size_t>, Batch> parts_;
};

// LIMIT / OFFSET over an ordered input: stops the pipeline once the completed
// prefix of morsels holds enough rows.
class LimitSink : public Sink {
 public:
  LimitSink(int64_t limit, int64_t offset) : limit_(limit), offset_(offset) {}
  Status Consume(size_t morsel, std::vector<Batch>&& batches, int) override {
    std::lock_guard<std::mutex> lock(mu_);
    size_t rows = 0;
    for (auto& b : batches) rows += b.num_rows;
    morsels_[morsel] = {rows, std::move(batches)};
    // Advance the contiguous prefix.
    while (morsels_.count(next_)) {
      prefix_rows_ += morsels_[next_].first;
      next_++;
    }
    if (limit_ >= 0 && prefix_rows_ >= uint64_t(limit_ + offset_)) done_ = true;
    return Status::OK();
  }
  bool Done() const override { return done_.load(); }
  Status Finalize(const ExecContext&) override {
    int64_t skip = offset_;
    int64_t left = limit_ < 0 ? INT64_MAX : limit_;
    for (auto& [m, entry] : morsels_) {
      for (auto& b : entry.second) {
        if (left <= 0) break;
        int64_t n = int64_t(b.num_rows);
        if (skip >= n) {
          skip -= n;
          continue;
        }
        int64_t take = std::min(n - skip, left);
        if (skip == 0 && take == n) {
          result->batches.push_back(std::move(b));
        } else {
          Batch s;
          s.num_rows = size_t(take);
          for (auto& c : b.columns) {
            Column sc(c.type(), size_t(take));
            sc.CopyFrom(c, size_t(skip), 0, size_t(take));
            s.columns.push_back(std::move(sc));
          }
          result->batches.push_back(std::move(s));
        }
        result->num_rows += size_t(take);
        left -= take;
        skip = 0;
      }
    }
    morsels_.clear();
    return Status::OK();
  }

 private:
  int64_t limit_, offset_;
  std::mutex mu_;
  std::map<size_t, std::pair<size_t, std::vector<Batch>>> morsels_;
  size_t next_ = 0;
  uint64_t prefix_rows_ = 0;
  std::atomic<bool> done_{false};
};

// ---------------------------------------------------------------- pipeline driver

bool IsStreaming(const PlanNode& n) {
  switch (n.kind) {
    case PlanKind::kFilter:
    case PlanKind::kProjection:
    case PlanKind::kHashJoin:
    case PlanKind::kNestedLoopJoin:
    case PlanKind::kUnnest:
      return true;
    default:
      return false;
  }
}

std::unique_ptr<StreamOperator> MakeStreamOperator(const PlanNode& n) {
  switch (n.kind) {
    case PlanKind::kFilter: return std::make_unique<FilterOperator>(n);
    case PlanKind::kProjection: return std::make_unique<ProjectionOperator>(n);
    case PlanKind::kHashJoin: return MakeHashJoinOperator(n);
    case PlanKind::kNestedLoopJoin: return MakeNestedLoopJoinOperator(n);
    case PlanKind::kUnnest: return std::make_unique<UnnestOperator>(n);
    default: return nullptr;
  }
}

Result<std::unique_ptr<Source>> MakeSource(const PlanNode& n, const ExecContext& ctx) {
  switch (n.kind) {
    case PlanKind::kTableScan: return std::unique_ptr<Source>(std::make_unique<TableScanSource>(n));
    case PlanKind::kTableFunction: return std::unique_ptr<Source>(std::make_unique<TableFunctionScan>(n));
    case PlanKind::kValues: return std::unique_ptr<Source>(std::make_unique<ValuesSource>(n));
    case PlanKind::kEmptyRow: return std::unique_ptr<Source>(std::make_unique<EmptyRowSource>());
    case PlanKind::kMaterialized: return std::unique_ptr<Source>(std::make_unique<MaterializedSource>(n.data));
    default: {
      // A pipeline breaker: run it to completion, then read its rows.
      ALOPEX_ASSIGN_OR_RETURN(auto data, ExecutePlan(n, ctx));
      return std::unique_ptr<Source>(std::make_unique<MaterializedSource>(std::move(data)));
    }
  }
}

// Pushes `batches` through operators ops[from..] and returns the result.
Status PushThrough(std::vector<std::unique_ptr<StreamOperator>>& ops, size_t from, std::vector<Batch>&& batches,
                   std::vector<Batch>* result, const ExecContext& ctx) {
  std::vector<Batch> cur = std::move(batches);
  for (size_t i = from; i < ops.size(); i++) {
    std::vector<Batch> next;
    for (auto& b : cur) ALOPEX_RETURN_IF_ERROR(ops[i]->Process(std::move(b), &next, ctx));
    cur = std::move(next);
    if (cur.empty()) break;
  }
  *result = std::move(cur);
  return Status::OK();
}

}  // namespace

Status RunPipeline(const PlanNode& node, Sink& sink, const ExecContext& ctx) {
  // Walk down the streaming chain to its source.
  std::vector<const PlanNode*> chain;
  const PlanNode* cur = &node;
  while (IsStreaming(*cur)) {
    chain.push_back(cur);
    cur = cur->children[0].get();
  }
  std::reverse(chain.begin(), chain.end());  // bottom-up
  std::vector<std::unique_ptr<StreamOperator>> ops;
  for (const PlanNode* n : chain) {
    ops.push_back(MakeStreamOperator(*n));
    ALOPEX_RETURN_IF_ERROR(ops.back()->Init(ctx));
  }
  ALOPEX_ASSIGN_OR_RETURN(auto source, MakeSource(*cur, ctx));
  ALOPEX_RETURN_IF_ERROR(source->Prepare(ctx));
  size_t morsels = source->NumMorsels();
  int threads = int(std::min<size_t>(std::max(1, ctx.threads), std::max<size_t>(morsels, 1)));
  sink.SetThreads(std::max(threads, ctx.threads));
  sink.ctx = &ctx;
  std::atomic<size_t> next{0};
  ALOPEX_RETURN_IF_ERROR(ctx.pool->Run(threads, [&](int worker) -> Status {
    for (;;) {
      if (sink.Done()) return Status::OK();
      size_t m = next.fetch_add(1);
      if (m >= morsels) return Status::OK();
      ALOPEX_RETURN_IF_ERROR(ctx.CheckInterrupt());
      std::vector<Batch> produced;
      ALOPEX_RETURN_IF_ERROR(source->Read(m, ctx, [&](Batch&& b) -> Status {
        std::vector<Batch> one;
        one.push_back(std::move(b));
        std::vector<Batch> out;
        ALOPEX_RETURN_IF_ERROR(PushThrough(ops, 0, std::move(one), &out, ctx));
        for (auto& o : out) produced.push_back(std::move(o));
        return Status::OK();
      }));
      ALOPEX_RETURN_IF_ERROR(sink.Consume(m, std::move(produced), worker));
    }
  }));
  // Rows some operators only know at the end (FULL join), through the operators above them.
  for (size_t i = 0; i < ops.size(); i++) {
    std::vector<Batch> extra;
    ALOPEX_RETURN_IF_ERROR(ops[i]->Finish(&extra, ctx));
    if (extra.empty()) continue;
    std::vector<Batch> out;
    ALOPEX_RETURN_IF_ERROR(PushThrough(ops, i + 1, std::move(extra), &out, ctx));
    ALOPEX_RETURN_IF_ERROR(sink.Consume(morsels + i, std::move(out), 0));
  }
  return sink.Finalize(ctx);
}

Batch ConcatenateBatches(const std::vector<Batch>& batches, const std::vector<LogicalType>& types) {
  size_t total = 0;
  for (const auto& b : batches) total += b.num_rows;
  Batch all(types, total);
  for (auto& c : all.columns) c.Resize(0);
  for (const auto& b : batches)
    for (size_t c = 0; c < types.size(); c++) all.columns[c].AppendRange(b.columns[c], 0, b.num_rows);
  all.num_rows = total;
  return all;
}

void EmitGathered(const Batch& all, const std::vector<uint32_t>* perm, size_t begin, size_t end,
                  std::vector<Batch>* out) {
  for (size_t start = begin; start < end; start += kBatchSize) {
    size_t n = std::min(kBatchSize, end - start);
    if (perm) {
      out->push_back(GatherBatch(all, perm->data() + start, n));
    } else {
      Batch b;
      b.num_rows = n;
      for (const auto& c : all.columns) {
        Column col(c.type(), n);
        col.CopyFrom(c, start, 0, n);
        b.columns.push_back(std::move(col));
      }
      out->push_back(std::move(b));
    }
  }
}

namespace {

Result<std::shared_ptr<MaterializedData>> Collect(const PlanNode& node, const ExecContext& ctx) {
  CollectSink sink;
  ALOPEX_RETURN_IF_ERROR(RunPipeline(node, sink, ctx));
  return sink.result;
}

// INTERSECT / EXCEPT [ALL] over two materialized inputs.
Result<std::shared_ptr<MaterializedData>> SetOperation(const PlanNode& node, const ExecContext& ctx) {
  ALOPEX_ASSIGN_OR_RETURN(auto left, Collect(*node.children[0], ctx));
  ALOPEX_ASSIGN_OR_RETURN(auto right, Collect(*node.children[1], ctx));
  Batch l = ConcatenateBatches(left->batches, node.types);
  Batch r = ConcatenateBatches(right->batches, node.types);
  auto hash_rows = [](const Batch& b) {
    std::vector<uint64_t> h(b.num_rows, 0);
    for (const auto& c : b.columns) HashColumn(c, h.data(), b.num_rows, true);
    return h;
  };
  auto rows_equal = [](const Batch& a, size_t i, const Batch& b, size_t j) {
    for (size_t c = 0; c < a.columns.size(); c++) {
      bool va = a.columns[c].IsValid(i), vb = b.columns[c].IsValid(j);
      if (va != vb) return false;
      if (va && !ValuesEqual(a.columns[c], i, b.columns[c], j)) return false;
    }
    return true;
  };
  std::vector<uint64_t> lh = hash_rows(l), rh = hash_rows(r);
  std::unordered_multimap<uint64_t, size_t> rmap;
  for (size_t j = 0; j < r.num_rows; j++) rmap.emplace(rh[j], j);
  std::vector<bool> used(r.num_rows, false);
  std::unordered_multimap<uint64_t, size_t> emitted;  // distinct semantics
  std::vector<uint32_t> keep;
  for (size_t i = 0; i < l.num_rows; i++) {
    bool in_right = false;
    auto range = rmap.equal_range(lh[i]);
    for (auto it = range.first; it != range.second; ++it) {
      if (node.set_all && used[it->second]) continue;
      if (rows_equal(l, i, r, it->second)) {
        in_right = true;
        if (node.set_all) used[it->second] = true;
        break;
      }
    }
    bool take = node.set_except ? !in_right : in_right;
    if (!take) continue;
    if (!node.set_all) {
      bool dup = false;
      auto er = emitted.equal_range(lh[i]);
      for (auto it = er.first; it != er.second && !dup; ++it) dup = rows_equal(l, i, l, it->second);
      if (dup) continue;
      emitted.emplace(lh[i], i);
    }
    keep.push_back(uint32_t(i));
  }
  auto data = std::make_shared<MaterializedData>();
  EmitGathered(l, &keep, 0, keep.size(), &data->batches);
  data->num_rows = keep.size();
  return data;
}

}  // namespace

Result<std::shared_ptr<MaterializedData>> ExecutePlan(const PlanNode& node, const ExecContext& ctx) {
  switch (node.kind) {
    case PlanKind::kAggregate: {
      auto sink = MakeAggregateSink(node);
      ALOPEX_RETURN_IF_ERROR(RunPipeline(*node.children[0], *sink, ctx));
      return sink->result;
    }
    case PlanKind::kDistinct: {
      PlanNode agg(PlanKind::kAggregate);
      agg.types = node.types;
      for (size_t i = 0; i < node.types.size(); i++) agg.groups.push_back(MakeColumnRef(int(i), node.types[i]));
      auto sink = MakeAggregateSink(agg);
      ALOPEX_RETURN_IF_ERROR(RunPipeline(*node.children[0], *sink, ctx));
      return sink->result;
    }
    case PlanKind::kSort: {
      auto sink = MakeSortSink(node, -1);
      ALOPEX_RETURN_IF_ERROR(RunPipeline(*node.children[0], *sink, ctx));
      return sink->result;
    }
    case PlanKind::kLimit: {
      const PlanNode& child = *node.children[0];
      if (child.kind == PlanKind::kSort && node.limit >= 0) {
        // Top-N: the sort keeps only what the limit needs.
        auto sort = MakeSortSink(child, node.limit + node.offset);
        ALOPEX_RETURN_IF_ERROR(RunPipeline(*child.children[0], *sort, ctx));
        PlanNode mat(PlanKind::kMaterialized);
        mat.types = child.types;
        mat.data = sort->result;
        LimitSink sink(node.limit, node.offset);
        ALOPEX_RETURN_IF_ERROR(RunPipeline(mat, sink, ctx));
        return sink.result;
      }
      LimitSink sink(node.limit, node.offset);
      ALOPEX_RETURN_IF_ERROR(RunPipeline(child, sink, ctx));
      return sink.result;
    }
    case PlanKind::kWindow: {
      auto sink = MakeWindowSink(node);
      ALOPEX_RETURN_IF_ERROR(RunPipeline(*node.children[0], *sink, ctx));
      return sink->result;
    }
    case PlanKind::kUnion: {
      auto data = std::make_shared<MaterializedData>();
      for (const auto& child : node.children) {
        ALOPEX_ASSIGN_OR_RETURN(auto part, Collect(*child, ctx));
        for (auto& b : part->batches) data->batches.push_back(std::move(b));
        data->num_rows += part->num_rows;
      }
      return data;
    }
    case PlanKind::kSetOperation:
      return SetOperation(node, ctx);
    case PlanKind::kMaterialized:
      return node.data;
    default:
      return Collect(node, ctx);
  }
}

}  // namespace alopex
