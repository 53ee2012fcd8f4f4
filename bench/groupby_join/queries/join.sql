SELECT d.name, count(*) AS n, sum(t.v) AS sum_v
FROM t JOIN d ON t.k = d.k
GROUP BY d.name
