"""Synthetic but realistic barcamp events at four sizes, the same for the same seed.

The shape follows what organisers see: a few sessions draw most of the votes (lognormal
popularity), voters follow two or three topics and mark mostly sessions of those, some hosts
pitch twice, a few workshops take two slots, some people cannot come at every time, and a
share of the crowd follows online. Every draw comes from one `random.Random` per event.
"""

from __future__ import annotations

import itertools
import random
from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from planner.scheduler.problem import (
    STREAM,
    EventInfo,
    Pin,
    Problem,
    Room,
    Session,
    Slot,
    Vote,
)

PROJECTOR, ACCESSIBLE, WHITEBOARD = "projector", "accessible", "whiteboard"


@dataclass(frozen=True)
class SizeSpec:
    """The shape of one benchmark event and the solver's time budget for it."""

    name: str
    title: str
    sessions: int
    rooms: int
    voters: int
    budget: float  # solver seconds: what an organiser waits at this size
    first_day: date
    days: int
    starts: tuple[str, ...]  # slot start times on each day
    minutes: int  # length of one slot
    topics: int
    doubles: int  # two-slot workshops; kept few so that the grid keeps some slack
    room_outages: int  # (room, slot) pairs where a room cannot be used
    pins: int  # popular sessions pinned into the largest room, one per day at most

    @property
    def slots(self) -> int:
        """Number of slots over all days."""
        return self.days * len(self.starts)


SIZES: dict[str, SizeSpec] = {
    "S": SizeSpec(
        "S", "Barcamp-Kongress Hessen (synthetisch)", 25, 9, 300, 5.0,
        date(2026, 11, 18), 1, ("13:30", "14:20", "15:10"), 40, 6, 1, 0, 0,
    ),
    "M": SizeSpec(
        "M", "Barcamp Mittelhessen (synthetisch)", 60, 8, 250, 15.0,
        date(2026, 9, 12), 2, ("10:00", "11:00", "13:30", "14:30"), 45, 9, 1, 1, 1,
    ),
    "L": SizeSpec(
        "L", "Barcamp Rhein-Main (synthetisch)", 150, 14, 1500, 60.0,
        date(2026, 5, 16), 2, ("10:00", "11:00", "12:00", "14:00", "15:00", "16:00"), 45,
        14, 4, 2, 2,
    ),
    "XL": SizeSpec(
        "XL", "Digitalkonferenz (synthetisch)", 400, 30, 8000, 120.0,
        date(2026, 6, 20), 2,
        ("09:30", "10:30", "11:30", "12:30", "14:30", "15:30", "16:30", "17:30"), 45,
        20, 10, 4, 2,
    ),
    # A barcamp with one spare place: 59 slot-units into 60 open room-slots.
    "TB": SizeSpec(
        "TB", "Barcamp Nordhessen, voll belegt (synthetisch)", 56, 8, 300, 15.0,
        date(2026, 10, 3), 2, ("10:00", "11:00", "13:30", "14:30"), 45, 9, 3, 4, 1,
    ),
    # The tight conference: generate_conference() makes it; the spec gives its budget.
    "TC": SizeSpec(
        "TC", "Fachkonferenz, eng (synthetisch)", 311, 10, 700, 30.0,
        date(2026, 3, 10), 3, (), 20, 16, 4, 29, 0,
    ),
}  # fmt: skip
TIGHT = ("TB", "TC")


@dataclass(frozen=True)
class Shape:
    """How a kind of event differs from the base one at the same size and seed (the same
    draws, scaled: so a shape changes one thing only)."""

    name: str
    seats: float = 1.0  # room capacities against the on-site crowd
    online: tuple[float, float] = (0.12, 0.22)  # share of online voters, drawn in this range
    own_topics: float = 0.8  # share of a voter's marks within the topics they follow


SHAPES: dict[str, Shape] = {
    "base": Shape("base"),
    "crowded": Shape("crowded", seats=0.7),  # rooms too small for the crowd: overflow matters
    "clustered": Shape("clustered", own_topics=0.97),  # votes keep to topics: clashes cluster
    "online": Shape("online", online=(0.35, 0.45)),  # many follow online: stream rooms matter
}

