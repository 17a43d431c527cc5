"""The orders service: order records, the place-order saga, and the outbox. Internal."""
