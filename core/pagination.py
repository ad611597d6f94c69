"""Page numbers read from a query string."""

# Far beyond any real list: a bigger number is someone's guess, not a page of ours.
MAX_PAGE = 10_000


def page_number(value, maximum=MAX_PAGE):
    """A page number from the query string: anything odd means the first page, and a
    number past `maximum` means the last one allowed."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), maximum)
