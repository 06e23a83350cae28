"""SQL access for analysts: one-shot queries, the interactive shell and the JDBC endpoint."""
