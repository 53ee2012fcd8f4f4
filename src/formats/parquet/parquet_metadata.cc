#include "formats/parquet/parquet_metadata.h"

#include "formats/parquet/thrift_compact.h"

namespace alopex::parquet {

using thrift::CompactReader;
using thrift::CompactWriter;
using thrift::CType;

namespace {

// ---------------------------------------------------------------- decoding helpers

bool IsInt(CType t) { return t == CType::kI32 || t == CType::kI16 || t == CType::kI64 || t == CType::kByte; }
bool IsBool(CType t) { return t == CType::kTrue || t == CType::kFalse; }

int32_t GetI32(CompactReader& r, CType t) {
  if (t == CType::kByte) return r.ReadByte();
  if (!IsInt(t)) {
    r.Fail("expected an integer field");
    return 0;
  }
  int64_t v = r.ReadI64();  // zigzag varint of any width
  if (v < INT32_MIN || v > INT32_MAX) {
    r.Fail("integer out of range");
    return 0;
  }
  return int32_t(v);
}

int64_t GetI64(CompactReader& r, CType t) {
  if (t == CType::kByte) return r.ReadByte();
  if (!IsInt(t)) {
    r.Fail("expected an integer field");
    return 0;
  }
  return r.ReadI64();
}

std::string GetString(CompactReader& r, CType t) {
  if (t != CType::kBinary) {
    r.Fail("expected a binary field");
    return {};
  }
  return r.ReadString();
}

bool GetBool(CompactReader& r, CType t) {
  if (!IsBool(t)) {
    r.Fail("expected a bool field");
    return false;
  }
  return t == CType::kTrue;
}

// Calls fn(elem_type) for each element of a list field.
template <typename Fn>
void ForList(CompactReader& r, CType t, Fn fn) {
  if (t != CType::kList && t != CType::kSet) {
    r.Fail("expected a list field");
    return;
  }
  CType elem;
  uint32_t n;
  if (!r.ReadListHeader(&elem, &n)) return;
  for (uint32_t i = 0; i < n && r.ok(); i++) fn(elem);
}

// Reads a struct's fields with fn(id, type); unknown ids must be skipped by fn.
template <typename Fn>
void ForStruct(CompactReader& r, Fn fn) {
  if (!r.BeginStruct()) return;
  int16_t id;
  CType t;
  while (r.NextField(&id, &t)) fn(id, t);
  r.EndStruct();
}

void ExpectStruct(CompactReader& r, CType t) {
  if (t != CType::kStruct) r.Fail("expected a struct field");
}

// Returns the id of the (single) member of a union whose members are empty structs.
int32_t ReadEmptyUnion(CompactReader& r, CType t) {
  ExpectStruct(r, t);
  int32_t member = 0;
  ForStruct(r, [&](int16_t id, CType ft) {
    if (member == 0) member = id;
    r.Skip(ft);
  });
  return member;
}

void ReadStatistics(CompactReader& r, CType t, Statistics* s) {
  ExpectStruct(r, t);
  s->is_set = true;
  ForStruct(r, [&](int16_t id, CType ft) {
    switch (id) {
      case 1: s->max = GetString(r, ft); break;
      case 2: s->min = GetString(r, ft); break;
      case 3: s->null_count = GetI64(r, ft); break;
      case 4: s->distinct_count = GetI64(r, ft); break;
      case 5: s->max_value = GetString(r, ft); break;
      case 6: s->min_value = GetString(r, ft); break;
      case 7: s->is_max_value_exact = GetBool(r, ft); break;
      case 8: s->is_min_value_exact = GetBool(r, ft); break;
      case 9: s->nan_count = GetI64(r, ft); break;
      default: r.Skip(ft);
    }
  });
}

void ReadLogicalType(CompactReader& r, CType t, LogicalTypeInfo* lt) {
  ExpectStruct(r, t);
  ForStruct(r, [&](int16_t id, CType ft) {
    if (lt->kind != 0 || ft != CType::kStruct) {  // only one member expected
      r.Skip(ft);
      return;
    }
    lt->kind = id;
    switch (id) {
      case LogicalTypeInfo::kDecimal:
        ForStruct(r, [&](int16_t fid, CType x) {
          if (fid == 1) lt->scale = GetI32(r, x);
          else if (fid == 2) lt->precision = GetI32(r, x);
          else r.Skip(x);
        });
        break;
      case LogicalTypeInfo::kTime:
      case LogicalTypeInfo::kTimestamp:
        ForStruct(r, [&](int16_t fid, CType x) {
          if (fid == 1) lt->is_adjusted_to_utc = GetBool(r, x);
          else if (fid == 2) lt->unit = ReadEmptyUnion(r, x);
          else r.Skip(x);
        });
        break;
      case LogicalTypeInfo::kInteger:
        ForStruct(r, [&](int16_t fid, CType x) {
          if (fid == 1) lt->bit_width = GetI32(r, x);
          else if (fid == 2) lt->is_signed = GetBool(r, x);
          else r.Skip(x);
        });
        break;
      default:
        r.Skip(ft);
    }
  });
}

void ReadSchemaElement(CompactReader& r, CType t, SchemaElement* e) {
  ExpectStruct(r, t);
  ForStruct(r, [&](int16_t id, CType ft) {
    switch (id) {
      case 1: e->type = Type(GetI32(r, ft)); break;
      case 2: e->type_length = GetI32(r, ft); break;
      case 3: e->repetition_type = Repetition(GetI32(r, ft)); break;
      case 4: e->name = GetString(r, ft); break;
      case 5: e->num_children = GetI32(r, ft); break;
      case 6: e->converted_type = ConvertedType(GetI32(r, ft)); break;
      case 7: e->scale = GetI32(r, ft); break;
      case 8: e->precision = GetI32(r, ft); break;
      case 9: e->field_id = GetI32(r, ft); break;
      case 10: ReadLogicalType(r, ft, &e->logical_type); break;
      default: r.Skip(ft);
    }
  });
}

void ReadKeyValue(CompactReader& r, CType t, KeyValue* kv) {
  ExpectStruct(r, t);
  ForStruct(r, [&](int16_t id, CType ft) {
    if (id == 1) kv->key = GetString(r, ft);
    else if (id == 2) kv->value = GetString(r, ft);
    else r.Skip(ft);
  });
}

void ReadColumnMetaData(CompactReader& r, CType t, ColumnMetaData* m) {
  ExpectStruct(r, t);
  uint32_t seen = 0;
  ForStruct(r, [&](int16_t id, CType ft) {
    if (id >= 1 && id <= 31) seen |= 1u << id;
    switch (id) {
      case 1: m->type = Type(GetI32(r, ft)); break;
      case 2: ForList(r, ft, [&](CType et) { m->encodings.push_back(GetI32(r, et)); }); break;
      case 3: ForList(r, ft, [&](CType et) { m->path_in_schema.push_back(GetString(r, et)); }); break;
      case 4: m->codec = GetI32(r, ft); break;
      case 5: m->num_values = GetI64(r, ft); break;
      case 6: m->total_uncompressed_size = GetI64(r, ft); break;
      case 7: m->total_compressed_size = GetI64(r, ft); break;
      case 8:
        ForList(r, ft, [&](CType et) {
          m->key_value_metadata.emplace_back();
          ReadKeyValue(r, et, &m->key_value_metadata.back());
        });
        break;
      case 9: m->data_page_offset = GetI64(r, ft); break;
      case 10: m->index_page_offset = GetI64(r, ft); break;
      case 11: m->dictionary_page_offset = GetI64(r, ft); break;
      case 12: ReadStatistics(r, ft, &m->statistics); break;
      case 13:
        ForList(r, ft, [&](CType et) {
          PageEncodingStats s;
          ExpectStruct(r, et);
          ForStruct(r, [&](int16_t fid, CType x) {
            if (fid == 1) s.page_type = GetI32(r, x);
            else if (fid == 2) s.encoding = GetI32(r, x);
            else if (fid == 3) s.count = GetI32(r, x);
            else r.Skip(x);
          });
          m->encoding_stats.push_back(s);
        });
        break;
      case 14: m->bloom_filter_offset = GetI64(r, ft); break;
      case 15: m->bloom_filter_length = GetI32(r, ft); break;
      default: r.Skip(ft);
    }
  });
  constexpr uint32_t kRequired = (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) |
                                 (1u << 7) | (1u << 9);
  if (r.ok() && (seen & kRequired) != kRequired) r.Fail("ColumnMetaData lacks a required field");
}

void ReadColumnChunk(CompactReader& r, CType t, ColumnChunk* c) {
  ExpectStruct(r, t);
  ForStruct(r, [&](int16_t id, CType ft) {
    switch (id) {
      case 1: c->file_path = GetString(r, ft); break;
      case 2: c->file_offset = GetI64(r, ft); break;
      case 3:
        ReadColumnMetaData(r, ft, &c->meta_data);
        c->has_meta_data = true;
        break;
      case 4: c->offset_index_offset = GetI64(r, ft); break;
      case 5: c->offset_index_length = GetI32(r, ft); break;
      case 6: c->column_index_offset = GetI64(r, ft); break;
      case 7: c->column_index_length = GetI32(r, ft); break;
      default: r.Skip(ft);
    }
  });
}

void ReadRowGroup(CompactReader& r, CType t, RowGroup* g) {
  ExpectStruct(r, t);
  ForStruct(r, [&](int16_t id, CType ft) {
    switch (id) {
      case 1:
        ForList(r, ft, [&](CType et) {
          g->columns.emplace_back();
          ReadColumnChunk(r, et, &g->columns.back());
        });
        break;
      case 2: g->total_byte_size = GetI64(r, ft); break;
      case 3: g->num_rows = GetI64(r, ft); break;
      case 4:
        ForList(r, ft, [&](CType et) {
          SortingColumn s;
          ExpectStruct(r, et);
          ForStruct(r, [&](int16_t fid, CType x) {
            if (fid == 1) s.column_idx = GetI32(r, x);
            else if (fid == 2) s.descending = GetBool(r, x);
            else if (fid == 3) s.nulls_first = GetBool(r, x);
            else r.Skip(x);
          });
          g->sorting_columns.push_back(s);
        });
        break;
      case 5: g->file_offset = GetI64(r, ft); break;
      case 6: g->total_compressed_size = GetI64(r, ft); break;
      case 7: g->ordinal = int16_t(GetI32(r, ft)); break;
      default: r.Skip(ft);
    }
  });
}

}  // namespace

Status DecodeFileMetaData(const uint8_t* data, size_t size, uint64_t base_offset, FileMetaData* md) {
  CompactReader r(data, size, base_offset);
  uint32_t seen = 0;
  ForStruct(r, [&](int16_t id, CType ft) {
    if (id >= 1 && id <= 31) seen |= 1u << id;
    switch (id) {
      case 1: md->version = GetI32(r, ft); break;
      case 2:
        ForList(r, ft, [&](CType et) {
          md->schema.emplace_back();
          ReadSchemaElement(r, et, &md->schema.back());
        });
        break;
      case 3: md->num_rows = GetI64(r, ft); break;
      case 4:
        ForList(r, ft, [&](CType et) {
          md->row_groups.emplace_back();
          ReadRowGroup(r, et, &md->row_groups.back());
        });
        break;
      case 5:
        ForList(r, ft, [&](CType et) {
          md->key_value_metadata.emplace_back();
          ReadKeyValue(r, et, &md->key_value_metadata.back());
        });
        break;
      case 6: md->created_by = GetString(r, ft); break;
      case 7: ForList(r, ft, [&](CType et) { md->column_orders.push_back(ReadEmptyUnion(r, et)); }); break;
      case 8:
        md->encrypted = true;
        r.Skip(ft);
        break;
      default: r.Skip(ft);
    }
  });
  if (r.ok() && (seen & 0x1c) != 0x1c) r.Fail("FileMetaData lacks schema, num_rows or row_groups");
  return r.status();
}

Status DecodePageHeader(const uint8_t* data, size_t size, uint64_t base_offset, PageHeader* h, size_t* consumed) {
  CompactReader r(data, size, base_offset);
  uint32_t seen = 0;
  ForStruct(r, [&](int16_t id, CType ft) {
    if (id >= 1 && id <= 31) seen |= 1u << id;
    switch (id) {
      case 1: h->type = GetI32(r, ft); break;
      case 2: h->uncompressed_page_size = GetI32(r, ft); break;
      case 3: h->compressed_page_size = GetI32(r, ft); break;
      case 4: h->crc = GetI32(r, ft); break;
      case 5: {
        DataPageHeader d;
        ExpectStruct(r, ft);
        ForStruct(r, [&](int16_t fid, CType x) {
          switch (fid) {
            case 1: d.num_values = GetI32(r, x); break;
            case 2: d.encoding = GetI32(r, x); break;
            case 3: d.definition_level_encoding = GetI32(r, x); break;
            case 4: d.repetition_level_encoding = GetI32(r, x); break;
            case 5: ReadStatistics(r, x, &d.statistics); break;
            default: r.Skip(x);
          }
        });
        h->data_page_header = d;
        break;
      }
      case 7: {
        DictionaryPageHeader d;
        ExpectStruct(r, ft);
        ForStruct(r, [&](int16_t fid, CType x) {
          switch (fid) {
            case 1: d.num_values = GetI32(r, x); break;
            case 2: d.encoding = GetI32(r, x); break;
            case 3: d.is_sorted = GetBool(r, x); break;
            default: r.Skip(x);
          }
        });
        h->dictionary_page_header = d;
        break;
      }
      case 8: {
        DataPageHeaderV2 d;
        ExpectStruct(r, ft);
        ForStruct(r, [&](int16_t fid, CType x) {
          switch (fid) {
            case 1: d.num_values = GetI32(r, x); break;
            case 2: d.num_nulls = GetI32(r, x); break;
            case 3: d.num_rows = GetI32(r, x); break;
            case 4: d.encoding = GetI32(r, x); break;
            case 5: d.definition_levels_byte_length = GetI32(r, x); break;
            case 6: d.repetition_levels_byte_length = GetI32(r, x); break;
            case 7: d.is_compressed = GetBool(r, x); break;
            case 8: ReadStatistics(r, x, &d.statistics); break;
            default: r.Skip(x);
          }
        });
        h->data_page_header_v2 = d;
        break;
      }
      default: r.Skip(ft);
    }
  });
  if (r.ok() && (seen & 0xe) != 0xe) r.Fail("PageHeader lacks type or sizes");
  if (consumed) *consumed = r.position();
  return r.status();
}

Status DecodeOffsetIndex(const uint8_t* data, size_t size, uint64_t base_offset, OffsetIndex* oi) {
  CompactReader r(data, size, base_offset);
  ForStruct(r, [&](int16_t id, CType ft) {
    if (id == 1) {
      ForList(r, ft, [&](CType et) {
        PageLocation p;
        ExpectStruct(r, et);
        ForStruct(r, [&](int16_t fid, CType x) {
          if (fid == 1) p.offset = GetI64(r, x);
          else if (fid == 2) p.compressed_page_size = GetI32(r, x);
          else if (fid == 3) p.first_row_index = GetI64(r, x);
          else r.Skip(x);
        });
        oi->page_locations.push_back(p);
      });
    } else if (id == 2) {
      ForList(r, ft, [&](CType et) { oi->unencoded_byte_array_data_bytes.push_back(GetI64(r, et)); });
    } else {
      r.Skip(ft);
    }
  });
  return r.status();
}

Status DecodeColumnIndex(const uint8_t* data, size_t size, uint64_t base_offset, ColumnIndex* ci) {
  CompactReader r(data, size, base_offset);
  ForStruct(r, [&](int16_t id, CType ft) {
    switch (id) {
      case 1: ForList(r, ft, [&](CType) { ci->null_pages.push_back(r.ReadBoolElement()); }); break;
      case 2: ForList(r, ft, [&](CType et) { ci->min_values.push_back(GetString(r, et)); }); break;
      case 3: ForList(r, ft, [&](CType et) { ci->max_values.push_back(GetString(r, et)); }); break;
      case 4: ci->boundary_order = GetI32(r, ft); break;
      case 5: ForList(r, ft, [&](CType et) { ci->null_counts.push_back(GetI64(r, et)); }); break;
      default: r.Skip(ft);
    }
  });
  if (r.ok() && (ci->min_values.size() != ci->null_pages.size() || ci->max_values.size() != ci->null_pages.size()))
    r.Fail("ColumnIndex lists differ in length");
  return r.status();
}

Status DecodeBloomFilterHeader(const uint8_t* data, size_t size, uint64_t base_offset, BloomFilterHeader* h,
                               size_t* consumed) {
  CompactReader r(data, size, base_offset);
  ForStruct(r, [&](int16_t id, CType ft) {
    switch (id) {
      case 1: h->num_bytes = GetI32(r, ft); break;
      case 2: h->algorithm = ReadEmptyUnion(r, ft); break;
      case 3: h->hash = ReadEmptyUnion(r, ft); break;
      case 4: h->compression = ReadEmptyUnion(r, ft); break;
      default: r.Skip(ft);
    }
  });
  if (consumed) *consumed = r.position();
  return r.status();
}

// ---------------------------------------------------------------- encoding

namespace {

void WriteStatistics(CompactWriter& w, int16_t id, const Statistics& s) {
  w.StructField(id);
  if (s.max) w.Binary(1, *s.max);
  if (s.min) w.Binary(2, *s.min);
  if (s.null_count) w.I64(3, *s.null_count);
  if (s.distinct_count) w.I64(4, *s.distinct_count);
  if (s.max_value) w.Binary(5, *s.max_value);
  if (s.min_value) w.Binary(6, *s.min_value);
  if (s.is_max_value_exact) w.Bool(7, *s.is_max_value_exact);
  if (s.is_min_value_exact) w.Bool(8, *s.is_min_value_exact);
  if (s.nan_count) w.I64(9, *s.nan_count);
  w.EndStruct();
}

void WriteKeyValues(CompactWriter& w, int16_t id, const std::vector<KeyValue>& kvs) {
  w.ListField(id, CType::kStruct, uint32_t(kvs.size()));
  for (const auto& kv : kvs) {
    w.BeginStruct();
    w.Binary(1, kv.key);
    if (kv.value) w.Binary(2, *kv.value);
    w.EndStruct();
  }
}

void WriteLogicalType(CompactWriter& w, const LogicalTypeInfo& lt) {
  w.StructField(10);
  switch (lt.kind) {
    case LogicalTypeInfo::kDecimal:
      w.StructField(5);
      w.I32(1, lt.scale);
      w.I32(2, lt.precision);
      w.EndStruct();
      break;
    case LogicalTypeInfo::kTime:
    case LogicalTypeInfo::kTimestamp:
      w.StructField(int16_t(lt.kind));
      w.Bool(1, lt.is_adjusted_to_utc);
      w.StructField(2);
      w.EmptyStructField(int16_t(lt.unit));
      w.EndStruct();
      w.EndStruct();
      break;
    case LogicalTypeInfo::kInteger:
      w.StructField(10);
      w.Byte(1, int8_t(lt.bit_width));
      w.Bool(2, lt.is_signed);
      w.EndStruct();
      break;
    default:
      w.EmptyStructField(int16_t(lt.kind));
  }
  w.EndStruct();
}

void WriteSchemaElement(CompactWriter& w, const SchemaElement& e) {
  w.BeginStruct();
  if (e.type) w.I32(1, int32_t(*e.type));
  if (e.type_length) w.I32(2, *e.type_length);
  if (e.repetition_type) w.I32(3, int32_t(*e.repetition_type));
  w.Binary(4, e.name);
  if (e.num_children) w.I32(5, *e.num_children);
  if (e.converted_type) w.I32(6, int32_t(*e.converted_type));
  if (e.scale) w.I32(7, *e.scale);
  if (e.precision) w.I32(8, *e.precision);
  if (e.field_id) w.I32(9, *e.field_id);
  if (e.logical_type.kind != 0) WriteLogicalType(w, e.logical_type);
  w.EndStruct();
}

void WriteColumnMetaData(CompactWriter& w, const ColumnMetaData& m) {
  w.StructField(3);
  w.I32(1, int32_t(m.type));
  w.ListField(2, CType::kI32, uint32_t(m.encodings.size()));
  for (int32_t e : m.encodings) w.WriteZigZag(e);
  w.ListField(3, CType::kBinary, uint32_t(m.path_in_schema.size()));
  for (const auto& p : m.path_in_schema) w.WriteBinary(p);
  w.I32(4, m.codec);
  w.I64(5, m.num_values);
  w.I64(6, m.total_uncompressed_size);
  w.I64(7, m.total_compressed_size);
  if (!m.key_value_metadata.empty()) WriteKeyValues(w, 8, m.key_value_metadata);
  w.I64(9, m.data_page_offset);
  if (m.index_page_offset) w.I64(10, *m.index_page_offset);
  if (m.dictionary_page_offset) w.I64(11, *m.dictionary_page_offset);
  if (m.statistics.is_set) WriteStatistics(w, 12, m.statistics);
  if (!m.encoding_stats.empty()) {
    w.ListField(13, CType::kStruct, uint32_t(m.encoding_stats.size()));
    for (const auto& s : m.encoding_stats) {
      w.BeginStruct();
      w.I32(1, s.page_type);
      w.I32(2, s.encoding);
      w.I32(3, s.count);
      w.EndStruct();
    }
  }
  if (m.bloom_filter_offset) w.I64(14, *m.bloom_filter_offset);
  if (m.bloom_filter_length) w.I32(15, *m.bloom_filter_length);
  w.EndStruct();
}

}  // namespace

void EncodeFileMetaData(const FileMetaData& md, std::string* out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.I32(1, md.version);
  w.ListField(2, CType::kStruct, uint32_t(md.schema.size()));
  for (const auto& e : md.schema) WriteSchemaElement(w, e);
  w.I64(3, md.num_rows);
  w.ListField(4, CType::kStruct, uint32_t(md.row_groups.size()));
  for (const auto& g : md.row_groups) {
    w.BeginStruct();
    w.ListField(1, CType::kStruct, uint32_t(g.columns.size()));
    for (const auto& c : g.columns) {
      w.BeginStruct();
      if (c.file_path) w.Binary(1, *c.file_path);
      w.I64(2, c.file_offset);
      WriteColumnMetaData(w, c.meta_data);
      if (c.offset_index_offset) w.I64(4, *c.offset_index_offset);
      if (c.offset_index_length) w.I32(5, *c.offset_index_length);
      if (c.column_index_offset) w.I64(6, *c.column_index_offset);
      if (c.column_index_length) w.I32(7, *c.column_index_length);
      w.EndStruct();
    }
    w.I64(2, g.total_byte_size);
    w.I64(3, g.num_rows);
    if (g.file_offset) w.I64(5, *g.file_offset);
    if (g.total_compressed_size) w.I64(6, *g.total_compressed_size);
    if (g.ordinal) w.I16(7, *g.ordinal);
    w.EndStruct();
  }
  if (!md.key_value_metadata.empty()) WriteKeyValues(w, 5, md.key_value_metadata);
  if (md.created_by) w.Binary(6, *md.created_by);
  if (!md.column_orders.empty()) {
    w.ListField(7, CType::kStruct, uint32_t(md.column_orders.size()));
    for (int32_t o : md.column_orders) {
      w.BeginStruct();
      w.EmptyStructField(int16_t(o));
      w.EndStruct();
    }
  }
  w.EndStruct();
}

void EncodePageHeader(const PageHeader& h, std::string* out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.I32(1, h.type);
  w.I32(2, h.uncompressed_page_size);
  w.I32(3, h.compressed_page_size);
  if (h.crc) w.I32(4, *h.crc);
  if (h.data_page_header) {
    const auto& d = *h.data_page_header;
    w.StructField(5);
    w.I32(1, d.num_values);
    w.I32(2, d.encoding);
    w.I32(3, d.definition_level_encoding);
    w.I32(4, d.repetition_level_encoding);
    if (d.statistics.is_set) WriteStatistics(w, 5, d.statistics);
    w.EndStruct();
  }
  if (h.dictionary_page_header) {
    const auto& d = *h.dictionary_page_header;
    w.StructField(7);
    w.I32(1, d.num_values);
    w.I32(2, d.encoding);
    if (d.is_sorted) w.Bool(3, *d.is_sorted);
    w.EndStruct();
  }
  if (h.data_page_header_v2) {
    const auto& d = *h.data_page_header_v2;
    w.StructField(8);
    w.I32(1, d.num_values);
    w.I32(2, d.num_nulls);
    w.I32(3, d.num_rows);
    w.I32(4, d.encoding);
    w.I32(5, d.definition_levels_byte_length);
    w.I32(6, d.repetition_levels_byte_length);
    w.Bool(7, d.is_compressed);
    if (d.statistics.is_set) WriteStatistics(w, 8, d.statistics);
    w.EndStruct();
  }
  w.EndStruct();
}

void EncodeOffsetIndex(const OffsetIndex& oi, std::string* out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.ListField(1, CType::kStruct, uint32_t(oi.page_locations.size()));
  for (const auto& p : oi.page_locations) {
    w.BeginStruct();
    w.I64(1, p.offset);
    w.I32(2, p.compressed_page_size);
    w.I64(3, p.first_row_index);
    w.EndStruct();
  }
  w.EndStruct();
}

void EncodeColumnIndex(const ColumnIndex& ci, std::string* out) {
  CompactWriter w(out);
  w.BeginStruct();
  w.ListField(1, CType::kTrue, uint32_t(ci.null_pages.size()));
  for (bool b : ci.null_pages) w.WriteBoolElement(b);
  w.ListField(2, CType::kBinary, uint32_t(ci.min_values.size()));
  for (const auto& v : ci.min_values) w.WriteBinary(v);
  w.ListField(3, CType::kBinary, uint32_t(ci.max_values.size()));
  for (const auto& v : ci.max_values) w.WriteBinary(v);
  w.I32(4, ci.boundary_order);
  if (!ci.null_counts.empty()) {
    w.ListField(5, CType::kI64, uint32_t(ci.null_counts.size()));
    for (int64_t n : ci.null_counts) w.WriteZigZag(n);
  }
  w.EndStruct();
}

// ---------------------------------------------------------------- names

const char* TypeName(int32_t type) {
  static const char* kNames[] = {"BOOLEAN", "INT32",  "INT64",      "INT96",
                                 "FLOAT",   "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
  return type >= 0 && type < 8 ? kNames[type] : "UNKNOWN";
}

const char* EncodingName(int32_t e) {
  switch (e) {
    case 0: return "PLAIN";
    case 1: return "GROUP_VAR_INT";
    case 2: return "PLAIN_DICTIONARY";
    case 3: return "RLE";
    case 4: return "BIT_PACKED";
    case 5: return "DELTA_BINARY_PACKED";
    case 6: return "DELTA_LENGTH_BYTE_ARRAY";
    case 7: return "DELTA_BYTE_ARRAY";
    case 8: return "RLE_DICTIONARY";
    case 9: return "BYTE_STREAM_SPLIT";
    case 10: return "ALP";
  }
  return "UNKNOWN";
}

const char* CodecName(int32_t c) {
  static const char* kNames[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"};
  return c >= 0 && c < 8 ? kNames[c] : "UNKNOWN";
}

const char* ConvertedTypeName(int32_t ct) {
  static const char* kNames[] = {"UTF8",       "MAP",         "MAP_KEY_VALUE",    "LIST",
                                 "ENUM",       "DECIMAL",     "DATE",             "TIME_MILLIS",
                                 "TIME_MICROS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UINT_8",
                                 "UINT_16",    "UINT_32",     "UINT_64",          "INT_8",
                                 "INT_16",     "INT_32",      "INT_64",           "JSON",
                                 "BSON",       "INTERVAL"};
  return ct >= 0 && ct < 22 ? kNames[ct] : "UNKNOWN";
}

const char* RepetitionName(int32_t rep) {
  static const char* kNames[] = {"REQUIRED", "OPTIONAL", "REPEATED"};
  return rep >= 0 && rep < 3 ? kNames[rep] : "UNKNOWN";
}

std::string LogicalTypeToString(const LogicalTypeInfo& lt) {
  auto unit = [&]() -> std::string {
    switch (lt.unit) {
      case 1: return "MILLIS";
      case 2: return "MICROS";
      case 3: return "NANOS";
    }
    return "UNKNOWN";
  };
  switch (lt.kind) {
    case LogicalTypeInfo::kNone: return "";
    case LogicalTypeInfo::kString: return "StringType()";
    case LogicalTypeInfo::kMap: return "MapType()";
    case LogicalTypeInfo::kList: return "ListType()";
    case LogicalTypeInfo::kEnum: return "EnumType()";
    case LogicalTypeInfo::kDecimal:
      return "DecimalType(scale=" + std::to_string(lt.scale) + ", precision=" + std::to_string(lt.precision) + ")";
    case LogicalTypeInfo::kDate: return "DateType()";
    case LogicalTypeInfo::kTime:
      return std::string("TimeType(isAdjustedToUTC=") + (lt.is_adjusted_to_utc ? "1" : "0") + ", unit=" + unit() + ")";
    case LogicalTypeInfo::kTimestamp:
      return std::string("TimestampType(isAdjustedToUTC=") + (lt.is_adjusted_to_utc ? "1" : "0") +
             ", unit=" + unit() + ")";
    case LogicalTypeInfo::kInteger:
      return "IntType(bitWidth=" + std::to_string(lt.bit_width) + ", isSigned=" + (lt.is_signed ? "1" : "0") + ")";
    case LogicalTypeInfo::kUnknown: return "NullType()";
    case LogicalTypeInfo::kJson: return "JsonType()";
    case LogicalTypeInfo::kBson: return "BsonType()";
    case LogicalTypeInfo::kUuid: return "UUIDType()";
    case LogicalTypeInfo::kFloat16: return "Float16Type()";
    case LogicalTypeInfo::kVariant: return "VariantType()";
    case LogicalTypeInfo::kGeometry: return "GeometryType()";
    case LogicalTypeInfo::kGeography: return "GeographyType()";
  }
  return "UnknownLogicalType(" + std::to_string(lt.kind) + ")";
}

}  // namespace alopex::parquet
