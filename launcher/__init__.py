"""`shop`: start any variant as real processes, seed it, and run the contract suite against it."""
