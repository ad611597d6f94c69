"""A hand-built month for the rapport d'avancement's tests: March 2025 (31 days, the
change to summer time inside), its previous period of the same length (29 January to
28 February 2025), and rows on each side of every boundary."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from chantiers.models import ActionStatus, MeetingStatus, Subscription
from diagnostic.models import Visibility
from diagnostic.report.period import Period
from tests.chantiers.factories import ActionFactory, PointEtapeFactory
from tests.diagnostic.factories import DocumentFactory, IndicatorFactory, IndicatorValueFactory
from tests.factories import ChantierFactory, MeetingFactory, SessionFactory

PARIS = ZoneInfo("Europe/Paris")
MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=PARIS)
TODAY = NOW.date()
LONG_AGO = datetime(2024, 1, 1, tzinfo=PARIS)


def paris(day, hour=0, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def action(chantier, title, status, points=(), **fields):
    """An action created long before the month, its points d'étape (date, new status)
    written as the team would, its status the latest one's."""
    made = ActionFactory(
        chantier=chantier,
        title=title,
        status=status,
        starts_on=fields.pop("starts_on", None),
        planned_end_on=fields.pop("planned_end_on", None),
        **fields,
    )
    type(made).objects.filter(pk=made.pk).update(created_at=LONG_AGO)
    for day, new_status in points:
        PointEtapeFactory(action=made, date=day, new_status=new_status, title=f"{title} {day}")
    return made


def meeting(chantier, title, starts_at, participants=None, **fields):
    return MeetingFactory(
        chantier=chantier,
        title=title,
        starts_at=starts_at,
        participants_count=participants,
        status=fields.pop("status", MeetingStatus.HELD),
        **fields,
    )


def build_month():
    """Two chantiers and their rows around March 2025; returns the objects by name."""
    épargne = ChantierFactory(title="Mobilisation de l'épargne locale", slug="epargne", order=1)
    agriculture = ChantierFactory(title="Dessine-moi ton agriculture !", slug="agri", order=2)
    rows = {"epargne": épargne, "agriculture": agriculture}
    # Meetings: Paris midnights on both ends, one without attendance, one cancelled.
    rows["first_minute"] = meeting(épargne, "Au premier instant", paris(date(2025, 3, 1)), 10)
    rows["last_evening"] = meeting(épargne, "Le dernier soir", paris(date(2025, 3, 31), 23, 30))
    rows["next_midnight"] = meeting(épargne, "Minuit après", paris(date(2025, 4, 1)), 40)
    rows["eve"] = meeting(épargne, "La veille", paris(date(2025, 2, 28), 23, 59), 7)
    rows["cancelled"] = meeting(
        épargne, "Annulée", paris(date(2025, 3, 10), 18), 3, status=MeetingStatus.CANCELLED
    )
    session = SessionFactory(
        title="Session de mars", starts_at=paris(date(2025, 3, 12), 9), participants_count=15
    )
    session.chantiers.add(épargne, agriculture)
    rows["session"] = session
    # Actions and their points d'étape.
    done, going, abandoned = ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.ABANDONED
    rows["reopened"] = action(
        épargne,
        "Réalisée puis rouverte",
        going,
        [(date(2025, 3, 5), done), (date(2025, 3, 20), going)],
    )
    rows["done_last_day"] = action(
        épargne, "Réalisée le dernier jour", done, [(date(2025, 3, 31), done)]
    )
    rows["done_after"] = action(
        agriculture,
        "Réalisée le lendemain",
        done,
        [(date(2025, 4, 1), done)],
        planned_end_on=date(2025, 3, 25),
    )
    rows["done_before"] = action(
        agriculture,
        "Réalisée avant, rouverte pendant",
        going,
        [(date(2025, 2, 10), done), (date(2025, 3, 15), going)],
    )
    rows["abandoned"] = action(
        agriculture, "Abandonnée", abandoned, [(date(2025, 3, 10), abandoned)]
    )
    rows["late"] = action(épargne, "En retard", going, planned_end_on=date(2025, 3, 15))
    for name, starts_on in (
        ("starts_first_day", date(2025, 3, 1)),
        ("starts_last_day", date(2025, 3, 31)),
        ("starts_next_day", date(2025, 4, 1)),
        ("starts_eve", date(2025, 2, 28)),
    ):
        rows[name] = action(agriculture, name, ActionStatus.PLANNED, starts_on=starts_on)
    # A point d'étape on each side of each end, without a new status.
    for day in (date(2025, 2, 28), date(2025, 3, 1), date(2025, 3, 31), date(2025, 4, 1)):
        PointEtapeFactory(action=rows["late"], date=day, title=f"Nouvelles du {day}")
    # Documents: public ones on both ends and outside, one reserved to elected officials.
    for name, day in (
        ("doc_first_day", date(2025, 3, 1)),
        ("doc_last_day", date(2025, 3, 31)),
        ("doc_next_day", date(2025, 4, 1)),
        ("doc_eve", date(2025, 2, 28)),
    ):
        rows[name] = DocumentFactory(title=name, published_on=day, chantier=épargne)
    rows["reserved"] = DocumentFactory(
        title="Note réservée", published_on=date(2025, 3, 10), visibility=Visibility.RESERVED
    )
    # Followers: confirmed before midnight after the last day, at that midnight, long ago.
    for email, confirmed_at in (
        ("dernier-soir@example.org", paris(date(2025, 3, 31), 23, 59)),
        ("minuit@example.org", paris(date(2025, 4, 1))),
        ("ancien@example.org", paris(date(2025, 2, 1))),
    ):
        Subscription.objects.create(email=email, rhythm="hebdo", confirmed_at=confirmed_at)
    # Indicators: a rise where a rise is wanted, a fall where a fall is wanted, a first.
    rises = IndicatorFactory(name="Lieux de coopération")
    IndicatorValueFactory(indicator=rises, measured_on=date(2025, 1, 1), value=10)
    IndicatorValueFactory(indicator=rises, measured_on=date(2025, 3, 15), value=12)
    falls = IndicatorFactory(name="Kilomètres parcourus", higher_is_better=False)
    IndicatorValueFactory(indicator=falls, measured_on=date(2024, 6, 1), value=8)
    IndicatorValueFactory(indicator=falls, measured_on=date(2025, 3, 31), value=5)
    first = IndicatorFactory(name="Premier relevé")
    IndicatorValueFactory(indicator=first, measured_on=date(2025, 3, 1), value=3)
    IndicatorValueFactory(indicator=first, measured_on=date(2025, 4, 1), value=4)
    return rows
