// ColumnChunkWriter: encodes one leaf column of the current row group into
// pages (levels RLE, values dictionary or PLAIN, compressed), keeping the page
// locations and statistics for the footer and the page index. WriterColumn
// shreds one top-level Alopex column into the levels and values of its leaves.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/column.h"
#include "formats/parquet/parquet_metadata.h"
#include "formats/parquet/statistics.h"

namespace alopex::parquet {

// Typed running min/max of a leaf (page, chunk or file).
struct TypedStats {
  enum Kind : uint8_t { kNone, kSigned, kUnsigned, kFloat, kBytes, kInt128, kBool };
  Kind kind = kNone;
  bool has = false;
  int64_t imin = 0, imax = 0;
  uint64_t umin = 0, umax = 0;
  double dmin = 0, dmax = 0;
  __int128 xmin = 0, xmax = 0;
  std::string smin, smax;
  int64_t nulls = 0;
  int64_t nans = 0;

  void Merge(const TypedStats& o);
  // Widens [lo, hi] (one of the pairs above) by `x`.
  template <typename V>
  void Extend(V& lo, V& hi, V x) {
    if (!has) {
      lo = hi = x;
      has = true;
      return;
    }
    lo = x < lo ? x : lo;
    hi = x > hi ? x : hi;
  }
  // Widens [lo, hi] by get(0) .. get(n - 1), without a branch per value.
  template <typename V, typename Get>
  void ExtendBy(V& lo, V& hi, size_t n, Get get) {
    if (n == 0) return;
    V mn = has ? lo : get(0), mx = has ? hi : get(0);
    for (size_t i = 0; i < n; i++) {
      V x = get(i);
      mn = x < mn ? x : mn;
      mx = x > mx ? x : mx;
    }
    lo = mn;
    hi = mx;
    has = true;
  }
  void Reset() {
    has = false;
    nulls = 0;
    nans = 0;
    smin.clear();
    smax.clear();
  }
};

struct LeafSpec {
  std::vector<std::string> path;
  Type physical = Type::kInt32;
  int32_t type_length = 0;
  int max_def = 0;
  int max_rep = 0;
  LogicalType source_type;  // Alopex type of the column the values come from (element type for VECTOR)
  TypedStats::Kind stats_kind = TypedStats::kNone;
  bool dictionary = true;
};

class PageTaskPool;

struct WriterSettings {
  Codec codec = Codec::kSnappy;
  int level = 0;
  size_t page_size = 1 << 20;
  bool dictionary = true;
  bool statistics = true;
  int data_page_version = 1;
  // When set, PLAIN data pages are encoded and compressed on the pool while
  // the caller goes on writing; the pool must outlive the writers.
  PageTaskPool* pool = nullptr;
};

// One finished data page, for the OffsetIndex and ColumnIndex.
struct PageRecord {
  uint64_t offset_in_data = 0;  // within the chunk's data pages
  int32_t size = 0;             // header included
  int64_t first_row = 0;
  int64_t null_count = 0;
  bool all_null = false;
  std::optional<std::string> min, max;  // encoded, possibly truncated
};

class ColumnChunkWriter {
 public:
  ColumnChunkWriter(LeafSpec spec, const WriterSettings& settings);
  // Waits for the pages still being encoded on the pool.
  ~ColumnChunkWriter();

  // Appends `n` level entries; `rows` (n_values of them) index the non-null
  // values in `src` (for a VECTOR source, float positions).
  Status Write(const uint8_t* defs, const uint8_t* reps, size_t n, const Column& src, const uint32_t* rows,
               size_t n_values);

  // Top-level VECTOR(n) rows [offset, offset+count) of `col` (fast path: no
  // per-value level building).
  Status WriteVectors(const Column& col, size_t offset, size_t count);

  // Top-level LIST rows [offset, offset+count) of `list` whose FLOAT or DOUBLE
  // (T) elements are all non-null: levels in bulk, values in contiguous runs.
  // `empty_def` is the definition level of an empty list.
  template <typename T>
  Status WriteFloatLists(const Column& list, size_t offset, size_t count, uint8_t empty_def);

  // Closes the chunk: flushes the last page. Then the chunk bytes are
  // dictionary_page() followed by data_pages().
  Status Finish();
  const std::string& dictionary_page() const { return dict_page_; }
  // The finished data pages (header + body each), in order.
  const std::vector<std::string>& data_pages() const { return data_pages_; }
  const std::vector<PageRecord>& pages() const { return pages_; }
  // Fills the ColumnMetaData (offsets relative to `chunk_start` in the file).
  void FillMetadata(uint64_t chunk_start, ColumnMetaData* md) const;
  const TypedStats& chunk_stats() const { return chunk_stats_; }
  const LeafSpec& spec() const { return spec_; }
  size_t buffered_bytes() const {
    return data_size_ + pending_bytes_ + dict_page_.size() + plain_.size() + indices_.size() * 4;
  }
  // Clears the chunk state for the next row group.
  void Reset();

