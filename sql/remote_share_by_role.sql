-- Title: Remote share by role
-- Question: Which share of each role's salaried postings is fully remote?
-- Parameters (edit the params CTE): min_postings (roles with fewer salaried postings are left out).
WITH params AS (SELECT 1 AS min_postings),
role_cells AS (
  SELECT role_id, work_model, posting_count
  FROM gold.salary_benchmarks
  WHERE seniority = 'all' AND country = 'ALL'
)
SELECT
  a.role_id,
  a.posting_count AS postings,
  COALESCE(r.posting_count, 0) AS remote_postings,
  ROUND(COALESCE(r.posting_count, 0) / a.posting_count, 4) AS remote_share
FROM role_cells AS a
LEFT JOIN role_cells AS r ON r.role_id = a.role_id AND r.work_model = 'remote'
JOIN params AS p ON a.posting_count >= p.min_postings
WHERE a.work_model = 'all'
ORDER BY remote_share DESC, a.role_id
