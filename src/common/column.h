// Column and Batch: the columnar in-memory format every layer exchanges.
//
// A Column holds `size()` rows of one LogicalType:
// - fixed-width types: a contiguous data buffer of PhysicalSize(type) bytes per row
//   (VECTOR(n) is n float32s per row, back to back: the layout distance kernels read);
// - VARCHAR/BLOB/JSON: StringRef per row, the bytes in StringHeaps the column shares;
// - LIST/MAP: ListEntry {offset, length} per row into child(0);
// - STRUCT: no data buffer, one child column per field, each of size() rows.
// Validity is a bitmap (bit set = valid); an unallocated bitmap means all valid.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "alopex/types.h"
#include "alopex/value.h"

namespace alopex {

// Rows per batch flowing between operators.
inline constexpr size_t kBatchSize = 2048;

// 16-byte string handle: strings of up to 12 bytes are stored inline, longer ones
// keep a 4-byte prefix (fast inequality) and a pointer into a StringHeap.
struct StringRef {
  static constexpr uint32_t kInlineLength = 12;

  StringRef() : size_(0), prefix_{0, 0, 0, 0}, ptr_(nullptr) {}
  // Does not copy: `data` must outlive the ref unless size <= kInlineLength.
  StringRef(const char* data, uint32_t size) : size_(size), prefix_{0, 0, 0, 0}, ptr_(nullptr) {
    if (size == 0) return;
    if (size <= kInlineLength) {
      std::memcpy(prefix_, data, size);  // spills from prefix_ into the pointer bytes
    } else {
      std::memcpy(prefix_, data, 4);
      ptr_ = data;
    }
  }
  explicit StringRef(std::string_view s) : StringRef(s.data(), uint32_t(s.size())) {}

  uint32_t size() const { return size_; }
  const char* data() const { return size_ <= kInlineLength ? prefix_ : ptr_; }
  std::string_view view() const { return {data(), size_}; }
  std::string str() const { return std::string(view()); }
  bool IsInlined() const { return size_ <= kInlineLength; }

  bool operator==(const StringRef& o) const {
    uint64_t a, b;
    std::memcpy(&a, this, 8);
    std::memcpy(&b, &o, 8);
    if (a != b) return false;  // size or prefix differ
    if (size_ <= kInlineLength) return std::memcmp(prefix_ + 4, o.prefix_ + 4, 8) == 0;
    return std::memcmp(ptr_, o.ptr_, size_) == 0;
  }
  int Compare(const StringRef& o) const {
    uint32_t n = size_ < o.size_ ? size_ : o.size_;
    int c = std::memcmp(data(), o.data(), n);
    if (c != 0) return c;
    return size_ < o.size_ ? -1 : (size_ > o.size_ ? 1 : 0);
  }

 private:
  // Layout: size, then 12 bytes that hold the whole string when it fits, or its
  // first 4 bytes and a pointer to all of it.
  uint32_t size_;
  char prefix_[4];
  const char* ptr_;
};
static_assert(sizeof(StringRef) == 16);

// Append-only arena for string bytes. Columns share heaps by shared_ptr, so
// gathers and slices copy 16-byte refs, never bytes.
class StringHeap {
 public:
  StringHeap() = default;
  StringHeap(const StringHeap&) = delete;
  StringHeap& operator=(const StringHeap&) = delete;
  // Copies `s` into the heap; the result stays valid while the heap lives.
  const char* Add(std::string_view s);
  // Reserves `n` bytes to be filled by the caller.
  char* Allocate(size_t n);
  // Takes ownership of an externally filled buffer of `n` bytes (e.g. a
  // decompressed Parquet page) so StringRefs may point into it without a copy.
  void Adopt(std::unique_ptr<char[]> block, size_t n);
  size_t bytes_used() const { return used_total_; }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cur_ = nullptr;
  size_t left_ = 0;
  size_t used_total_ = 0;
};

struct ListEntry {
  uint64_t offset;
  uint64_t length;
};

class Column {
 public:
  Column() = default;
  explicit Column(LogicalType type, size_t capacity = 0);
  Column(Column&&) noexcept = default;
  Column& operator=(Column&&) noexcept = default;
  Column(const Column&) = delete;
  Column& operator=(const Column&) = delete;
  // A deep copy of the rows (string heaps are shared, not copied).
  Column Clone() const;

