"""Reference data: role, skill and seniority taxonomies and FX rates, versioned in the package."""
