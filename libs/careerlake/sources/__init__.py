"""Per-source code that talks to the outside world: fetchers of the public board APIs."""
