"""The notifications service: stores the order events the outbox relay delivers. Internal."""
