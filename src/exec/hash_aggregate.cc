// GROUP BY: each worker folds its morsels into a private hash table of groups;
// at the end the tables are merged and the groups emitted.
#include <algorithm>
#include <mutex>

#include "exec/aggregate.h"
#include "exec/expression_executor.h"
#include "exec/operators.h"
#include "exec/row_ops.h"

namespace alopex {

namespace {

// Open-addressing table from group keys to dense group ids.
class GroupTable {
 public:
  explicit GroupTable(const std::vector<LogicalType>& key_types) {
    for (const auto& t : key_types) keys_.emplace_back(t);
    Rehash(1024);
    // Single fixed-width integer key without NULLs: compare raw values.
  }
  size_t size() const { return hashes_.size(); }
  const std::vector<Column>& keys() const { return keys_; }
  const std::vector<uint64_t>& hashes() const { return hashes_; }

  // gids[i] = group of row i of `cols` (inserting new groups).
  void FindOrInsert(const std::vector<const Column*>& cols, const uint64_t* h, size_t n, uint32_t* gids) {
    if (keys_.empty()) {
      if (hashes_.empty()) hashes_.push_back(0);
      std::fill(gids, gids + n, 0);
      return;
    }
    int fast = FastKeyWidth(cols);
    for (size_t i = 0; i < n; i++) {
      if ((hashes_.size() + 1) * 2 > slots_.size()) Rehash(slots_.size() * 2);
      size_t mask = slots_.size() - 1;
      size_t s = h[i] & mask;
      for (;;) {
        uint32_t e = slots_[s];
        if (e == 0) {
          uint32_t g = uint32_t(hashes_.size());
          hashes_.push_back(h[i]);
          for (size_t c = 0; c < keys_.size(); c++) keys_[c].AppendRange(*cols[c], i, 1);
          slots_[s] = g + 1;
          gids[i] = g;
          break;
        }
        uint32_t g = e - 1;
        if (hashes_[g] == h[i] && Equal(cols, i, g, fast)) {
          gids[i] = g;
          break;
        }
        s = (s + 1) & mask;
      }
    }
  }

 private:
  // For a single key without NULLs: 8 or 4 (BIGINT-like or INTEGER-like
  // values compared raw), 16 (strings compared by ref), else 0.
  int FastKeyWidth(const std::vector<const Column*>& cols) const {
    if (cols.size() != 1 || cols[0]->MayHaveNulls() || keys_[0].MayHaveNulls()) return 0;
    switch (cols[0]->type().id()) {
      case TypeId::kBigInt: case TypeId::kUBigInt: case TypeId::kTimestamp: case TypeId::kTimestampTz: return 8;
      case TypeId::kInteger: case TypeId::kUInteger: case TypeId::kDate: return 4;
      case TypeId::kVarchar: case TypeId::kBlob: case TypeId::kJson: return 16;
      default: return 0;
    }
  }
  bool Equal(const std::vector<const Column*>& cols, size_t i, uint32_t g, int fast) const {
    if (fast == 8) return cols[0]->data<uint64_t>()[i] == keys_[0].data<uint64_t>()[g];
    if (fast == 4) return cols[0]->data<uint32_t>()[i] == keys_[0].data<uint32_t>()[g];
    if (fast == 16) return cols[0]->data<StringRef>()[i] == keys_[0].data<StringRef>()[g];
    for (size_t c = 0; c < keys_.size(); c++) {
      bool va = cols[c]->IsValid(i), vb = keys_[c].IsValid(g);
      if (va != vb) return false;
      if (va && !ValuesEqual(*cols[c], i, keys_[c], g)) return false;
    }
    return true;
  }
  void Rehash(size_t cap) {
    slots_.assign(cap, 0);
    size_t mask = cap - 1;
    for (uint32_t g = 0; g < hashes_.size(); g++) {
      size_t s = hashes_[g] & mask;
      while (slots_[s]) s = (s + 1) & mask;
      slots_[s] = g + 1;
    }
  }

