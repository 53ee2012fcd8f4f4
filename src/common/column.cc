#include "common/column.h"

#include <algorithm>
#include <cassert>
#include <cstdlib>

namespace alopex {

// ---------------------------------------------------------------- StringHeap

namespace {
constexpr size_t kHeapBlockSize = 64 * 1024;
}

char* StringHeap::Allocate(size_t n) {
  if (n > left_) {
    size_t block = std::max(kHeapBlockSize, n);
    blocks_.emplace_back(new char[block]);
    cur_ = blocks_.back().get();
    left_ = block;
  }
  char* p = cur_;
  cur_ += n;
  left_ -= n;
  used_total_ += n;
  return p;
}

void StringHeap::Adopt(std::unique_ptr<char[]> block, size_t n) {
  // Kept before the current block so Allocate keeps filling the current one.
  blocks_.insert(blocks_.begin(), std::move(block));
  used_total_ += n;
}

const char* StringHeap::Add(std::string_view s) {
  char* p = Allocate(s.size());
  std::memcpy(p, s.data(), s.size());
  return p;
}

// ---------------------------------------------------------------- Column

Column::Column(LogicalType type, size_t capacity) : type_(std::move(type)) {
  switch (type_.id()) {
    case TypeId::kList:
      children_.emplace_back(type_.child());
      break;
    case TypeId::kMap:
      children_.emplace_back(LogicalType::Struct({{"key", type_.key_type()}, {"value", type_.value_type()}}));
      break;
    case TypeId::kStruct:
      for (const auto& f : type_.fields()) children_.emplace_back(*f.type);
      break;
    default:
      break;
  }
  if (capacity) Reserve(capacity);
}

Column Column::Clone() const {
  Column c(type_);
  c.CopyFrom(*this, 0, 0, size_);
  return c;
}

void Column::EnsureCapacity(size_t n) {
  if (n <= capacity_) return;
  size_t width = PhysicalSize(type_);
  size_t cap = std::max<size_t>(n, capacity_ * 2);
  if (width > 0) {
    size_t bytes = std::max<size_t>(cap * width, 64);
    bytes = (bytes + 63) & ~size_t(63);
    auto* p = static_cast<uint8_t*>(std::aligned_alloc(64, bytes));
    if (size_) std::memcpy(p, data_.get(), size_ * width);
    data_.reset(p);
  }
  capacity_ = cap;
}

void Column::Reserve(size_t n) { EnsureCapacity(n); }

void Column::ResizeUninitialized(size_t n) {
  assert(!type_.IsNested() && !type_.IsString());
  Resize(n, false);
}

void Column::Resize(size_t n, bool zero) {
  if (n > size_) {
    EnsureCapacity(n);
    size_t width = PhysicalSize(type_);
    if (width > 0 && zero) std::memset(data_.get() + size_ * width, 0, (n - size_) * width);
    if (!validity_.empty()) {
      validity_.resize((n + 63) / 64, 0);
      for (size_t i = size_; i < n; i++) validity_[i >> 6] |= uint64_t(1) << (i & 63);
    }
  } else if (!validity_.empty()) {
    validity_.resize((n + 63) / 64);
  }
  if (type_.id() == TypeId::kStruct) {
    for (auto& c : children_) c.Resize(n);
  } else if (n == 0) {
    for (auto& c : children_) c.Resize(0);
  }
  if (n == 0) heaps_.clear();
  size_ = n;
}

void Column::SetNull(size_t i, bool is_null) {
  if (!is_null && validity_.empty()) return;
  uint64_t* v = mutable_validity();
  if (is_null)
    v[i >> 6] &= ~(uint64_t(1) << (i & 63));
  else
    v[i >> 6] |= uint64_t(1) << (i & 63);
}

uint64_t* Column::mutable_validity() {
  if (validity_.empty()) validity_.assign(std::max<size_t>((std::max(size_, capacity_) + 63) / 64, 1), ~uint64_t(0));
  if (validity_.size() * 64 < size_) validity_.resize((size_ + 63) / 64, ~uint64_t(0));
  return validity_.data();
}

size_t Column::CountNulls() const {
  if (validity_.empty()) return 0;
  size_t valid = 0;
  size_t full = size_ / 64;
  for (size_t w = 0; w < full; w++) valid += __builtin_popcountll(validity_[w]);
  for (size_t i = full * 64; i < size_; i++) valid += IsValid(i);
  return size_ - valid;
}

StringHeap& Column::heap() {
  if (heaps_.empty()) heaps_.push_back(std::make_shared<StringHeap>());
  return *heaps_[0];
}

StringRef Column::AddString(std::string_view s) {
  if (s.size() <= StringRef::kInlineLength) return StringRef(s);
  return StringRef(heap().Add(s), uint32_t(s.size()));
}

void Column::ShareHeapsFrom(const Column& other) {
  if (&other == this) return;
  for (const auto& h : other.heaps_) {
    if (std::find(heaps_.begin(), heaps_.end(), h) == heaps_.end()) {
      if (heaps_.empty()) heaps_.push_back(std::make_shared<StringHeap>());  // keep slot 0 our own
      heaps_.push_back(h);
    }
  }
}

void Column::AddHeap(std::shared_ptr<StringHeap> heap) {
  if (!heap || std::find(heaps_.begin(), heaps_.end(), heap) != heaps_.end()) return;
  if (heaps_.empty()) heaps_.push_back(std::make_shared<StringHeap>());  // keep slot 0 our own
  heaps_.push_back(std::move(heap));
}

void Column::CopyFrom(const Column& src, size_t src_offset, size_t dst_offset, size_t count) {
  CopyRows(src, nullptr, src_offset, dst_offset, count);
}

void Column::Gather(const Column& src, const uint32_t* sel, size_t count, size_t dst_offset) {
  CopyRows(src, sel, 0, dst_offset, count);
}

// this[dst_offset + k] = src[sel ? sel[k] : src_offset + k].
void Column::CopyRows(const Column& src, const uint32_t* sel, size_t src_offset, size_t dst_offset,
                      size_t count) {
  if (count == 0) return;
  size_t end = dst_offset + count;
  // Fixed-width rows are all overwritten below; nested ones need their entries cleared.
  if (end > size_) Resize(end, type_.IsNested() || dst_offset > size_);
  auto src_row = [&](size_t k) -> size_t { return sel ? sel[k] : src_offset + k; };

  // Validity.
  if (src.MayHaveNulls()) {
    uint64_t* v = mutable_validity();
    for (size_t k = 0; k < count; k++) {
      size_t d = dst_offset + k;
      if (src.IsValid(src_row(k)))
        v[d >> 6] |= uint64_t(1) << (d & 63);
      else
        v[d >> 6] &= ~(uint64_t(1) << (d & 63));
    }
  } else if (MayHaveNulls()) {
    uint64_t* v = validity_.data();
    for (size_t k = 0; k < count; k++) {
      size_t d = dst_offset + k;
      v[d >> 6] |= uint64_t(1) << (d & 63);
    }
  }

  switch (type_.id()) {
    case TypeId::kStruct:
      for (size_t c = 0; c < children_.size(); c++) children_[c].CopyRows(src.children_[c], sel, src_offset, dst_offset, count);
      return;
    case TypeId::kList:
    case TypeId::kMap: {
      ListEntry* dst = list_entries();
      const ListEntry* s = src.list_entries();
      Column& dchild = children_[0];
      const Column& schild = src.children_[0];
      if (!sel && src_offset == 0 && dst_offset == 0 && count == src.size_ && dchild.size() == 0) {
        // Whole-column copy: entries keep their offsets.
        std::memcpy(dst, s, count * sizeof(ListEntry));
        dchild.CopyRows(schild, nullptr, 0, 0, schild.size());
        return;
      }
      for (size_t k = 0; k < count; k++) {
        const ListEntry& e = s[src_row(k)];
        size_t at = dchild.size();
        dchild.CopyRows(schild, nullptr, e.offset, at, e.length);
        dst[dst_offset + k] = {at, e.length};
      }
      return;
    }
    default:
      break;
  }
  size_t width = PhysicalSize(type_);
  uint8_t* d = data_.get() + dst_offset * width;
  const uint8_t* s = src.data_.get();
  if (!sel) {
    std::memcpy(d, s + src_offset * width, count * width);
  } else {
    switch (width) {
      case 1: for (size_t k = 0; k < count; k++) d[k] = s[sel[k]]; break;
      case 2: for (size_t k = 0; k < count; k++) reinterpret_cast<uint16_t*>(d)[k] = reinterpret_cast<const uint16_t*>(s)[sel[k]]; break;
      case 4: for (size_t k = 0; k < count; k++) reinterpret_cast<uint32_t*>(d)[k] = reinterpret_cast<const uint32_t*>(s)[sel[k]]; break;
      case 8: for (size_t k = 0; k < count; k++) reinterpret_cast<uint64_t*>(d)[k] = reinterpret_cast<const uint64_t*>(s)[sel[k]]; break;
      default:
        for (size_t k = 0; k < count; k++) std::memcpy(d + k * width, s + size_t(sel[k]) * width, width);
    }
  }
  if (type_.IsString()) ShareHeapsFrom(src);
}

Column Column::Constant(const Value& v, size_t count) {
  Column c(v.type());
  c.Resize(1);
  c.SetValue(0, v);
  if (count == 1) return c;
  Column out(v.type(), count);
  std::vector<uint32_t> zeros(count, 0);
  out.Gather(c, zeros.data(), count);
  return out;
}

// ---------------------------------------------------------------- Batch

Batch::Batch(const std::vector<LogicalType>& types, size_t capacity) {
  columns.reserve(types.size());
  for (const auto& t : types) columns.emplace_back(t, capacity);
}

std::vector<LogicalType> Batch::types() const {
  std::vector<LogicalType> t;
  t.reserve(columns.size());
  for (const auto& c : columns) t.push_back(c.type());
  return t;
}

void Batch::SetRows(size_t n) {
  for (auto& c : columns) c.Resize(n);
  num_rows = n;
}

Batch Batch::Clone() const {
  Batch b;
  b.num_rows = num_rows;
  for (const auto& c : columns) b.columns.push_back(c.Clone());
  return b;
}

}  // namespace alopex
