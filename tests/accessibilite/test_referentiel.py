"""The RGAA's official files, shipped with the portal and loaded per version."""

import io
import json
import re

import pytest
from django.core.management import call_command

from accessibilite import referentiel
from accessibilite.models import Criterion, CriterionTest, GlossaryEntry, RgaaVersion, Theme

pytestmark = pytest.mark.django_db


def test_rgaa_4_1_2_counts_13_themes_106_criteria_258_tests(rgaa):
    assert Theme.objects.filter(version=rgaa).count() == 13
    assert Criterion.objects.filter(theme__version=rgaa).count() == 106
    assert CriterionTest.objects.filter(criterion__theme__version=rgaa).count() == 258
    assert GlossaryEntry.objects.filter(version=rgaa).count() == 119
    # Every test has its method.
    assert not CriterionTest.objects.filter(criterion__theme__version=rgaa, method="").exists()
    assert [theme.title for theme in rgaa.themes.all()][:4] == [
        "Images",
        "Cadres",
        "Couleurs",
        "Multimédia",
    ]


def test_a_criterion_keeps_its_tests_method_and_references(rgaa):
    criterion = Criterion.objects.of_version(rgaa).get(theme__number=1, number=1)
    assert criterion.code == "1.1"
    assert criterion.plain_title.startswith("Chaque image porteuse d’information a-t-elle")
    assert "(#image-porteuse-d-information)" in criterion.title
    test = criterion.tests.get(number=5)
    assert test.text.startswith("Chaque image vectorielle")
    assert "\n- La balise `<svg>` possède un attribut WAI-ARIA" in test.text
    assert test.method.startswith("1. Retrouver dans le document les éléments `<svg>`")
    assert {"wcag": ["1.1.1 Non-text Content (A)"]} in criterion.references
    with_cases = Criterion.objects.filter(theme__version=rgaa).exclude(particular_cases=[])
    assert with_cases.count() == 34
    with_notes = Criterion.objects.filter(theme__version=rgaa).exclude(technical_notes=[])
    assert with_notes.count() == 21
    # The lists of the files become Markdown lists.
    cases = Criterion.objects.of_version(rgaa).get(theme__number=12, number=2).particular_cases
    assert "- La page est la page d’accueil\u00a0;\n- Le site web est constitué" in cases[1]
    assert all(isinstance(block, str) for c in with_cases for block in c.particular_cases)


def counts():
    return Criterion.objects.count(), CriterionTest.objects.count(), GlossaryEntry.objects.count()


def test_loading_again_changes_nothing_and_updates_in_place(rgaa):
    before = counts()
    ids = set(Criterion.objects.values_list("pk", flat=True))
    Criterion.objects.filter(theme__number=1, number=1).update(title="modifié")
    out = io.StringIO()
    call_command("load_rgaa", stdout=out)
    assert "RGAA 4.1.2 : 13 thématiques, 106 critères, 258 tests" in out.getvalue()
    assert counts() == before
    assert set(Criterion.objects.values_list("pk", flat=True)) == ids
    assert Criterion.objects.get(theme__number=1, number=1).title.startswith("Chaque [image")
    assert RgaaVersion.objects.count() == 1


def test_every_glossary_link_of_the_criteria_finds_its_entry(rgaa):
    """Anchors are written from the glossary's titles: each link must land somewhere (but
    one the official files themselves leave unmatched)."""
    slugs = set(GlossaryEntry.objects.filter(version=rgaa).values_list("slug", flat=True))
    texts = [c.title for c in Criterion.objects.filter(theme__version=rgaa)]
    tests = CriterionTest.objects.filter(criterion__theme__version=rgaa)
    texts += [test.text + test.method for test in tests]
    anchors = {anchor for text in texts for anchor in re.findall(r"\]\(#([^)]+)\)", text)}
    assert len(anchors) > 100
    assert anchors - slugs == set()


def test_the_files_shipped_say_their_source_and_licence():
    folder = referentiel.FOLDER / "4.1.2"
    meta = json.loads((folder / "version.json").read_text(encoding="utf-8"))
    assert meta["commit"] == "c27e511fe3a3eced1c8e6a47ada8b43dfa2820d6"
    assert meta["licence"] == "Licence Ouverte 2.0 (Etalab)"
    readme = (referentiel.FOLDER / "README.md").read_text(encoding="utf-8")
    assert "Direction interministérielle du numérique — RGAA 4.1.2" in readme
    assert "c27e511fe3a3eced1c8e6a47ada8b43dfa2820d6" in readme
    assert referentiel.folders() == [folder]


def test_the_version_names_its_attribution(rgaa):
    assert rgaa.attribution == "Direction interministérielle du numérique — RGAA 4.1.2"
    assert str(rgaa.updated_on) == "2023-04-18"
