#include "formats/parquet/parquet_writer.h"

#include <new>

#include "formats/parquet/column_writer.h"
#include "formats/parquet/compression.h"
#include "formats/parquet/page_task_pool.h"
#include "formats/parquet/parquet_schema.h"

namespace alopex {

using namespace parquet;  // NOLINT: this file implements the parquet layer

namespace {
constexpr const char* kCreatedBy = "alopex version 0.1.0";

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (uint8_t(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out;
}
}  // namespace

struct ParquetWriter::PageIndexEntry {
  uint64_t chunk_start = 0;
  uint64_t dict_size = 0;
  std::vector<PageRecord> pages;
  bool has_column_index = false;
};

ParquetWriter::ParquetWriter() = default;
ParquetWriter::~ParquetWriter() = default;

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Open(const std::string& path, std::vector<std::string> names,
                                                           std::vector<LogicalType> types, ParquetWriteOptions options,
                                                           FileSystem* fs) {
  if (!fs) {
    ALOPEX_ASSIGN_OR_RETURN(fs, FileSystem::ForPath(path));
  }
  ALOPEX_ASSIGN_OR_RETURN(auto file, fs->OpenForWrite(path));
  return Open(std::move(file), std::move(names), std::move(types), std::move(options));
}

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Open(std::unique_ptr<WritableFile> file,
                                                           std::vector<std::string> names,
                                                           std::vector<LogicalType> types,
                                                           ParquetWriteOptions options) {
  std::unique_ptr<ParquetWriter> w(new ParquetWriter());
  w->path_ = file->path();
  w->file_ = std::move(file);
  w->names_ = std::move(names);
  w->types_ = std::move(types);
  w->options_ = std::move(options);
  ALOPEX_RETURN_IF_ERROR(w->Init());
  return w;
}

Status ParquetWriter::Init() {
  if (names_.size() != types_.size())
    return Status::InvalidArgument(path_ + ": " + std::to_string(names_.size()) + " column names for " +
                                   std::to_string(types_.size()) + " types");
  if (names_.empty()) return Status::InvalidArgument(path_ + ": a Parquet file needs at least one column");
  auto codec = CodecFromName(options_.compression);
  if (!codec.ok()) return codec.status().WithContext(path_ + ": ");
  if (options_.data_page_version != 1 && options_.data_page_version != 2)
    return Status::InvalidArgument(path_ + ": data_page_version must be 1 or 2");
  if (options_.row_group_size <= 0) options_.row_group_size = 122880;
  if (options_.page_size <= 0) options_.page_size = 1 << 20;
  codec_ = int32_t(*codec);
  WriterSettings settings;
  settings.codec = *codec;
  settings.level = options_.compression_level;
  settings.page_size = size_t(options_.page_size);
  settings.dictionary = options_.dictionary;
  settings.statistics = options_.statistics;
  settings.data_page_version = options_.data_page_version;
  settings.pool = PageTaskPool::Shared();
  md_ = std::make_unique<FileMetaData>();
  SchemaElement root;
  root.name = "schema";
  root.num_children = int32_t(names_.size());
  md_->schema.push_back(root);
  for (size_t i = 0; i < names_.size(); i++) {
    auto col = std::make_unique<WriterColumn>();
    Status st = WriterColumn::Build(names_[i], types_[i], settings, col.get(), &md_->schema);
    if (!st.ok()) return Status(st.code(), path_ + ": column " + names_[i] + ": " + st.message());
    for (auto& l : col->leaves) leaves_.push_back(l.get());
    columns_.push_back(std::move(col));
  }
  file_stats_.assign(names_.size(), ColumnStatistics{});
  return Append("PAR1");
}

Status ParquetWriter::Append(const std::string& bytes) {
  if (bytes.empty()) return Status::OK();
  ALOPEX_RETURN_IF_ERROR(file_->Append(bytes.data(), bytes.size()));
  offset_ += bytes.size();
  return Status::OK();
}

Status ParquetWriter::Write(const Batch& batch) {
  if (closed_) return Status::InvalidArgument(path_ + ": write after Close");
  if (batch.columns.size() != columns_.size())
    return Status::InvalidArgument(path_ + ": batch has " + std::to_string(batch.columns.size()) +
                                   " columns, the file " + std::to_string(columns_.size()));
  for (size_t i = 0; i < columns_.size(); i++) {
    if (batch.columns[i].type() != types_[i])
      return Status::InvalidArgument(path_ + ": column " + names_[i] + " has type " +
                                     batch.columns[i].type().ToString() + ", expected " + types_[i].ToString());
    if (batch.columns[i].size() < batch.num_rows)
      return Status::InvalidArgument(path_ + ": column " + names_[i] + " is shorter than the batch");
  }
  try {
    size_t off = 0, left = batch.num_rows;
    while (left > 0) {
      size_t take = size_t(std::min<int64_t>(int64_t(left), options_.row_group_size - rg_rows_));
      ALOPEX_RETURN_IF_ERROR(WriteRows(batch, off, take));
      off += take;
      left -= take;
      if (rg_rows_ >= options_.row_group_size) {
        ALOPEX_RETURN_IF_ERROR(FlushRowGroup());
        continue;
      }
      size_t buffered = 0;
      for (auto* l : leaves_) buffered += l->buffered_bytes();
      if (int64_t(buffered) >= options_.row_group_bytes) ALOPEX_RETURN_IF_ERROR(FlushRowGroup());
    }
  } catch (const std::bad_alloc&) {
    return Status::OutOfRange(path_ + ": out of memory writing Parquet");
  }
  return Status::OK();
}

Status ParquetWriter::WriteRows(const Batch& batch, size_t offset, size_t count) {
  // Large batches are fed in slices so pages and row groups can be cut between them.
  constexpr size_t kSlice = 2048;
  for (size_t s = 0; s < count; s += kSlice) {
    size_t n = std::min(kSlice, count - s);
    for (size_t c = 0; c < columns_.size(); c++) {
      Status st = columns_[c]->Write(batch.columns[c], offset + s, n);
      if (!st.ok()) return Status(st.code(), path_ + ": column " + names_[c] + ": " + st.message());
      const Column& col = batch.columns[c];
      if (col.MayHaveNulls())
        for (size_t r = offset + s; r < offset + s + n; r++) file_stats_[c].null_count += col.IsNull(r);
    }
    rg_rows_ += int64_t(n);
    rows_written_ += int64_t(n);
  }
  return Status::OK();
}

Status ParquetWriter::FlushRowGroup() {
  if (rg_rows_ == 0) return Status::OK();
  RowGroup rg;
  rg.num_rows = rg_rows_;
  rg.file_offset = int64_t(offset_);
  rg.ordinal = int16_t(md_->row_groups.size());
  int64_t compressed = 0;
  std::vector<std::unique_ptr<PageIndexEntry>> index;
  size_t leaf_index = 0;
  for (size_t c = 0; c < columns_.size(); c++) {
    for (auto& lw : columns_[c]->leaves) {
      Status st = lw->Finish();
      if (!st.ok()) return Status(st.code(), path_ + ": column " + names_[c] + ": " + st.message());
      uint64_t start = offset_;
      ALOPEX_RETURN_IF_ERROR(Append(lw->dictionary_page()));
      for (const std::string& page : lw->data_pages()) ALOPEX_RETURN_IF_ERROR(Append(page));
      ColumnChunk cc;
      cc.has_meta_data = true;
      lw->FillMetadata(start, &cc.meta_data);
      rg.total_byte_size += cc.meta_data.total_uncompressed_size;
      compressed += cc.meta_data.total_compressed_size;
      auto entry = std::make_unique<PageIndexEntry>();
      entry->chunk_start = start;
      entry->dict_size = lw->dictionary_page().size();
      entry->pages = lw->pages();
      index.push_back(std::move(entry));
      // Whole-file statistics of flat columns.
      if (columns_[c]->root.kind == WriterColumn::Node::kLeaf && options_.statistics) {
        ColumnStatistics& fs = file_stats_[c];
        auto mn = lw->MinValue(lw->chunk_stats()), mx = lw->MaxValue(lw->chunk_stats());
        if (mn && (!fs.min || CompareValues(*mn, *fs.min).value_or(0) < 0)) fs.min = mn;
        if (mx && (!fs.max || CompareValues(*mx, *fs.max).value_or(0) > 0)) fs.max = mx;
      }
      rg.columns.push_back(std::move(cc));
      lw->Reset();
      leaf_index++;
    }
  }
  rg.total_compressed_size = compressed;
  md_->num_rows += rg_rows_;
  md_->row_groups.push_back(std::move(rg));
  page_indexes_.push_back(std::move(index));
  rg_rows_ = 0;
  return Status::OK();
}

Status ParquetWriter::Close() {
  if (closed_) return Status::OK();
  try {
    ALOPEX_RETURN_IF_ERROR(FlushRowGroup());
    closed_ = true;
    // Page index: every ColumnIndex, then every OffsetIndex.
    if (options_.page_index) {
      for (size_t g = 0; g < page_indexes_.size(); g++) {
        for (size_t l = 0; l < page_indexes_[g].size(); l++) {
          PageIndexEntry& e = *page_indexes_[g][l];
          if (!options_.statistics || e.pages.empty()) continue;
          ColumnIndex ci;
          bool ok = true;
          for (const PageRecord& p : e.pages) {
            if (p.all_null) {
              ci.null_pages.push_back(true);
              ci.min_values.emplace_back();
              ci.max_values.emplace_back();
            } else if (p.min && p.max) {
              ci.null_pages.push_back(false);
              ci.min_values.push_back(*p.min);
              ci.max_values.push_back(*p.max);
            } else {
              ok = false;  // no defined order, or only NaNs
              break;
            }
            ci.null_counts.push_back(p.null_count);
          }
          if (!ok) continue;
          std::string bytes;
          EncodeColumnIndex(ci, &bytes);
          ColumnChunk& cc = md_->row_groups[g].columns[l];
          cc.column_index_offset = int64_t(offset_);
          cc.column_index_length = int32_t(bytes.size());
          ALOPEX_RETURN_IF_ERROR(Append(bytes));
        }
      }
      for (size_t g = 0; g < page_indexes_.size(); g++) {
        for (size_t l = 0; l < page_indexes_[g].size(); l++) {
          PageIndexEntry& e = *page_indexes_[g][l];
          OffsetIndex oi;
          for (const PageRecord& p : e.pages)
            oi.page_locations.push_back({int64_t(e.chunk_start + e.dict_size + p.offset_in_data), p.size, p.first_row});
          std::string bytes;
          EncodeOffsetIndex(oi, &bytes);
          ColumnChunk& cc = md_->row_groups[g].columns[l];
          cc.offset_index_offset = int64_t(offset_);
          cc.offset_index_length = int32_t(bytes.size());
          ALOPEX_RETURN_IF_ERROR(Append(bytes));
        }
      }
    }
    for (const auto& [k, v] : options_.key_value_metadata) md_->key_value_metadata.push_back({k, v});
    std::string dims;
    for (size_t i = 0; i < types_.size(); i++)
      if (types_[i].id() == TypeId::kVector)
        dims += (dims.empty() ? "" : ", ") + std::string("\"") + JsonEscape(names_[i]) + "\": " +
                std::to_string(types_[i].dimension());
    if (!dims.empty()) md_->key_value_metadata.push_back({kVectorDimensionKey, "{" + dims + "}"});
    md_->created_by = kCreatedBy;
    md_->column_orders.assign(leaves_.size(), 1);
    std::string footer;
    EncodeFileMetaData(*md_, &footer);
    uint32_t len = uint32_t(footer.size());
    footer.append(reinterpret_cast<const char*>(&len), 4);
    footer += "PAR1";
    ALOPEX_RETURN_IF_ERROR(Append(footer));
    return file_->Close();
  } catch (const std::bad_alloc&) {
    return Status::OutOfRange(path_ + ": out of memory writing the Parquet footer");
  }
}

}  // namespace alopex
