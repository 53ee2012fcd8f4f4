// The Thrift compact protocol, the subset Parquet metadata uses, decoded and
// encoded by hand. Every read is bounds-checked; nesting depth and container
// sizes are capped so a hostile footer yields a Corruption status, never a
// crash or a huge allocation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "alopex/status.h"

namespace alopex::thrift {

enum class CType : uint8_t {
  kStop = 0,
  kTrue = 1,
  kFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
  kUuid = 13,
};

// Reads compact-protocol values from a byte range. Errors are sticky: after the
// first failure every call returns zero values and status() tells why, naming
// the byte offset (relative to `base_offset`, e.g. the footer's file offset).
class CompactReader {
 public:
  CompactReader(const uint8_t* data, size_t size, uint64_t base_offset = 0)
      : p_(data), begin_(data), end_(data + size), base_(base_offset) {}

  static constexpr int kMaxDepth = 64;
  static constexpr uint32_t kMaxContainer = 1u << 24;

  // Struct framing. BeginStruct pushes a field-id context, EndStruct pops it.
  bool BeginStruct();
  void EndStruct();
  // Reads the next field header; false at STOP (or on error). `bool_value`
  // receives the value of a boolean field, which lives in the header.
  bool NextField(int16_t* id, CType* type);

  int32_t ReadI32();
  int64_t ReadI64();
  int16_t ReadI16() { return int16_t(ReadI32()); }
  int8_t ReadByte();
  double ReadDouble();
  // For a bool field, the value is the header type; for list elements, a byte.
  bool ReadBoolField(CType type) { return type == CType::kTrue; }
  bool ReadBoolElement();
  std::string ReadString();
  std::string_view ReadBinaryView();
  // List header: element type and count (bounded by kMaxContainer and by the
  // bytes left, as each element takes at least one byte unless bool).
  bool ReadListHeader(CType* elem, uint32_t* count);
  // Skips a value of `type`, recursing into containers.
  void Skip(CType type);

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  void Fail(const std::string& what);
  size_t position() const { return size_t(p_ - begin_); }
  uint64_t file_offset() const { return base_ + position(); }

 private:
  uint64_t ReadVarint(int max_bytes);
  void SkipDepth(CType type, int depth);

  const uint8_t* p_;
  const uint8_t* begin_;
  const uint8_t* end_;
  uint64_t base_;
  Status status_;
  int16_t last_field_[kMaxDepth + 1] = {};
  int depth_ = 0;
};

// Appends compact-protocol values to a string.
class CompactWriter {
 public:
  explicit CompactWriter(std::string* out) : out_(out) {}

  void BeginStruct();
  void EndStruct();  // writes STOP
  void FieldHeader(int16_t id, CType type);

  void I32(int16_t id, int32_t v) { FieldHeader(id, CType::kI32); WriteZigZag(v); }
  void I64(int16_t id, int64_t v) { FieldHeader(id, CType::kI64); WriteZigZag(v); }
  void I16(int16_t id, int16_t v) { FieldHeader(id, CType::kI16); WriteZigZag(v); }
  void Byte(int16_t id, int8_t v) { FieldHeader(id, CType::kByte); out_->push_back(char(v)); }
  void Bool(int16_t id, bool v) { FieldHeader(id, v ? CType::kTrue : CType::kFalse); }
  void Binary(int16_t id, std::string_view v) { FieldHeader(id, CType::kBinary); WriteBinary(v); }
  void Double(int16_t id, double v);
  // Begins a struct-valued field; close it with EndStruct().
  void StructField(int16_t id) { FieldHeader(id, CType::kStruct); BeginStruct(); }
  // An empty-struct field (union members like STRING, MILLIS, TYPE_ORDER).
  void EmptyStructField(int16_t id) { StructField(id); EndStruct(); }
  // List field header; elements follow (written with the Write* helpers or as structs).
  void ListField(int16_t id, CType elem, uint32_t count) { FieldHeader(id, CType::kList); ListHeader(elem, count); }
  void ListHeader(CType elem, uint32_t count);

  void WriteVarint(uint64_t v);
  void WriteZigZag(int64_t v) { WriteVarint((uint64_t(v) << 1) ^ uint64_t(v >> 63)); }
  void WriteBinary(std::string_view v);
  void WriteBoolElement(bool v) { out_->push_back(v ? 1 : 2); }

 private:
  std::string* out_;
  std::vector<int16_t> last_field_{0};
};

}  // namespace alopex::thrift
