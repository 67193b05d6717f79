"""Domain operations: the only code that writes. They flush, never commit: the request (or
CLI command) that calls them commits once, or rolls back on error."""
