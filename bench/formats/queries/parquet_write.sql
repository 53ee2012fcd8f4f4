COPY (SELECT * FROM read_parquet('${DATA}/items.parquet')) TO '${DATA}/items_zstd.parquet' (FORMAT parquet, COMPRESSION zstd, OVERWRITE true)
