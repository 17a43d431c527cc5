"""The inventory service: stock levels and reservations. Internal: the gateway and orders call it."""
