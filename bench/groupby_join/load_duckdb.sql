-- DuckDB loads the same CSV files as Alopex (not timed against Alopex's load).
CREATE TABLE t (id BIGINT, k INTEGER, v DOUBLE, cat VARCHAR);
CREATE TABLE d (k INTEGER, name VARCHAR);
COPY t FROM '${DATA}/t.csv' (HEADER false);
COPY d FROM '${DATA}/d.csv' (HEADER false);
