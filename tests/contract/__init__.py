"""The contract suite: one set of HTTP tests that every variant of the shop must pass."""
