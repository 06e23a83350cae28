-- Title: Role profile
-- Question: What does a role look like at a glance: volume, top skills (postings vs guides),
--           salary band, demand trend, next roles and skill gaps?
-- Parameters (edit the params CTE): role_id.
WITH params AS (SELECT 'data_engineer' AS role_id)
SELECT
  r.role_name,
  r.posting_count,
  array_join(r.top_posting_skills, ', ') AS top_posting_skills,
  array_join(r.top_guide_skills, ', ') AS top_guide_skills,
  r.salary_p25_usd,
  r.salary_p50_usd,
  r.salary_p75_usd,
  r.demand_trend,
  array_join(r.common_next_roles, ', ') AS common_next_roles,
  array_join(r.common_skill_gaps, ', ') AS common_skill_gaps
FROM gold.role_profiles AS r
JOIN params AS p ON r.role_id = p.role_id
