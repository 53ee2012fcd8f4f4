#include "ingest/import_file.h"

#include <strings.h>

#include <algorithm>
#include <cctype>

namespace alopex {

namespace {

// Prefixes `st` with the file's path unless its message already names it.
Status InFile(const Status& st, const std::string& path) {
  if (st.ok() || st.message().find(path) != std::string::npos) return st;
  return st.WithContext(path + ": ");
}

bool IsLineDelimitedJsonName(std::string path) {
  for (auto& c : path) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0) path.resize(path.size() - 3);
  auto ends = [&](const std::string& s) {
    return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
  };
  return ends(".jsonl") || ends(".ndjson");
}

}  // namespace

Result<std::unique_ptr<ImportFile>> ImportFile::Open(const FileInfo& info, ImportFormat format,
                                                     const ImportOptions& options, bool collect_rejects) {
  std::unique_ptr<ImportFile> f(new ImportFile());
  f->info_ = info;
  f->format_ = format;
  switch (format) {
    case ImportFormat::kParquet: {
      auto r = ParquetReader::Open(info.path);
      if (!r.ok()) return InFile(r.status(), info.path);
      f->parquet_ = std::move(*r);
      f->names_ = f->parquet_->column_names();
      f->types_ = f->parquet_->column_types();
      int64_t start = 0;
      for (int g = 0; g < f->parquet_->num_row_groups(); g++) {
        f->row_group_starts_.push_back(start);
        start += f->parquet_->row_group_num_rows(g);
      }
      break;
    }
    case ImportFormat::kCsv: {
      CsvReadOptions csv = options.csv;
      if (collect_rejects) {
        csv.ignore_errors = true;
        auto mu = f->rejected_mu_;
        auto out = f->rejected_;
        csv.on_rejected_row = [mu, out](uint64_t line, const Status& error) {
          std::lock_guard<std::mutex> lock(*mu);
          out->push_back({line, error.message(), std::nullopt});
        };
      }
      auto r = CsvReader::Open(info.path, csv);
      if (!r.ok()) return InFile(r.status(), info.path);
      f->csv_ = std::move(*r);
      f->names_ = f->csv_->column_names();
      f->types_ = f->csv_->column_types();
      break;
    }
    case ImportFormat::kJson: {
      JsonReadOptions jo = options.json;
      if (jo.format == JsonFormat::kAuto && IsLineDelimitedJsonName(info.path))
        jo.format = JsonFormat::kNewlineDelimited;
      // Under on_error = 'continue' even an opening that collects nothing (the
      // schema probe) leaves bad lines out of the inferred columns, so every
      // opening of the file agrees on them.
      if (collect_rejects || options.on_error == OnError::kContinue) {
        auto mu = f->rejected_mu_;
        auto out = f->rejected_;
        jo.on_rejected_record = [mu, out](uint64_t line, const Status& error, std::string_view raw_text) {
          std::lock_guard<std::mutex> lock(*mu);
          out->push_back({line, error.message(), std::string(raw_text)});
        };
      }
      auto r = JsonReader::Open(info.path, jo);
      if (!r.ok()) return InFile(r.status(), info.path);
      f->json_ = std::move(*r);
      f->names_ = f->json_->column_names();
      f->types_ = f->json_->column_types();
      break;
    }
  }
  return f;
}

int ImportFile::ColumnIndex(const std::string& name) const {
  for (size_t i = 0; i < names_.size(); i++)
    if (strcasecmp(names_[i].c_str(), name.c_str()) == 0) return int(i);
  return -1;
}

size_t ImportFile::num_morsels() const {
  if (parquet_) return size_t(parquet_->num_row_groups());
  if (csv_) return csv_->num_splits();
  return json_->num_splits();
}

int64_t ImportFile::MorselFirstRow(size_t i) const { return parquet_ ? row_group_starts_[i] : -1; }

uint64_t ImportFile::MorselBytes(size_t i) const {
  if (parquet_) {
    const auto& rg = parquet_->metadata().row_groups[i];
    return uint64_t(rg.total_compressed_size.value_or(rg.total_byte_size));
  }
  return info_.size / std::max<size_t>(1, num_morsels());
}

Status ImportFile::ReadMorsel(size_t i, const std::vector<int>& columns, bool vectors,
                              const std::function<Status(Batch&&)>& emit) {
  Status st;
  if (parquet_) {
    ParquetReadOptions ro;
    ro.vectors_from_lists = vectors;
    if (columns.empty()) {
      // No column read (every target column is a partition value or missing):
      // only the row count matters.
      int64_t rows = parquet_->row_group_num_rows(int(i));
      for (int64_t r = 0; r < rows && st.ok(); r += int64_t(kBatchSize)) {
        Batch b;
        b.num_rows = size_t(std::min<int64_t>(int64_t(kBatchSize), rows - r));
        st = emit(std::move(b));
      }
      return st;
    }
    for (int c : columns) ro.columns.push_back(names_[size_t(c)]);
    st = parquet_->ReadRowGroup(int(i), ro, emit);
  } else {
    // The text readers need one column to count rows.
    std::vector<int> read = columns.empty() ? std::vector<int>{0} : columns;
    auto sink = [&](Batch&& b) -> Status {
      if (columns.empty()) {
        Batch n;
        n.num_rows = b.num_rows;
        return emit(std::move(n));
      }
      return emit(std::move(b));
    };
    st = csv_ ? csv_->ReadSplit(i, read, sink) : json_->ReadSplit(i, read, sink);
  }
  return InFile(st, info_.path);
}

std::vector<RejectedLine> ImportFile::TakeRejected() {
  std::lock_guard<std::mutex> lock(*rejected_mu_);
  std::vector<RejectedLine> out = std::move(*rejected_);
  rejected_->clear();
  return out;
}

}  // namespace alopex
