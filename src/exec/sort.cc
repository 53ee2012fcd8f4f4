// ORDER BY: collect, compute a permutation, emit in order. With a limit (top-N)
// only the first rows of the permutation are ordered.
#include <algorithm>
#include <map>
#include <mutex>
#include <numeric>

#include "exec/executor.h"
#include "exec/expression_executor.h"
#include "exec/operators.h"
#include "exec/row_ops.h"

namespace alopex {

Status SortPermutation(const Batch& batch, const std::vector<SortKey>& keys, const ExecContext& ctx,
                       std::vector<uint32_t>* perm, size_t limit) {
  size_t n = batch.num_rows;
  std::vector<Column> cols(keys.size());
  for (size_t k = 0; k < keys.size(); k++) ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*keys[k].expr, batch, &cols[k], ctx));
  perm->resize(n);
  std::iota(perm->begin(), perm->end(), 0);
  auto less = [&](uint32_t a, uint32_t b) {
    for (size_t k = 0; k < keys.size(); k++) {
      const Column& c = cols[k];
      bool va = c.IsValid(a), vb = c.IsValid(b);
      if (!va || !vb) {
        if (va == vb) continue;
        // NULLS LAST by default in both directions.
        return keys[k].nulls_first ? !va : va;
      }
      int r = CompareValues(c, a, c, b);
      if (r) return keys[k].descending ? r > 0 : r < 0;
    }
    return a < b;  // stable
  };
  if (limit < n) {
    std::partial_sort(perm->begin(), perm->begin() + limit, perm->end(), less);
    perm->resize(limit);
  } else {
    std::sort(perm->begin(), perm->end(), less);
  }
  return Status::OK();
}

Status SortPermutation(const Batch& batch, const std::vector<SortKey>& keys, const ExecContext& ctx,
                       std::vector<uint32_t>* perm) {
  return SortPermutation(batch, keys, ctx, perm, SIZE_MAX);
}

namespace {

class SortSink : public Sink {
 public:
  SortSink(const PlanNode& node, int64_t limit) : node_(node), limit_(limit) {}
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
    Batch all = ConcatenateBatches(list, node_.types);
    list.clear();
    std::vector<uint32_t> perm;
    size_t limit = limit_ < 0 ? SIZE_MAX : size_t(limit_);
    ALOPEX_RETURN_IF_ERROR(SortPermutation(all, node_.sort_keys, ctx, &perm, limit));
    EmitGathered(all, &perm, 0, perm.size(), &result->batches);
    result->num_rows = perm.size();
    return Status::OK();
  }

 private:
  const PlanNode& node_;
  int64_t limit_;
  std::mutex mu_;
  size_t seq_ = 0;
  std::map<std::pair<size_t, size_t>, Batch> parts_;
};

}  // namespace

std::unique_ptr<Sink> MakeSortSink(const PlanNode& node, int64_t limit) {
  return std::make_unique<SortSink>(node, limit);
}

}  // namespace alopex
