"""ts_headline's excerpts say « … » where the text goes on, from only the lines of the
text that takes (the minutes of a meeting are long, an excerpt a few lines of them)."""

import pytest

from core.search_text import MARK_END, MARK_START, _line_of, headline_excerpt
from core.text import markdown_to_line

MINUTES = "\n".join(
    [
        "# Compte rendu",
        "",
        "Présents : **douze** personnes.",
        "",
        *[
            f"- Point {n} : la [coopérative](https://exemple.fr/{n}) a présenté *son* bilan"
            for n in range(60)
        ],
        "",
        "## Suite",
        "Prochaine réunion en mars.",
    ]
)


@pytest.mark.parametrize("size", [1, 10, 80, 400, 3000, 100_000])
@pytest.mark.parametrize("first", [True, False])
def test_the_start_and_end_come_from_a_few_lines_but_are_those_of_the_whole(size, first):
    whole = markdown_to_line(MINUTES)
    part = _line_of(MINUTES.splitlines(), "x" * size, first)
    assert whole.startswith(part) if first else whole.endswith(part)
    assert len(part) >= size or part == whole


def test_an_excerpt_says_where_the_text_goes_on():
    whole = markdown_to_line(MINUTES)
    start, end = whole[:40], whole[-30:]
    middle = whole[400:460]
    mark = f"{MARK_START}coopérative{MARK_END}"
    assert not headline_excerpt(start, MINUTES).startswith("…")
    assert headline_excerpt(start, MINUTES).endswith(" …")
    assert headline_excerpt(end, MINUTES).startswith("… ")
    assert not headline_excerpt(end, MINUTES).endswith("…")
    assert "coopérative" in middle
    excerpt = headline_excerpt(middle.replace("coopérative", mark), MINUTES)
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert "<mark>coopérative</mark>" in excerpt
    assert headline_excerpt(whole, MINUTES) == whole.replace("&", "&amp;")
