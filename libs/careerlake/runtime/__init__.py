"""Runtime plumbing shared by every layer: config, Spark session, errors, job context."""