  std::vector<Column> keys_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> slots_;
};

struct LocalAggregate {
  std::unique_ptr<GroupTable> table;
  std::vector<std::unique_ptr<AggregateState>> states;
};

class AggregateSink : public Sink {
 public:
  explicit AggregateSink(const PlanNode& node) : node_(node) {
    for (const auto& g : node.groups) key_types_.push_back(g->type);
  }
  void SetThreads(int threads) override {
    locals_.resize(size_t(std::max(threads, 1)));
  }
  Status Consume(size_t, std::vector<Batch>&& batches, int worker) override {
    LocalAggregate& local = Local(worker);
    for (auto& b : batches) ALOPEX_RETURN_IF_ERROR(Fold(local, b, *ctx));
    return Status::OK();
  }
  Status Finalize(const ExecContext& ctx) override {
    LocalAggregate* target = nullptr;
    for (auto& l : locals_) {
      if (!l.table) continue;
      if (!target) {
        target = &l;
        continue;
      }
      std::vector<uint32_t> map(l.table->size());
      std::vector<const Column*> other_keys;
      for (const auto& k : l.table->keys()) other_keys.push_back(&k);
      target->table->FindOrInsert(other_keys, l.table->hashes().data(), l.table->size(), map.data());
      for (auto& s : target->states) s->Resize(target->table->size());
      for (size_t a = 0; a < target->states.size(); a++)
        ALOPEX_RETURN_IF_ERROR(target->states[a]->Combine(*l.states[a], map.data(), l.table->size()));
      l.table.reset();
      l.states.clear();
    }
    if (!target) target = &Local(0);  // no input rows
    size_t groups = target->table->size();
    if (node_.groups.empty() && groups == 0) {
      // An aggregate without GROUP BY has one row even over no input.
      uint64_t h = 0;
      uint32_t gid;
      target->table->FindOrInsert({}, &h, 1, &gid);
      groups = 1;
    }
    for (auto& s : target->states) s->Resize(groups);
    Batch all;
    all.num_rows = groups;
    for (const auto& k : target->table->keys()) all.columns.push_back(k.Clone());
    for (auto& s : target->states) {
      Column c;
      ALOPEX_RETURN_IF_ERROR(s->Finalize(groups, &c));
      all.columns.push_back(std::move(c));
    }
    EmitGathered(all, nullptr, 0, groups, &result->batches);
    result->num_rows = groups;
    return Status::OK();
  }

 private:
  LocalAggregate& Local(int worker) {
    std::lock_guard<std::mutex> lock(mu_);
    if (size_t(worker) >= locals_.size()) locals_.resize(size_t(worker) + 1);
    LocalAggregate& l = locals_[size_t(worker)];
    if (!l.table) {
      l.table = std::make_unique<GroupTable>(key_types_);
      for (const auto& a : node_.aggregates) l.states.push_back(MakeAggregateState(a));
    }
    return l;
  }

  Status Fold(LocalAggregate& local, const Batch& b, const ExecContext& ctx) {
    size_t n = b.num_rows;
    if (n == 0) return Status::OK();
    // Keys and arguments that are plain columns are read in place, not copied.
    auto arg = [&](const BoundExpr& e, Column* scratch) -> Result<const Column*> {
      if (e.kind == BoundExprKind::kColumnRef) return &b.columns[size_t(e.column_index)];
      ALOPEX_RETURN_IF_ERROR(EvaluateExpression(e, b, scratch, ctx));
      return static_cast<const Column*>(scratch);
    };
    std::vector<Column> key_scratch(node_.groups.size());
    std::vector<const Column*> keys(node_.groups.size());
    for (size_t k = 0; k < keys.size(); k++) {
      ALOPEX_ASSIGN_OR_RETURN(keys[k], arg(*node_.groups[k], &key_scratch[k]));
    }
    std::vector<uint64_t> hashes(n, 0);
    for (size_t k = 0; k < keys.size(); k++) HashColumn(*keys[k], hashes.data(), n, k > 0);
    std::vector<uint32_t> gids(n);
    local.table->FindOrInsert(keys, hashes.data(), n, gids.data());
    size_t groups = local.table->size();
    for (size_t a = 0; a < node_.aggregates.size(); a++) {
      const BoundAggregate& agg = node_.aggregates[a];
      AggregateState& state = *local.states[a];
      state.Resize(groups);
      std::vector<Column> scratch(agg.args.size() + agg.order_by.size());
      std::vector<const Column*> args;
      for (size_t i = 0; i < agg.args.size(); i++) {
        ALOPEX_ASSIGN_OR_RETURN(const Column* c, arg(*agg.args[i], &scratch[i]));
        args.push_back(c);
      }
      for (size_t i = 0; i < agg.order_by.size(); i++) {
        ALOPEX_ASSIGN_OR_RETURN(const Column* c, arg(*agg.order_by[i], &scratch[agg.args.size() + i]));
        args.push_back(c);
      }
      std::vector<const Column*> ptrs;
      if (agg.filter) {
        std::vector<uint32_t> sel;
        ALOPEX_RETURN_IF_ERROR(SelectRows(*agg.filter, b, &sel, ctx));
        std::vector<Column> filtered;
        for (const Column* c : args) {
          Column f(c->type(), sel.size());
          f.Gather(*c, sel.data(), sel.size());
          filtered.push_back(std::move(f));
        }
        std::vector<uint32_t> fg(sel.size());
        for (size_t i = 0; i < sel.size(); i++) fg[i] = gids[sel[i]];
        for (auto& c : filtered) ptrs.push_back(&c);
        ALOPEX_RETURN_IF_ERROR(state.Update(ptrs, fg.data(), fg.size()));
        continue;
      }
      ALOPEX_RETURN_IF_ERROR(state.Update(args, gids.data(), n));
    }
    return Status::OK();
  }

  const PlanNode& node_;
  std::vector<LogicalType> key_types_;
  std::mutex mu_;
  std::vector<LocalAggregate> locals_;
};

}  // namespace

std::unique_ptr<Sink> MakeAggregateSink(const PlanNode& node) { return std::make_unique<AggregateSink>(node); }

}  // namespace alopex
