#include "formats/parquet/compression.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <lz4.h>
#include <lz4frame.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace alopex::parquet {

namespace {

Status SizeMismatch(const char* codec, size_t got, size_t want) {
  return Status::Corruption(std::string(codec) + " page decompressed to " + std::to_string(got) +
                            " bytes, header says " + std::to_string(want));
}

Status DecompressGzip(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size) {
  z_stream zs;
  std::memset(&zs, 0, sizeof(zs));
  if (inflateInit2(&zs, 15 + 32) != Z_OK) return Status::Internal("inflateInit2 failed");
  zs.next_in = const_cast<Bytef*>(in);
  zs.avail_in = uInt(in_size);
  zs.next_out = out;
  zs.avail_out = uInt(out_size);
  Status st;
  while (true) {
    int rc = inflate(&zs, Z_FINISH);
    if (rc == Z_STREAM_END) {
      // Another gzip member may follow (concatenated members).
      if (zs.avail_in > 0 && zs.avail_out > 0) {
        if (inflateReset(&zs) != Z_OK) {
          st = Status::Corruption("gzip stream reset failed");
          break;
        }
        continue;
      }
      break;
    }
    if (rc == Z_BUF_ERROR && zs.avail_out == 0) {
      st = Status::Corruption("gzip page decompresses to more than the " + std::to_string(out_size) +
                              " bytes its header says");
      break;
    }
    st = Status::Corruption(std::string("gzip data is corrupt (") + (zs.msg ? zs.msg : "inflate error") + ")");
    break;
  }
  size_t got = out_size - zs.avail_out;
  inflateEnd(&zs);
  if (!st.ok()) return st;
  if (got != out_size) return SizeMismatch("gzip", got, out_size);
  return Status::OK();
}

// Deprecated LZ4 (codec 5): Hadoop framing, else the LZ4 frame format, else one raw block.
Status DecompressLz4Legacy(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size) {
  // 1. Hadoop framing.
  {
    const uint8_t* p = in;
    size_t left = in_size;
    size_t produced = 0;
    bool ok = true;
    auto be32 = [](const uint8_t* b) {
      return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | uint32_t(b[3]);
    };
    while (left >= 8) {
      uint32_t usize = be32(p), csize = be32(p + 4);
      p += 8;
      left -= 8;
      if (csize > left || usize > out_size - produced) {
        ok = false;
        break;
      }
      int n = LZ4_decompress_safe(reinterpret_cast<const char*>(p), reinterpret_cast<char*>(out + produced),
                                  int(csize), int(usize));
      if (n < 0 || uint32_t(n) != usize) {
        ok = false;
        break;
      }
      produced += usize;
      p += csize;
      left -= csize;
    }
    if (ok && left == 0 && produced == out_size) return Status::OK();
  }
  // 2. LZ4 frame format.
  if (in_size >= 4 && in[0] == 0x04 && in[1] == 0x22 && in[2] == 0x4d && in[3] == 0x18) {
    LZ4F_dctx* dctx = nullptr;
    if (!LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION))) {
      size_t src_left = in_size, dst_left = out_size;
      const uint8_t* src = in;
      uint8_t* dst = out;
      bool done = false, err = false;
      while (!done && !err && src_left > 0) {
        size_t s = src_left, d = dst_left;
        size_t rc = LZ4F_decompress(dctx, dst, &d, src, &s, nullptr);
        if (LZ4F_isError(rc)) err = true;
        src += s;
        src_left -= s;
        dst += d;
        dst_left -= d;
        if (rc == 0) done = true;
        if (s == 0 && d == 0) err = true;
      }
      LZ4F_freeDecompressionContext(dctx);
      if (!err && dst_left == 0) return Status::OK();
    }
  }
  // 3. One raw block (old parquet-cpp).
  int n = LZ4_decompress_safe(reinterpret_cast<const char*>(in), reinterpret_cast<char*>(out), int(in_size),
                              int(out_size));
  if (n < 0) return Status::Corruption("LZ4 data is corrupt (neither Hadoop-framed, frame nor raw block)");
  if (size_t(n) != out_size) return SizeMismatch("LZ4", size_t(n), out_size);
  return Status::OK();
}

}  // namespace

