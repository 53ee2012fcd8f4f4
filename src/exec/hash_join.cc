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
    for (size_t k = 0; k < keys_.size(); k++) HashColumn(keys_[k], hashes_.data(), n, k > 0);
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
    // A single integer key over a dense range: index chains by key - min
    // instead of by hash, and skip hashing on the probe side.
    if (keys_.size() == 1 && !keys_[0].MayHaveNulls() && n > 0 && IsIntegerKey(keys_[0].type())) {
      int64_t lo = INT64_MAX, hi = INT64_MIN;
      for (size_t i = 0; i < n; i++) {
        int64_t v = KeyAt(keys_[0], i);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      if (hi - lo >= 0 && uint64_t(hi - lo) < 4 * uint64_t(n) + 1024) {
        dense_min_ = lo;
        dense_heads_.assign(size_t(hi - lo) + 1, -1);
        for (size_t i = n; i-- > 0;) {
          size_t slot = size_t(KeyAt(keys_[0], i) - lo);
          next_[i] = dense_heads_[slot];
          dense_heads_[slot] = int64_t(i);
        }
      }
    }
    if (node_.join_type == PlanJoinType::kFull || node_.join_type == PlanJoinType::kRight)
      matched_ = std::make_unique<std::atomic<uint8_t>[]>(std::max<size_t>(n, 1));
    for (size_t i = 0; matched_ && i < n; i++) matched_[i] = 0;
    return Status::OK();
  }

  Status Process(Batch&& in, std::vector<Batch>* out, const ExecContext& ctx) override {
    size_t n = in.num_rows;
    // Probe keys that are plain columns are read in place.
    std::vector<Column> scratch(node_.left_keys.size());
    std::vector<const Column*> pk(node_.left_keys.size());
    for (size_t k = 0; k < pk.size(); k++) {
      const BoundExpr& e = *node_.left_keys[k];
      if (e.kind == BoundExprKind::kColumnRef) {
        pk[k] = &in.columns[size_t(e.column_index)];
      } else {
        ALOPEX_RETURN_IF_ERROR(EvaluateExpression(e, in, &scratch[k], ctx));
        pk[k] = &scratch[k];
      }
    }
    const bool dense = !dense_heads_.empty() && !pk[0]->MayHaveNulls() && IsIntegerKey(pk[0]->type()) &&
                       PhysicalSize(pk[0]->type()) == PhysicalSize(keys_[0].type());
    std::vector<uint64_t> ph(dense ? 0 : n, 0);
    if (!dense)
      for (size_t k = 0; k < pk.size(); k++) HashColumn(*pk[k], ph.data(), n, k > 0);
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
    // One 4- or 8-byte integer key without NULLs on either side: compare raw values.
    const Column& k0 = *pk[0];
    const bool integer_key = pk.size() == 1 && !k0.MayHaveNulls() && !keys_[0].MayHaveNulls() &&
                             (k0.type().IsInteger() || k0.type().id() == TypeId::kDate ||
                              k0.type().id() == TypeId::kTimestamp || k0.type().id() == TypeId::kTimestampTz);
    const size_t width = integer_key ? PhysicalSize(k0.type()) : 0;
    const bool fast8 = width == 8, fast4 = width == 4;
    const bool fast = fast8 || fast4;
    if (dense) {
      const int64_t span = int64_t(dense_heads_.size());
      for (size_t i = 0; i < n; i++) {
        int64_t slot = KeyAt(k0, i) - dense_min_;
        if (slot < 0 || slot >= span) continue;
        for (int64_t r = dense_heads_[size_t(slot)]; r >= 0; r = next_[r]) {
          li.push_back(uint32_t(i));
          ri.push_back(r);
          if (!emit_right && !node_.condition) break;
        }
        if (li.size() >= kBatchSize) ALOPEX_RETURN_IF_ERROR(flush());
      }
    }
    for (size_t i = 0; i < n && !dense; i++) {
      if (!fast && HasNullKey(pk, i)) continue;
      for (int64_t r = heads_[ph[i] & mask]; r >= 0; r = next_[r]) {
        if (hashes_[r] != ph[i]) continue;
        if (fast8) {
          if (k0.data<uint64_t>()[i] != keys_[0].data<uint64_t>()[r]) continue;
        } else if (fast4) {
          if (k0.data<uint32_t>()[i] != keys_[0].data<uint32_t>()[r]) continue;
        } else if (!KeysEqual(pk, i, size_t(r))) {
          continue;
        }
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
  static bool IsIntegerKey(const LogicalType& t) {
    return t.IsInteger() && t.id() != TypeId::kUBigInt;
  }
  // The integer key of row i widened to int64.
  static int64_t KeyAt(const Column& c, size_t i) {
    switch (c.type().id()) {
      case TypeId::kTinyInt: return c.data<int8_t>()[i];
      case TypeId::kSmallInt: return c.data<int16_t>()[i];
      case TypeId::kInteger: return c.data<int32_t>()[i];
      case TypeId::kBigInt: return c.data<int64_t>()[i];
      case TypeId::kUTinyInt: return c.data<uint8_t>()[i];
      case TypeId::kUSmallInt: return c.data<uint16_t>()[i];
      case TypeId::kUInteger: return c.data<uint32_t>()[i];
      default: return 0;
    }
  }
  bool HasNullKey(const std::vector<Column>& keys, size_t i) const {
    for (size_t k = 0; k < keys.size(); k++)
      if (!keys[k].IsValid(i) && !(k < node_.null_equal.size() && node_.null_equal[k])) return true;
    return false;
  }
  bool HasNullKey(const std::vector<const Column*>& keys, size_t i) const {
    for (size_t k = 0; k < keys.size(); k++)
      if (!keys[k]->IsValid(i) && !(k < node_.null_equal.size() && node_.null_equal[k])) return true;
    return false;
  }
  bool KeysEqual(const std::vector<const Column*>& probe, size_t i, size_t r) const {
    for (size_t k = 0; k < probe.size(); k++) {
      bool va = probe[k]->IsValid(i), vb = keys_[k].IsValid(r);
      if (va != vb) return false;
      if (va && !ValuesEqual(*probe[k], i, keys_[k], r)) return false;
    }
    return true;
  }

  const PlanNode& node_;
  std::vector<LogicalType> right_types_;
  Batch build_;
  std::vector<Column> keys_;
  std::vector<uint64_t> hashes_;
  std::vector<int64_t> heads_, next_;
  std::vector<int64_t> dense_heads_;  // non-empty: chains indexed by key - dense_min_
  int64_t dense_min_ = 0;
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
