"""`make backup` then `make restore` bring the database and the media back.

Runs the real Makefile targets in a fresh process, against a throwaway SQLite file and,
when DATABASE_URL names PostgreSQL, a throwaway PostgreSQL database on the same server
(CI sets PORTAL_REQUIRE_PG_BACKUP=1 there, so that a skip becomes a failure).
"""

import json
import os
import sqlite3
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]


def make(target, env_overrides, *variables):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "PORTAL_", "MAKE"))
    }
    env.update(env_overrides)
    result = subprocess.run(
        ["make", "--no-print-directory", target, *variables],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"make {target} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout.strip().splitlines()[-1]


def write_media(media):
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "rapport.pdf").write_bytes(b"%PDF-1.4 rapport final")
    (media / "couverture.png").write_bytes(b"\x89PNG image")


def change_media(media):
    (media / "documents" / "rapport.pdf").write_bytes(b"abime")
    (media / "couverture.png").unlink()
    (media / "intrus.txt").write_text("ajouté après la sauvegarde")


def assert_media_restored(media):
    assert (media / "documents" / "rapport.pdf").read_bytes() == b"%PDF-1.4 rapport final"
    assert (media / "couverture.png").read_bytes() == b"\x89PNG image"
    assert not (media / "intrus.txt").exists()
    # What was there before the restore is kept aside, not deleted.
    aside = list(media.parent.glob("media.avant-restauration-*"))
    assert len(aside) == 1 and (aside[0] / "intrus.txt").exists()


def backup_and_restore(tmp_path, env, change_database, check_database):
    backups = tmp_path / "sauvegardes"
    folder = Path(make("backup", env, f"BACKUP_DIR={backups}"))
    assert folder.parent == backups and folder.is_dir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert (folder / manifest["database_file"]).stat().st_size > 0
    assert manifest["media_file"] == "media.tar.gz"

    change_database()
    change_media(tmp_path / "media")

    make("restore", env, f"BACKUP={folder}", "NOINPUT=1")
    check_database()
    assert_media_restored(tmp_path / "media")
    return manifest


def test_backup_and_restore_with_sqlite(tmp_path):
    database = tmp_path / "portail.sqlite3"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE chantier (nom TEXT)")
        db.execute("INSERT INTO chantier VALUES ('Dessine-moi ton agriculture !')")
    write_media(tmp_path / "media")
    env = {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_MEDIA_ROOT": str(tmp_path / "media")}

    def change():
        with sqlite3.connect(database) as db:
            db.execute("DELETE FROM chantier")
            db.execute("INSERT INTO chantier VALUES ('intrus')")

    def check():
        with sqlite3.connect(database) as db:
            rows = db.execute("SELECT nom FROM chantier").fetchall()
        assert rows == [("Dessine-moi ton agriculture !",)]

    manifest = backup_and_restore(tmp_path, env, change, check)
    assert manifest["engine"] == "sqlite"


def test_restore_refuses_without_confirmation_when_no_terminal(tmp_path):
    database = tmp_path / "portail.sqlite3"
    sqlite3.connect(database).close()
    env = {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_MEDIA_ROOT": str(tmp_path / "media")}
    folder = make("backup", env, f"BACKUP_DIR={tmp_path / 'b'}")
    result = subprocess.run(
        ["make", "--no-print-directory", "restore", f"BACKUP={folder}"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert result.returncode != 0
    assert "--noinput" in result.stderr


@pytest.fixture
def throwaway_postgresql():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        if os.environ.get("PORTAL_REQUIRE_PG_BACKUP") == "1":
            pytest.fail("PORTAL_REQUIRE_PG_BACKUP=1 but DATABASE_URL is not PostgreSQL")
        pytest.skip("DATABASE_URL is not PostgreSQL")
    import psycopg2

    config = dj_database_url.parse(url)
    name = f"petr_sauvegarde_{uuid.uuid4().hex[:12]}"
    server = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }

    def admin(sql):
        connection = psycopg2.connect(dbname="postgres", **server)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql)
        connection.close()

    admin(f'CREATE DATABASE "{name}"')
    try:
        yield name, server, urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_and_restore_with_postgresql(tmp_path, throwaway_postgresql):
    import psycopg2

    name, server, url = throwaway_postgresql

    def sql(statement):
        connection = psycopg2.connect(dbname=name, **server)
        with connection, connection.cursor() as cursor:
            cursor.execute(statement)
            rows = cursor.fetchall() if cursor.description else None
        connection.close()
        return rows

    sql("CREATE TABLE chantier (id serial PRIMARY KEY, nom text NOT NULL)")
    sql("INSERT INTO chantier (nom) VALUES ('Mobilisation de l''épargne locale')")
    write_media(tmp_path / "media")
    env = {"DATABASE_URL": url, "DJANGO_MEDIA_ROOT": str(tmp_path / "media")}

    def change():
        sql("DELETE FROM chantier")
        sql("INSERT INTO chantier (nom) VALUES ('intrus')")
        sql("CREATE INDEX chantier_nom ON chantier (nom)")

    def check():
        assert sql("SELECT id, nom FROM chantier") == [(1, "Mobilisation de l'épargne locale")]

    manifest = backup_and_restore(tmp_path, env, change, check)
    assert manifest["engine"] == "postgresql"
    assert manifest["database"] == name
