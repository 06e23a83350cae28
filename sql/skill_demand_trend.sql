-- Title: Monthly skill demand for a role
-- Question: How has the share of a role's postings mentioning each skill moved month by month?
-- Parameters (edit the params CTE): role_id, min_postings_with_skill.
WITH params AS (SELECT 'data_engineer' AS role_id, 1 AS min_postings_with_skill)
SELECT d.month, d.skill_id, d.postings_with_skill, d.role_postings, d.share_of_role_postings, d.mom_change
FROM gold.skill_demand AS d
JOIN params AS p ON d.role_id = p.role_id AND d.postings_with_skill >= p.min_postings_with_skill
ORDER BY d.month, d.skill_id
