-- Alopex loads the Parquet files DuckDB wrote (DuckDB loads the CSV copies;
-- the result check compares every query's rows). Once COPY FROM reads files,
-- this can be the same as load_duckdb.sql:
--   CREATE TABLE t (id BIGINT, k INTEGER, v DOUBLE, cat VARCHAR);
--   COPY t FROM '${DATA}/t.csv';
CREATE TABLE t AS SELECT * FROM read_parquet('${DATA}/t.parquet');
CREATE TABLE d AS SELECT * FROM read_parquet('${DATA}/d.parquet');
