-- Title: Salary bands by seniority for a role
-- Question: What do postings pay a role at each seniority level (p10..p90, annual USD), and what
--           do career guides say the band is? Suppressed cells (too few postings) show no figures.
-- Parameters (edit the params CTE): role_id (reference.roles id), country ('ALL' or ISO code),
--           work_model ('all', 'remote', 'hybrid', 'onsite').
WITH params AS (SELECT 'data_engineer' AS role_id, 'ALL' AS country, 'all' AS work_model)
SELECT
  b.seniority,
  b.posting_count,
  b.is_suppressed,
  b.p10_usd,
  b.p25_usd,
  b.p50_usd,
  b.p75_usd,
  b.p90_usd,
  b.guide_band_min_usd,
  b.guide_band_max_usd
FROM gold.salary_benchmarks AS b
JOIN params AS p ON b.role_id = p.role_id AND b.country = p.country AND b.work_model = p.work_model
ORDER BY
  array_position(
    array('all', 'intern', 'entry', 'mid', 'senior', 'staff', 'principal', 'manager', 'director', 'executive'),
    b.seniority
  )
