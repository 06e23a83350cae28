-- Title: Community compensation vs postings
-- Question: Do the salaries people mention in community threads and articles match what
--           postings pay for the same role and level (annual USD medians)?
-- Parameters (edit the params CTE): min_mentions (community mentions needed to show a row).
WITH params AS (SELECT 1 AS min_mentions)
SELECT
  b.role_id,
  b.seniority,
  b.posting_count,
  b.p50_usd AS postings_p50_usd,
  b.community_mention_count,
  b.community_median_usd,
  ROUND(b.community_median_usd - b.p50_usd, 2) AS community_minus_postings_usd
FROM gold.salary_benchmarks AS b
JOIN params AS p ON b.community_mention_count >= p.min_mentions
WHERE b.country = 'ALL' AND b.work_model = 'all' AND NOT b.is_suppressed
ORDER BY b.role_id, b.seniority
