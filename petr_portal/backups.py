"""Backup and restore of the database and the media (`make backup`, `make restore`).

A backup is a folder backups/<timestamp>/ holding:
- database.dump (pg_dump, custom format) or database.sqlite3 (a consistent copy);
- media.tar.gz, the files under MEDIA_ROOT (absent when media are on object storage,
  whose own versioning or replication keeps them);
- manifest.json, what was saved and from where.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def _engine(database):
    engine = database["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"Moteur de base de données non pris en charge : {engine}")


def _pg_command(program, database):
    """Connection arguments and environment for pg_dump / pg_restore."""
    args = [program]
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    sslmode = (database.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return args, env


def _run(args, env):
    if not shutil.which(args[0]):
        raise BackupError(f"{args[0]} est introuvable (apt-get install postgresql-client).")
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{args[0]} a échoué :\n{result.stderr.strip()}")


def _local_media_root():
    """MEDIA_ROOT when media are stored on the local disk, None on object storage."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


def backup(destination):
    """Save the database and the media into a new folder under `destination`."""
    database = connections["default"].settings_dict
    engine = _engine(database)
    stamp = timezone.localtime().strftime("%Y-%m-%d_%H%M%S")
    root = Path(destination)
    root.mkdir(parents=True, exist_ok=True)
    target = root / stamp
    suffix = 1
    while target.exists():
        suffix += 1
        target = root / f"{stamp}-{suffix}"
    # Written under a temporary name and renamed at the end: a backup folder that exists
    # is complete.
    partial = target.with_name(target.name + ".partiel")
    partial.mkdir()
    try:
        if engine == "postgresql":
            args, env = _pg_command("pg_dump", database)
            _run(
                [
                    *args,
                    "--format=custom",
                    "--file",
                    str(partial / "database.dump"),
                    str(database["NAME"]),
                ],
                env,
            )
            database_file = "database.dump"
        else:
            source = sqlite3.connect(database["NAME"])
            copy = sqlite3.connect(partial / "database.sqlite3")
            with copy:
                source.backup(copy)
            source.close()
            copy.close()
            database_file = "database.sqlite3"

        media_root = _local_media_root()
        media_file = None
        if media_root is not None:
            media_file = "media.tar.gz"
            with tarfile.open(partial / media_file, "w:gz") as archive:
                if media_root.is_dir():
                    for child in sorted(media_root.iterdir()):
                        archive.add(child, arcname=child.name)

        manifest = {
            "format": FORMAT_VERSION,
            "created": timezone.now().isoformat(),
            "engine": engine,
            "database": str(database["NAME"]),
            "database_file": database_file,
            "media_file": media_file,
            "media_root": str(media_root) if media_root else None,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return target


def read_manifest(folder):
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} n'est pas une sauvegarde : {MANIFEST} est absent.")
    return json.loads(path.read_text())


def restore(folder):
    """Put the database and the media back as they were in the backup `folder`.

    The media currently under MEDIA_ROOT are moved aside, not deleted; returns that
    folder (or None)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    database = connections["default"].settings_dict
    engine = _engine(database)
    if manifest["engine"] != engine:
        raise BackupError(
            f"Cette sauvegarde vient d'une base {manifest['engine']}, "
            f"la base configurée est {engine}."
        )
    connections.close_all()
    dump = folder / manifest["database_file"]
    if engine == "postgresql":
        args, env = _pg_command("pg_restore", database)
        _run(
            [
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--dbname",
                str(database["NAME"]),
                str(dump),
            ],
            env,
        )
    else:
        source = sqlite3.connect(dump)
        target = sqlite3.connect(database["NAME"])
        with target:
            source.backup(target)
        source.close()
        target.close()

    moved_aside = None
    if manifest.get("media_file"):
        media_root = _local_media_root()
        if media_root is None:
            raise BackupError(
                "La sauvegarde contient des médias locaux mais le stockage configuré "
                "est un stockage objet : copiez media.tar.gz vers le bucket vous-même."
            )
        if media_root.exists() and any(media_root.iterdir()):
            stamp = timezone.localtime().strftime("%Y-%m-%d_%H%M%S")
            moved_aside = media_root.with_name(f"{media_root.name}.avant-restauration-{stamp}")
            media_root.rename(moved_aside)
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / manifest["media_file"], "r:gz") as archive:
            # The "data" filter refuses absolute paths, links out of the folder, devices.
            archive.extractall(media_root, filter="data")
    return moved_aside


def default_destination():
    return Path(os.environ.get("PORTAL_BACKUP_DIR", settings.BASE_DIR / "backups"))
