#include "ingest/loaded_files.h"

#include "storage/delta/json_node.h"
#include "storage/table.h"

namespace alopex {

bool LoadedFileRegistry::Lease::Contains(const FileInfo& f) const {
  return files_.count(FileKey{f.path, f.size, f.mtime_micros}) > 0;
}

std::pair<std::string, std::string> LoadedFileRegistry::Lease::DomainWith(const std::vector<FileInfo>& files) const {
  std::set<FileKey> all = files_;
  for (const auto& f : files) all.insert(FileKey{f.path, f.size, f.mtime_micros});
  JsonNode list = JsonNode::Array();
  for (const auto& [path, size, mtime] : all) {
    JsonNode o = JsonNode::Object();
    o.Set("path", JsonNode::String(path));
    o.Set("size", JsonNode::Int(int64_t(size)));
    o.Set("mtime", JsonNode::Int(mtime));
    list.Push(std::move(o));
  }
  JsonNode config = JsonNode::Object();
  config.Set("files", std::move(list));
  return {kDomain, config.Serialize()};
}

LoadedFileRegistry& LoadedFileRegistry::Global() {
  static LoadedFileRegistry* registry = new LoadedFileRegistry();
  return *registry;
}

Result<LoadedFileRegistry::Lease> LoadedFileRegistry::Acquire(const std::shared_ptr<Table>& table) {
  std::mutex* mu;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto& slot = locks_[table->qualified_name()];
    if (!slot) slot = std::make_unique<std::mutex>();
    mu = slot.get();
  }
  Lease lease;
  lease.lock_ = std::unique_lock<std::mutex>(*mu);
  ALOPEX_ASSIGN_OR_RETURN(auto snap, table->Snapshot());
  auto it = snap->domains.find(kDomain);
  if (it == snap->domains.end()) return lease;
  auto parsed = JsonNode::Parse(it->second);
  const JsonNode* files = parsed.ok() ? parsed->Find("files") : nullptr;
  if (!files || !files->is_array())
    return Status::Corruption("table " + table->qualified_name() + ": the COPY INTO file registry (domain " + kDomain +
                              ") is not readable");
  for (const JsonNode& f : files->items()) {
    auto path = f.GetString("path");
    auto size = f.GetInt("size");
    auto mtime = f.GetInt("mtime");
    if (path && size && mtime) lease.files_.insert(FileKey{*path, uint64_t(*size), *mtime});
  }
  return lease;
}

}  // namespace alopex
