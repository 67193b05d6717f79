"""The demo barcamp, modelled on a regional digital-government congress in Hesse: 25 pitched
sessions, nine rooms, three rows of 40-minute sessions after lunch, about 300 voters (some of
them online) whose marks follow a few topics each."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from flask_babel import force_locale
from werkzeug.security import check_password_hash

from .extensions import db
from .models import Event, TopicChoice, User
from .operations.rounds import QuickSetup, quick_setup
from .operations.transfer import create_event_from_problem
from .scheduler import EventInfo, Problem, Room, Session, Slot, Vote

SEED = 2024
VOTERS = 300
ONLINE_SHARE = 0.15

ROOMS = (  # name, seats, features
    ("Plenarsaal", 120, {"projector", "stream", "accessible"}),
    ("Forum", 60, {"projector", "stream", "accessible"}),
    ("Raum Wiesbaden", 40, {"projector", "accessible"}),
    ("Raum Kassel", 30, {"projector", "whiteboard"}),
    ("Raum Darmstadt", 30, {"projector", "stream"}),
    ("Raum Gießen", 25, {"projector", "accessible"}),
    ("Raum Fulda", 20, {"whiteboard", "accessible"}),
    ("Raum Marburg", 20, {"projector"}),
    ("Lounge", 15, {"accessible"}),
)

TOPICS = {
    "Verwaltung": (
        "Onlinezugangsgesetz in der Praxis",
        "E-Akte: Erfahrungen nach einem Jahr",
        "Registermodernisierung für Einsteiger",
        "Digitale Bauanträge im Kreis",
    ),
    "Daten": (
        "Open Data im Landkreis",
        "Datenstrategie für Kommunen",
        "Dashboards für den Stadtrat",
        "Geodaten offen teilen",
    ),
    "KI": (
        "KI-Assistenz im Bürgerbüro",
        "Chatbots und Barrierefreiheit",
        "Sprachmodelle datenschutzkonform nutzen",
        "KI-Verordnung: was jetzt?",
    ),
    "Sicherheit": (
        "IT-Sicherheit für kleine Gemeinden",
        "Notfallübung Cyberangriff",
        "Passwortlose Anmeldung im Amt",
    ),
    "Kultur": (
        "Agile Teams im öffentlichen Dienst",
        "Digitale Führung",
        "Nachwuchs gewinnen mit Social Media",
        "Barcamps in der Verwaltung",
    ),
    "Bürger": (
        "Beteiligungsplattformen im Vergleich",
        "Smart City mit kleinem Budget",
        "Barrierefreie Webseiten",
        "Mängelmelder: Bilanz nach zwei Jahren",
        "Digitale Bürgersprechstunde",
        "Open Source im Rathaus",
    ),
}

HOSTS = (
    "Anna Becker",
    "Jonas Weber",
    "Leyla Demir",
    "Markus Schulz",
    "Sofia Wagner",
    "Tim Hoffmann",
    "Miriam Koch",
    "David Richter",
    "Elif Yılmaz",
    "Paul Neumann",
    "Clara Schmitt",
    "Ben Fischer",
    "Hannah Wolf",
    "Yusuf Aydın",
    "Greta Braun",
    "Felix Krüger",
    "Lena Hartmann",
    "Noah Lange",
    "Marie Zimmermann",
    "Emil Krause",
    "Ida Schröder",
    "Luis Meyer",
)


def demo_problem(day: date | None = None) -> Problem:
    """The demo event as a Problem (deterministic, on `day`, default today)."""
    rng = random.Random(SEED)
    day = day or date.today()
    slots = tuple(_slots(day))
    rooms = tuple(
        Room(f"r{index}", name, seats, frozenset(features))
        for index, (name, seats, features) in enumerate(ROOMS, start=1)
    )
    sessions = tuple(_sessions(rng))
    votes = tuple(_votes(rng, sessions))
    return Problem(
        EventInfo("Digitaler Verwaltungstag Hessen", "Europe/Berlin"), rooms, slots, sessions, votes
    )


def load_demo(day: date | None = None) -> Event:
    """Create the demo event in the database (flushes, does not commit)."""
    event = create_event_from_problem(demo_problem(day), language="de")
    event.venue = "Kongresszentrum Wiesbaden"
    event.voting_open = True
    _table_rounds(event, rng=random.Random(SEED), day=day or date.today())
    return event


# The congress's morning before the barcamp: eight topic tables, "Mein Digital, Dein Digital".
TABLE_TOPICS = (
    "KI und Trends",
    "Open Data",
    "Bürgerbeteiligung",
    "E-Akte und Prozesse",
    "IT-Sicherheit",
    "Digitale Bildung",
    "Smart City",
    "Nachwuchs und Kultur",
)
CHOOSERS = 60  # phones that already chose, so the seating has something to do


def _table_rounds(event: Event, *, rng: random.Random, day: date) -> None:
    """Give the demo topic tables (one per topic, 6–10 seats, two rounds) and some phones'
    choices; the seating is left to the organiser."""
    setup = QuickSetup(
        topics=TABLE_TOPICS,
        tables_per_topic=1,
        seats=10,
        minimum=6,
        rounds=2,
        first_start=datetime.combine(day, time(10, 0)),
        minutes=40,
        pause=15,
        mode="free",
    )
    with force_locale(event.language):  # the tables' names ("Tisch 3") in the event's language
        quick_setup(event, setup)
    for ballot in event.ballots[:CHOOSERS]:
        topics = rng.sample(TABLE_TOPICS, rng.choice((1, 2, 2, 3)))
        for rank, topic in enumerate(topics, start=1):
            db.session.add(TopicChoice(ballot=ballot, topic=topic, rank=rank))
    db.session.flush()


def _slots(day: date):
    first = datetime.combine(day, time(13, 30))
    for index in range(3):
        start = first + timedelta(minutes=50 * index)
        yield Slot(f"t{index + 1}", start, start + timedelta(minutes=40))


def _sessions(rng: random.Random):
    titles = [(topic, title) for topic, names in TOPICS.items() for title in names]
    for index, (topic, title) in enumerate(titles, start=1):
        hosts = (HOSTS[(index - 1) % len(HOSTS)],)  # the first three hosts pitch twice
        workshop = title.startswith("Notfallübung")
        yield Session(
            id=f"s{index}",
            title=title,
            description=f"Ein Barcamp-Angebot zum Thema {topic}.",
            hosts=hosts,
            needs=frozenset({"whiteboard"} if workshop else rng.choice(({"projector"}, set()))),
            length=2 if workshop else 1,
            extra_interest=rng.choice((0, 0, 0, 3, 5)),
        )


def _votes(rng: random.Random, sessions: tuple[Session, ...]):
    by_topic: dict[str, list[str]] = {}
    for session_ in sessions:
        topic = session_.description.rsplit(" ", 1)[-1].rstrip(".")
        by_topic.setdefault(topic, []).append(session_.id)
    popularity = {session_.id: rng.paretovariate(1.5) for session_ in sessions}
    topics = list(by_topic)
    for index in range(VOTERS):
        followed = rng.sample(topics, rng.choice((1, 2, 2, 3)))
        pool = [session_id for topic in followed for session_id in by_topic[topic]]
        count = min(len(pool), rng.randint(2, 6))
        weights = [popularity[session_id] for session_id in pool]
        marks = _weighted_sample(rng, pool, weights, count)
        yield Vote(f"v{index + 1}", tuple(marks), rng.random() < ONLINE_SHARE)


def _weighted_sample(rng: random.Random, pool: list[str], weights: list[float], count: int):
    chosen: list[str] = []
    pool, weights = list(pool), list(weights)
    while len(chosen) < count:
        pick = rng.choices(range(len(pool)), weights=weights)[0]
        chosen.append(pool.pop(pick))
        weights.pop(pick)
    return chosen


# The demo's organiser account: demo only, its password is printed and in the README.
DEMO_EMAIL = "orga@example.org"
DEMO_NAME = "Demo-Orga"
DEMO_PASSWORD = "barcamp"


def demo_admin() -> User:
    """The demo admin account, created when missing (flushes, does not commit)."""
    from .operations.accounts import create_user, user_by_email

    return user_by_email(DEMO_EMAIL) or create_user(
        DEMO_EMAIL, DEMO_NAME, DEMO_PASSWORD, is_admin=True
    )


def has_demo_password(user: User) -> bool:
    """Whether the demo account still has the password printed for it."""
    return check_password_hash(user.password_hash, DEMO_PASSWORD)
