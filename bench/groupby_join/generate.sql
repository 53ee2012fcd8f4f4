-- Run by DuckDB once, into ${DATA} (bench/.data/groupby_join/rows-N). Deterministic:
-- every value is a function of the row number. CSV without a header and
-- Parquet, with the same types as the load files' CREATE TABLEs.
CREATE TABLE t AS
SELECT i AS id,
       CAST(i % 1000 AS INTEGER) AS k,
       CAST((i * 7919) % 100000 AS DOUBLE) / 100 AS v,
       'cat' || (i % 50) AS cat
FROM range(${ROWS}) r(i);
CREATE TABLE d AS
SELECT CAST(i AS INTEGER) AS k, 'name' || (i % 100) AS name
FROM range(1000) r(i);
COPY t TO '${DATA}/t.csv' (HEADER false);
COPY d TO '${DATA}/d.csv' (HEADER false);
COPY t TO '${DATA}/t.parquet' (FORMAT parquet);
COPY d TO '${DATA}/d.parquet' (FORMAT parquet);
DROP TABLE t;
DROP TABLE d;
