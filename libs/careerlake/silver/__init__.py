"""Silver layer: bronze records cleaned, normalized and deduplicated."""
