"""Words and patterns shared by postings and career documents: money, currencies, seniority, pay periods."""