# Topic -> subjects; titles combine a subject with a pattern ("Open Data im Landkreis").
TOPICS: dict[str, tuple[str, ...]] = {
    "Open Data": ("Open Data", "offene Haushaltsdaten", "Datenportale", "Open Government"),
    "Verwaltung": ("digitale Verwaltung", "Onlinezugangsgesetz", "E-Akten", "Fachverfahren"),
    "Bildung": ("digitale Schule", "Medienkompetenz", "Lernplattformen", "Tablets im Unterricht"),
    "Nachhaltigkeit": ("Nachhaltigkeit", "Green IT", "Klimaschutz vor Ort", "Repair-Cafés"),
    "Open Source": ("Open Source", "Linux im Büro", "freie Software", "Nextcloud"),
    "Datenschutz": ("Datenschutz", "DSGVO", "Privacy by Design", "Cookie-Banner"),
    "KI": ("KI", "Sprachmodelle", "maschinelles Lernen", "Chatbots"),
    "Mobilität": ("Radverkehr", "ÖPNV", "Carsharing", "Mobilitätsdaten"),
    "Ehrenamt": ("Ehrenamt", "Vereinsarbeit", "Engagement", "Fördermittel"),
    "Stadtentwicklung": ("Stadtentwicklung", "Bürgerbeteiligung", "Leerstand", "Quartiersarbeit"),
    "Barrierefreiheit": ("Barrierefreiheit", "leichte Sprache", "Screenreader", "Inklusion"),
    "Journalismus": ("Lokaljournalismus", "Datenjournalismus", "Podcasts", "Newsletter"),
    "Smart City": ("Smart City", "Sensornetze", "LoRaWAN", "digitale Zwillinge"),
    "Gesundheit": ("digitale Gesundheit", "E-Patientenakte", "Pflege digital", "Telemedizin"),
    "Kultur": ("digitale Kultur", "Museen online", "Bibliotheken", "Kulturerbe"),
    "Energie": ("Energiewende", "Balkonkraftwerke", "Wärmepumpen", "Bürgerenergie"),
    "Landwirtschaft": ("Landwirtschaft", "Smart Farming", "Direktvermarktung", "Dorfläden"),
    "IT-Sicherheit": ("IT-Sicherheit", "Passwortmanager", "Phishing", "Notfallpläne"),
    "Arbeit": ("Remote-Arbeit", "New Work", "Fachkräftemangel", "Coworking"),
    "Community": ("Barcamps", "Community-Aufbau", "Moderation", "Meetups"),
}
PATTERNS = (
    "{} im Landkreis",
    "{} für Einsteiger",
    "{}: Erfahrungen aus der Praxis",
    "{} in der Kommune",
    "Was bringt {} wirklich?",
    "{} – Fragen und Antworten",
    "Best Practices: {}",
    "{} ohne Budget",
    "{} auf dem Land",
    "Mythen rund um {}",
)
WORKSHOP_PATTERNS = ("Workshop: {} selbst gemacht", "Hands-on: {}", "Werkstatt {}")
FIRST_NAMES = (
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannah", "Ilias", "Jana",
    "Jonas", "Katrin", "Lars", "Lea", "Malte", "Mara", "Nico", "Olga", "Paul", "Rana",
    "Sven", "Tanja", "Timo", "Ute", "Vera", "Yusuf", "Zoe", "Hakan", "Miriam", "Ole",
)  # fmt: skip
LAST_NAMES = (
    "Becker", "Brandt", "Demir", "Engel", "Fischer", "Graf", "Hahn", "Jung", "Keller", "Klein",
    "Koch", "Krüger", "Lang", "Lehmann", "Meyer", "Neumann", "Otto", "Peters", "Richter",
    "Schmidt", "Schulz", "Vogel", "Wagner", "Weber", "Winter", "Wolf", "Yılmaz", "Zimmermann",
)  # fmt: skip
LARGE_ROOM_NAMES = ("Großer Saal", "Aula", "Plenarsaal", "Forum", "Kleiner Saal", "Atrium")


