-- Run once per engine and version after the timed reads (not timed): the
-- other columns must agree too.
SELECT min(id) AS min_id, max(id) AS max_id, sum(id) AS sum_id,
       count(DISTINCT category) AS categories, CAST(max(created_at) AS VARCHAR) AS max_created_at
FROM ${SOURCE}
