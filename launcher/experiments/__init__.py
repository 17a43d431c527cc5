"""`shop experiment NAME`: the course's claims measured on the four variants, one experiment
per module, each with NAME, CLAIMS, DEFAULT_VARIANTS and run(variants, quick) -> result."""

import importlib

MODULES = {"hops": "hops", "fault-isolation": "faults", "deploy": "deploy", "scale": "scale",
           "consistency": "consistency", "cost": "cost", "testing": "testing"}


def load(name: str):
    return importlib.import_module(f"launcher.experiments.{MODULES[name]}")