@dataclass
class _Draft:
    """A session while it is being made up; frozen into a Session at the end."""

    topic: int
    popularity: float
    title: str
    hosts: tuple[str, ...]
    length: int = 1
    needs: frozenset[str] = frozenset()
    unavailable: frozenset[str] = frozenset()
    pinned: Pin | None = None
    extra_interest: int = 0


def generate(size: str, seed: int = 0, shape: str = "base") -> Problem:
    """Make the synthetic event of this size ("S", "M", "L", "XL", or the tight "TB" and
    "TC") and shape (SHAPES; not for "TC"); same seed, same event."""
    if size == "TC":
        return generate_conference(seed)
    spec, form = SIZES[size], SHAPES[shape]
    rng = random.Random(f"barcamp-bench/{size}/{seed}")  # str seeds are stable across runs
    slots = make_slots(spec)
    online = _online_voters(rng, spec.voters, form.online)
    rooms = make_rooms(rng, spec, round((spec.voters - len(online)) * form.seats))
    topic_weights = [1 / (rank + 1) ** 0.8 for rank in range(spec.topics)]
    rng.shuffle(topic_weights)
    drafts = make_sessions(rng, spec, topic_weights, rooms)
    _pin_popular(spec, drafts, rooms, slots)
    rooms = _add_room_outages(rng, spec, rooms, slots, drafts)
    _add_unavailability(rng, drafts, slots)
    votes = make_votes(rng, spec, drafts, topic_weights, online, form.own_topics)
    sessions = tuple(_freeze(index, draft) for index, draft in enumerate(drafts))
    kind = "" if shape == "base" else f", {shape}"
    event = EventInfo(f"{spec.title}{kind}, Seed {seed}", "Europe/Berlin")
    return Problem(event, rooms, slots, sessions, votes)


def make_slots(spec: SizeSpec) -> tuple[Slot, ...]:
    """Slots of `spec.minutes` at the spec's start times on each day."""
    slots = []
    for day in range(spec.days):
        when = spec.first_day + timedelta(days=day)
        for clock in spec.starts:
            start = datetime.combine(when, datetime.strptime(clock, "%H:%M").time())
            end = start + timedelta(minutes=spec.minutes)
            slots.append(Slot(f"t{len(slots) + 1}", start, end))
    return tuple(slots)


def _online_voters(
    rng: random.Random, voters: int, between: tuple[float, float] = (0.12, 0.22)
) -> frozenset[int]:
    """Indices of the voters who follow online: by default 12 to 22 % of all, exactly."""
    share = rng.uniform(*between)
    return frozenset(rng.sample(range(voters), round(voters * share)))


# --- rooms ---------------------------------------------------------------------------------


