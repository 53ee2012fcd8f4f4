#include "storage/delta/deletion_vector.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "io/hive_partition.h"

namespace alopex {

namespace {

constexpr char kZ85Alphabet[] =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
constexpr uint32_t kPortableMagic = 1681511377;
constexpr uint32_t kNativeMagic = 1681511376;
constexpr uint32_t kSerialCookieNoRuns = 12346;
constexpr uint32_t kSerialCookie = 12347;
constexpr uint32_t kNoOffsetThreshold = 4;
constexpr uint32_t kMaxArrayContainer = 4096;

// Little-endian cursor over the bitmap bytes.
class ByteReader {
 public:
  explicit ByteReader(std::string_view b) : b_(b) {}
  bool U16(uint16_t* v) { return Read(v, 2); }
  bool U32(uint32_t* v) { return Read(v, 4); }
  bool U64(uint64_t* v) { return Read(v, 8); }
  bool Skip(size_t n) {
    if (pos_ + n > b_.size()) return false;
    pos_ += n;
    return true;
  }
  const char* Take(size_t n) {
    if (pos_ + n > b_.size()) return nullptr;
    const char* p = b_.data() + pos_;
    pos_ += n;
    return p;
  }
  size_t pos() const { return pos_; }

 private:
  template <typename T>
  bool Read(T* v, size_t n) {
    if (pos_ + n > b_.size()) return false;
    T x = 0;
    for (size_t i = 0; i < n; i++) x |= T(static_cast<unsigned char>(b_[pos_ + i])) << (8 * i);
    *v = x;
    pos_ += n;
    return true;
  }
  std::string_view b_;
  size_t pos_ = 0;
};

Status Malformed(const std::string& why, size_t at) {
  return Status::Corruption("malformed deletion vector bitmap at byte " + std::to_string(at) + ": " + why);
}

// One standard 32-bit Roaring bitmap; values get `high` in their top 32 bits.
Status ReadRoaring32(ByteReader* r, uint64_t high, std::vector<uint64_t>* out) {
  size_t start = r->pos();
  uint32_t cookie;
  if (!r->U32(&cookie)) return Malformed("truncated cookie", start);
  uint32_t count;
  std::vector<uint8_t> run_flags;
  bool has_runs = (cookie & 0xFFFF) == kSerialCookie;
  if (has_runs) {
    count = (cookie >> 16) + 1;
    const char* flags = r->Take((count + 7) / 8);
    if (!flags) return Malformed("truncated run flags", r->pos());
    run_flags.assign(flags, flags + (count + 7) / 8);
  } else if (cookie == kSerialCookieNoRuns) {
    if (!r->U32(&count)) return Malformed("truncated container count", r->pos());
  } else {
    return Malformed("unknown Roaring cookie " + std::to_string(cookie), start);
  }
  if (count > 65536) return Malformed("too many containers", start);
  std::vector<uint16_t> keys(count), cards(count);
  for (uint32_t i = 0; i < count; i++) {
    if (!r->U16(&keys[i]) || !r->U16(&cards[i])) return Malformed("truncated container header", r->pos());
  }
  if (!has_runs || count >= kNoOffsetThreshold) {
    if (!r->Skip(size_t(count) * 4)) return Malformed("truncated container offsets", r->pos());
  }
  for (uint32_t i = 0; i < count; i++) {
    uint64_t base = (high << 32) | (uint64_t(keys[i]) << 16);
    bool is_run = has_runs && ((run_flags[i / 8] >> (i % 8)) & 1);
    uint32_t card = uint32_t(cards[i]) + 1;
    if (is_run) {
      uint16_t runs;
      if (!r->U16(&runs)) return Malformed("truncated run container", r->pos());
      for (uint16_t k = 0; k < runs; k++) {
        uint16_t s, len;
        if (!r->U16(&s) || !r->U16(&len)) return Malformed("truncated run", r->pos());
        for (uint32_t v = s; v <= uint32_t(s) + len; v++) out->push_back(base | v);
      }
    } else if (card > kMaxArrayContainer) {
      for (int w = 0; w < 1024; w++) {
        uint64_t word;
        if (!r->U64(&word)) return Malformed("truncated bitset container", r->pos());
        while (word) {
          int bit = __builtin_ctzll(word);
          out->push_back(base | uint64_t(w * 64 + bit));
          word &= word - 1;
        }
      }
    } else {
      for (uint32_t k = 0; k < card; k++) {
        uint16_t v;
        if (!r->U16(&v)) return Malformed("truncated array container", r->pos());
        out->push_back(base | v);
      }
    }
  }
  return Status::OK();
}

void PutU16(std::string* out, uint16_t v) {
  out->push_back(char(v & 0xFF));
  out->push_back(char(v >> 8));
}
void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; i++) out->push_back(char((v >> (8 * i)) & 0xFF));
}
void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; i++) out->push_back(char((v >> (8 * i)) & 0xFF));
}

