-- The timed read, the same text in both engines over ${SOURCE}: Alopex's
-- `t VERSION AS OF n` or `t`, DuckDB's read_parquet of the first n files or of
-- all of them.
SELECT count(*) AS n, sum(price) AS sum_price FROM ${SOURCE}
