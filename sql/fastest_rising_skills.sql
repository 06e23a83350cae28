-- Title: Fastest-rising skills
-- Question: In each role's latest month of postings, which skills gained the most share of the
--           role's postings compared with the month before?
-- Parameters (edit the params CTE): min_role_postings (ignore thin role-months), top_n.
WITH params AS (SELECT 2 AS min_role_postings, 20 AS top_n),
latest AS (
  SELECT role_id, MAX(month) AS month FROM gold.skill_demand GROUP BY role_id
),
ranked AS (
  SELECT
    d.role_id,
    d.skill_id,
    d.month,
    d.share_of_role_postings,
    d.mom_change,
    ROW_NUMBER() OVER (ORDER BY d.mom_change DESC, d.role_id, d.skill_id) AS rank
  FROM gold.skill_demand AS d
  JOIN latest AS l ON d.role_id = l.role_id AND d.month = l.month
  JOIN params AS p ON d.role_postings >= p.min_role_postings
  WHERE d.mom_change > 0
)
SELECT r.role_id, r.skill_id, r.month, r.share_of_role_postings, r.mom_change
FROM ranked AS r
JOIN params AS p ON r.rank <= p.top_n
ORDER BY r.rank
