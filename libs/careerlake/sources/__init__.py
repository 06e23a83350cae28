"""Everything about each input source: `postings/` holds one module per posting format (how
bronze parses its landing files, how silver maps its records, its drift fields, dedup priority
and synthetic generator); `fetch/` fetches the public board APIs into the landing folder."""
