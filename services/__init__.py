"""Generic services: a storefront and an orders service, separate processes, ONE shared database."""
