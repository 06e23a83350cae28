"""Live fetching: the boards of conf `fetch.boards` -> raw responses in the landing folder.

One small module per API (`greenhouse`, `lever`, `ashby`, `jsonld`) knows its URL and how to
count the postings of a response; `http` is the polite client, `landing` the atomic writer and
the per-board state, `run` fetches every board, `log` turns the results into ops.fetch_log rows.
Nothing here imports Spark except the job and the log's table frames.
"""
