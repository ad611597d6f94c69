"""Time the icalendar package takes to write a full feed: 1,000 meetings (MAX_EVENTS), as
/agenda.ics writes them, without the database (the meetings are built in memory, so
only the writing is measured: events, escaping, folding, serialisation).

    .venv/bin/python -m bench.ics [--events 1000] [--rounds 5]
"""

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petr_portal.settings")


class _Request:
    @staticmethod
    def build_absolute_uri(path):
        return f"https://portail.example{path}"


def meetings(count):
    """Meetings of every kind, status and attendance mode, with agendas and places."""
    from chantiers.models import AttendanceMode, Chantier, Meeting, MeetingKind, MeetingStatus

    chantier = Chantier(pk=1, slug="epargne-locale", title="Épargne locale")
    start = datetime(2030, 1, 7, 17, 30, tzinfo=UTC)
    statuses = list(MeetingStatus)
    modes = list(AttendanceMode)
    built = []
    for number in range(count):
        session = number % 10 == 0
        meeting = Meeting(
            pk=number + 1,
            kind=MeetingKind.SESSION if session else MeetingKind.INTERSESSION,
            title=f"Intersession n° {number} : « circuits courts », suite",
            slug=f"reunion-{number}",
            chantier=None if session else chantier,
            starts_at=start + timedelta(days=number),
            ends_at=start + timedelta(days=number, hours=3),
            place_name="Salle des fêtes",
            place_address="2 place de la Mairie",
            place_commune="Figeac",
            agenda="- **Accueil** des participants\n- Travail en groupes ; restitution",
            status=statuses[number % len(statuses)],
            attendance_mode=modes[number % len(modes)],
            video_url="https://visio.example/salle",
            step_free_access=True,
            sequence=number % 3,
            created_at=start,
            updated_at=start,
        )
        if session:
            meeting.listed_chantiers = [chantier]
        built.append(meeting)
    return built


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5, help="the median is reported")
    args = parser.parse_args(argv)
    import django

    django.setup()
    from chantiers import ical

    listed = meetings(args.events)
    timings, size = [], 0
    for _ in range(args.rounds):
        started = time.process_time()
        size = len(ical.build_calendar(listed, _Request, "Agenda").to_ical())
        timings.append(time.process_time() - started)
    timings.sort()
    median = timings[len(timings) // 2]
    print(
        f"icalendar : {args.events} événements en {median * 1000:.0f} ms de processeur "
        f"(médiane de {args.rounds}, {median / args.events * 1e6:.0f} µs par événement, "
        f"{size / 1024:.0f} Kio)"
    )


if __name__ == "__main__":
    main()
