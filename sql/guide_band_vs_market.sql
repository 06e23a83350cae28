-- Title: Career-guide salary band vs the market median
-- Question: Where does the postings' median annual USD salary sit relative to the band that
--           career guides state for the same role and level?
-- Parameters (edit the params CTE): country ('ALL' or ISO code), work_model ('all', ...).
WITH params AS (SELECT 'ALL' AS country, 'all' AS work_model)
SELECT
  b.role_id,
  b.seniority,
  b.p50_usd,
  b.guide_band_min_usd,
  b.guide_band_max_usd,
  ROUND(b.p50_usd - (b.guide_band_min_usd + b.guide_band_max_usd) / 2, 2) AS p50_minus_band_mid_usd,
  CASE
    WHEN b.p50_usd < b.guide_band_min_usd THEN 'below band'
    WHEN b.p50_usd > b.guide_band_max_usd THEN 'above band'
    ELSE 'within band'
  END AS position
FROM gold.salary_benchmarks AS b
JOIN params AS p ON b.country = p.country AND b.work_model = p.work_model
WHERE NOT b.is_suppressed AND b.guide_band_min_usd IS NOT NULL AND b.guide_band_max_usd IS NOT NULL
ORDER BY b.role_id, b.seniority
