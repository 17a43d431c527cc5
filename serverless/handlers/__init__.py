"""The Lambda functions: one module per function, each with a `handler(event, context)`."""
