// Internal interfaces of the executor's operators (see executor.h).
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "common/column.h"
#include "exec/exec_context.h"
#include "exec/plan.h"

namespace alopex {

// Where a pipeline's rows come from.
class Source {
 public:
  virtual ~Source() = default;
  virtual Status Prepare(const ExecContext& ctx) { return Status::OK(); }
  virtual size_t NumMorsels() const = 0;
  virtual Status Read(size_t morsel, const ExecContext& ctx, const std::function<Status(Batch&&)>& emit) = 0;
};

// A streaming operator: batches in, batches out, any number of threads at once.
class StreamOperator {
 public:
  virtual ~StreamOperator() = default;
  // Single-threaded set-up before the pipeline runs (hash-join build).
  virtual Status Init(const ExecContext& ctx) { return Status::OK(); }
  virtual Status Process(Batch&& in, std::vector<Batch>* out, const ExecContext& ctx) = 0;
  // After every morsel went through: rows only known at the end (unmatched
  // build rows of a FULL join).
  virtual Status Finish(std::vector<Batch>* out, const ExecContext& ctx) { return Status::OK(); }
};

// Where a pipeline's rows go: a pipeline breaker.
class Sink {
 public:
  virtual ~Sink() = default;
  // Called with worker indexes 0..threads-1; `batches` are one morsel's output in order.
  virtual Status Consume(size_t morsel, std::vector<Batch>&& batches, int worker) = 0;
  virtual Status Finalize(const ExecContext& ctx) = 0;
  // True once the sink needs no more input (LIMIT satisfied).
  virtual bool Done() const { return false; }
  // Prepares per-worker state for `threads` workers.
  virtual void SetThreads(int threads) {}
  std::shared_ptr<MaterializedData> result = std::make_shared<MaterializedData>();
  // The statement's context, set by RunPipeline before the first Consume.
  const ExecContext* ctx = nullptr;
};

// Runs the pipeline ending at `node` (a source or streaming operator) into `sink`.
Status RunPipeline(const PlanNode& node, Sink& sink, const ExecContext& ctx);

std::unique_ptr<Sink> MakeAggregateSink(const PlanNode& node);
std::unique_ptr<Sink> MakeSortSink(const PlanNode& node, int64_t limit);
std::unique_ptr<Sink> MakeWindowSink(const PlanNode& node);
std::unique_ptr<StreamOperator> MakeHashJoinOperator(const PlanNode& node);
std::unique_ptr<StreamOperator> MakeNestedLoopJoinOperator(const PlanNode& node);

// Sorts `batch` rows by `keys` (evaluated over it) and returns the permutation.
Status SortPermutation(const Batch& batch, const std::vector<SortKey>& keys, const ExecContext& ctx,
                       std::vector<uint32_t>* perm);
// Only the first `limit` rows of the permutation, ordered (top-N).
Status SortPermutation(const Batch& batch, const std::vector<SortKey>& keys, const ExecContext& ctx,
                       std::vector<uint32_t>* perm, size_t limit);

// Splits one big batch into kBatchSize batches following `perm` (or in order).
void EmitGathered(const Batch& all, const std::vector<uint32_t>* perm, size_t begin, size_t end,
                  std::vector<Batch>* out);

}  // namespace alopex
