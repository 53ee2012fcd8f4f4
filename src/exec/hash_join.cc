// Hash join: the right (build) side is materialized into one batch with a
// chained hash table over its keys; probe batches stream through in parallel.
// Output rows are [left columns..., right columns...]; SEMI and ANTI output the
// left columns only.
#include <atomic>
#include <mutex>

#include "exec/executor.h"
#include "exec/expression_executor.h"
#include "exec/operators.h"
#include "exec/row_ops.h"

namespace alopex {

namespace {


// Output batch: left rows `li` and right rows `ri` (-1 = NULL right side) of
// the left columns `lcols` and right columns `rcols` (nullptr = every column).
Batch BuildOutput(const Batch& left, const Batch& right, const std::vector<LogicalType>& right_types,
                  const std::vector<uint32_t>& li, const std::vector<int64_t>& ri, bool with_right,
                  const std::vector<int>* lcols = nullptr, const std::vector<int>* rcols = nullptr) {
  size_t n = li.size();
  Batch out;
  out.num_rows = n;
  if (!lcols) {
    out = GatherBatch(left, li.data(), n);
  } else {
    for (int c : *lcols) {
      Column col(left.columns[size_t(c)].type(), n);
      col.Gather(left.columns[size_t(c)], li.data(), n);
      out.columns.push_back(std::move(col));
    }
  }
  if (!with_right) return out;
  bool any_null = false;
  std::vector<uint32_t> rsel(n);
  for (size_t k = 0; k < n; k++) {
    if (ri[k] < 0) any_null = true;
    rsel[k] = ri[k] < 0 ? 0 : uint32_t(ri[k]);
  }
  size_t ncols = rcols ? rcols->size() : right_types.size();
  for (size_t j = 0; j < ncols; j++) {
    size_t c = rcols ? size_t((*rcols)[j]) : j;
    Column col(right_types[c], n);
    if (right.num_rows > 0) {
      col.Gather(right.columns[c], rsel.data(), n);
    } else {
      col.Resize(n);
    }
    if (any_null || right.num_rows == 0)
      for (size_t k = 0; k < n; k++)
        if (ri[k] < 0) col.SetNull(k);
    out.columns.push_back(std::move(col));
  }
  return out;
}

class HashJoinOperator : public StreamOperator {
 public:
  explicit HashJoinOperator(const PlanNode& node) : node_(node) {}

  Status Init(const ExecContext& ctx) override {
    const PlanNode& right = *node_.children[1];
    right_types_ = right.types;
    ALOPEX_ASSIGN_OR_RETURN(auto data, ExecutePlan(right, ctx));
    build_ = ConcatenateBatches(data->batches, right_types_);
    size_t n = build_.num_rows;
    keys_.resize(node_.right_keys.size());
    for (size_t k = 0; k < keys_.size(); k++)
      ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*node_.right_keys[k], build_, &keys_[k], ctx));
    hashes_.assign(n, 0);
    for (auto& k : keys_) HashColumn(k, hashes_.data(), n, true);
    size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    heads_.assign(cap, -1);
    next_.assign(n, -1);
    // Insert in reverse so chains list rows in build order.
    for (size_t i = n; i-- > 0;) {
      if (HasNullKey(keys_, i)) continue;
      size_t b = hashes_[i] & (cap - 1);
      next_[i] = heads_[b];
      heads_[b] = int64_t(i);
    }
    if (node_.join_type == PlanJoinType::kFull || node_.join_type == PlanJoinType::kRight)
      matched_ = std::make_unique<std::atomic<uint8_t>[]>(std::max<size_t>(n, 1));
    for (size_t i = 0; matched_ && i < n; i++) matched_[i] = 0;
    return Status::OK();
  }

