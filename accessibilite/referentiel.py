"""Loads the RGAA's official files (accessibilite/referentiels/<version>/) into the database.

Each row is written with `bulk_create(update_conflicts=True)` on its natural key (version,
theme and criterion numbers, glossary anchor): loading again updates in place and adds
nothing, so `manage.py load_rgaa` can run at every start. The same code serves the data
migration, with the migration's historical models (`apps`).
"""

import json
import re
from pathlib import Path

from django.apps import apps as global_apps
from django.utils.text import slugify

FOLDER = Path(__file__).resolve().parent / "referentiels"


def folders():
    """The folder of every version shipped with the portal, oldest first."""
    return sorted(path.parent for path in FOLDER.glob("*/version.json"))


def glossary_slug(title):
    """The anchor the criteria link to: « Image porteuse d’information » →
    « image-porteuse-d-information » (apostrophes and brackets separate words)."""
    return slugify(re.sub(r"[’'()]", " ", title))


def markdown_of_test(sentences):
    """A test as published is a question and, for some, the conditions it lists."""
    question, *conditions = sentences
    if not conditions:
        return question
    return question + "\n\n" + "\n".join(f"- {condition}" for condition in conditions)


def markdown_blocks(items):
    """Particular cases and technical notes as Markdown, one block each: the files give a
    paragraph as a string and a list as {"ul": ["- item", ...]}."""
    return [item if isinstance(item, str) else "\n".join(item["ul"]) for item in items]


def _read(folder, name):
    return json.loads((folder / name).read_text(encoding="utf-8"))


def load_version(folder, *, apps=global_apps):
    """Store the version in `folder`; returns {kind: number of rows in the files}."""
    RgaaVersion = apps.get_model("accessibilite", "RgaaVersion")
    Theme = apps.get_model("accessibilite", "Theme")
    Criterion = apps.get_model("accessibilite", "Criterion")
    CriterionTest = apps.get_model("accessibilite", "CriterionTest")
    GlossaryEntry = apps.get_model("accessibilite", "GlossaryEntry")

    meta = _read(folder, "version.json")
    topics = _read(folder, "criteres.json")["topics"]
    methods = _read(folder, "methodologies.json")
    glossary = _read(folder, "glossaire.json")["glossary"]

    version, _ = RgaaVersion.objects.update_or_create(
        number=meta["version"],
        defaults={
            "published_on": meta["published_on"],
            "updated_on": meta["updated_on"],
            "publisher": meta["publisher"],
            "source_url": meta["source_url"],
            "commit": meta.get("commit", ""),
            "licence": meta["licence"],
            "licence_url": meta["licence_url"],
        },
    )
    Theme.objects.bulk_create(
        [Theme(version=version, number=topic["number"], title=topic["topic"]) for topic in topics],
        update_conflicts=True,
        unique_fields=["version", "number"],
        update_fields=["title"],
    )
    themes = {theme.number: theme for theme in Theme.objects.filter(version=version)}
    Criterion.objects.bulk_create(
        [
            Criterion(
                theme=themes[topic["number"]],
                number=entry["criterium"]["number"],
                title=entry["criterium"]["title"],
                particular_cases=markdown_blocks(entry["criterium"].get("particularCases", [])),
                technical_notes=markdown_blocks(entry["criterium"].get("technicalNote", [])),
                references=entry["criterium"].get("references", []),
            )
            for topic in topics
            for entry in topic["criteria"]
        ],
        update_conflicts=True,
        unique_fields=["theme", "number"],
        update_fields=["title", "particular_cases", "technical_notes", "references"],
    )
    criteria = {
        (criterion.theme.number, criterion.number): criterion
        for criterion in Criterion.objects.filter(theme__version=version).select_related("theme")
    }
    tests = []
    for topic in topics:
        for entry in topic["criteria"]:
            criterium = entry["criterium"]
            criterion = criteria[(topic["number"], criterium["number"])]
            for number, sentences in criterium["tests"].items():
                code = f"{topic['number']}.{criterium['number']}.{number}"
                tests.append(
                    CriterionTest(
                        criterion=criterion,
                        number=int(number),
                        text=markdown_of_test(sentences),
                        method=methods.get(code, ""),
                    )
                )
    CriterionTest.objects.bulk_create(
        tests,
        update_conflicts=True,
        unique_fields=["criterion", "number"],
        update_fields=["text", "method"],
    )
    GlossaryEntry.objects.bulk_create(
        [
            GlossaryEntry(
                version=version,
                slug=glossary_slug(entry["title"]),
                title=entry["title"],
                body=entry["body"],
            )
            for entry in glossary
        ],
        update_conflicts=True,
        unique_fields=["version", "slug"],
        update_fields=["title", "body"],
    )
    return {
        "version": version.number,
        "themes": len(topics),
        "criteria": len(criteria),
        "tests": len(tests),
        "glossary": len(glossary),
    }


def load_all(*, apps=global_apps):
    return [load_version(folder, apps=apps) for folder in folders()]
