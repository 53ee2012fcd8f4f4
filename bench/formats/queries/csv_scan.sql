SELECT count(*) AS n, sum(id) AS sum_id, max(title) AS max_title, max(category) AS max_category,
       sum(price) AS sum_price, CAST(max(created_at) AS VARCHAR) AS max_created_at
FROM read_csv('${DATA}/items.csv')
