"""The orders service: orders, payments, notifications. Internal: only the storefront calls it."""
