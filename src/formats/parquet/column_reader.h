// ParquetColumnReader: decodes one column chunk (one leaf column of one row
// group) page by page, straight into Column buffers, and RecordAssembler
// rebuilds nested columns (lists, maps, structs) from repetition and
// definition levels.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/column.h"
#include "formats/parquet/encodings.h"
#include "formats/parquet/parquet_metadata.h"
#include "formats/parquet/parquet_schema.h"
#include "io/file_system.h"

namespace alopex::parquet {

// Levels of a run of entries (one entry per leaf value or missing value).
// A reusable, uninitialized value buffer (fixed-width leaves only).
struct RawValues {
  std::unique_ptr<uint8_t[]> data;
  size_t capacity = 0;  // bytes
  size_t count = 0;     // values
  void Reserve(size_t bytes) {
    if (bytes <= capacity) return;
    size_t cap = std::max(bytes, capacity * 2);
    std::unique_ptr<uint8_t[]> d(new uint8_t[cap]);
    if (data && count) std::memcpy(d.get(), data.get(), capacity);
    data = std::move(d);
    capacity = cap;
  }
};

struct LevelBuffer {
  std::vector<uint8_t> def;
  std::vector<uint8_t> rep;
  void Clear() {
    def.clear();
    rep.clear();
  }
};

class ParquetColumnReader {
 public:
  // Reads the column chunk at `chunk_offset` of `file` (`chunk_size` bytes per
  // its metadata) page by page, through a window of about a megabyte (or one
  // page, if larger) that is reused from page to page, so memory stays bounded
  // by the largest page. `file` must outlive the reader. `readable_size` (>=
  // chunk_size) may include padding that a last page overrunning the chunk can
  // use (PARQUET-816). `context` prefixes errors ("f.parquet: column x row group 2").
  ParquetColumnReader(const LeafInfo& leaf, const ColumnMetaData& meta, const RandomAccessFile* file,
                      uint64_t chunk_offset, size_t chunk_size, size_t readable_size, std::string context);
  // Hands the page buffers to the next reader on this thread.
  ~ParquetColumnReader();
  ParquetColumnReader(const ParquetColumnReader&) = delete;
  ParquetColumnReader& operator=(const ParquetColumnReader&) = delete;

  // Leaves without repetition: reads exactly `n` rows into out[offset, offset+n)
  // (out already sized); rows whose def level is below max_def become NULL.
  Status ReadFlat(size_t n, Column* out, size_t offset);

  // Reads up to `max_records` whole records: appends their levels to `levels`
  // and their non-null values, densely, to `values` (a column of the leaf type).
  Status ReadRecords(size_t max_records, LevelBuffer* levels, Column* values, size_t* records_read) {
    return ReadRecordsImpl(max_records, levels, values, nullptr, records_read);
  }
  // Same, for FLOAT/DOUBLE leaves, with the values appended to a reused raw buffer.
  Status ReadRecordsRaw(size_t max_records, LevelBuffer* levels, RawValues* values, size_t* records_read) {
    return ReadRecordsImpl(max_records, levels, nullptr, values, records_read);
  }

  // Skips `n` rows (records) without returning them; with an OffsetIndex whole
  // pages are skipped without being decompressed.
  Status SkipRecords(size_t n);
  // Enables page skipping; `index` must outlive the reader.
  void SetOffsetIndex(const OffsetIndex* index) { offset_index_ = index; }
  // Rows (records) consumed so far.
  int64_t row() const { return row_; }
  bool exhausted();