  Status Process(Batch&& in, std::vector<Batch>* out, const ExecContext& ctx) override {
    size_t n = in.num_rows;
    std::vector<Column> pk(node_.left_keys.size());
    for (size_t k = 0; k < pk.size(); k++) ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*node_.left_keys[k], in, &pk[k], ctx));
    std::vector<uint64_t> ph(n, 0);
    for (auto& k : pk) HashColumn(k, ph.data(), n, true);
    const PlanJoinType jt = node_.join_type;
    const bool emit_right = jt != PlanJoinType::kSemi && jt != PlanJoinType::kAnti;
    const size_t mask = heads_.size() - 1;
    std::vector<uint32_t> li;
    std::vector<int64_t> ri;
    li.reserve(kBatchSize + 64);
    ri.reserve(kBatchSize + 64);
    std::vector<uint8_t> probe_matched(n, 0);
    const std::vector<int>* lcols = node_.has_join_projection ? &node_.left_projection : nullptr;
    const std::vector<int>* rcols = node_.has_join_projection ? &node_.right_projection : nullptr;
    auto flush = [&]() -> Status {
      if (li.empty()) return Status::OK();
      Batch b = BuildOutput(in, build_, right_types_, li, ri, true, lcols, rcols);
      if (node_.condition) {
        std::vector<uint32_t> sel;
        ALOPEX_RETURN_IF_ERROR(SelectRows(*node_.condition, b, &sel, ctx));
        for (uint32_t s : sel) {
          probe_matched[li[s]] = 1;
          if (matched_) matched_[ri[s]] = 1;
        }
        if (emit_right && jt != PlanJoinType::kMark) {
          if (sel.size() == b.num_rows)
            out->push_back(std::move(b));
          else if (!sel.empty())
            out->push_back(GatherBatch(b, sel.data(), sel.size()));
        }
      } else {
        for (size_t k = 0; k < li.size(); k++) {
          probe_matched[li[k]] = 1;
          if (matched_) matched_[ri[k]] = 1;
        }
        if (emit_right) out->push_back(std::move(b));
      }
      li.clear();
      ri.clear();
      return Status::OK();
    };
    // One 8-byte integer key without NULLs on either side: compare raw values.
    const bool fast = pk.size() == 1 && !pk[0].MayHaveNulls() && !keys_[0].MayHaveNulls() &&
                      PhysicalSize(pk[0].type()) == 8 && !pk[0].type().IsFloating() && !pk[0].type().IsNested();
    const uint64_t* pkd = fast ? pk[0].data<uint64_t>() : nullptr;
    const uint64_t* bkd = fast ? keys_[0].data<uint64_t>() : nullptr;
    for (size_t i = 0; i < n; i++) {
      if (!fast && HasNullKey(pk, i)) continue;
      for (int64_t r = heads_[ph[i] & mask]; r >= 0; r = next_[r]) {
        if (hashes_[r] != ph[i]) continue;
        if (fast ? pkd[i] != bkd[r] : !KeysEqual(pk, i, size_t(r))) continue;
        li.push_back(uint32_t(i));
        ri.push_back(r);
        if (!emit_right && !node_.condition) break;  // semi/anti need one match
      }
      if (li.size() >= kBatchSize) ALOPEX_RETURN_IF_ERROR(flush());
    }
    ALOPEX_RETURN_IF_ERROR(flush());
    if (jt == PlanJoinType::kLeft || jt == PlanJoinType::kFull || jt == PlanJoinType::kSemi ||
        jt == PlanJoinType::kAnti) {
      bool want = jt == PlanJoinType::kSemi;
      for (size_t i = 0; i < n; i++) {
        if (bool(probe_matched[i]) != want) continue;
        li.push_back(uint32_t(i));
        ri.push_back(-1);
      }
      if (!li.empty()) out->push_back(BuildOutput(in, build_, right_types_, li, ri, emit_right, lcols, rcols));
    }
    return Status::OK();
  }

  Status Finish(std::vector<Batch>* out, const ExecContext& ctx) override {
    if (!matched_) return Status::OK();
    // Unmatched build rows with a NULL left side.
    std::vector<uint32_t> rows;
    for (size_t i = 0; i < build_.num_rows; i++)
      if (!matched_[i]) rows.push_back(uint32_t(i));
    size_t right_cols = node_.has_join_projection ? node_.right_projection.size() : right_types_.size();
    size_t left_cols = node_.types.size() - right_cols;
    for (size_t start = 0; start < rows.size(); start += kBatchSize) {
      size_t n = std::min(kBatchSize, rows.size() - start);
      Batch b;
      b.num_rows = n;
      for (size_t c = 0; c < left_cols; c++) b.columns.push_back(Column::Constant(Value::Null(node_.types[c]), n));
      Batch r = GatherBatch(build_, rows.data() + start, n);
      if (node_.has_join_projection) {
        for (int c : node_.right_projection) b.columns.push_back(std::move(r.columns[size_t(c)]));
      } else {
        for (auto& c : r.columns) b.columns.push_back(std::move(c));
      }
      out->push_back(std::move(b));
    }
    return Status::OK();
  }

 private:
  bool HasNullKey(const std::vector<Column>& keys, size_t i) const {
    for (size_t k = 0; k < keys.size(); k++)
      if (!keys[k].IsValid(i) && !(k < node_.null_equal.size() && node_.null_equal[k])) return true;
    return false;
  }
  bool KeysEqual(const std::vector<Column>& probe, size_t i, size_t r) const {
    for (size_t k = 0; k < probe.size(); k++) {
      bool va = probe[k].IsValid(i), vb = keys_[k].IsValid(r);
      if (va != vb) return false;
      if (va && !ValuesEqual(probe[k], i, keys_[k], r)) return false;
    }
    return true;
  }

  const PlanNode& node_;
  std::vector<LogicalType> right_types_;
  Batch build_;
  std::vector<Column> keys_;
  std::vector<uint64_t> hashes_;
  std::vector<int64_t> heads_, next_;
  std::unique_ptr<std::atomic<uint8_t>[]> matched_;
};

