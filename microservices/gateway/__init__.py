"""The gateway: the only public service. Routing, admin auth, and products composed with stock."""