  // Statistics bytes (PLAIN, BYTE_ARRAY without length) of the typed min/max.
  std::optional<std::string> EncodeMin(const TypedStats& s) const;
  std::optional<std::string> EncodeMax(const TypedStats& s) const;
  // The typed min/max as Values of the leaf's Alopex type.
  std::optional<Value> MinValue(const TypedStats& s) const;
  std::optional<Value> MaxValue(const TypedStats& s) const;

 private:
  Status AppendValues(const Column& src, const uint32_t* rows, size_t n);
  template <typename T>
  void AppendFixed(const T* v, size_t n);
  void AppendBinary(const std::string_view* v, size_t n, bool fixed);
  Status FlushPage();
  // A PLAIN page handed to the pool: its levels and values in, its bytes out.
  struct PlainPage;
  static void EncodePlainPage(PlainPage* page);
  // Files the oldest pending pages' bytes (in page order) until at most `keep` remain.
  Status CompletePages(size_t keep);
  // Waits for the pending pages and drops them (Reset, destruction).
  void DropPendingPages();
  Status WriteDictionaryPage();
  void FallBackToPlain(bool drop_dictionary);
  size_t EstimatedPageBytes() const;

  LeafSpec spec_;
  WriterSettings settings_;
  int value_width_ = 0;  // fixed physical width (0: BYTE_ARRAY, 1 for BOOLEAN bytes)

  // Current page.
  std::vector<uint8_t> defs_, reps_;
  std::string plain_;               // PLAIN values (booleans: one byte each)
  std::vector<uint32_t> indices_;   // dictionary indices
  int64_t page_entries_ = 0, page_rows_ = 0, page_nulls_ = 0, page_values_ = 0;
  TypedStats page_stats_, chunk_stats_;

  // Dictionary.
  bool dict_mode_ = false;
  bool dict_used_ = false;  // a data page was written with dictionary indices
  std::unordered_map<uint64_t, uint32_t> dict_fixed_;
  std::unordered_map<std::string_view, uint32_t> dict_bytes_;
  std::deque<std::string> dict_storage_;
  std::string dict_plain_;
  std::vector<uint32_t> dict_offsets_;
  uint32_t dict_count_ = 0;

  // Finished pages.
  std::string dict_page_;
  uint64_t dict_page_uncompressed_ = 0;
  std::vector<std::string> data_pages_;
  size_t data_size_ = 0;
  std::vector<PageRecord> pages_;
  int64_t chunk_rows_ = 0;
  int64_t chunk_entries_ = 0;
  uint64_t total_uncompressed_ = 0;
  int dict_data_pages_ = 0, plain_data_pages_ = 0;
  std::string scratch_, compressed_;
  // Pages on the pool, oldest first, and finished ones kept for their buffers.
  std::deque<std::unique_ptr<PlainPage>> pending_;
  std::vector<std::unique_ptr<PlainPage>> spare_;
  std::vector<std::string> spare_pages_;  // written page strings, reused for their capacity
  size_t pending_bytes_ = 0;  // uncompressed values of the pending pages
  std::mutex pending_mu_;
  std::condition_variable pending_cv_;
  std::vector<int32_t> i32_;
  std::vector<int64_t> i64_;
  std::vector<std::string_view> views_;
};

// A top-level column: its schema elements and its leaves' writers.
struct WriterColumn {
  struct Node {
    enum Kind : uint8_t { kLeaf, kStruct, kList, kMap, kVector } kind = kLeaf;
    LogicalType type;
    int def = 0;  // def level when this node is present and non-null
    int rep = 0;  // lists/maps/vectors: the repetition level of their repeated node
    int leaf = -1;
    std::vector<Node> children;
  };
  std::string name;
  LogicalType type;
  Node root;
  std::vector<std::unique_ptr<ColumnChunkWriter>> leaves;

  // Appends the schema elements of this column (pre-order) to `out`.
  static Status Build(const std::string& name, const LogicalType& type, const WriterSettings& settings,
                      WriterColumn* col, std::vector<SchemaElement>* out);
  // Shreds rows [offset, offset+count) of `c` into the leaves.
  Status Write(const Column& c, size_t offset, size_t count);

 private:
  struct LeafBuf {
    std::vector<uint8_t> def, rep;
    std::vector<uint32_t> rows;
    const Column* src = nullptr;
  };
  struct Slot {
    int64_t row;
    uint8_t def;
    uint8_t rep;
  };
  void Shred(const Node& node, const Column& col, const std::vector<Slot>& slots, std::vector<LeafBuf>& bufs);
  std::vector<LeafBuf> bufs_;
};

}  // namespace alopex::parquet
