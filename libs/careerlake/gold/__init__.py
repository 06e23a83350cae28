"""Gold: analyst-facing aggregates over silver (benchmarks, demand, paths, profiles, gaps)."""
