"""Figures as the site shows them."""

from decimal import ROUND_HALF_UP, Decimal

# Shares are shown to one decimal (« 23,4 % »), rounded as people round: half up.
SHARE_PLACES = Decimal("0.1")


def share_of_total(part, total, places=SHARE_PLACES):
    """`part` as a percentage of `total`, rounded half up to `places`; None when there is
    no part or no total to divide by."""
    if part is None or not total:
        return None
    return (Decimal(part) * 100 / Decimal(total)).quantize(places, rounding=ROUND_HALF_UP)
