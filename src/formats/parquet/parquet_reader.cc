#include "formats/parquet/parquet_reader.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "formats/parquet/bloom_filter.h"
#include "formats/parquet/column_reader.h"
#include "formats/parquet/statistics.h"

namespace alopex {

using namespace parquet;  // NOLINT: this file implements the parquet layer

namespace {

constexpr size_t kTailRead = 64 * 1024;
constexpr uint32_t kMaxFooter = 1u << 30;

std::string RowGroupContext(const std::string& path, const LeafInfo& leaf, int rg) {
  return path + ": column " + leaf.dotted_path + " row group " + std::to_string(rg);
}

// parquet-mr before 1.2.9 left the dictionary page header out of the chunk
// sizes (PARQUET-816).
bool NeedsChunkPadding(const FileMetaData& md) {
  if (!md.created_by) return true;
  const std::string& s = *md.created_by;
  if (s.rfind("parquet-mr", 0) != 0) return false;
  int a = 0, b = 0, c = 0;
  size_t v = s.find("version ");
  if (v == std::string::npos || std::sscanf(s.c_str() + v + 8, "%d.%d.%d", &a, &b, &c) < 2) return true;
  return a < 1 || (a == 1 && (b < 2 || (b == 2 && c < 9)));
}

}  // namespace

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(const std::string& path, FileSystem* fs) {
  if (!fs) {
    ALOPEX_ASSIGN_OR_RETURN(fs, FileSystem::ForPath(path));
  }
  ALOPEX_ASSIGN_OR_RETURN(auto file, fs->OpenForRead(path));
  return Open(std::move(file));
}

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(std::unique_ptr<RandomAccessFile> file) {
  std::unique_ptr<ParquetReader> r(new ParquetReader());
  r->path_ = file->path();
  r->file_ = std::move(file);
  try {
    ALOPEX_RETURN_IF_ERROR(r->Init());
  } catch (const std::bad_alloc&) {
    return Status::OutOfRange(r->path_ + ": out of memory reading the Parquet footer");
  }
  return r;
}

Status ParquetReader::Init() {
  file_size_ = file_->size();
  if (file_size_ < 12)
    return Status::Corruption(path_ + ": file of " + std::to_string(file_size_) +
                              " bytes is too small to be Parquet (truncated at byte offset " + std::to_string(file_size_) + ")");
  size_t tail = size_t(std::min<uint64_t>(file_size_, kTailRead));
  std::vector<uint8_t> buf(tail);
  ALOPEX_RETURN_IF_ERROR(file_->ReadAt(file_size_ - tail, tail, buf.data()));
  const uint8_t* end = buf.data() + tail;
  if (std::memcmp(end - 4, "PARE", 4) == 0)
    return Status::NotImplemented(path_ + ": encrypted Parquet files are not supported");
  if (std::memcmp(end - 4, "PAR1", 4) != 0)
    return Status::Corruption(path_ + ": not a Parquet file: no PAR1 magic at byte offset " +
                              std::to_string(file_size_ - 4) + " (the end of its " + std::to_string(file_size_) +
                              " bytes); truncated?");
  if (tail == file_size_ && std::memcmp(buf.data(), "PAR1", 4) != 0)
    return Status::Corruption(path_ + ": not a Parquet file (no PAR1 magic at the start)");
  uint32_t len;
  std::memcpy(&len, end - 8, 4);
  if (len == 0 || uint64_t(len) > file_size_ - 12 || len > kMaxFooter)
    return Status::Corruption(path_ + ": footer length " + std::to_string(len) + " does not fit a file of " +
                              std::to_string(file_size_) + " bytes");
  footer_size_ = len;
  uint64_t footer_offset = file_size_ - 8 - len;
  const uint8_t* footer;
  std::vector<uint8_t> big;
  if (size_t(len) + 8 <= tail) {
    footer = end - 8 - len;
  } else {
    big.resize(len);
    ALOPEX_RETURN_IF_ERROR(file_->ReadAt(footer_offset, len, big.data()));
    footer = big.data();
  }
  Status st = DecodeFileMetaData(footer, len, footer_offset, &md_);
  if (!st.ok()) return Status::Corruption(path_ + ": " + st.message());
  if (md_.encrypted) return Status::NotImplemented(path_ + ": encrypted Parquet files are not supported");
  st = BuildParquetSchema(md_, &schema_);
  if (!st.ok()) return Status(st.code(), path_ + ": " + st.message());
  if (md_.num_rows < 0) return Status::Corruption(path_ + ": negative row count");
  for (size_t g = 0; g < md_.row_groups.size(); g++) {
    const RowGroup& rg = md_.row_groups[g];
    if (rg.num_rows < 0) return Status::Corruption(path_ + ": row group " + std::to_string(g) + " has a negative row count");
    if (rg.columns.size() != schema_.leaves.size())
      return Status::Corruption(path_ + ": row group " + std::to_string(g) + " has " + std::to_string(rg.columns.size()) +
                                " column chunks, the schema has " + std::to_string(schema_.leaves.size()) + " leaves");
  }
  return Status::OK();
}

Result<std::vector<int>> ParquetReader::Projection(const ParquetReadOptions& options) const {
  std::vector<int> proj;
  if (options.columns.empty()) {
    for (size_t i = 0; i < schema_.columns.size(); i++) proj.push_back(int(i));
    return proj;
  }
  for (const auto& name : options.columns) {
    auto it = std::find(schema_.names.begin(), schema_.names.end(), name);
    if (it == schema_.names.end()) return Status::BinderError(path_ + ": column \"" + name + "\" not found in the Parquet file");
    proj.push_back(int(it - schema_.names.begin()));
  }
  return proj;
}

Status ParquetReader::ChunkRange(int rg, int leaf, uint64_t* offset, size_t* size, size_t* readable) const {
  const LeafInfo& li = schema_.leaves[size_t(leaf)];
  const ColumnChunk& cc = md_.row_groups[size_t(rg)].columns[size_t(leaf)];
  std::string ctx = RowGroupContext(path_, li, rg);
  if (!cc.has_meta_data) return Status::Corruption(ctx + ": column chunk has no metadata");
  if (cc.file_path && !cc.file_path->empty())
    return Status::NotImplemented(ctx + ": column chunk lives in another file (" + *cc.file_path + ")");
  const ColumnMetaData& m = cc.meta_data;
  if (m.type != li.physical)
    return Status::Corruption(ctx + ": chunk type " + TypeName(int32_t(m.type)) + " differs from the schema's " +
                              TypeName(int32_t(li.physical)));
  int64_t start = m.data_page_offset;
  if (m.dictionary_page_offset && *m.dictionary_page_offset > 0 && *m.dictionary_page_offset < start)
    start = *m.dictionary_page_offset;
  int64_t len = m.total_compressed_size;
  uint64_t data_end = file_size_ - 8 - footer_size_;
  if (start < 0 || len < 0 || uint64_t(start) > data_end || uint64_t(len) > data_end - uint64_t(start))
    return Status::Corruption(ctx + ": column chunk [" + std::to_string(start) + ", +" + std::to_string(len) +
                              ") lies outside the file's data (" + std::to_string(data_end) + " bytes)");
  int64_t padded = len;
  if (NeedsChunkPadding(md_)) padded = int64_t(std::min<uint64_t>(uint64_t(len) + 100, data_end - uint64_t(start)));
  *offset = uint64_t(start);
  *size = size_t(len);
  *readable = size_t(padded);
  return Status::OK();
}

namespace {

// Builds VECTOR(dim) rows from the levels/values of a list<float|double> leaf;
// false when the batch does not have that shape. `*dim` 0 = take it from the data.
bool TryBuildVector(const ColumnNode& node, const LevelBuffer& lv, const RawValues& values, bool is_double,
                    size_t num_records, int* dim, Column* out) {
  const ColumnNode& elem = node.children[0];
  size_t n = lv.def.size();
  const uint8_t* def = lv.def.data();
  const uint8_t* rep = lv.rep.data();
  uint8_t max_def = uint8_t(elem.def_null);
  size_t full = 0;
  for (size_t i = 0; i < n; i++) full += def[i] == max_def;
  std::vector<size_t> null_rows;
  size_t d = size_t(*dim);
  if (full == n) {
    // No null or empty list and no null element: lists are delimited by rep == 0.
    if (num_records == 0) return false;
    if (d == 0) {
      d = n / num_records;
      if (d == 0) return false;
    }
    if (n != num_records * d) return false;
    size_t zeros = 0;
    for (size_t i = 0; i < n; i++) zeros += rep[i] == 0;
    if (zeros != num_records) return false;
    for (size_t r = 0; r < num_records; r++)
      if (rep[r * d] != 0) return false;
  } else {
    // Allow NULL lists (one entry each); anything else falls back.
    size_t e = 0, row = 0;
    while (e < n) {
      if (rep[e] != 0) return false;
      if (def[e] < node.def_null) {
        null_rows.push_back(row++);
        e++;
        continue;
      }
      size_t s = e;
      while (e < n && (e == s || rep[e] != 0)) {
        if (def[e] != max_def) return false;
        e++;
      }
      if (d == 0) d = e - s;
      if (e - s != d) return false;
      row++;
    }
    if (row != num_records || d == 0) return false;
  }
  if (d > (1u << 24)) return false;
  *dim = int(d);
  *out = Column(LogicalType::Vector(int(d)));
  out->Resize(num_records);
  float* dst = out->data<float>();
  size_t total_rows = num_records - null_rows.size();
  if (values.count != total_rows * d) return false;
  const float* fsrc = reinterpret_cast<const float*>(values.data.get());
  const double* dsrc = reinterpret_cast<const double*>(values.data.get());
  size_t src_row = 0;
  size_t ni = 0;
  if (null_rows.empty() && !is_double) {
    if (values.count) std::memcpy(dst, fsrc, values.count * sizeof(float));
  } else {
    for (size_t r = 0; r < num_records; r++) {
      if (ni < null_rows.size() && null_rows[ni] == r) {
        ni++;
        continue;  // Resize zeroed the row
      }
      if (is_double) {
        const double* s = dsrc + src_row * d;
        for (size_t k = 0; k < d; k++) dst[r * d + k] = float(s[k]);
      } else {
        std::memcpy(dst + r * d, fsrc + src_row * d, d * sizeof(float));
      }
      src_row++;
    }
    if (!null_rows.empty()) {
      uint64_t* v = out->mutable_validity();
      for (size_t r : null_rows) v[r >> 6] &= ~(uint64_t(1) << (r & 63));
    }
  }
  return true;
}

// A LIST column of floats/doubles to VECTOR(dim); errors name the row and dimensions.
Status ListToVector(const Column& list, int dim, const std::string& context, size_t first_row, Column* out) {
  *out = Column(LogicalType::Vector(dim));
  out->Resize(list.size());
  const Column& child = list.child(0);
  bool is_double = child.type().id() == TypeId::kDouble;
  for (size_t r = 0; r < list.size(); r++) {
    if (list.IsNull(r)) {
      out->SetNull(r);
      continue;
    }
    const ListEntry& e = list.list_entries()[r];
    if (e.length != uint64_t(dim))
      return Status::ConversionError(context + " row " + std::to_string(first_row + r) + ": list of " +
                                     std::to_string(e.length) + " elements does not fit VECTOR(" +
                                     std::to_string(dim) + ")");
    float* dst = out->vector_row(r);
    for (uint64_t k = 0; k < e.length; k++) {
      size_t i = size_t(e.offset + k);
      if (child.IsNull(i))
        return Status::ConversionError(context + " row " + std::to_string(first_row + r) +
                                       ": NULL element in a VECTOR(" + std::to_string(dim) + ") value");
      dst[k] = is_double ? float(child.data<double>()[i]) : child.data<float>()[i];
    }
  }
  return Status::OK();
}

}  // namespace

Status ParquetReader::ReadRowGroup(int row_group, const ParquetReadOptions& options,
                                   const std::function<Status(Batch&&)>& sink) {
  if (row_group < 0 || row_group >= num_row_groups())
    return Status::InvalidArgument(path_ + ": row group " + std::to_string(row_group) + " out of range");
  try {
    ALOPEX_ASSIGN_OR_RETURN(std::vector<int> proj, Projection(options));
    const RowGroup& rg = md_.row_groups[size_t(row_group)];
    struct LeafState {
      std::unique_ptr<ParquetColumnReader> reader;
      LevelBuffer levels;
      Column values;
      RawValues raw;
      size_t last_values = 0;  // values of the previous batch: the next one's capacity
    };
    struct ColumnState {
      const ColumnNode* node;
      LogicalType out_type;
      std::vector<LeafState> leaves;
      std::string context;
      int vector_dim = 0;
      bool try_vector = false;
    };
    std::vector<ColumnState> cols(proj.size());
    for (size_t c = 0; c < proj.size(); c++) {
      ColumnState& cs = cols[c];
      cs.node = &schema_.columns[size_t(proj[c])];
      cs.out_type = schema_.types[size_t(proj[c])];
      cs.context = path_ + ": column " + cs.node->name + " row group " + std::to_string(row_group);
      bool float_list = cs.node->kind == ColumnNode::kList && cs.node->children[0].kind == ColumnNode::kLeaf &&
                        (cs.node->children[0].type.id() == TypeId::kFloat ||
                         cs.node->children[0].type.id() == TypeId::kDouble);
      if (cs.out_type.id() == TypeId::kVector) {
        cs.vector_dim = cs.out_type.dimension();
        cs.try_vector = true;
      } else if (options.vectors_from_lists && float_list) {
        cs.try_vector = true;
      }
      for (int l = cs.node->first_leaf; l < cs.node->first_leaf + cs.node->num_leaves; l++) {
        size_t size, readable;
        uint64_t offset;
        ALOPEX_RETURN_IF_ERROR(ChunkRange(row_group, l, &offset, &size, &readable));
        const LeafInfo& li = schema_.leaves[size_t(l)];
        LeafState ls;
        ls.reader = std::make_unique<ParquetColumnReader>(li, rg.columns[size_t(l)].meta_data, file_.get(), offset,
                                                          size, readable, RowGroupContext(path_, li, row_group));
        ls.values = Column(li.type);
        cs.leaves.push_back(std::move(ls));
      }
    }
    int64_t total = rg.num_rows;
    std::vector<std::pair<int64_t, int64_t>> ranges{{0, total}};
    std::vector<std::optional<OffsetIndex>> offset_indexes;
    if (!options.predicates.empty()) {
      ALOPEX_ASSIGN_OR_RETURN(ranges, SelectRows(row_group, options));
      bool partial = !(ranges.size() == 1 && ranges[0].first == 0 && ranges[0].second == total);
      if (partial) {
        // Page skipping needs each projected leaf's OffsetIndex.
        offset_indexes.resize(schema_.leaves.size());
        for (ColumnState& cs : cols)
          for (size_t k = 0; k < cs.leaves.size(); k++) {
            int leaf = cs.node->first_leaf + int(k);
            auto oi = ReadOffsetIndex(row_group, leaf);
            if (oi.ok() && oi->has_value()) {
              offset_indexes[size_t(leaf)] = std::move(**oi);
              cs.leaves[k].reader->SetOffsetIndex(&*offset_indexes[size_t(leaf)]);
            }
          }
      }
    }
    for (const auto& [range_begin, range_end] : ranges)
    for (int64_t row = range_begin; row < range_end; row += int64_t(kBatchSize)) {
      size_t n = size_t(std::min<int64_t>(int64_t(kBatchSize), range_end - row));
      for (ColumnState& cs : cols)
        for (LeafState& ls : cs.leaves)
          if (ls.reader->row() < row) ALOPEX_RETURN_IF_ERROR(ls.reader->SkipRecords(size_t(row - ls.reader->row())));
      Batch batch;
      batch.num_rows = n;
      batch.columns.reserve(cols.size());
      for (ColumnState& cs : cols) {
        const ColumnNode& node = *cs.node;
        Column col;
        if (node.kind == ColumnNode::kLeaf && schema_.leaves[size_t(node.leaf)].max_rep == 0) {
          col = Column(node.type);
          if (node.type.IsString())
            col.Resize(n);
          else
            col.ResizeUninitialized(n);  // ReadFlat writes every row
          ALOPEX_RETURN_IF_ERROR(cs.leaves[0].reader->ReadFlat(n, &col, 0));
        } else {
          std::vector<LevelBuffer*> levels;
          std::vector<Column*> values;
          bool done = false;
          if (cs.try_vector) {
            // Floats go to a reused raw buffer and from there straight into the VECTOR rows.
            LeafState& ls = cs.leaves[0];
            ls.levels.Clear();
            ls.raw.count = 0;
            size_t got = 0;
            ALOPEX_RETURN_IF_ERROR(ls.reader->ReadRecordsRaw(n, &ls.levels, &ls.raw, &got));
            if (got != n)
              return Status::Corruption(cs.context + ": leaf column has " + std::to_string(size_t(row) + got) +
                                        " rows, the row group has " + std::to_string(total));
            int dim = cs.vector_dim;
            bool is_double = ls.values.type().id() == TypeId::kDouble;
            if (TryBuildVector(node, ls.levels, ls.raw, is_double, n, &dim, &col)) {
              if (cs.vector_dim == 0) cs.vector_dim = dim;
              done = true;
            } else {
              ls.values = Column(ls.values.type());
              ls.values.Resize(ls.raw.count);
              if (ls.raw.count) std::memcpy(ls.values.raw_data(), ls.raw.data.get(), ls.raw.count * PhysicalSize(ls.values.type()));
              levels.push_back(&ls.levels);
              values.push_back(&ls.values);
            }
          }
          for (LeafState& ls : cs.leaves) {
            if (cs.try_vector) break;
            ls.levels.Clear();
            // Assembly may have moved the previous buffer into a batch.
            ls.values = Column(ls.values.type());
            if (ls.last_values) ls.values.Reserve(ls.last_values + ls.last_values / 16);
            size_t got = 0;
            ALOPEX_RETURN_IF_ERROR(ls.reader->ReadRecords(n, &ls.levels, &ls.values, &got));
            ls.last_values = ls.values.size();
            if (got != n)
              return Status::Corruption(cs.context + ": leaf column has " + std::to_string(size_t(row) + got) +
                                        " rows, the row group has " + std::to_string(total));
            levels.push_back(&ls.levels);
            values.push_back(&ls.values);
          }
          if (!done) {
            ALOPEX_RETURN_IF_ERROR(AssembleColumn(node, levels, values, n, &col, cs.context));
            if (cs.out_type.id() == TypeId::kVector) {
              Column v;
              ALOPEX_RETURN_IF_ERROR(ListToVector(col, cs.out_type.dimension(), cs.context, size_t(row), &v));
              col = std::move(v);
            }
          }
        }
        batch.columns.push_back(std::move(col));
      }
      ALOPEX_RETURN_IF_ERROR(sink(std::move(batch)));
    }
    return Status::OK();
  } catch (const std::bad_alloc&) {
    return Status::OutOfRange(path_ + ": out of memory reading row group " + std::to_string(row_group) +
                              " (sizes in the file may be corrupt)");
  } catch (const std::length_error&) {
    return Status::OutOfRange(path_ + ": out of memory reading row group " + std::to_string(row_group));
  }
}

ParquetReader::ChunkStatistics ParquetReader::LeafStatistics(int row_group, int leaf) const {
  ChunkStatistics out;
  const LeafInfo& li = schema_.leaves[size_t(leaf)];
  const ColumnChunk& cc = md_.row_groups[size_t(row_group)].columns[size_t(leaf)];
  if (!cc.has_meta_data || !cc.meta_data.statistics.is_set) return out;
  const Statistics& s = cc.meta_data.statistics;
  out.null_count = s.null_count;
  out.distinct_count = s.distinct_count;
  std::optional<std::string> mn, mx;
  ChooseStatistics(li, s, md_, &mn, &mx);
  if (mn) out.min = DecodeStatValue(li, *mn);
  if (mx) out.max = DecodeStatValue(li, *mx);
  return out;
}

Result<bool> ParquetReader::BloomMayContain(int row_group, int leaf, const Value& v) {
  const LeafInfo& li = schema_.leaves[size_t(leaf)];
  const ColumnMetaData& m = md_.row_groups[size_t(row_group)].columns[size_t(leaf)].meta_data;
  if (!m.bloom_filter_offset) return true;
  auto bytes = EncodePhysicalValue(li, v);
  if (!bytes) return true;
  int64_t off = *m.bloom_filter_offset;
  uint64_t data_end = file_size_ - 8 - footer_size_;
  if (off < 0 || uint64_t(off) >= data_end) return true;
  size_t avail = size_t(std::min<uint64_t>(data_end - uint64_t(off), 1u << 27));
  size_t first = m.bloom_filter_length && *m.bloom_filter_length > 0
                     ? std::min<size_t>(size_t(*m.bloom_filter_length), avail)
                     : std::min<size_t>(avail, 256);
  std::vector<uint8_t> buf(first);
  ALOPEX_RETURN_IF_ERROR(file_->ReadAt(uint64_t(off), first, buf.data()));
  BloomFilterHeader h;
  size_t hlen = 0;
  if (!DecodeBloomFilterHeader(buf.data(), buf.size(), uint64_t(off), &h, &hlen).ok()) return true;
  if (h.algorithm != 1 || h.hash != 1 || h.compression != 1) return true;
  if (h.num_bytes < 32 || h.num_bytes > (128 << 20) || (h.num_bytes % 32) != 0) return true;
  if (uint64_t(hlen) + uint64_t(h.num_bytes) > avail) return true;
  if (hlen + size_t(h.num_bytes) > buf.size()) {
    buf.resize(hlen + size_t(h.num_bytes));
    ALOPEX_RETURN_IF_ERROR(file_->ReadAt(uint64_t(off), buf.size(), buf.data()));
  }
  SplitBlockBloomFilter f(buf.data() + hlen, size_t(h.num_bytes));
  return f.MayContain(XxHash64(bytes->data(), bytes->size()));
}

bool StatsMayMatch(const ColumnPredicate& p, const ParquetReader::ChunkStatistics& s, int64_t num_values) {
  using Op = ColumnPredicate::Op;
  if (p.op == Op::kIsNull) return !(s.null_count && *s.null_count == 0);
  if (p.op == Op::kIsNotNull) return !(s.null_count && *s.null_count >= num_values && num_values >= 0);
  if (s.null_count && *s.null_count == num_values && num_values > 0) return false;  // only NULLs: no comparison holds
  if (!s.min || !s.max) return true;
  auto in_range = [&](const Value& v) {
    if (v.is_null()) return false;
    auto lo = CompareValues(v, *s.min), hi = CompareValues(v, *s.max);
    if (!lo || !hi) return true;
    return *lo >= 0 && *hi <= 0;
  };
  auto cmp_min = [&]() { return p.value.is_null() ? std::optional<int>() : CompareValues(*s.min, p.value); };
  auto cmp_max = [&]() { return p.value.is_null() ? std::optional<int>() : CompareValues(*s.max, p.value); };
  switch (p.op) {
    case Op::kEq: return !p.value.is_null() && in_range(p.value);
    case Op::kIn:
      for (const Value& v : p.values)
        if (in_range(v)) return true;
      return false;
    case Op::kNe: {
      auto a = cmp_min(), b = cmp_max();
      return !(a && b && *a == 0 && *b == 0);
    }
    case Op::kLt: { auto a = cmp_min(); return !a || *a < 0; }
    case Op::kLe: { auto a = cmp_min(); return !a || *a <= 0; }
    case Op::kGt: { auto b = cmp_max(); return !b || *b > 0; }
    case Op::kGe: { auto b = cmp_max(); return !b || *b >= 0; }
    default: return true;
  }
}


std::vector<int> ParquetReader::SelectRowGroups(const ParquetReadOptions& options) {
  std::vector<int> out;
  for (int g = 0; g < num_row_groups(); g++) {
    bool keep = true;
    for (const ColumnPredicate& p : options.predicates) {
      auto it = std::find(schema_.names.begin(), schema_.names.end(), p.column);
      if (it == schema_.names.end()) continue;
      const ColumnNode& node = schema_.columns[size_t(it - schema_.names.begin())];
      if (node.kind != ColumnNode::kLeaf) continue;
      int leaf = node.leaf;
      const ColumnChunk& cc = md_.row_groups[size_t(g)].columns[size_t(leaf)];
      int64_t nv = cc.has_meta_data ? cc.meta_data.num_values : -1;
      if (!StatsMayMatch(p, LeafStatistics(g, leaf), nv)) {
        keep = false;
        break;
      }
      if (p.op == ColumnPredicate::Op::kEq || p.op == ColumnPredicate::Op::kIn) {
        bool any = false;
        const std::vector<Value>& vals = p.op == ColumnPredicate::Op::kEq ? std::vector<Value>{p.value} : p.values;
        for (const Value& v : vals) {
          auto r = BloomMayContain(g, leaf, v);
          if (!r.ok() || *r) {
            any = true;
            break;
          }
        }
        if (!any) {
          keep = false;
          break;
        }
      }
    }
    if (keep) out.push_back(g);
  }
  return out;
}

Result<std::optional<ColumnIndex>> ParquetReader::ReadColumnIndex(int row_group, int leaf) {
  const ColumnChunk& cc = md_.row_groups[size_t(row_group)].columns[size_t(leaf)];
  if (!cc.column_index_offset || !cc.column_index_length) return std::optional<ColumnIndex>();
  int64_t off = *cc.column_index_offset;
  int32_t len = *cc.column_index_length;
  if (off < 0 || len <= 0 || uint64_t(off) + uint64_t(len) > file_size_)
    return Status::Corruption(path_ + ": ColumnIndex of column " + schema_.leaves[size_t(leaf)].dotted_path +
                              " lies outside the file");
  std::vector<uint8_t> buf(static_cast<size_t>(len));
  ALOPEX_RETURN_IF_ERROR(file_->ReadAt(uint64_t(off), buf.size(), buf.data()));
  ColumnIndex ci;
  Status st = DecodeColumnIndex(buf.data(), buf.size(), uint64_t(off), &ci);
  if (!st.ok()) return Status::Corruption(path_ + ": " + st.message());
  return std::optional<ColumnIndex>(std::move(ci));
}

Result<std::optional<OffsetIndex>> ParquetReader::ReadOffsetIndex(int row_group, int leaf) {
  const ColumnChunk& cc = md_.row_groups[size_t(row_group)].columns[size_t(leaf)];
  if (!cc.offset_index_offset || !cc.offset_index_length) return std::optional<OffsetIndex>();
  int64_t off = *cc.offset_index_offset;
  int32_t len = *cc.offset_index_length;
  if (off < 0 || len <= 0 || uint64_t(off) + uint64_t(len) > file_size_)
    return Status::Corruption(path_ + ": OffsetIndex of column " + schema_.leaves[size_t(leaf)].dotted_path +
                              " lies outside the file");
  std::vector<uint8_t> buf(static_cast<size_t>(len));
  ALOPEX_RETURN_IF_ERROR(file_->ReadAt(uint64_t(off), buf.size(), buf.data()));
  OffsetIndex oi;
  Status st = DecodeOffsetIndex(buf.data(), buf.size(), uint64_t(off), &oi);
  if (!st.ok()) return Status::Corruption(path_ + ": " + st.message());
  return std::optional<OffsetIndex>(std::move(oi));
}

Result<std::vector<std::pair<int64_t, int64_t>>> ParquetReader::SelectRows(int row_group,
                                                                           const ParquetReadOptions& options) {
  using Ranges = std::vector<std::pair<int64_t, int64_t>>;
  int64_t n = md_.row_groups[size_t(row_group)].num_rows;
  Ranges ranges{{0, n}};
  for (const ColumnPredicate& p : options.predicates) {
    auto it = std::find(schema_.names.begin(), schema_.names.end(), p.column);
    if (it == schema_.names.end()) continue;
    const ColumnNode& node = schema_.columns[size_t(it - schema_.names.begin())];
    if (node.kind != ColumnNode::kLeaf || schema_.leaves[size_t(node.leaf)].max_rep != 0) continue;
    const LeafInfo& li = schema_.leaves[size_t(node.leaf)];
    auto ci = ReadColumnIndex(row_group, node.leaf);
    auto oi = ReadOffsetIndex(row_group, node.leaf);
    if (!ci.ok() || !oi.ok() || !ci->has_value() || !oi->has_value()) continue;
    const ColumnIndex& index = **ci;
    const auto& locs = (*oi)->page_locations;
    if (locs.size() != index.null_pages.size() || locs.empty()) continue;
    Ranges keep;
    bool sane = true;
    for (size_t i = 0; i < locs.size(); i++) {
      int64_t first = locs[i].first_row_index;
      int64_t last = i + 1 < locs.size() ? locs[i + 1].first_row_index : n;
      if (first < 0 || last < first || last > n) {
        sane = false;
        break;
      }
      ChunkStatistics st;
      if (i < index.null_counts.size()) st.null_count = index.null_counts[i];
      if (index.null_pages[i]) {
        if (!st.null_count) st.null_count = last - first;
      } else {
        st.min = DecodeStatValue(li, index.min_values[i]);
        st.max = DecodeStatValue(li, index.max_values[i]);
      }
      if (!StatsMayMatch(p, st, last - first)) continue;
      if (!keep.empty() && keep.back().second == first)
        keep.back().second = last;
      else
        keep.push_back({first, last});
    }
    if (!sane) continue;
    // Intersect.
    Ranges out;
    size_t a = 0, b = 0;
    while (a < ranges.size() && b < keep.size()) {
      int64_t lo = std::max(ranges[a].first, keep[b].first), hi = std::min(ranges[a].second, keep[b].second);
      if (lo < hi) out.push_back({lo, hi});
      if (ranges[a].second < keep[b].second) a++; else b++;
    }
    ranges = std::move(out);
  }
  return ranges;
}

}  // namespace alopex
