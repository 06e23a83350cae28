-- Title: Where do people in a role go next
-- Question: Which roles do people move to from a given role (e.g. MLOps engineers), how strong
--           is the evidence per source, and what is the median salary uplift of the move?
-- Parameters (edit the params CTE): from_role_id.
WITH params AS (SELECT 'mlops_engineer' AS from_role_id)
SELECT
  c.to_role_id,
  c.weight,
  c.guide_evidence,
  c.thread_evidence,
  c.article_evidence,
  c.ladder_evidence,
  c.median_salary_uplift_usd
FROM gold.career_paths AS c
JOIN params AS p ON c.from_role_id = p.from_role_id
ORDER BY c.weight DESC, c.to_role_id