// Nested-loop join for conditions without equalities (and cross products).
class NestedLoopJoinOperator : public StreamOperator {
 public:
  explicit NestedLoopJoinOperator(const PlanNode& node) : node_(node) {}
  Status Init(const ExecContext& ctx) override {
    right_types_ = node_.children[1]->types;
    ALOPEX_ASSIGN_OR_RETURN(auto data, ExecutePlan(*node_.children[1], ctx));
    right_ = ConcatenateBatches(data->batches, right_types_);
    if (node_.join_type == PlanJoinType::kFull || node_.join_type == PlanJoinType::kRight) {
      matched_ = std::make_unique<std::atomic<uint8_t>[]>(std::max<size_t>(right_.num_rows, 1));
      for (size_t i = 0; i < right_.num_rows; i++) matched_[i] = 0;
    }
    return Status::OK();
  }
  Status Process(Batch&& in, std::vector<Batch>* out, const ExecContext& ctx) override {
    const PlanJoinType jt = node_.join_type;
    const bool emit_right = jt != PlanJoinType::kSemi && jt != PlanJoinType::kAnti;
    std::vector<uint8_t> probe_matched(in.num_rows, 0);
    std::vector<uint32_t> li;
    std::vector<int64_t> ri;
    size_t nr = right_.num_rows;
    for (size_t i = 0; i < in.num_rows; i++) {
      for (size_t r = 0; r < nr; r++) {
        li.push_back(uint32_t(i));
        ri.push_back(int64_t(r));
        if (li.size() >= kBatchSize || (i + 1 == in.num_rows && r + 1 == nr)) {
          ALOPEX_RETURN_IF_ERROR(ctx.CheckInterrupt());
          Batch b = BuildOutput(in, right_, right_types_, li, ri, true);
          std::vector<uint32_t> sel;
          if (node_.condition) {
            ALOPEX_RETURN_IF_ERROR(SelectRows(*node_.condition, b, &sel, ctx));
          } else {
            sel.resize(b.num_rows);
            for (size_t k = 0; k < sel.size(); k++) sel[k] = uint32_t(k);
          }
          for (uint32_t s : sel) {
            probe_matched[li[s]] = 1;
            if (matched_) matched_[ri[s]] = 1;
          }
          if (emit_right && !sel.empty())
            out->push_back(sel.size() == b.num_rows ? std::move(b) : GatherBatch(b, sel.data(), sel.size()));
          li.clear();
          ri.clear();
        }
      }
    }
    if (jt == PlanJoinType::kLeft || jt == PlanJoinType::kFull || jt == PlanJoinType::kSemi ||
        jt == PlanJoinType::kAnti) {
      bool want = jt == PlanJoinType::kSemi;
      for (size_t i = 0; i < in.num_rows; i++)
        if (bool(probe_matched[i]) == want) {
          li.push_back(uint32_t(i));
          ri.push_back(-1);
        }
      if (!li.empty()) out->push_back(BuildOutput(in, right_, right_types_, li, ri, emit_right));
    }
    return Status::OK();
  }
  Status Finish(std::vector<Batch>* out, const ExecContext&) override {
    if (!matched_) return Status::OK();
    std::vector<uint32_t> rows;
    for (size_t i = 0; i < right_.num_rows; i++)
      if (!matched_[i]) rows.push_back(uint32_t(i));
    size_t left_cols = node_.types.size() - right_types_.size();
    for (size_t start = 0; start < rows.size(); start += kBatchSize) {
      size_t n = std::min(kBatchSize, rows.size() - start);
      Batch b;
      b.num_rows = n;
      for (size_t c = 0; c < left_cols; c++) b.columns.push_back(Column::Constant(Value::Null(node_.types[c]), n));
      Batch r = GatherBatch(right_, rows.data() + start, n);
      for (auto& c : r.columns) b.columns.push_back(std::move(c));
      out->push_back(std::move(b));
    }
    return Status::OK();
  }

 private:
  const PlanNode& node_;
  std::vector<LogicalType> right_types_;
  Batch right_;
  std::unique_ptr<std::atomic<uint8_t>[]> matched_;
};

}  // namespace

std::unique_ptr<StreamOperator> MakeHashJoinOperator(const PlanNode& node) {
  return std::make_unique<HashJoinOperator>(node);
}
std::unique_ptr<StreamOperator> MakeNestedLoopJoinOperator(const PlanNode& node) {
  return std::make_unique<NestedLoopJoinOperator>(node);
}

}  // namespace alopex
