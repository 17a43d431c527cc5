"""The catalog service: products and their prices. Internal: the gateway and orders call it."""
