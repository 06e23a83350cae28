"""Bronze ingestion: landing files -> raw Delta tables, incrementally and losslessly."""
