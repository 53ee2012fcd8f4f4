-- Run by DuckDB once, into ${DATA} (bench/.data/formats/rows-N). Deterministic:
-- every value is a hash of the row number (no random(), whose sequence depends
-- on the thread schedule). items.parquet: ${ROWS} rows with a 768-float
-- embedding each (about 3 KB of incompressible floats per row), snappy, as
-- DuckDB writes it by default (row groups of 122,880 rows). items.csv: 2.5 x
-- ${ROWS} rows of the scalar columns, with a header.
COPY (
  SELECT i AS id,
         'item ' || (hash(i) % 1000003) || ' of lot ' || (i // 97) AS title,
         'category-' || (hash(i + 7) % 100) AS category,
         CAST(hash(i * 3 + 1) % 1000000 AS DOUBLE) / 100 AS price,
         TIMESTAMP '2020-01-01 00:00:00' + to_seconds(i * 17) AS created_at,
         CAST(list_transform(range(768), j -> CAST(hash(i * 768 + j) % 2000001 AS FLOAT) / 1000000 - 1) AS FLOAT[768]) AS embedding
  FROM range(${ROWS}) r(i)
) TO '${DATA}/items.parquet' (FORMAT parquet, COMPRESSION snappy);
COPY (
  SELECT i AS id,
         'item ' || (hash(i) % 1000003) || ' of lot ' || (i // 97) AS title,
         'category-' || (hash(i + 7) % 100) AS category,
         CAST(hash(i * 3 + 1) % 1000000 AS DOUBLE) / 100 AS price,
         TIMESTAMP '2020-01-01 00:00:00' + to_seconds(i * 17) AS created_at
  FROM range(${ROWS} * 5 // 2) r(i)
) TO '${DATA}/items.csv' (FORMAT csv, HEADER true);
