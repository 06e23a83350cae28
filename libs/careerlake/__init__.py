"""CareerLake: job postings and career documents into a Delta lakehouse."""
