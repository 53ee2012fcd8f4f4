// Window functions: the input is collected, and for each window its rows are
// ordered by (PARTITION BY, ORDER BY); results are written back in input order
// as extra columns.
#include <algorithm>
#include <map>
#include <mutex>
#include <numeric>

#include "exec/aggregate.h"
#include "exec/executor.h"
#include "exec/expression_executor.h"
#include "exec/operators.h"
#include "exec/row_ops.h"

namespace alopex {

namespace {

bool RowsEqual(const std::vector<Column>& cols, size_t a, size_t b) {
  for (const auto& c : cols) {
    bool va = c.IsValid(a), vb = c.IsValid(b);
    if (va != vb) return false;
    if (va && !ValuesEqual(c, a, c, b)) return false;
  }
  return true;
}

class WindowSink : public Sink {
 public:
  explicit WindowSink(const PlanNode& node) : node_(node) {}
  Status Consume(size_t morsel, std::vector<Batch>&& batches, int) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& b : batches)
      if (b.num_rows) parts_.emplace(std::make_pair(morsel, seq_++), std::move(b));
    return Status::OK();
  }
  Status Finalize(const ExecContext& ctx) override {
    std::vector<Batch> list;
    for (auto& [k, b] : parts_) list.push_back(std::move(b));
    parts_.clear();
    const auto& child_types = node_.children[0]->types;
    Batch all = ConcatenateBatches(list, child_types);
    list.clear();
    for (const auto& w : node_.windows) {
      Column out;
      ALOPEX_RETURN_IF_ERROR(Compute(w, all, &out, ctx));
      all.columns.push_back(std::move(out));
    }
    EmitGathered(all, nullptr, 0, all.num_rows, &result->batches);
    result->num_rows = all.num_rows;
    return Status::OK();
  }

