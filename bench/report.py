"""The report of bench.run: the machine, the verdict on each target, the table."""

import os
import platform
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

# What each page must reach (bench/README.md): the verdicts compare every figure with these.
TARGETS = {
    "max_queries": 10,
    "p95_ms": 50,
    "first_visit_kb": 60,
    "static_share": 0.2,
    # Rendered in full (page cache off): the demo content, then the large dataset at scale 1.
    "uncached_share_demo": 1 / 20,
    "uncached_share_scale": 1 / 40,
}


def ms(microseconds):
    return f"{microseconds / 1000:.1f} ms"


def machine():
    cpu = "inconnu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "inconnue"
    try:
        total = next(
            line for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line
        )
        memory = f"{int(total.split()[1]) / 1024 / 1024:.1f} Gio"
    except (OSError, StopIteration):
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk_version = (
        subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
        if shutil.which("wrk")
        else ""
    )
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "postgresql": postgres,
        "wrk": (wrk_version.split("[")[0] or wrk_version).strip().splitlines()[0]
        if wrk_version
        else "?",
        "loadavg_start": os.getloadavg(),
    }


def verdicts(report):
    """Each target: met or not, with the figures that decide it."""
    queries = max(c["uncached"] for c in report["queries"].values())
    found = {
        "queries": (
            queries <= TARGETS["max_queries"],
            f"au plus {queries} requêtes SQL par page (cible ≤ {TARGETS['max_queries']})",
        ),
        "first_visit": (
            report["first_visit"]["total"] <= TARGETS["first_visit_kb"] * 1024,
            f"première visite de l'accueil : {kb(report['first_visit']['total'])} "
            f"(cible < {TARGETS['first_visit_kb']} Ko)",
        ),
    }
    for mode, results in report["runs"].items():
        dynamic = {n: r for n, r in results.items() if n != "fichier statique"}
        static = results["fichier statique"]["rps"]
        slow = {n: r["p95_us"] / 1000 for n, r in dynamic.items() if r["p95_us"] / 1000 >= 50}
        weak = {n: r["rps"] / static for n, r in dynamic.items() if r["rps"] / static < 0.2}
        errors = {n: r["non_2xx_3xx"] + r["socket_errors"] for n, r in results.items()}
        found[f"p95 {mode}"] = (
            not slow,
            f"cache {mode} : p95 < 50 ms partout"
            if not slow
            else f"cache {mode} : p95 ≥ 50 ms : "
            + ", ".join(f"{n} ({v:.0f} ms)" for n, v in slow.items()),
        )
        found[f"débit {mode}"] = (
            not weak,
            f"cache {mode} : chaque page ≥ 1/5 du débit du fichier statique"
            if not weak
            else f"cache {mode} : sous 1/5 du statique : "
            + ", ".join(f"{n} ({v:.2f})" for n, v in weak.items()),
        )
        if mode == "off":
            demo = report["args"].get("demo")
            floor = TARGETS["uncached_share_demo" if demo else "uncached_share_scale"]
            under = {n: r["rps"] / static for n, r in dynamic.items() if r["rps"] / static < floor}
            found["débit sans cache"] = (
                not under,
                f"cache off : chaque page ≥ 1/{round(1 / floor)} du statique"
                + ("" if not under else " ; en dessous : ")
                + ", ".join(f"{n} (1/{1 / v:.0f})" for n, v in under.items()),
            )
        if any(errors.values()):
            found[f"erreurs {mode}"] = (
                False,
                f"cache {mode} : réponses en erreur : "
                + ", ".join(f"{n} ({v})" for n, v in errors.items() if v),
            )
    return found


def kb(size):
    return f"{size / 1024:.1f} Ko"


def render(report):
    m = report["machine"]
    lines = [
        f"Banc d'essai du {m['date']}",
        "",
        f"- Machine : {m['nproc']} cœurs ({m['cpu']}), {m['memory']} de mémoire, "
        f"charge moyenne au départ {', '.join(f'{x:.2f}' for x in m['loadavg_start'])}",
        f"- Python {m['python']}, PostgreSQL {m['postgresql']}, {m['wrk']}, "
        f"gunicorn {report['gunicorn_workers']} workers synchrones",
        f"- Données : {report['data']}",
        f"- Charge : wrk, {report['args']['connections']} connexions, "
        f"{report['args']['threads']} threads, {report['args']['duration']} s par adresse, "
        "sur la même machine que gunicorn et PostgreSQL",
        "",
    ]
    for mode, results in report["runs"].items():
        static = results["fichier statique"]["rps"]
        lines += [
            f"### Cache des pages {mode}",
            "",
            "| page | adresse | req/s | p50 | p95 | p99 | part du statique | requêtes SQL "
            "(après une modification) | erreurs |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, r in results.items():
            queries = report["queries"].get(name)
            sql = "–"
            if queries and mode == "on":
                sql = str(queries["cached"])
            elif queries:  # kept fragments, then right after a content change
                sql = f"{queries['uncached']} ({queries.get('cold', '?')})"
            path = r["path"] + (" (HX-Request)" if r["htmx"] else "")
            lines.append(
                f"| {name} | `{path}` | {r['rps']:.0f} | {ms(r['p50_us'])} | {ms(r['p95_us'])} "
                f"| {ms(r['p99_us'])} | {r['rps'] / static:.2f} | {sql} "
                f"| {r['non_2xx_3xx'] + r['socket_errors']} |"
            )
        lines.append("")
    fv = report["first_visit"]
    lines += [
        "### Première visite de l'accueil",
        "",
        "| fichier | octets transférés | encodage |",
        "| --- | ---: | --- |",
        f"| HTML (gzip niveau 1, comme nginx ; brut {kb(fv['html_raw'])}) | "
        f"{fv['html_gzip']} | gzip |",
    ]
    for f in fv["files"]:
        lines.append(f"| {f['kind']} `{f['url']}` | {f['bytes']} | {f['encoding']} |")
    lines += [
        f"| **HTML + CSS + JS** | **{fv['total']}** ({kb(fv['total'])}) | |",
        "",
        "### Cibles",
        "",
    ]
    for met, text in report["verdicts"].values():
        lines.append(f"- {'✅ atteinte' if met else '❌ manquée'} : {text}")
    lines.append(
        f"\nCharge moyenne à la fin : {', '.join(f'{x:.2f}' for x in report['loadavg_end'])}"
    )
    return "\n".join(lines) + "\n"
