"""The fake payment provider's rules, modelled on Stripe's test payment methods."""

CAPTURED, DECLINED, REFUNDED = "captured", "declined", "refunded"

DECLINED_METHODS = frozenset({
    "pm_card_chargeDeclined",
    "pm_card_chargeDeclinedInsufficientFunds",
})


def charge(payment_method: str) -> str:
    """The outcome of charging `payment_method`: every valid method but the two above is approved."""
    return DECLINED if payment_method in DECLINED_METHODS else CAPTURED
