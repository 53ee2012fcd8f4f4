-- The Alopex demo, run by demo/run.sh (`make demo`) on a fresh database
-- directory, demo/.out/db.
--
-- Each section starts with a line "-- == N. Title". The sections run in order in
-- one `alopex` process; a section whose title ends in "[reopen]" starts a new
-- one first. To extend the demo, add a section; a section of comments only is
-- listed as "to come". The SQL is DuckDB's dialect; end each statement with ';'.

-- == 1. Tables and rows
CREATE TABLE authors (
  id INTEGER PRIMARY KEY,
  name VARCHAR,
  country VARCHAR
);
INSERT INTO authors VALUES
  (1, 'Ada Lovelace', 'UK'),
  (2, 'Edgar Codd', 'UK'),
  (3, 'Grace Hopper', 'US'),
  (4, 'Jim Gray', 'US'),
  (5, 'Hannes Muhleisen', 'NL');
CREATE TABLE papers (
  id INTEGER,
  author_id INTEGER,
  title VARCHAR,
  year INTEGER,
  citations INTEGER,
  embedding VECTOR(3),
  meta JSONB
);
INSERT INTO papers VALUES
  (10, 1, 'Notes on the Analytical Engine', 1843, 900, [0.9, 0.1, 0.0], '{"venue": "Taylor''s Memoirs", "tags": ["computing", "history"]}'),
  (11, 2, 'A Relational Model of Data', 1970, 12000, [0.1, 0.9, 0.2], '{"venue": "CACM", "tags": ["relational", "databases"]}'),
  (12, 2, 'Further Normalization', 1971, 3000, [0.2, 0.8, 0.1], '{"venue": "IBM", "tags": ["relational"]}'),
  (13, 3, 'The Education of a Computer', 1952, 400, [0.8, 0.2, 0.3], '{"venue": "ACM", "tags": ["compilers"]}'),
  (14, 4, 'The Transaction Concept', 1981, 2500, [0.1, 0.7, 0.7], '{"venue": "VLDB", "tags": ["transactions", "databases"]}'),
  (15, 4, 'Granularity of Locks', 1975, 1800, [0.0, 0.6, 0.8], '{"venue": "VLDB", "tags": ["transactions"]}'),
  (16, 5, 'DuckDB: an Embeddable Analytical Database', 2019, 700, [0.2, 0.9, 0.4], '{"venue": "SIGMOD", "tags": ["databases", "analytics"]}');
SELECT count(*) AS papers, min(year) AS first, max(year) AS last FROM papers;

-- == 2. Joins and aggregation
SELECT a.country, count(*) AS papers, sum(p.citations) AS citations, round(avg(p.citations), 1) AS avg_citations
FROM papers p JOIN authors a ON p.author_id = a.id
GROUP BY a.country
ORDER BY citations DESC;
SELECT a.name, count(p.id) AS papers
FROM authors a LEFT JOIN papers p ON p.author_id = a.id
GROUP BY a.name
HAVING count(p.id) > 1
ORDER BY a.name;

