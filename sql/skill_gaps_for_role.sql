-- Title: Skill gaps for a role
-- Question: Which skills do postings for a role demand that guides list as common gaps, or whose
--           demand is rising while community advice rarely mentions them?
-- Parameters (edit the params CTE): role_id.
WITH params AS (SELECT 'data_engineer' AS role_id)
SELECT g.skill_id, g.gap_reason, g.posting_share, g.demand_change, g.community_mentions, g.gap_score
FROM gold.skill_gaps AS g
JOIN params AS p ON g.role_id = p.role_id
ORDER BY g.gap_score DESC, g.skill_id, g.gap_reason