 private:
  Status Compute(const BoundWindow& w, const Batch& all, Column* out, const ExecContext& ctx) {
    size_t n = all.num_rows;
    std::vector<SortKey> keys;
    for (const auto& p : w.partition_by) keys.push_back({p->Copy(), false, false});
    for (size_t k = 0; k < w.order_by.size(); k++)
      keys.push_back({w.order_by[k]->Copy(), bool(w.order_desc[k]), bool(w.order_nulls_first[k])});
    std::vector<uint32_t> perm;
    ALOPEX_RETURN_IF_ERROR(SortPermutation(all, keys, ctx, &perm));
    // Partition and order key columns, in sorted order.
    Batch sorted_input = GatherBatch(all, perm.data(), n);
    std::vector<Column> pcols(w.partition_by.size()), ocols(w.order_by.size());
    for (size_t k = 0; k < pcols.size(); k++) ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*w.partition_by[k], sorted_input, &pcols[k], ctx));
    for (size_t k = 0; k < ocols.size(); k++) ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*w.order_by[k], sorted_input, &ocols[k], ctx));
    std::vector<Column> args(w.kind == WindowKind::kAggregate ? w.aggregate.args.size() : w.args.size());
    for (size_t k = 0; k < args.size(); k++) {
      const BoundExpr& e = w.kind == WindowKind::kAggregate ? *w.aggregate.args[k] : *w.args[k];
      ALOPEX_RETURN_IF_ERROR(EvaluateExpression(e, sorted_input, &args[k], ctx));
    }
    Column filter;
    if (w.kind == WindowKind::kAggregate && w.aggregate.filter)
      ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*w.aggregate.filter, sorted_input, &filter, ctx));

    Column res(w.type, n);
    res.Resize(n);
    size_t start = 0;
    while (start < n) {
      size_t end = start + 1;
      while (end < n && RowsEqual(pcols, start, end)) end++;
      ALOPEX_RETURN_IF_ERROR(ComputePartition(w, ocols, args, filter, start, end, &res));
      start = end;
    }
    // Back to input order.
    *out = Column(w.type, n);
    out->Resize(n);
    for (size_t i = 0; i < n; i++) out->CopyFrom(res, i, perm[i], 1);
    return Status::OK();
  }

  Status ComputePartition(const BoundWindow& w, const std::vector<Column>& ocols, const std::vector<Column>& args,
                          const Column& filter, size_t start, size_t end, Column* res) {
    size_t len = end - start;
    // peer_end[i]: one past the last row with the same ORDER BY values as row i.
    std::vector<size_t> peer_start(len), peer_end(len);
    for (size_t i = 0; i < len;) {
      size_t j = i + 1;
      while (j < len && RowsEqual(ocols, start + i, start + j)) j++;
      for (size_t k = i; k < j; k++) peer_start[k] = i, peer_end[k] = j;
      i = j;
    }
    auto set_int = [&](size_t i, int64_t v) { res->data<int64_t>()[start + i] = v; };
    switch (w.kind) {
      case WindowKind::kRowNumber:
        for (size_t i = 0; i < len; i++) set_int(i, int64_t(i + 1));
        return Status::OK();
      case WindowKind::kRank:
        for (size_t i = 0; i < len; i++) set_int(i, int64_t(peer_start[i] + 1));
        return Status::OK();
      case WindowKind::kDenseRank: {
        int64_t r = 0;
        for (size_t i = 0; i < len; i++) {
          if (i == 0 || peer_start[i] == i) r++;
          set_int(i, r);
        }
        return Status::OK();
      }
      case WindowKind::kPercentRank:
        for (size_t i = 0; i < len; i++)
          res->data<double>()[start + i] = len > 1 ? double(peer_start[i]) / double(len - 1) : 0.0;
        return Status::OK();
      case WindowKind::kCumeDist:
        for (size_t i = 0; i < len; i++) res->data<double>()[start + i] = double(peer_end[i]) / double(len);
        return Status::OK();
      case WindowKind::kNtile: {
        for (size_t i = 0; i < len; i++) {
          int64_t buckets = args[0].IsValid(start + i) ? args[0].data<int64_t>()[start + i] : 1;
          if (buckets <= 0) return Status::InvalidArgument("argument of ntile must be greater than zero");
          int64_t size = int64_t(len) / buckets, large = int64_t(len) % buckets;
          int64_t idx = int64_t(i), bucket;
          if (idx < large * (size + 1))
            bucket = idx / (size + 1);
          else
            bucket = large + (idx - large * (size + 1)) / std::max<int64_t>(size, 1);
          set_int(i, bucket + 1);
        }
        return Status::OK();
      }
      case WindowKind::kLag:
      case WindowKind::kLead: {
        for (size_t i = 0; i < len; i++) {
          int64_t off = 1;
          if (args.size() > 1 && args[1].IsValid(start + i)) off = args[1].data<int64_t>()[start + i];
          int64_t j = w.kind == WindowKind::kLag ? int64_t(i) - off : int64_t(i) + off;
          if (j >= 0 && j < int64_t(len)) {
            res->CopyFrom(args[0], start + size_t(j), start + i, 1);
          } else if (args.size() > 2) {
            res->CopyFrom(args[2], start + i, start + i, 1);
          } else {
            res->SetNull(start + i);
          }
        }
        return Status::OK();
      }
      default:
        break;
    }
    // RANGE frames with offsets compare ORDER BY values: one numeric key.
    std::vector<double> keyvals;
    bool value_range = w.has_frame && !w.frame_rows &&
                       ((w.frame_start != 0 && w.frame_start != INT64_MIN) || (w.frame_end != 0 && w.frame_end != INT64_MAX));
    if (value_range) {
      if (ocols.size() != 1 || !(ocols[0].type().IsNumeric() || ocols[0].type().IsTemporal()))
        return Status::BinderError("RANGE with an offset needs exactly one numeric ORDER BY expression");
      keyvals.resize(len);
      for (size_t k = 0; k < len; k++) keyvals[k] = ocols[0].GetValue(start + k).AsDouble();
    }
    const bool desc = !w.order_desc.empty() && w.order_desc[0];
    // First index in the partition whose key is past `target` (>= when `inclusive`).
    auto first_at = [&](double target, bool inclusive) -> int64_t {
      size_t lo = 0, hi = len;
      while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        double k = keyvals[mid];
        bool before = desc ? (inclusive ? k > target : k >= target) : (inclusive ? k < target : k <= target);
        if (before)
          lo = mid + 1;
        else
          hi = mid;
      }
      return int64_t(lo);
    };
    // Frame-based: first_value, last_value, nth_value, aggregates.
    auto frame = [&](size_t i, size_t* fs, size_t* fe) {
      if (!w.has_frame) {
        *fs = 0;
        *fe = ocols.empty() ? len : peer_end[i];
        return;
      }
      auto bound = [&](int64_t off, bool is_end) -> int64_t {
        if (off == INT64_MIN) return 0;
        if (off == INT64_MAX) return int64_t(len);
        if (w.frame_rows) return int64_t(i) + off + (is_end ? 1 : 0);
        // RANGE with CURRENT ROW: the peer group.
        if (off == 0) return is_end ? int64_t(peer_end[i]) : int64_t(peer_start[i]);
        // RANGE n PRECEDING / FOLLOWING: rows whose key lies within n of this row's.
        double target = desc ? keyvals[i] - double(off) : keyvals[i] + double(off);
        return is_end ? first_at(target, false) : first_at(target, true);
      };
      int64_t s = std::clamp<int64_t>(bound(w.frame_start, false), 0, int64_t(len));
      int64_t e = std::clamp<int64_t>(bound(w.frame_end, true), 0, int64_t(len));
      *fs = size_t(s);
      *fe = size_t(std::max(s, e));
    };
    if (w.kind == WindowKind::kFirstValue || w.kind == WindowKind::kLastValue || w.kind == WindowKind::kNthValue) {
      for (size_t i = 0; i < len; i++) {
        size_t fs, fe;
        frame(i, &fs, &fe);
        int64_t pick = -1;
        if (w.kind == WindowKind::kFirstValue && fe > fs) pick = int64_t(fs);
        if (w.kind == WindowKind::kLastValue && fe > fs) pick = int64_t(fe - 1);
        if (w.kind == WindowKind::kNthValue) {
          int64_t nth = args.size() > 1 && args[1].IsValid(start + i) ? args[1].data<int64_t>()[start + i] : 1;
          if (nth >= 1 && fs + size_t(nth) - 1 < fe) pick = int64_t(fs + size_t(nth) - 1);
        }
        if (pick < 0)
          res->SetNull(start + i);
        else
          res->CopyFrom(args[0], start + size_t(pick), start + i, 1);
      }
      return Status::OK();
    }
    // Aggregates: cumulative frames fold incrementally; others recompute per row.
    std::vector<const Column*> ptrs;
    for (const auto& a : args) ptrs.push_back(&a);
    auto passes = [&](size_t row) { return !w.aggregate.filter || (filter.IsValid(row) && filter.data<uint8_t>()[row]); };
    bool cumulative = (!w.has_frame || w.frame_start == INT64_MIN) && !w.aggregate.distinct && w.aggregate.order_by.empty();
    std::vector<Column> one_args(args.size());
    auto feed = [&](AggregateState& st, size_t from, size_t to) -> Status {
      std::vector<uint32_t> rows;
      for (size_t r = from; r < to; r++)
        if (passes(start + r)) rows.push_back(uint32_t(start + r));
      if (rows.empty()) return Status::OK();
      std::vector<Column> sub(args.size());
      std::vector<const Column*> sp;
      for (size_t k = 0; k < args.size(); k++) {
        sub[k] = Column(args[k].type(), rows.size());
        sub[k].Gather(args[k], rows.data(), rows.size());
        sp.push_back(&sub[k]);
      }
      std::vector<uint32_t> gids(rows.size(), 0);
      return st.Update(sp, gids.data(), gids.size());
    };
    if (cumulative) {
      auto st = MakeAggregateState(w.aggregate);
      st->Resize(1);
      size_t fed = 0;
      Column last;
      size_t last_fe = SIZE_MAX;
      for (size_t i = 0; i < len; i++) {
        size_t fs, fe;
        frame(i, &fs, &fe);
        if (fe != last_fe) {
          if (fe > fed) {
            ALOPEX_RETURN_IF_ERROR(feed(*st, fed, fe));
            fed = fe;
          }
          ALOPEX_RETURN_IF_ERROR(st->Finalize(1, &last));
          last_fe = fe;
        }
        res->CopyFrom(last, 0, start + i, 1);
      }
      return Status::OK();
    }
    for (size_t i = 0; i < len; i++) {
      size_t fs, fe;
      frame(i, &fs, &fe);
      auto st = MakeAggregateState(w.aggregate);
      st->Resize(1);
      ALOPEX_RETURN_IF_ERROR(feed(*st, fs, fe));
      Column one;
      ALOPEX_RETURN_IF_ERROR(st->Finalize(1, &one));
      res->CopyFrom(one, 0, start + i, 1);
    }
    return Status::OK();
  }

  const PlanNode& node_;
  std::mutex mu_;
  size_t seq_ = 0;
  std::map<std::pair<size_t, size_t>, Batch> parts_;
};

}  // namespace

std::unique_ptr<Sink> MakeWindowSink(const PlanNode& node) { return std::make_unique<WindowSink>(node); }

}  // namespace alopex
