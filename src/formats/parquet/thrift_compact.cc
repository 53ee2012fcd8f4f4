#include "formats/parquet/thrift_compact.h"

#include <cstring>

namespace alopex::thrift {

void CompactReader::Fail(const std::string& what) {
  if (!status_.ok()) return;
  status_ = Status::Corruption("invalid Thrift metadata: " + what + " at byte offset " + std::to_string(file_offset()));
  p_ = end_;
}

uint64_t CompactReader::ReadVarint(int max_bytes) {
  uint64_t v = 0;
  int shift = 0;
  for (int i = 0; i < max_bytes; i++) {
    if (p_ >= end_) {
      Fail("truncated varint");
      return 0;
    }
    uint8_t b = *p_++;
    v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
    shift += 7;
  }
  Fail("varint too long");
  return 0;
}

int32_t CompactReader::ReadI32() {
  uint32_t u = uint32_t(ReadVarint(5));
  return int32_t((u >> 1) ^ (0u - (u & 1)));
}

int64_t CompactReader::ReadI64() {
  uint64_t u = ReadVarint(10);
  return int64_t((u >> 1) ^ (0ull - (u & 1)));
}

int8_t CompactReader::ReadByte() {
  if (p_ >= end_) {
    Fail("truncated byte");
    return 0;
  }
  return int8_t(*p_++);
}

bool CompactReader::ReadBoolElement() { return ReadByte() == 1; }

double CompactReader::ReadDouble() {
  if (end_ - p_ < 8) {
    Fail("truncated double");
    return 0;
  }
  double d;
  std::memcpy(&d, p_, 8);
  p_ += 8;
  return d;
}

std::string_view CompactReader::ReadBinaryView() {
  uint64_t n = ReadVarint(5);
  if (!ok()) return {};
  if (n > uint64_t(end_ - p_)) {
    Fail("binary length " + std::to_string(n) + " past the end of the metadata");
    return {};
  }
  std::string_view v(reinterpret_cast<const char*>(p_), size_t(n));
  p_ += n;
  return v;
}

std::string CompactReader::ReadString() { return std::string(ReadBinaryView()); }

bool CompactReader::BeginStruct() {
  if (depth_ >= kMaxDepth) {
    Fail("structs nested too deeply");
    return false;
  }
  last_field_[++depth_] = 0;
  return ok();
}

void CompactReader::EndStruct() {
  if (depth_ > 0) depth_--;
}

bool CompactReader::NextField(int16_t* id, CType* type) {
  if (!ok()) return false;
  if (p_ >= end_) {
    Fail("truncated struct");
    return false;
  }
  uint8_t b = *p_++;
  uint8_t t = b & 0x0f;
  if (t == 0) return false;  // STOP
  if (t > 13) {
    Fail("unknown field type " + std::to_string(t));
    return false;
  }
  int16_t delta = int16_t(b >> 4);
  int16_t fid = delta ? int16_t(last_field_[depth_] + delta) : ReadI16();
  if (!ok()) return false;
  last_field_[depth_] = fid;
  *id = fid;
  *type = CType(t);
  return true;
}

bool CompactReader::ReadListHeader(CType* elem, uint32_t* count) {
  uint8_t b = uint8_t(ReadByte());
  if (!ok()) return false;
  uint64_t n = b >> 4;
  if (n == 15) n = ReadVarint(5);
  *elem = CType(b & 0x0f);
  if (!ok()) return false;
  if (n > kMaxContainer) {
    Fail("list of " + std::to_string(n) + " elements is too long");
    return false;
  }
  // Every element except bools in the header takes at least one byte.
  if (n > uint64_t(end_ - p_)) {
    Fail("list of " + std::to_string(n) + " elements past the end of the metadata");
    return false;
  }
  *count = uint32_t(n);
  return true;
}

void CompactReader::Skip(CType type) { SkipDepth(type, 0); }

void CompactReader::SkipDepth(CType type, int depth) {
  if (!ok()) return;
  if (depth > kMaxDepth) {
    Fail("values nested too deeply");
    return;
  }
  switch (type) {
    case CType::kTrue:
    case CType::kFalse:
      return;  // value lives in the field header
    case CType::kByte:
      ReadByte();
      return;
    case CType::kI16:
    case CType::kI32:
      ReadVarint(5);
      return;
    case CType::kI64:
      ReadVarint(10);
      return;
    case CType::kDouble:
      ReadDouble();
      return;
    case CType::kBinary:
      ReadBinaryView();
      return;
    case CType::kUuid:
      if (end_ - p_ < 16) {
        Fail("truncated uuid");
        return;
      }
      p_ += 16;
      return;
    case CType::kList:
    case CType::kSet: {
      CType elem;
      uint32_t n;
      if (!ReadListHeader(&elem, &n)) return;
      for (uint32_t i = 0; i < n && ok(); i++) {
        if (elem == CType::kTrue || elem == CType::kFalse)
          ReadByte();
        else
          SkipDepth(elem, depth + 1);
      }
      return;
    }
    case CType::kMap: {
      uint64_t n = ReadVarint(5);
      if (n == 0 || !ok()) return;
      if (n > kMaxContainer || n > uint64_t(end_ - p_)) {
        Fail("map too large");
        return;
      }
      uint8_t kv = uint8_t(ReadByte());
      CType kt = CType(kv >> 4), vt = CType(kv & 0x0f);
      for (uint64_t i = 0; i < n && ok(); i++) {
        if (kt == CType::kTrue || kt == CType::kFalse) ReadByte(); else SkipDepth(kt, depth + 1);
        if (vt == CType::kTrue || vt == CType::kFalse) ReadByte(); else SkipDepth(vt, depth + 1);
      }
      return;
    }
    case CType::kStruct: {
      if (!BeginStruct()) return;
      int16_t id;
      CType t;
      while (NextField(&id, &t)) SkipDepth(t, depth + 1);
      EndStruct();
      return;
    }
    case CType::kStop:
      Fail("unexpected STOP");
      return;
  }
}

// ---------------------------------------------------------------- writer

void CompactWriter::BeginStruct() { last_field_.push_back(0); }

void CompactWriter::EndStruct() {
  out_->push_back(0);
  if (last_field_.size() > 1) last_field_.pop_back();
}

void CompactWriter::FieldHeader(int16_t id, CType type) {
  int16_t& last = last_field_.back();
  int delta = int(id) - int(last);
  if (delta >= 1 && delta <= 15) {
    out_->push_back(char((delta << 4) | int(type)));
  } else {
    out_->push_back(char(int(type)));
    WriteZigZag(id);
  }
  last = id;
}

void CompactWriter::Double(int16_t id, double v) {
  FieldHeader(id, CType::kDouble);
  char b[8];
  std::memcpy(b, &v, 8);
  out_->append(b, 8);
}

void CompactWriter::ListHeader(CType elem, uint32_t count) {
  if (count <= 14) {
    out_->push_back(char((count << 4) | uint32_t(elem)));
  } else {
    out_->push_back(char(0xf0 | uint32_t(elem)));
    WriteVarint(count);
  }
}

void CompactWriter::WriteVarint(uint64_t v) {
  while (v >= 0x80) {
    out_->push_back(char((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_->push_back(char(v));
}

void CompactWriter::WriteBinary(std::string_view v) {
  WriteVarint(v.size());
  out_->append(v.data(), v.size());
}

}  // namespace alopex::thrift
