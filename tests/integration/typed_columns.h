// The generated table the interop tests exchange: one column per type, the
// same values written in each engine's SQL, NULLs in every column.
//
// How values are compared: each engine is its own oracle. When engine A writes
// a file, engine B reads it and renders every cell with ::VARCHAR, and B also
// renders the generator query itself the same way; the two must be equal cell
// for cell (and the column types must be equal). Each comparison stays inside
// one engine, so differences in how the engines print floats, blobs, structs
// or maps cannot cause false failures, while any value the file changed does.
// The generators use exact arithmetic (integer ops, divisions by powers of two,
// text casts), so both engines compute the same values.
#pragma once

#include <string>
#include <vector>

namespace alopex::interop {

enum class Engine { kAlopex, kDuckdb };

struct TypedColumn {
  std::string name;
  std::string duckdb;  // the value for row i (a BIGINT) in DuckDB's SQL
  std::string alopex;  // the same value in Alopex's SQL; empty = same text
  // The type the column reads back as after a file round trip when that is not
  // its own: fixed-size arrays and VECTOR(n) come back as lists.
  std::string read_back_type;

  const std::string& Expr(Engine e) const { return e == Engine::kAlopex && !alopex.empty() ? alopex : duckdb; }
};

// `CASE WHEN <null_when> THEN NULL ELSE <value> END`.
inline std::string Nullable(const std::string& null_when, const std::string& value) {
  return "CASE WHEN " + null_when + " THEN NULL ELSE " + value + " END";
}

// Every type the Parquet interop covers.
inline const std::vector<TypedColumn>& ParquetColumns() {
  static const std::vector<TypedColumn> columns = [] {
    std::vector<TypedColumn> c;
    c.push_back({"c_bool", Nullable("i % 17 = 1", "i % 3 = 0"), "", ""});
    c.push_back({"c_tinyint", Nullable("i % 17 = 2", "(i % 256 - 128)::TINYINT"), "", ""});
    c.push_back({"c_smallint", Nullable("i % 17 = 3", "(i * 37 % 65536 - 32768)::SMALLINT"), "", ""});
    c.push_back({"c_integer",
                 "CASE WHEN i % 17 = 4 THEN NULL WHEN i = 0 THEN -2147483648 "
                 "ELSE (i * 7919 - 1000000)::INTEGER END",
                 "", ""});
    c.push_back({"c_bigint",
                 "CASE WHEN i % 17 = 5 THEN NULL WHEN i = 0 THEN -9223372036854775808 "
                 "ELSE (i * 1000000007 - 5000000000000)::BIGINT END",
                 "", ""});
    c.push_back({"c_small_int", Nullable("i % 23 = 1", "(i % 10)::INTEGER"), "", ""});  // dictionary-friendly
    c.push_back({"c_utinyint", Nullable("i % 17 = 6", "(i % 256)::UTINYINT"), "", ""});
    c.push_back({"c_usmallint", Nullable("i % 17 = 7", "(i * 37 % 65536)::USMALLINT"), "", ""});
    c.push_back({"c_uinteger", Nullable("i % 17 = 8", "(i * 2654435761 % 4294967296)::UINTEGER"), "", ""});
    // Above INT64's range, so a signed reading of the stored bits would show.
    c.push_back({"c_ubigint",
                 Nullable("i % 17 = 9",
                          "(i::UBIGINT * 1000000007 + "
                          "18000000000000000000::UBIGINT)::UBIGINT"),
                 "", ""});
    c.push_back({"c_float",
                 "CASE WHEN i % 17 = 10 THEN NULL WHEN i = 3 THEN 'nan'::FLOAT "
                 "WHEN i = 4 THEN '-inf'::FLOAT "
                 "ELSE (i::DOUBLE / 7 - 300)::FLOAT END",
                 "", ""});
    c.push_back({"c_double",
                 "CASE WHEN i % 17 = 11 THEN NULL WHEN i = 3 THEN "
                 "'inf'::DOUBLE ELSE i::DOUBLE / 7 - 300 END",
                 "", ""});
    c.push_back({"c_decimal_9_2",
                 Nullable("i % 17 = 12",
                          "((i * 7919 % 19999999 - 9999999)::VARCHAR || "
                          "'.' || (i % 100)::VARCHAR)::DECIMAL(9,2)"),
                 "", ""});
    c.push_back({"c_decimal_18_4",
                 Nullable("i % 17 = 13",
                          "((i * 1000000007 % 99999999999999 - "
                          "49999999999999)::VARCHAR || '.' || "
                          "(i % 10000)::VARCHAR)::DECIMAL(18,4)"),
                 "", ""});
    c.push_back({"c_decimal_38_10",
                 Nullable("i % 17 = 14",
                          "(CASE WHEN i % 2 = 1 THEN '-' ELSE '' END || (i * "
                          "1000000007)::VARCHAR || "
                          "(i * 998244353 % 1000000000000)::VARCHAR || '.' || "
                          "(i * 31 % 10000000000)::VARCHAR)::DECIMAL(38,10)"),
                 "", ""});
    c.push_back({"c_varchar",
                 "CASE WHEN i % 17 = 15 THEN NULL WHEN i % 5 = 0 THEN '' WHEN "
                 "i % 5 = 1 THEN 'ascii ' || i::VARCHAR "
                 "WHEN i % 5 = 2 THEN 'ünïcödé 日本語 ' || i::VARCHAR WHEN i % "
                 "5 = 3 THEN '🦊 fox' "
                 "ELSE 'k' || (i % 7)::VARCHAR END",
                 "", ""});
    c.push_back({"c_category", Nullable("i % 29 = 1", "'category ' || (i % 5)::VARCHAR"), "", ""});
    c.push_back({"c_blob",
                 "CASE WHEN i % 17 = 16 THEN NULL WHEN i % 3 = 0 THEN ''::BLOB "
                 "ELSE ('blob ' || i::VARCHAR)::BLOB END",
                 "", ""});
    c.push_back({"c_date", Nullable("i % 19 = 1", "DATE '1970-01-01' + (i * 37 % 40000 - 20000)::INTEGER"), "", ""});
    c.push_back({"c_time",
                 Nullable("i % 19 = 2",
                          "(TIMESTAMP '2000-01-01 00:00:00' + INTERVAL 1 SECOND * (i * "
                          "7919 % 86400) + "
                          "INTERVAL 1 MICROSECOND * (i * 123457 % 1000000))::TIME"),
                 "", ""});
    c.push_back({"c_timestamp",
                 Nullable("i % 19 = 3",
                          "TIMESTAMP '1960-01-01 00:00:00' + INTERVAL 1 DAY * "
                          "(i * 37 % 40000) + "
                          "INTERVAL 1 SECOND * (i * 7919 % 86400) + INTERVAL 1 "
                          "MICROSECOND * (i * 123457 % 1000000)"),
                 "", ""});
    c.push_back({"c_timestamptz",
                 Nullable("i % 19 = 4",
                          "TIMESTAMPTZ '1960-01-01 00:00:00+00' + INTERVAL 1 "
                          "DAY * (i * 37 % 40000) + "
                          "INTERVAL 1 SECOND * (i * 7919 % 86400) + INTERVAL 1 "
                          "MICROSECOND * (i * 123457 % 1000000)"),
                 "", ""});
    // Half the UUIDs have the top bit set, where signed and unsigned orders
    // differ.
    c.push_back({"c_uuid",
                 Nullable("i % 19 = 5",
                          "(CASE WHEN i % 2 = 0 THEN 'f0000000-0000-4000-8000-' ELSE "
                          "'00000000-0000-4000-8000-' END "
                          "|| lpad(i::VARCHAR, 12, '0'))::UUID"),
                 "", ""});
    c.push_back({"c_int_list",
                 "CASE WHEN i % 19 = 6 THEN NULL WHEN i % 4 = 0 THEN []::INTEGER[] "
                 "WHEN i % 4 = 1 THEN [i::INTEGER, NULL] ELSE [i::INTEGER, i::INTEGER "
                 "+ 1, i::INTEGER + 2] END",
                 "", ""});
    c.push_back({"c_nested_list",
                 "CASE WHEN i % 19 = 7 THEN NULL WHEN i % 3 = 0 THEN "
                 "[[i::INTEGER], []::INTEGER[], NULL, "
                 "[NULL, i::INTEGER]] ELSE [[i::INTEGER, 1]] END",
                 "", ""});
    c.push_back({"c_varchar_list", Nullable("i % 19 = 8", "['s' || i::VARCHAR, NULL, '']"), "", ""});
    // Alopex's {'a': expr} literal rejects column references
    // (tests/ENGINE_BUGS.md), so its generator spells the struct with
    // struct_pack.
    c.push_back({"c_struct",
                 Nullable("i % 19 = 9",
                          "{'a': i::INTEGER, 'b': CASE WHEN i % 2 = 0 "
                          "THEN NULL ELSE 'x' || i::VARCHAR END, "
                          "'c': [i::DOUBLE / 4]}"),
                 Nullable("i % 19 = 9",
                          "struct_pack('a', i::INTEGER, 'b', CASE WHEN i "
                          "% 2 = 0 THEN NULL ELSE 'x' || i::VARCHAR END, "
                          "'c', [i::DOUBLE / 4])"),
                 ""});
    c.push_back({"c_map",
                 "CASE WHEN i % 19 = 10 THEN NULL WHEN i % 2 = 0 THEN "
                 "'{}'::MAP(VARCHAR, INTEGER) "
                 "ELSE ('{k' || i::VARCHAR || '=' || i::VARCHAR || ', "
                 "z=7}')::MAP(VARCHAR, INTEGER) END",
                 "", ""});
    c.push_back({"c_float_list", Nullable("i % 19 = 11", "[i::DOUBLE / 4, -1.5, 0]::FLOAT[]"), "", ""});
    // DuckDB's CASE cannot yield a fixed-size array, hence the cast outside it.
    c.push_back({"c_float_array", "(" + Nullable("i % 19 = 12", "[i::DOUBLE / 8, 2.25, -0.5]::FLOAT[]") + ")::FLOAT[3]",
                 "", "FLOAT[]"});
    // An embedding column: VECTOR(3) in Alopex; DuckDB has no VECTOR type and
    // must read it as a float list.
    c.push_back({"c_vector", Nullable("i % 19 = 13", "[i::DOUBLE / 16, -0.25, 1]::FLOAT[]"),
                 "(" + Nullable("i % 19 = 13", "[i::DOUBLE / 16, -0.25, 1]::FLOAT[]") + ")::VECTOR(3)", "FLOAT[]"});
    return c;
  }();
  return columns;
}

// SELECT i AS id, <each column> FROM range(rows): the source rows in `engine`'s
// SQL.
inline std::string GeneratorSql(Engine engine, const std::vector<TypedColumn>& columns, int rows) {
  std::string sql = "SELECT i AS id";
  for (const auto& c : columns) sql += ",\n  " + c.Expr(engine) + " AS " + c.name;
  return sql + "\nFROM range(" + std::to_string(rows) + ") t(i)";
}

// Every column of `from` (a table function call or a parenthesized query) as
// text, ordered by id. With `is_source`, columns that change type in a round
// trip are first cast to the type they read back as.
inline std::string CanonicalSql(const std::string& from, const std::vector<TypedColumn>& columns, bool is_source) {
  std::string sql = "SELECT id::VARCHAR AS id";
  for (const auto& c : columns) {
    std::string col =
        is_source && !c.read_back_type.empty() ? "CAST(" + c.name + " AS " + c.read_back_type + ")" : c.name;
    sql += ", (" + col + ")::VARCHAR AS " + c.name;
  }
  return sql + " FROM " + from + " AS s ORDER BY id";
}

// DuckDB: one row of typeof(column) for `from`, casting like CanonicalSql.
inline std::string DuckdbTypesSql(const std::string& from, const std::vector<TypedColumn>& columns, bool is_source) {
  std::string sql = "SELECT typeof(id)";
  for (const auto& c : columns) {
    std::string col =
        is_source && !c.read_back_type.empty() ? "CAST(" + c.name + " AS " + c.read_back_type + ")" : c.name;
    sql += ", typeof(" + col + ")";
  }
  return sql + " FROM " + from + " AS s LIMIT 1";
}

// Alopex: zero rows whose result types are the columns' types, casting like
// CanonicalSql.
inline std::string AlopexTypesSql(const std::string& from, const std::vector<TypedColumn>& columns, bool is_source) {
  std::string sql = "SELECT id";
  for (const auto& c : columns) {
    std::string col =
        is_source && !c.read_back_type.empty() ? "CAST(" + c.name + " AS " + c.read_back_type + ")" : c.name;
    sql += ", " + col + " AS " + c.name;
  }
  return sql + " FROM " + from + " AS s LIMIT 0";
}

inline std::vector<std::string> ColumnNames(const std::vector<TypedColumn>& columns) {
  std::vector<std::string> names = {"id"};
  for (const auto& c : columns) names.push_back(c.name);
  return names;
}

}  // namespace alopex::interop