Status Decompress(Codec codec, const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size) {
  switch (codec) {
    case Codec::kUncompressed:
      if (in_size != out_size) return SizeMismatch("uncompressed", in_size, out_size);
      std::memcpy(out, in, in_size);
      return Status::OK();
    case Codec::kSnappy: {
      size_t len = 0;
      if (!snappy::GetUncompressedLength(reinterpret_cast<const char*>(in), in_size, &len))
        return Status::Corruption("snappy data is corrupt (bad length preamble)");
      if (len != out_size) return SizeMismatch("snappy", len, out_size);
      if (!snappy::RawUncompress(reinterpret_cast<const char*>(in), in_size, reinterpret_cast<char*>(out)))
        return Status::Corruption("snappy data is corrupt");
      return Status::OK();
    }
    case Codec::kGzip:
      if (in_size > UINT32_MAX || out_size > UINT32_MAX) return Status::NotImplemented("gzip page over 4 GiB");
      return DecompressGzip(in, in_size, out, out_size);
    case Codec::kBrotli: {
      size_t decoded = out_size;
      BrotliDecoderResult rc = BrotliDecoderDecompress(in_size, in, &decoded, out);
      if (rc != BROTLI_DECODER_RESULT_SUCCESS) return Status::Corruption("brotli data is corrupt or larger than its header says");
      if (decoded != out_size) return SizeMismatch("brotli", decoded, out_size);
      return Status::OK();
    }
    case Codec::kZstd: {
      // One context per thread: creating one per page costs more than small pages take to decode.
      struct DctxHolder {
        ZSTD_DCtx* ctx = ZSTD_createDCtx();
        ~DctxHolder() { ZSTD_freeDCtx(ctx); }
      };
      thread_local DctxHolder holder;
      ZSTD_DCtx* dctx = holder.ctx;
      if (!dctx) return Status::Internal("ZSTD_createDCtx failed");
      ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
      ZSTD_inBuffer ib{in, in_size, 0};
      ZSTD_outBuffer ob{out, out_size, 0};
      uint8_t extra_byte;
      ZSTD_outBuffer extra{&extra_byte, 1, 0};
      Status st;
      while (ib.pos < ib.size) {
        size_t pin = ib.pos, pout = ob.pos;
        // Once the page buffer is full, offer one spare byte to detect oversized output.
        ZSTD_outBuffer* target = ob.pos < ob.size ? &ob : &extra;
        size_t rc = ZSTD_decompressStream(dctx, target, &ib);
        if (ZSTD_isError(rc)) {
          st = Status::Corruption(std::string("zstd data is corrupt (") + ZSTD_getErrorName(rc) + ")");
          break;
        }
        if (extra.pos > 0) {
          st = Status::Corruption("zstd page decompresses to more than the " + std::to_string(out_size) +
                                  " bytes its header says");
          break;
        }
        if (ib.pos == pin && ob.pos == pout) break;  // no progress
      }
      if (!st.ok()) return st;
      if (ob.pos != out_size) return SizeMismatch("zstd", ob.pos, out_size);
      return Status::OK();
    }
    case Codec::kLz4Raw: {
      if (in_size > INT32_MAX || out_size > INT32_MAX) return Status::NotImplemented("LZ4 page over 2 GiB");
      int n = LZ4_decompress_safe(reinterpret_cast<const char*>(in), reinterpret_cast<char*>(out), int(in_size),
                                  int(out_size));
      if (n < 0) return Status::Corruption("LZ4_RAW data is corrupt");
      if (size_t(n) != out_size) return SizeMismatch("LZ4_RAW", size_t(n), out_size);
      return Status::OK();
    }
    case Codec::kLz4:
      if (in_size > INT32_MAX || out_size > INT32_MAX) return Status::NotImplemented("LZ4 page over 2 GiB");
      return DecompressLz4Legacy(in, in_size, out, out_size);
    case Codec::kLzo:
      return Status::NotImplemented("LZO compression is not supported");
  }
  return Status::NotImplemented("unknown compression codec " + std::to_string(int(codec)));
}

