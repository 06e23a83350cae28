-- Title: Top-paying skills for a role
-- Question: Which skills come with the highest salary premium for a role? The premium is the
--           median annual USD salary of the role's postings with the skill minus that of the
--           role's postings without it, averaged over the months where both are known.
--           (gold.skill_demand has no country dimension: the premium is across all countries.)
-- Parameters (edit the params CTE): role_id, min_postings (postings mentioning the skill).
WITH params AS (SELECT 'data_engineer' AS role_id, 1 AS min_postings)
SELECT
  d.skill_id,
  SUM(d.postings_with_skill) AS postings,
  COUNT(d.median_salary_with_usd - d.median_salary_without_usd) AS months_compared,
  ROUND(AVG(d.median_salary_with_usd - d.median_salary_without_usd), 2) AS avg_premium_usd
FROM gold.skill_demand AS d
JOIN params AS p ON d.role_id = p.role_id
GROUP BY d.skill_id, p.min_postings
HAVING months_compared > 0 AND postings >= p.min_postings
ORDER BY avg_premium_usd DESC, d.skill_id
LIMIT 20
