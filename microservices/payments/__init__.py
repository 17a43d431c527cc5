"""The payments service: the fake payment provider (charge, refund). Internal: orders calls it."""