def make_rooms(rng: random.Random, spec: SizeSpec, on_site: int) -> tuple[Room, ...]:
    """A couple of large halls and many small rooms, seating about the on-site crowd."""
    large = max(2, spec.rooms // 7)
    weights = [rng.uniform(3.0, 5.0) for _ in range(large)]
    weights += [rng.lognormvariate(0.0, 0.35) for _ in range(spec.rooms - large)]
    weights.sort(reverse=True)
    seats = on_site * rng.uniform(0.9, 1.1)
    capacities = [max(10, 5 * round(seats * weight / sum(weights) / 5)) for weight in weights]
    streamed = set(range(large))
    streamed |= set(rng.sample(range(large, spec.rooms), max(0, round(spec.rooms / 3) - large)))
    return tuple(
        Room(
            id=f"r{index + 1}",
            name=_room_name(index, large),
            capacity=capacity,
            features=_room_features(rng, index < large, index in streamed),
        )
        for index, capacity in enumerate(capacities)
    )


def _room_name(index: int, large: int) -> str:
    if index < large and index < len(LARGE_ROOM_NAMES):
        return LARGE_ROOM_NAMES[index]
    floor, number = divmod(index - large, 8)
    return f"Raum {floor + 1}.{number + 1:02d}"


def _room_features(rng: random.Random, large: bool, streamed: bool) -> frozenset[str]:
    """Halls have everything but a whiteboard; small rooms vary."""
    features = {STREAM} if streamed else set()
    if large:
        return frozenset(features | {PROJECTOR, ACCESSIBLE})
    if rng.random() < 0.8:
        features.add(PROJECTOR)
    if rng.random() < 0.6:
        features.add(ACCESSIBLE)
    if rng.random() < 0.4:
        features.add(WHITEBOARD)
    return frozenset(features)


def _add_room_outages(rng, spec: SizeSpec, rooms, slots, drafts) -> tuple[Room, ...]:
    """Make a few rooms unavailable in one slot each (booked by someone else)."""
    pinned = {(draft.pinned.room, draft.pinned.slot) for draft in drafts if draft.pinned}
    cells = [
        (room_index, slot.id)
        for room_index, room in enumerate(rooms)
        for slot in slots
        if (room.id, slot.id) not in pinned
    ]
    rooms = list(rooms)
    for room_index, slot_id in rng.sample(cells, spec.room_outages):
        room = rooms[room_index]
        rooms[room_index] = replace(room, unavailable=room.unavailable | {slot_id})
    return tuple(rooms)


# --- sessions ------------------------------------------------------------------------------


def make_sessions(rng, spec: SizeSpec, topic_weights, rooms) -> list[_Draft]:
    """Pitched sessions with topics, heavy-tailed popularity, hosts, lengths and needs."""
    topic_names = rng.sample(sorted(TOPICS), spec.topics)
    titles = {name: _title_pool(rng, name) for name in topic_names}
    people = _people(rng, round(spec.sessions * 1.2))
    drafts = []
    for index in range(spec.sessions):
        topic = rng.choices(range(spec.topics), topic_weights)[0]
        title = titles[topic_names[topic]].pop() if titles[topic_names[topic]] else None
        popularity = rng.lognormvariate(0.0, 0.8)
        drafts.append(_Draft(topic, popularity, title or f"Offene Runde {index + 1}", ()))
    _make_workshops(rng, spec, drafts, titles, topic_names)
    _assign_hosts(rng, drafts, people)
    for draft in drafts:
        draft.needs = _needs(rng, draft.length > 1, rooms)
        if rng.random() < 0.08:  # a show of hands in the pitch round
            draft.extra_interest = rng.randint(3, 12 + spec.voters // 200)
    return drafts


def _title_pool(rng: random.Random, topic: str) -> list[str]:
    titles = [
        _capital(pattern.format(subject)) for subject in TOPICS[topic] for pattern in PATTERNS
    ]
    rng.shuffle(titles)
    return titles


def _capital(title: str) -> str:
    return title[0].upper() + title[1:]


def _people(rng: random.Random, count: int) -> list[str]:
    names = [f"{first} {last}" for first, last in itertools.product(FIRST_NAMES, LAST_NAMES)]
    return rng.sample(names, min(count, len(names)))


def _make_workshops(rng, spec: SizeSpec, drafts, titles, topic_names) -> None:
    """Turn a few sessions into two-slot workshops."""
    for draft in rng.sample(drafts, spec.doubles):
        subject = rng.choice(TOPICS[topic_names[draft.topic]])
        draft.length = 2
        draft.title = rng.choice(WORKSHOP_PATTERNS).format(subject)


def _assign_hosts(rng: random.Random, drafts: list[_Draft], people: list[str]) -> None:
    """One host each; about one in ten single-slot hosts pitches a second session, and a few
    sessions have a co-host who hosts nothing else (so no host needs more than two slots)."""
    fresh = iter(people)
    for draft in drafts:
        draft.hosts = (next(fresh),)
    singles = [draft for draft in drafts if draft.length == 1]
    twice = rng.sample(singles, len(singles) // 10 * 2)
    for first, second in zip(twice[::2], twice[1::2], strict=True):
        second.hosts = first.hosts
    for draft in drafts:
        if rng.random() < 0.1:
            co_host = next(fresh, None)
            draft.hosts += (co_host,) if co_host else ()


def _needs(rng: random.Random, workshop: bool, rooms) -> frozenset[str]:
    """Projector often, stream sometimes, whiteboard rarely; always met by some room."""
    needs = set()
    if rng.random() < (0.3 if workshop else 0.55):
        needs.add(PROJECTOR)
    if not workshop and rng.random() < 0.12:
        needs.add(STREAM)
    if rng.random() < (0.3 if workshop else 0.05):
        needs.add(WHITEBOARD)
    for rare in (WHITEBOARD, STREAM, PROJECTOR):  # drop the rarest need until a room has all
        if not any(needs <= room.features for room in rooms):
            needs.discard(rare)
    return frozenset(needs)


def _pin_popular(spec: SizeSpec, drafts, rooms, slots) -> None:
    """Pin the most popular plain sessions into the largest room, first slot of each day."""
    hall = rooms[0]
    candidates = sorted(
        (draft for draft in drafts if draft.length == 1 and draft.needs <= hall.features),
        key=lambda draft: -draft.popularity,
    )
    per_day = len(spec.starts)
    for day, draft in enumerate(candidates[: spec.pins]):
        draft.pinned = Pin(hall.id, slots[day * per_day].id)


def _add_unavailability(rng: random.Random, drafts: list[_Draft], slots) -> None:
    """About one unpinned session in fifteen cannot do one slot (the host comes late or
    leaves early, or has another appointment)."""
    first, last = slots[0].id, slots[-1].id
    for draft in drafts:
        if draft.pinned is None and rng.random() < 1 / 15:
            draft.unavailable = frozenset({rng.choice((first, last, rng.choice(slots).id))})


def _freeze(index: int, draft: _Draft) -> Session:
    return Session(
        id=f"s{index + 1}",
        title=draft.title,
        description="Workshop zum Mitmachen." if draft.length > 1 else "Offene Session.",
        hosts=draft.hosts,
        needs=draft.needs,
        length=draft.length,
        unavailable=draft.unavailable,
        pinned=draft.pinned,
        extra_interest=draft.extra_interest,
    )


# --- votes ---------------------------------------------------------------------------------


def make_votes(
    rng, spec: SizeSpec, drafts, topic_weights, online, own_topics: float = 0.8
) -> tuple[Vote, ...]:
    """Each voter follows two or three topics and marks mostly, not only, sessions of those."""
    by_topic = [
        [index for index, draft in enumerate(drafts) if draft.topic == topic]
        for topic in range(spec.topics)
    ]
    popularity = [draft.popularity for draft in drafts]
    everything = _Pool(range(len(drafts)), popularity)
    votes = []
    for voter in range(spec.voters):
        followed = _distinct_choices(rng, range(spec.topics), topic_weights, rng.choice((2, 2, 3)))
        own = _Pool(itertools.chain.from_iterable(by_topic[t] for t in followed), popularity)
        marks = _marks(rng, own, everything, _mark_count(rng, len(drafts)), own_topics)
        votes.append(
            Vote(f"v{voter + 1}", tuple(f"s{index + 1}" for index in marks), voter in online)
        )
    return tuple(votes)


def _mark_count(rng: random.Random, sessions: int) -> int:
    """Typically 3 to 8 marks; one voter in ten marks a few more."""
    count = rng.randint(3, 8)
    if rng.random() < 0.1:
        count += rng.randint(2, 6)
    return min(count, sessions)


class _Pool:
    """Session indices to draw from, each with a weight (fast draws by bisection)."""

    def __init__(self, indices, weights: list[float]) -> None:
        self.indices = list(indices)
        self.cumulative = list(itertools.accumulate(weights[index] for index in self.indices))

    def draw(self, rng: random.Random) -> int | None:
        """Draw one index by weight, or None from an empty pool."""
        if not self.indices:
            return None
        point = rng.random() * self.cumulative[-1]
        return self.indices[min(bisect_right(self.cumulative, point), len(self.indices) - 1)]


def _marks(
    rng: random.Random, own: _Pool, everything: _Pool, count: int, own_topics: float = 0.8
) -> list[int]:
    """Draw `count` distinct sessions, by default four in five from the voter's own topics."""
    marks: list[int] = []
    for _attempt in range(count * 20):  # bounded: a small own pool may run dry
        if len(marks) == count:
            break
        pool = own if own.indices and rng.random() < own_topics else everything
        choice = pool.draw(rng)
        if choice not in marks:
            marks.append(choice)
    return marks


def _distinct_choices(rng: random.Random, items, weights, count: int) -> list:
    """Draw `count` distinct items by weight."""
    items, weights = list(items), list(weights)
    chosen = []
    for _ in range(min(count, len(items))):
        index = rng.choices(range(len(items)), weights)[0]
        chosen.append(items.pop(index))
        weights.pop(index)
    return chosen


def total_cells(problem: Problem) -> int:
    """Room-slot cells the rooms offer, minus their outages."""
    return sum(len(problem.slots) - len(room.unavailable) for room in problem.rooms)


def session_cells(problem: Problem) -> int:
    """Room-slot cells all sessions together take."""
    return sum(session_.length for session_ in problem.sessions)


# --- tight events --------------------------------------------------------------------------
# Two kinds of event where placing every session is the hard part: a conference whose rooms
# open only in some blocks (modelled on a real academic one: 10 rooms, 36 twenty-minute slots
# over three days, 331 open room-slots for 317 slot-units of talks), and a barcamp with one
# or two spare places.

CONFERENCE_BLOCKS = (("09:00", 4), ("10:50", 4), ("13:30", 4))  # (first start, slots) per day
CONFERENCE_DAYS = 3
CONFERENCE_ROOMS = 10
CONFERENCE_OPEN_CELLS = 331
CONFERENCE_LENGTHS = {3: 2, 2: 2}  # talks per length beyond one slot
CONFERENCE_UNITS = 317
CONFERENCE_VOTERS = 700


def generate_conference(seed: int = 0) -> Problem:
    """A tight academic conference: ~300 talks of one to three slots into rooms that open
    only in some blocks, with speakers who can come on some days only; same seed, same event."""
    rng = random.Random(f"barcamp-bench/TC/{seed}")
    slots = _conference_slots()
    rooms = _conference_rooms(rng, slots)
    lengths = [3] * CONFERENCE_LENGTHS[3] + [2] * CONFERENCE_LENGTHS[2]
    lengths += [1] * (CONFERENCE_UNITS - sum(lengths))
    rng.shuffle(lengths)
    topics = 16
    topic_weights = [1 / (rank + 1) ** 0.8 for rank in range(topics)]
    topic_names = rng.sample(sorted(TOPICS), topics)
    people = _people(rng, len(lengths))
    drafts = []
    for index, length in enumerate(lengths):
        topic = rng.choices(range(topics), topic_weights)[0]
        subject = rng.choice(TOPICS[topic_names[topic]])
        title = rng.choice(WORKSHOP_PATTERNS if length > 1 else PATTERNS).format(subject)
        host = people[index % len(people)]
        drafts.append(_Draft(topic, rng.lognormvariate(0.0, 1.0), _capital(title), (host,), length))
    _conference_hosts_and_days(rng, drafts, slots)
    votes = _conference_votes(rng, drafts, topics, topic_weights)
    sessions = tuple(_freeze(index, draft) for index, draft in enumerate(drafts))
    event = EventInfo(f"Fachkonferenz (synthetisch, eng), Seed {seed}", "Europe/Berlin")
    return Problem(event, rooms, slots, sessions, votes)


def _conference_slots() -> tuple[Slot, ...]:
    slots = []
    for day in range(CONFERENCE_DAYS):
        when = date(2026, 3, 10) + timedelta(days=day)
        for first, count in CONFERENCE_BLOCKS:
            start = datetime.combine(when, datetime.strptime(first, "%H:%M").time())
            for offset in range(count):
                begin = start + timedelta(minutes=20 * offset)
                slots.append(Slot(f"t{len(slots) + 1}", begin, begin + timedelta(minutes=20)))
    return tuple(slots)


def _conference_rooms(rng: random.Random, slots) -> tuple[Room, ...]:
    """Ten rooms; whole blocks closed (the rooms are the university's), then single slots,
    until exactly CONFERENCE_OPEN_CELLS room-slots stay open."""
    blocks = [
        [slot.id for slot in slots[start : start + count]]
        for start, count in _block_starts(len(slots))
    ]
    closed: list[set[str]] = [set() for _ in range(CONFERENCE_ROOMS)]
    total = CONFERENCE_ROOMS * len(slots)
    # Half blocks: a room is often booked for part of a block, which splits longer talks.
    halves = [half for block in blocks for half in (block[:2], block[2:])]
    room_blocks = [(room, block) for room in range(CONFERENCE_ROOMS) for block in halves]
    rng.shuffle(room_blocks)
    for room, block in room_blocks:
        if total - sum(map(len, closed)) - len(block) < CONFERENCE_OPEN_CELLS:
            break
        closed[room].update(block)
    while total - sum(map(len, closed)) > CONFERENCE_OPEN_CELLS:
        room = rng.randrange(CONFERENCE_ROOMS)
        closed[room].add(rng.choice(slots).id)
    capacities = sorted((rng.choice((30, 40, 60, 80, 120, 200)) for _ in closed), reverse=True)
    return tuple(
        Room(
            id=f"r{index + 1}",
            name=_room_name(index, 2),
            capacity=capacity,
            features=frozenset({PROJECTOR, ACCESSIBLE} | ({STREAM} if index < 3 else set())),
            unavailable=frozenset(shut),
        )
        for index, (capacity, shut) in enumerate(zip(capacities, closed, strict=True))
    )


def _block_starts(slot_count: int) -> list[tuple[int, int]]:
    starts, position = [], 0
    while position < slot_count:
        for _first, count in CONFERENCE_BLOCKS:
            starts.append((position, count))
            position += count
    return starts


def _conference_hosts_and_days(rng: random.Random, drafts: list[_Draft], slots) -> None:
    """Talks have one to three authors from a shared pool; almost half can come on one
    day only, mostly the first,
    one in ten in one block only (a session of related talks)."""
    days = sorted({slot.start.date() for slot in slots})
    blocks = [slots[start : start + count] for start, count in _block_starts(len(slots))]
    authors = _people(rng, len(drafts) * 2 // 3)
    for draft in drafts:
        # Papers have co-authors, and the same people co-author several: host clashes.
        draft.hosts = tuple(rng.sample(authors, rng.choice((1, 1, 2, 2, 3))))
        chance = rng.random()
        if chance < 1 / 10:
            block = {slot.id for slot in rng.choice(blocks)}
            draft.unavailable = frozenset(slot.id for slot in slots if slot.id not in block)
        elif chance < 0.55:
            # Most want the first day (travel home early): that day is nearly full.
            day = rng.choices(days, (0.55, 0.3, 0.15))[0]
            draft.unavailable = frozenset(slot.id for slot in slots if slot.start.date() != day)
        if draft.length == 1 and rng.random() < 0.05:
            draft.needs = frozenset({STREAM})


def _conference_votes(rng, drafts, topics: int, topic_weights) -> tuple[Vote, ...]:
    """Most attendees mark one or two talks of their topic, a few mark up to eight."""
    by_topic = [[i for i, draft in enumerate(drafts) if draft.topic == t] for t in range(topics)]
    popularity = [draft.popularity for draft in drafts]
    everything = _Pool(range(len(drafts)), popularity)
    votes = []
    for voter in range(CONFERENCE_VOTERS):
        followed = _distinct_choices(rng, range(topics), topic_weights, rng.choice((1, 2)))
        own = _Pool(itertools.chain.from_iterable(by_topic[t] for t in followed), popularity)
        count = rng.choice((1, 1, 1, 2, 2, 2, 3, 4))
        count += rng.randint(1, 4) if rng.random() < 0.1 else 0
        marks = _marks(rng, own, everything, count)
        online = rng.random() < 0.1
        votes.append(Vote(f"v{voter + 1}", tuple(f"s{index + 1}" for index in marks), online))
    return tuple(votes)