  const LogicalType& type() const { return type_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Sets the row count; new rows are valid and zeroed (empty strings, empty lists).
  void Resize(size_t n) { Resize(n, true); }
  // Sets the row count of a fixed-width column (not a string or nested type)
  // without clearing the new rows' bytes, for decoders that overwrite every new
  // row; new rows are valid.
  void ResizeUninitialized(size_t n);
  void Reserve(size_t n);
  void Clear() { Resize(0); }

  template <typename T>
  T* data() { return reinterpret_cast<T*>(data_.get()); }
  template <typename T>
  const T* data() const { return reinterpret_cast<const T*>(data_.get()); }
  uint8_t* raw_data() { return data_.get(); }
  const uint8_t* raw_data() const { return data_.get(); }
  // VECTOR(n): the n floats of row i.
  float* vector_row(size_t i) { return data<float>() + i * size_t(type_.dimension()); }
  const float* vector_row(size_t i) const { return data<float>() + i * size_t(type_.dimension()); }

  // Validity.
  bool IsValid(size_t i) const { return validity_.empty() || ((validity_[i >> 6] >> (i & 63)) & 1); }
  bool IsNull(size_t i) const { return !IsValid(i); }
  void SetNull(size_t i, bool is_null = true);
  // True when a validity bitmap exists (some row may be NULL).
  bool MayHaveNulls() const { return !validity_.empty(); }
  size_t CountNulls() const;
  // The bitmap, allocated all-valid if it was not; one bit per row, set = valid.
  uint64_t* mutable_validity();
  const uint64_t* validity() const { return validity_.empty() ? nullptr : validity_.data(); }
  // Drops the bitmap: every row valid.
  void SetAllValid() { validity_.clear(); }

  // Strings (VARCHAR, BLOB, JSON).
  StringHeap& heap();  // the heap new strings of this column go to
  void SetString(size_t i, std::string_view s) { data<StringRef>()[i] = AddString(s); }
  StringRef AddString(std::string_view s);
  // Makes the heaps of `other` live as long as this column (after copying its refs).
  void ShareHeapsFrom(const Column& other);
  // Makes `heap` live as long as this column (refs set directly into its bytes).
  void AddHeap(std::shared_ptr<StringHeap> heap);
  std::string_view GetStringView(size_t i) const { return data<StringRef>()[i].view(); }

  // Nested.
  Column& child(size_t i = 0) { return children_[i]; }
  const Column& child(size_t i = 0) const { return children_[i]; }
  std::vector<Column>& children() { return children_; }
  const std::vector<Column>& children() const { return children_; }
  ListEntry* list_entries() { return data<ListEntry>(); }
  const ListEntry* list_entries() const { return data<ListEntry>(); }

  // Row access by Value: the slow path for constants, INSERT VALUES and results.
  Value GetValue(size_t i) const;
  // Sets row i (< size()); the value must already have this column's type
  // (or be NULL). Nested values recurse into children.
  void SetValue(size_t i, const Value& v);
  void AppendValue(const Value& v);

  // Bulk copies.
  // this[dst_offset + k] = src[sel ? sel[k] : src_offset + k] for k < count; grows as needed.
  void CopyFrom(const Column& src, size_t src_offset, size_t dst_offset, size_t count);
  void Gather(const Column& src, const uint32_t* sel, size_t count, size_t dst_offset = 0);
  void Append(const Column& src) { CopyFrom(src, 0, size_, src.size()); }
  void AppendRange(const Column& src, size_t offset, size_t count) { CopyFrom(src, offset, size_, count); }
  // A column of `count` rows all equal to `v`.
  static Column Constant(const Value& v, size_t count);

 private:
  void EnsureCapacity(size_t n);
  // `zero`: clear the new rows' bytes (false when the caller overwrites them all).
  void Resize(size_t n, bool zero);
  void CopyRows(const Column& src, const uint32_t* sel, size_t src_offset, size_t dst_offset, size_t count);

  LogicalType type_;
  size_t size_ = 0;
  size_t capacity_ = 0;
  struct FreeDeleter {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  std::unique_ptr<uint8_t[], FreeDeleter> data_;
  std::vector<uint64_t> validity_;
  std::vector<std::shared_ptr<StringHeap>> heaps_;  // heaps_[0] is this column's own, if any
  std::vector<Column> children_;
};

// A set of equally long columns: the unit operators, readers and writers exchange.
struct Batch {
  std::vector<Column> columns;
  size_t num_rows = 0;

  Batch() = default;
  Batch(Batch&&) noexcept = default;
  Batch& operator=(Batch&&) noexcept = default;
  explicit Batch(const std::vector<LogicalType>& types, size_t capacity = kBatchSize);

  size_t num_columns() const { return columns.size(); }
  std::vector<LogicalType> types() const;
  // Sets every column's size to n.
  void SetRows(size_t n);
  Batch Clone() const;
};

}  // namespace alopex
