"""silver.postings: every bronze posting format mapped to one shape, normalized, deduplicated, with history."""
