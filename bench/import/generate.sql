-- Run by DuckDB once per file, into ${FILE} (bench/.data/import/rows-N/parquet/
-- part-K.parquet), rows ${FROM} .. ${TO} - 1 of ${ROWS}. Deterministic: every
-- value is a hash of the row number (no random()). content: about 500
-- characters of hex words (md5s, which snappy barely compresses); embedding:
-- 768 floats in [-1, 1], as in bench/formats. Snappy, DuckDB's default row
-- groups of 122,880 rows.
COPY (
  SELECT i AS id,
         'Document ' || i || ' on topic ' || (hash(i) % 10007) AS title,
         left(array_to_string(list_transform(range(16), j -> md5(CAST(i * 16 + j AS VARCHAR))), ' '), 500) AS content,
         'category-' || (hash(i + 7) % 100) AS category,
         epoch_ms(1704067200000 + i * 1000) AS created_at,
         CAST(list_transform(range(768), j -> CAST(hash(i * 768 + j) % 2000001 AS FLOAT) / 1000000 - 1) AS FLOAT[768]) AS embedding
  FROM range(${FROM}, ${TO}) r(i)
) TO '${FILE}' (FORMAT parquet, COMPRESSION snappy)
