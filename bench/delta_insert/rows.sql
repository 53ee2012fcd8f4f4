-- The rows of one INSERT (Alopex) or one COPY ... TO (DuckDB), the same text in
-- both engines: ids ${FROM} .. ${TO} - 1, every value a function of the id.
SELECT i AS id,
       'cat' || (i % 50) AS category,
       CAST((i * 7919) % 100000 AS DOUBLE) / 100 AS price,
       epoch_ms(1704067200000 + i * 1000) AS created_at
FROM range(${FROM}, ${TO}) r(i)