// A 32-bit Roaring bitmap (cookie 12346, array and bitset containers) of sorted `lows`.
void WriteRoaring32(const std::vector<uint32_t>& lows, std::string* out) {
  std::vector<std::pair<uint16_t, std::vector<uint16_t>>> containers;
  for (uint32_t v : lows) {
    uint16_t key = uint16_t(v >> 16);
    if (containers.empty() || containers.back().first != key) containers.push_back({key, {}});
    containers.back().second.push_back(uint16_t(v & 0xFFFF));
  }
  PutU32(out, kSerialCookieNoRuns);
  PutU32(out, uint32_t(containers.size()));
  for (const auto& [key, vals] : containers) {
    PutU16(out, key);
    PutU16(out, uint16_t(vals.size() - 1));
  }
  // Offsets from the start of this bitmap.
  uint32_t offset = uint32_t(8 + containers.size() * 8);
  for (const auto& [key, vals] : containers) {
    PutU32(out, offset);
    offset += vals.size() > kMaxArrayContainer ? 8192 : uint32_t(vals.size() * 2);
  }
  for (const auto& [key, vals] : containers) {
    if (vals.size() > kMaxArrayContainer) {
      std::vector<uint64_t> bits(1024, 0);
      for (uint16_t v : vals) bits[v >> 6] |= uint64_t(1) << (v & 63);
      for (uint64_t w : bits) PutU64(out, w);
    } else {
      for (uint16_t v : vals) PutU16(out, v);
    }
  }
}

uint32_t ReadBigEndian32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

std::string FormatUuid(const std::string& bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

}  // namespace

Result<std::string> Z85Decode(std::string_view text) {
  static const auto table = [] {
    std::array<int, 256> t;
    t.fill(-1);
    for (int i = 0; i < 85; i++) t[static_cast<unsigned char>(kZ85Alphabet[i])] = i;
    return t;
  }();
  if (text.size() % 5 != 0)
    return Status::Corruption("Z85 text of " + std::to_string(text.size()) + " characters is not a multiple of 5");
  std::string out;
  out.reserve(text.size() / 5 * 4);
  for (size_t i = 0; i < text.size(); i += 5) {
    uint64_t v = 0;
    for (size_t k = 0; k < 5; k++) {
      int d = table[static_cast<unsigned char>(text[i + k])];
      if (d < 0) return Status::Corruption("invalid Z85 character '" + std::string(1, text[i + k]) + "'");
      v = v * 85 + uint64_t(d);
    }
    if (v > 0xFFFFFFFFull) return Status::Corruption("Z85 group out of range at character " + std::to_string(i));
    for (int k = 3; k >= 0; k--) out.push_back(char((v >> (8 * k)) & 0xFF));
  }
  return out;
}

std::string Z85Encode(std::string_view bytes) {
  std::string padded(bytes);
  while (padded.size() % 4) padded.push_back('\0');
  std::string out;
  for (size_t i = 0; i < padded.size(); i += 4) {
    uint64_t v = 0;
    for (int k = 0; k < 4; k++) v = (v << 8) | static_cast<unsigned char>(padded[i + k]);
    char group[5];
    for (int k = 4; k >= 0; k--) {
      group[k] = kZ85Alphabet[v % 85];
      v /= 85;
    }
    out.append(group, 5);
  }
  return out;
}