-- == 3. Window functions
SELECT a.name, p.title, p.citations,
  rank() OVER (PARTITION BY a.country ORDER BY p.citations DESC) AS rank_in_country,
  sum(p.citations) OVER (ORDER BY p.year ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_citations
FROM papers p JOIN authors a ON p.author_id = a.id
ORDER BY p.year;

-- == 4. Vector similarity
-- VECTOR(3) is a fixed-length float32 column; a list literal converts to it.
SELECT title, round(cosine_similarity(embedding, [0.1, 0.8, 0.3]::VECTOR(3)), 4) AS similarity
FROM papers
ORDER BY similarity DESC
LIMIT 3;
SELECT title, round(l2_distance(embedding, [0.9, 0.1, 0.0]::VECTOR(3)), 4) AS distance
FROM papers
ORDER BY distance
LIMIT 3;

-- == 5. JSON access
SELECT title, meta->>'venue' AS venue, meta->'tags' AS tags
FROM papers
WHERE meta->>'venue' = 'VLDB'
ORDER BY year;
SELECT meta->>'venue' AS venue, count(*) AS papers
FROM papers
GROUP BY meta->>'venue'
ORDER BY papers DESC, venue;

-- == 6. Updates and deletes
UPDATE papers SET citations = citations + 100 WHERE author_id = 5;
DELETE FROM papers WHERE year < 1900;
SELECT count(*) AS papers, sum(citations) AS citations FROM papers;

-- == 7. Export to the lake
-- COPY writes Parquet (or CSV, JSON); partition_by writes key=value folders.
COPY (SELECT p.*, a.name AS author, a.country FROM papers p JOIN authors a ON p.author_id = a.id)
TO 'demo/.out/lake/papers.parquet' WITH (format = 'parquet', compression = 'zstd');
COPY (SELECT p.*, a.country FROM papers p JOIN authors a ON p.author_id = a.id)
TO 'demo/.out/lake/by_country' WITH (format = 'parquet', partition_by = ['country']);
COPY authors TO 'demo/.out/lake/authors.csv' WITH (format = 'csv');

-- == 8. Query lake files
-- read_parquet / read_csv / read_json / read_files take a path, a glob or a list;
-- key=value folders become typed columns.
SELECT author, title, citations FROM read_parquet('demo/.out/lake/papers.parquet') ORDER BY citations DESC LIMIT 3;
SELECT country, count(*) AS papers, sum(citations) AS citations
FROM read_parquet('demo/.out/lake/by_country/**/*.parquet')
GROUP BY country ORDER BY country;
SELECT name, country FROM read_csv('demo/.out/lake/authors.csv') WHERE country = 'US' ORDER BY name;
CREATE TABLE lake_papers AS SELECT * FROM read_files('demo/.out/lake/papers.parquet');
DESCRIBE lake_papers;
SELECT row_group_id, row_group_num_rows, path_in_schema, compression
FROM parquet_metadata('demo/.out/lake/papers.parquet') WHERE path_in_schema IN ('title', 'embedding') ORDER BY path_in_schema;

-- == 9. Reopen: the tables are on disk [reopen]
-- A new process opens the same directory: every table is a Delta Lake table
-- under demo/.out/db/data, named in demo/.out/db/catalog.sqlite.
SELECT count(*) AS papers, sum(citations) AS citations FROM papers;
SHOW TABLES;

-- == 10. Lake-Link import
-- COPY FROM maps and casts source columns; the table is created when missing.
COPY FROM 'demo/.out/lake/papers.parquet' INTO imported (paper_id, title, embedding)
MAP COLUMNS (id => paper_id, title => title, embedding => embedding::VECTOR(3));
SELECT paper_id, title FROM imported ORDER BY paper_id LIMIT 3;
COPY FROM 'demo/.out/lake/by_country/' INTO uk_papers WITH (partition_columns = ['country'], partition_filter = 'country = ''UK''');
SELECT country, count(*) AS papers FROM uk_papers GROUP BY country;
SELECT status, files_total, rows_imported, target_table FROM alopex_import_status ORDER BY target_table;

-- == 11. Time travel
DESCRIBE HISTORY papers;
SELECT count(*) AS papers_at_v1 FROM papers VERSION AS OF 1;

-- == 12. Delta tables: partitions, MERGE, row ids, RESTORE, OPTIMIZE
-- PARTITIONED BY writes country=... folders; WHERE on the partition column or
-- on file statistics skips files. Any Delta table reads with read_delta.
CREATE TABLE papers_by_country (id INTEGER, title VARCHAR, country VARCHAR, citations INTEGER)
  PARTITIONED BY (country) WITH ('delta.checkpointInterval' = 5);
INSERT INTO papers_by_country
  SELECT p.id, p.title, a.country, p.citations FROM papers p JOIN authors a ON a.id = p.author_id;
MERGE INTO papers_by_country t USING (SELECT 11 AS id, 12500 AS citations UNION ALL SELECT 100, 1) s ON t.id = s.id
  WHEN MATCHED THEN UPDATE SET citations = s.citations
  WHEN NOT MATCHED THEN INSERT (id, title, country, citations) VALUES (s.id, 'new paper', 'UK', s.citations);
SELECT country, count(*) AS papers, sum(citations) AS citations FROM papers_by_country GROUP BY country ORDER BY country;
-- Rows keep their ids (_row_id, Delta row tracking) when MERGE or UPDATE rewrite them.
SELECT id, _row_id, _row_commit_version, citations FROM papers_by_country WHERE id IN (11, 100) ORDER BY id;
RESTORE TABLE papers_by_country TO VERSION AS OF 1;
SELECT count(*) AS papers_after_restore FROM papers_by_country;
OPTIMIZE papers_by_country;
SELECT count(*) AS uk_papers FROM read_delta('demo/.out/db/data/main/public/papers_by_country') WHERE country = 'UK';
DESCRIBE HISTORY papers_by_country;

-- == 13. Graph queries (to come)
-- CREATE GRAPH citations (...);
-- SELECT * FROM GRAPH_TABLE (citations MATCH (a)-[c:cites]->(b) COLUMNS (a.title, b.title));
