"""What every variant of the shop must agree on: domain rules, errors, the contract.

Nothing here knows about processes, databases or networks; that is what the
variants differ in.
"""