Result<std::vector<uint64_t>> ParseRoaringBitmapArray(std::string_view bytes) {
  ByteReader r(bytes);
  uint32_t magic;
  if (!r.U32(&magic)) return Malformed("truncated magic", 0);
  std::vector<uint64_t> out;
  if (magic == kPortableMagic) {
    uint64_t buckets;
    if (!r.U64(&buckets)) return Malformed("truncated bucket count", r.pos());
    int64_t last_key = -1;
    for (uint64_t b = 0; b < buckets; b++) {
      uint32_t key;
      if (!r.U32(&key)) return Malformed("truncated bucket key", r.pos());
      if (key & 0x80000000u) return Malformed("bucket key with the top bit set", r.pos() - 4);
      if (int64_t(key) <= last_key) return Malformed("bucket keys not ascending", r.pos() - 4);
      last_key = key;
      ALOPEX_RETURN_IF_ERROR(ReadRoaring32(&r, key, &out));
    }
  } else if (magic == kNativeMagic) {
    uint32_t count;
    if (!r.U32(&count)) return Malformed("truncated bitmap count", r.pos());
    for (uint32_t b = 0; b < count; b++) {
      uint32_t size;
      if (!r.U32(&size)) return Malformed("truncated bitmap size", r.pos());
      size_t start = r.pos();
      ALOPEX_RETURN_IF_ERROR(ReadRoaring32(&r, b, &out));
      if (r.pos() - start != size) return Malformed("bitmap size does not match its content", start);
    }
  } else {
    return Malformed("unknown RoaringBitmapArray magic " + std::to_string(magic), 0);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string SerializeRoaringBitmapArray(std::vector<uint64_t> rows) {
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  std::vector<std::pair<uint32_t, std::vector<uint32_t>>> buckets;
  for (uint64_t v : rows) {
    uint32_t high = uint32_t(v >> 32);
    if (buckets.empty() || buckets.back().first != high) buckets.push_back({high, {}});
    buckets.back().second.push_back(uint32_t(v));
  }
  std::string out;
  PutU32(&out, kPortableMagic);
  PutU64(&out, buckets.size());
  for (const auto& [high, lows] : buckets) {
    PutU32(&out, high);
    WriteRoaring32(lows, &out);
  }
  return out;
}

Result<std::string> DeletionVectorFilePath(const DeletionVectorDescriptor& dv, const std::string& table_root) {
  if (dv.storage_type == "u") {
    const std::string& p = dv.path_or_inline_dv;
    if (p.size() < 20) return Status::Corruption("deletion vector path '" + p + "' is shorter than a Z85 UUID");
    std::string prefix = p.substr(0, p.size() - 20);
    ALOPEX_ASSIGN_OR_RETURN(std::string uuid, Z85Decode(std::string_view(p).substr(p.size() - 20)));
    std::string name = "deletion_vector_" + FormatUuid(uuid) + ".bin";
    return prefix.empty() ? JoinPath(table_root, name) : JoinPath(JoinPath(table_root, prefix), name);
  }
  if (dv.storage_type == "p") {
    std::string p = dv.path_or_inline_dv;
    if (p.rfind("file:", 0) == 0) {
      p = p.substr(5);
      // file:///x and file:/x both name /x.
      if (p.rfind("//", 0) == 0) p = p.substr(2);
      return UrlDecode(p);
    }
    return p;
  }
  return Status::InvalidArgument("deletion vector storage type '" + dv.storage_type + "' has no file");
}

Result<std::vector<uint64_t>> LoadDeletionVector(const DeletionVectorDescriptor& dv, const std::string& table_root,
                                                 FileSystem* fs) {
  std::string bitmap;
  std::string where;
  if (dv.storage_type == "i") {
    where = "inline deletion vector";
    ALOPEX_ASSIGN_OR_RETURN(bitmap, Z85Decode(dv.path_or_inline_dv));
    if (bitmap.size() < size_t(dv.size_in_bytes))
      return Status::Corruption(where + ": " + std::to_string(bitmap.size()) + " bytes, sizeInBytes says " +
                                std::to_string(dv.size_in_bytes));
    bitmap.resize(size_t(dv.size_in_bytes));
  } else if (dv.storage_type == "u" || dv.storage_type == "p") {
    ALOPEX_ASSIGN_OR_RETURN(std::string path, DeletionVectorFilePath(dv, table_root));
    where = "deletion vector file " + path;
    if (!fs) {
      ALOPEX_ASSIGN_OR_RETURN(fs, FileSystem::ForPath(path));
    }
    auto file = fs->OpenForRead(path);
    if (!file.ok()) return file.status().WithContext(where + ": ");
    uint64_t offset = uint64_t(dv.offset.value_or(1));
    size_t n = size_t(dv.size_in_bytes) + 8;
    if (offset + n > (*file)->size())
      return Status::Corruption(where + ": the deletion vector at offset " + std::to_string(offset) + " (" +
                                std::to_string(n) + " bytes) runs past the end of the file");
    std::string buf(n, '\0');
    ALOPEX_RETURN_IF_ERROR((*file)->ReadAt(offset, n, reinterpret_cast<uint8_t*>(buf.data())));
    const uint8_t* p = reinterpret_cast<const uint8_t*>(buf.data());
    uint32_t size = ReadBigEndian32(p);
    if (size != uint32_t(dv.size_in_bytes))
      return Status::Corruption(where + ": size prefix " + std::to_string(size) + " at offset " +
                                std::to_string(offset) + " does not match sizeInBytes " +
                                std::to_string(dv.size_in_bytes));
    bitmap.assign(buf.data() + 4, size);
    uint32_t expected = ReadBigEndian32(p + 4 + size);
    uint32_t actual = uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(bitmap.data()), uInt(bitmap.size())));
    if (expected != actual)
      return Status::Corruption(where + ": CRC-32 mismatch at offset " + std::to_string(offset));
  } else {
    return Status::NotImplemented("unsupported deletion vector storage type '" + dv.storage_type + "'");
  }
  auto rows = ParseRoaringBitmapArray(bitmap);
  if (!rows.ok()) return rows.status().WithContext(where + ": ");
  if (int64_t(rows->size()) != dv.cardinality)
    return Status::Corruption(where + ": holds " + std::to_string(rows->size()) + " rows, cardinality says " +
                              std::to_string(dv.cardinality));
  return rows;
}

DeletionVectorDescriptor MakeInlineDeletionVector(const std::vector<uint64_t>& rows) {
  std::string bitmap = SerializeRoaringBitmapArray(rows);
  DeletionVectorDescriptor dv;
  dv.storage_type = "i";
  dv.size_in_bytes = int32_t(bitmap.size());
  dv.path_or_inline_dv = Z85Encode(bitmap);
  std::vector<uint64_t> sorted = rows;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  dv.cardinality = int64_t(sorted.size());
  return dv;
}

}  // namespace alopex