 private:
  Status ReadRecordsImpl(size_t max_records, LevelBuffer* levels, Column* values, RawValues* raw,
                         size_t* records_read);
  uint8_t* Dst(Column* out, size_t offset) { return (raw_dest_ ? raw_dest_ : out->raw_data()) + offset * out_width_; }
  Status NextDataPage(bool* have_page);
  // Makes chunk bytes [begin, begin + need) readable at *p (need <= readable_size_ - begin);
  // *avail is how many bytes from *p the window holds.
  Status Window(size_t begin, size_t need, const uint8_t** p, size_t* avail);
  // Decodes the page header at chunk position `pos` and makes its body readable.
  Status PageAt(size_t pos, PageHeader* h, const uint8_t** body, size_t* body_off);
  Status LoadDictionary(const PageHeader& h, const uint8_t* body, size_t body_size);
  Status StartDataPage(const PageHeader& h, const uint8_t* body, size_t body_size, uint64_t page_offset);
  Status DecodeLevels(int32_t encoding, int max_level, const uint8_t* data, size_t size, size_t n, bool length_prefix,
                      std::vector<uint8_t>* out, size_t* consumed);
  Status InitValueDecoder();
  // Decodes `count` non-null values into out[offset, offset+count).
  Status DecodeValues(size_t count, Column* out, size_t offset);
  Status DecodePlain(size_t count, Column* out, size_t offset);
  Status DecodeDictionary(size_t count, Column* out, size_t offset);
  Status DecodeBinaryValues(const std::string_view* vals, size_t count, Column* out, size_t offset, bool stable);
  // Converts `count` fixed-width physical values at `src` into out[offset...].
  Status ConvertFixed(const uint8_t* src, size_t count, Column* out, size_t offset, bool stable);
  Status Error(const std::string& what) const;

  const LeafInfo& leaf_;
  const ColumnMetaData& meta_;
  Codec codec_;
  const RandomAccessFile* file_;
  uint64_t chunk_offset_;
  size_t chunk_size_;
  size_t readable_size_;
  // The window: chunk bytes [win_begin_, win_end_) at window_. String values of
  // uncompressed pages point into it, so for string leaves of uncompressed
  // chunks every window is a new buffer owned by window_holder_; otherwise one
  // buffer is reused.
  const uint8_t* window_ = nullptr;
  size_t win_begin_ = 0, win_end_ = 0;
  std::shared_ptr<StringHeap> window_holder_;
  std::unique_ptr<uint8_t[]> window_buf_;
  size_t window_cap_ = 0;
  std::string context_;
  int phys_width_ = 0;  // bytes per fixed-width physical value; 0 for BYTE_ARRAY, BOOLEAN
  size_t out_width_ = 0;
  uint8_t* raw_dest_ = nullptr;  // set while decoding into RawValues
  bool string_output_ = false;

  size_t pos_ = 0;  // next page header within the chunk
  bool at_chunk_start_ = true;
  int64_t row_ = 0;
  const OffsetIndex* offset_index_ = nullptr;

  // Dictionary.
  bool has_dict_ = false;
  Column dict_;
  size_t dict_size_ = 0;

  // Current data page.
  std::shared_ptr<StringHeap> page_holder_;  // owns the decompressed page (or the chunk)
  std::unique_ptr<uint8_t[]> scratch_page_;  // reused when no string points into pages
  size_t scratch_page_size_ = 0;
  std::vector<uint8_t> page_def_, page_rep_;
  size_t page_entries_ = 0;
  size_t page_pos_ = 0;  // next level entry
  size_t page_nonnull_ = 0;
  size_t values_read_ = 0;
  int32_t encoding_ = 0;
  const uint8_t* vdata_ = nullptr;  // value section
  size_t vsize_ = 0;
  size_t vpos_ = 0;  // byte cursor (PLAIN) or bit cursor (PLAIN BOOLEAN)
  RleBitPackedDecoder rle_;
  DeltaBinaryPackedDecoder<int32_t> delta32_;
  DeltaBinaryPackedDecoder<int64_t> delta64_;
  std::vector<uint32_t> lengths_;  // DELTA_LENGTH/DELTA_BYTE_ARRAY suffix lengths
  std::vector<uint32_t> prefixes_;
  size_t delta_index_ = 0;
  std::string last_value_;  // DELTA_BYTE_ARRAY
  std::shared_ptr<StringHeap> delta_heap_;
  size_t delta_heap_bytes_ = 0;
  std::vector<uint32_t> indices_;
  std::vector<uint8_t> scratch_;
  std::vector<std::string_view> views_;
};

// Builds one top-level column from the levels and dense values of its leaves.
// `levels[i]`/`values[i]` belong to leaf node.first_leaf + i.
Status AssembleColumn(const ColumnNode& node, const std::vector<LevelBuffer*>& levels,
                      const std::vector<Column*>& values, size_t num_records, Column* out,
                      const std::string& context);

}  // namespace alopex::parquet
