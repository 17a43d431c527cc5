"""The storefront: the public API. It serves the catalog itself and routes order calls to orders."""
