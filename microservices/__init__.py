"""Microservices: six small Flask services over HTTP, each with its own database."""
