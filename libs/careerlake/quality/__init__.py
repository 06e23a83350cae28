"""Data quality: expectation suites next to the registry, the gate every write passes, results."""
