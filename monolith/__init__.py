"""The monolith: one Flask app, one process type, one database, one transaction per use case."""