Status Compress(Codec codec, int level, const uint8_t* in, size_t in_size, std::string* out) {
  size_t start = out->size();
  switch (codec) {
    case Codec::kUncompressed:
      out->append(reinterpret_cast<const char*>(in), in_size);
      return Status::OK();
    case Codec::kSnappy: {
      out->resize(start + snappy::MaxCompressedLength(in_size));
      size_t n = 0;
      snappy::RawCompress(reinterpret_cast<const char*>(in), in_size, out->data() + start, &n);
      out->resize(start + n);
      return Status::OK();
    }
    case Codec::kGzip: {
      z_stream zs;
      std::memset(&zs, 0, sizeof(zs));
      int lvl = level == 0 ? Z_DEFAULT_COMPRESSION : std::clamp(level, 1, 9);
      if (deflateInit2(&zs, lvl, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return Status::Internal("deflateInit2 failed");
      out->resize(start + deflateBound(&zs, uLong(in_size)) + 32);
      zs.next_in = const_cast<Bytef*>(in);
      zs.avail_in = uInt(in_size);
      zs.next_out = reinterpret_cast<Bytef*>(out->data() + start);
      zs.avail_out = uInt(out->size() - start);
      int rc = deflate(&zs, Z_FINISH);
      size_t n = zs.total_out;
      deflateEnd(&zs);
      if (rc != Z_STREAM_END) return Status::Internal("gzip compression failed");
      out->resize(start + n);
      return Status::OK();
    }
    case Codec::kBrotli: {
      size_t n = BrotliEncoderMaxCompressedSize(in_size);
      if (n == 0) n = in_size + 1024;
      out->resize(start + n);
      int q = level == 0 ? 1 : std::clamp(level, 0, 11);
      if (!BrotliEncoderCompress(q, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, in_size, in, &n,
                                 reinterpret_cast<uint8_t*>(out->data() + start)))
        return Status::Internal("brotli compression failed");
      out->resize(start + n);
      return Status::OK();
    }
    case Codec::kZstd: {
      size_t bound = ZSTD_compressBound(in_size);
      out->resize(start + bound);
      // One context per thread: ZSTD_compress would allocate (and fault in) a new one per page.
      struct CctxHolder {
        ZSTD_CCtx* ctx = ZSTD_createCCtx();
        ~CctxHolder() { ZSTD_freeCCtx(ctx); }
      };
      static thread_local CctxHolder holder;
      if (!holder.ctx) return Status::Internal("ZSTD_createCCtx failed");
      size_t n = ZSTD_compressCCtx(holder.ctx, out->data() + start, bound, in, in_size, level == 0 ? 3 : level);
      if (ZSTD_isError(n)) return Status::Internal(std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
      out->resize(start + n);
      return Status::OK();
    }
    case Codec::kLz4Raw: {
      if (in_size > INT32_MAX) return Status::NotImplemented("LZ4 page over 2 GiB");
      int bound = LZ4_compressBound(int(in_size));
      out->resize(start + size_t(bound));
      int n = LZ4_compress_default(reinterpret_cast<const char*>(in), out->data() + start, int(in_size), bound);
      if (n <= 0 && in_size > 0) return Status::Internal("LZ4 compression failed");
      out->resize(start + size_t(n));
      return Status::OK();
    }
    default:
      return Status::NotImplemented(std::string("writing ") + CodecName(int32_t(codec)) + " is not supported");
  }
}

Result<Codec> CodecFromName(const std::string& name) {
  std::string n;
  for (char c : name) n.push_back(char(std::tolower(static_cast<unsigned char>(c))));
  if (n == "none" || n == "uncompressed" || n.empty()) return Codec::kUncompressed;
  if (n == "snappy") return Codec::kSnappy;
  if (n == "gzip" || n == "gz") return Codec::kGzip;
  if (n == "zstd") return Codec::kZstd;
  if (n == "lz4" || n == "lz4_raw") return Codec::kLz4Raw;  // never write the deprecated LZ4 framing
  if (n == "brotli") return Codec::kBrotli;
  return Status::InvalidArgument("unknown Parquet compression '" + name +
                                 "' (expected none, uncompressed, snappy, gzip, zstd, lz4, lz4_raw or brotli)");
}

}  // namespace alopex::parquet
