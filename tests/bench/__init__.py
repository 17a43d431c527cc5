"""`make bench`: each variant launched as the contract suite launches it, then timed over HTTP."""
