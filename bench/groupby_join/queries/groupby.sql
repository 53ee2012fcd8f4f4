SELECT k, count(*) AS n, sum(v) AS sum_v, avg(v) AS avg_v, min(v) AS min_v, max(v) AS max_v
FROM t
GROUP BY k
