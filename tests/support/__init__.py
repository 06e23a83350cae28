"""Test helpers that are not fixtures: local stand-ins for remote services."""
