"""Table rounds of an event: set them up, import rounds@1, collect choices, seat, publish.

The rounds live as a rounds@1 document with its seating@1 beside it (models.TableRounds), so
that the scheduler reads them as they are. Every seating that is stored went through the
validator; a change of tables or people drops the seating, which no longer fits them.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from ..errors import UserInputError
from ..extensions import db
from ..models import Ballot, Event, PhoneName, TableRounds, TopicChoice, utcnow
from ..scheduler import FormatError, InfeasibleError, PlannerError
from ..scheduler.rounds import (
    ROUNDS_FORMAT,
    RoundsProblem,
    Seat,
    Seating,
    dump_rounds,
    dump_seating,
    metrics,
    parse_rounds,
    parse_seating,
    read_rounds,
    violations,
)
from ..scheduler.rounds.explain import CLOSED, TOO_MANY, pin_conflict_records
from ..scheduler.rounds.solve import seat
from .setup import is_stream_url

MOST_CHOICES = 3  # topics a person ranks on the phone


@dataclass(frozen=True)
class QuickSetup:
    """Topic tables in one go: each topic with as many tables as asked, all rounds alike."""

    topics: tuple[str, ...]
    tables_per_topic: int
    seats: int
    minimum: int
    rounds: int
    first_start: datetime
    minutes: int
    pause: int
    mode: str


@dataclass(frozen=True)
class Stop:
    """One round of a person's route: when, at which table, on which topic."""

    number: int
    start: datetime
    end: datetime
    table: str
    topic: str
    host: str
    video: str = ""


def rounds_of(event: Event) -> TableRounds | None:
    """The event's table rounds, if it has any."""
    return db.session.scalar(sa.select(TableRounds).where(TableRounds.event_id == event.id))


def problem_of(rounds: TableRounds) -> RoundsProblem:
    """The stored document with the people who chose on their phones, as the scheduler
    reads it."""
    listed = {person["id"] for person in rounds.document.get("people", [])}
    extra = [person for person in _phone_people(rounds.event) if person["id"] not in listed]
    return parse_rounds({**rounds.document, "people": [*rounds.document["people"], *extra]})


def seating_of(rounds: TableRounds) -> Seating | None:
    """The stored seating, if any."""
    return None if rounds.seating is None else parse_seating(rounds.seating)


def _store(event: Event, document: dict[str, Any]) -> TableRounds:
    """Keep a new document; the seating no longer fits it and goes (and so does publication)."""
    rounds = rounds_of(event)
    if rounds is None:
        rounds = TableRounds(event=event, document=document)
        db.session.add(rounds)
    else:
        rounds.document = document
    rounds.seating = None
    rounds.published_at = None
    db.session.flush()
    return rounds


def quick_setup(event: Event, setup: QuickSetup) -> TableRounds:
    """Replace rounds and tables by `setup`; people and their choices stay."""
    topics = tuple(dict.fromkeys(topic.strip() for topic in setup.topics if topic.strip()))
    if not topics:
        raise UserInputError(_("Name at least one topic."))
    if setup.minimum > setup.seats:
        raise UserInputError(_("The minimum cannot be larger than the seats of a table."))
    old = rounds_of(event)
    people = old.document.get("people", []) if old is not None else []
    tables = [
        {"id": f"t{number}", "name": _("Table %(number)d", number=number), "topic": topic,
         "host": "", "seats": setup.seats, "min": setup.minimum, "unavailable": []}
        for number, topic in enumerate(
            (topic for topic in topics for _ in range(setup.tables_per_topic)), start=1
        )
    ]  # fmt: skip
    step = timedelta(minutes=setup.minutes + setup.pause)
    rounds = [
        {"id": f"k{index + 1}",
         "start": (setup.first_start + index * step).isoformat(timespec="minutes"),
         "end": (setup.first_start + index * step + timedelta(minutes=setup.minutes))
         .isoformat(timespec="minutes")}
        for index in range(setup.rounds)
    ]  # fmt: skip
    document = {
        "format": ROUNDS_FORMAT,
        "event": {"name": event.name, "timezone": event.timezone},
        "mode": setup.mode,
        "rounds": rounds,
        "tables": tables,
        "people": [{**person, "pinned": None} for person in people],
    }
    return _store(event, dump_rounds(_checked(document)))


def _checked(document: dict[str, Any]) -> RoundsProblem:
    try:
        return parse_rounds(document)
    except FormatError as error:
        raise UserInputError(import_sentences(error)) from None


def import_rounds(event: Event, data: bytes) -> TableRounds:
    """Replace the table rounds by an imported rounds@1 file."""
    try:
        problem = read_rounds(data)
    except FormatError as error:
        raise UserInputError(import_sentences(error)) from None
    return _store(event, dump_rounds(problem))


def import_sentences(error: FormatError) -> list[str]:
    """Each problem of a refused rounds@1 file as a sentence in the reader's language."""
    sentences = []
    for problem in error.problems[:10]:
        place = _place(problem.path) if problem.path else _("The file")
        if problem.code in ("bad_json", "not_utf8", "too_deep", "not_a_document"):
            sentences.append(_("The file is not a table rounds file (rounds@1)."))
        elif problem.code in ("wrong_format", "wrong_kind"):
            sentences.append(
                _("The file is not a table rounds file: its “format” must be “%(expected)s”.",
                  expected=ROUNDS_FORMAT)
            )  # fmt: skip
        else:
            sentences.append(_("%(place)s: %(problem)s", place=place, problem=_what(problem)))
    if len(error.problems) > 10:
        more = len(error.problems) - 10
        sentences.append(
            ngettext("… and %(num)d more problem.", "… and %(num)d more problems.", more)
        )
    return sentences


def _place(path: str) -> str:
    """A place in a rounds@1 file as people name it: `tables[0].seats` is "Table 1, seats"."""
    entries = {
        "rounds": lambda n: _("Round %(number)d", number=n),
        "tables": lambda n: _("Table %(number)d", number=n),
        "people": lambda n: _("Person %(number)d", number=n),
        "seating": lambda n: _("Entry %(number)d", number=n),
    }
    fields = {
        "seats": _("seats"), "min": _("minimum"), "topic": _("topic"), "name": _("name"),
        "host": _("host"), "unavailable": _("closed in rounds"), "choices": _("choices"),
        "group": _("organisation"), "pinned": _("fixed place"), "id": _("ID"),
        "start": _("start"), "end": _("end"), "mode": _("how people move"),
        "event": _("event"), "timezone": _("timezone"), "round": _("round"), "table": _("table"),
    }  # fmt: skip
    parts = []
    for part in path.split("."):
        key, _bracket, rest = part.partition("[")
        index = int(rest.split("]")[0]) + 1 if rest else None
        if key in entries and index is not None:
            parts.append(entries[key](index))
        else:
            parts.append(fields.get(key, key) + (f" {index}" if index is not None else ""))
    return ", ".join(parts)


def _what(problem) -> str:
    """What is wrong at one place, in the reader's language (details as in the file)."""
    words = {
        "missing": _("this is missing"),
        "empty": _("this must not be empty"),
        "has_nul": _("this holds a character that is not allowed"),
        "too_long": _("this text is too long"),
        "too_large": _("this number is too large"),
        "too_small": _("this number is too small"),
        "negative": _("this number must not be negative"),
        "duplicate": _("this id is used twice"),
        "unknown_reference": _("this names something the file does not have"),
        "rounds_not_chronological": _("the rounds must be listed in the order of their times"),
        "not_after_start": _("the end must be after the start"),
        "bad_time": _("this is not a time like “2024-11-18T11:00”"),
        "not_one_of": _("this must be “free” or “groups”"),
        "unknown_timezone": _("this is not a timezone such as “Europe/Berlin”"),
    }
    return words.get(problem.code, _("this value is not allowed here"))


STICKER_PREFIX = "sticker-"  # people counted from stickers: no names, one choice each
MOST_STICKERS = 5000


def set_stickers(event: Event, text: str) -> int:
    """Replace the people counted from stickers by lines like "KI und Trends: 40"; return
    how many people that makes."""
    rounds = _rounds_or_refuse(event)
    topics = problem_of(rounds).topics
    people, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        topic, _colon, count = line.rpartition(":")
        topic = topic.strip()
        if topic not in topics or not count.strip().isdigit():
            problems.append(
                _("Line %(number)d: write a topic of a table, a colon and a number.", number=number)
            )
            continue
        index = topics.index(topic)
        people += [
            {"id": f"{STICKER_PREFIX}{index + 1}-{n + 1}", "choices": [topic], "group": None,
             "pinned": None}
            for n in range(int(count))
        ]  # fmt: skip
    if problems or len(people) > MOST_STICKERS:
        raise UserInputError(problems or _("That is more people than the planner seats at once."))
    _replace_people(rounds, lambda person: person["id"].startswith(STICKER_PREFIX), people)
    return len(people)


def set_name_list(event: Event, text: str) -> int:
    """Replace the people on the list (typed here or imported) by one a line: "Name; Topic,
    Topic; Organisation", choices and organisation optional; return how many they are.
    People counted from stickers and those who chose on a phone stay."""
    rounds = _rounds_or_refuse(event)
    people, seen = [], set()
    for line in text.splitlines():
        name, *rest = [part.strip() for part in line.split(";")]
        if not name:
            continue
        if name in seen:
            raise UserInputError(_("%(name)s is listed twice.", name=name))
        if name.startswith(STICKER_PREFIX) or (name[:1] == "v" and name[1:].isdigit()):
            raise UserInputError(_("%(name)s cannot be a name here.", name=name))
        seen.add(name)
        choices = [topic.strip() for topic in rest[0].split(",") if topic.strip()] if rest else []
        group = rest[1] if len(rest) > 1 and rest[1] else None
        people.append({"id": name, "choices": choices, "group": group, "pinned": None})
    _replace_people(rounds, lambda person: not person["id"].startswith(STICKER_PREFIX), people)
    return len(people)


def people_texts(rounds: TableRounds) -> tuple[str, str]:
    """The sticker counts and the name list as the forms show them."""
    counts: dict[str, int] = {}
    lines = []
    for person in rounds.document.get("people", []):
        if person["id"].startswith(STICKER_PREFIX):
            topic = person["choices"][0]
            counts[topic] = counts.get(topic, 0) + 1
        else:
            parts = [
                person["id"],
                ", ".join(person.get("choices") or []),
                person.get("group") or "",
            ]
            lines.append("; ".join(parts).rstrip("; "))
    return "\n".join(f"{topic}: {count}" for topic, count in counts.items()), "\n".join(lines)


def _rounds_or_refuse(event: Event) -> TableRounds:
    rounds = rounds_of(event)
    if rounds is None:
        raise UserInputError(_("Set up the tables first."))
    return rounds


def _replace_people(rounds: TableRounds, replaced, people: list[dict[str, Any]]) -> None:
    """Swap some of the document's people for new ones, checked like an import."""
    kept = [person for person in rounds.document["people"] if not replaced(person)]
    _store(rounds.event, dump_rounds(_checked({**rounds.document, "people": kept + people})))


def set_video_links(event: Event, text: str) -> dict[str, str]:
    """Give online tables their video room, one a line: "Tisch 3: https://…" (by the
    table's name or id); tables not named have none."""
    rounds = _rounds_or_refuse(event)
    problem = problem_of(rounds)
    by_name = {table.name: table.id for table in problem.tables}
    links: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, _colon, url = line.partition(":")
        url = url.strip()
        table_id = by_name.get(name.strip(), name.strip())
        if table_id not in problem.table_by_id or not url or not is_stream_url(url):
            raise UserInputError(
                _("Line %(number)d: write a table's name, a colon and a web address starting "
                  "with https://.", number=number)
            )  # fmt: skip
        links[table_id] = url
    rounds.video_links = links
    db.session.flush()
    return links


def video_lines(rounds: TableRounds) -> str:
    """The video links as the form shows them."""
    problem = problem_of(rounds)
    return "\n".join(
        f"{problem.table_by_id[table_id].name}: {url}"
        for table_id, url in (rounds.video_links or {}).items()
        if table_id in problem.table_by_id
    )


def toggle_choice(event: Event, ballot: Ballot, topic: str) -> list[str]:
    """Add a topic to the end of the device's choices, or take it out; return the choices."""
    rounds = rounds_of(event)
    if rounds is None or rounds.published_at is not None:
        raise UserInputError(_("The tables are already set; choices can no longer change."))
    if topic not in problem_of(rounds).topics:
        raise UserInputError(_("There is no table on this topic."))
    chosen = _choices(ballot)
    existing = next((choice for choice in chosen if choice.topic == topic), None)
    if existing is not None:
        db.session.delete(existing)
        for later in chosen:
            if later.rank > existing.rank:
                later.rank -= 1
    elif len(chosen) >= MOST_CHOICES:
        raise UserInputError(
            _("You can choose at most %(most)d topics: take one out first.", most=MOST_CHOICES)
        )
    else:
        db.session.add(TopicChoice(ballot=ballot, topic=topic, rank=len(chosen) + 1))
    db.session.flush()
    return choices_of(event, ballot)


MOST_NAME = 40  # characters of a name given on the phone


def set_phone_name(event: Event, ballot: Ballot, name: str) -> str:
    """Keep the name a person gives on their phone for lists and signs ("" takes it out)."""
    if rounds_of(event) is None:
        raise UserInputError(_("There are no table rounds yet."))
    name = " ".join(name.split())
    if len(name) > MOST_NAME:
        raise UserInputError(_("Please give a shorter name (at most %(most)d characters).",
                               most=MOST_NAME))  # fmt: skip
    row = db.session.get(PhoneName, ballot.id)
    if row is not None and not name:
        db.session.delete(row)
    elif row is not None:
        row.name = name
    elif name:
        try:
            with db.session.begin_nested():
                db.session.add(PhoneName(ballot=ballot, name=name))
        except sa.exc.IntegrityError:  # the same phone sent its name twice at once
            raise UserInputError(_("Not saved: please send your name again.")) from None
    db.session.flush()
    return name


def name_of(ballot: Ballot | None) -> str:
    """The name this phone gave, or ""."""
    row = db.session.get(PhoneName, ballot.id) if ballot is not None else None
    return row.name if row is not None else ""


def _choices(ballot: Ballot) -> list[TopicChoice]:
    return list(
        db.session.scalars(
            sa.select(TopicChoice)
            .where(TopicChoice.ballot_id == ballot.id)
            .order_by(TopicChoice.rank)
        )
    )


def choices_of(event: Event, ballot: Ballot | None) -> list[str]:
    """The topics the device chose, in its order."""
    return [] if ballot is None else [choice.topic for choice in _choices(ballot)]


def _phone_people(event: Event) -> list[dict[str, Any]]:
    """Everyone who chose on a phone, as rounds@1 people (id: the ballot's key)."""
    rows = db.session.execute(
        sa.select(Ballot.id, TopicChoice.topic)
        .join(TopicChoice, TopicChoice.ballot_id == Ballot.id)
        .where(Ballot.event_id == event.id)
        .order_by(Ballot.id, TopicChoice.rank)
    )
    people: dict[int, list[str]] = {}
    for ballot_id, topic in rows:
        people.setdefault(ballot_id, []).append(topic)
    return [
        {"id": f"v{ballot_id}", "choices": topics, "group": None, "pinned": None}
        for ballot_id, topics in people.items()
    ]


def topic_order(problem: RoundsProblem, token: str) -> list[str]:
    """The topics in an order of their own for each device, so no topic wins by its place."""
    order = list(problem.topics)
    random.Random(f"{token}/topics").shuffle(order)
    return order


def seat_people(
    event: Event, *, time_limit: float | None = None, latecomers: bool = False, **solver: Any
) -> Seating:
    """Seat everybody with the solver and keep the seating (checked by the validator).

    Args:
        time_limit: seconds, default scaled to the rounds (5 s for a morning of 300 people).
        latecomers: keep everybody's places and seat only those without one; the seating
            stays published when nobody had to move.
        solver: passed to the scheduler's `seat` (progress, should_stop).
    """
    rounds = rounds_of(event)
    if rounds is None:
        raise UserInputError(_("Set up the tables first."))
    problem = problem_of(rounds)
    if not problem.people:
        raise UserInputError(_("Nobody has chosen a topic yet: there is nobody to seat."))
    keep = seating_of(rounds) if latecomers else None
    try:
        seating = seat(problem, time_limit=time_limit, keep=keep, **solver)
    except InfeasibleError:
        raise UserInputError(
            [
                _("The fixed places cannot all be kept: release one and try again."),
                *infeasible_sentences(problem, names_of(rounds)),
            ]
        ) from None
    except PlannerError:
        raise UserInputError(_("No seating was found in time; please try again.")) from None
    assert not violations(problem, seating)
    rounds.seating = dump_seating(seating)
    if keep is None or seating.solver.get("moved"):
        rounds.published_at = None
    db.session.flush()
    return seating


def infeasible_sentences(problem: RoundsProblem, names: dict[str, str]) -> list[str]:
    """Why the fixed places break a rule, in the reader's language: one sentence per table
    and round, or a general one when no single table is to blame."""
    sentences = []
    for conflict in pin_conflict_records(problem):
        values = {
            "people": ", ".join(names.get(person, person) for person in conflict.people),
            "table": problem.table_by_id[conflict.table].name or conflict.table,
            "round": problem.round_index[conflict.round] + 1,
            "seats": conflict.seats,
            "minimum": conflict.minimum,
        }
        if conflict.code == CLOSED:
            sentences.append(
                _("%(people)s: fixed place at %(table)s in round %(round)d, but the table is "
                  "closed then. Open the table in that round or release the fixed place.",
                  **values)
            )  # fmt: skip
        elif conflict.code == TOO_MANY:
            sentences.append(
                _("%(people)s: fixed places at %(table)s in round %(round)d, which has only "
                  "%(seats)d seats. Add seats or release fixed places.", **values)
            )  # fmt: skip
        else:
            sentences.append(
                _("%(people)s: fixed place at %(table)s in round %(round)d, which cannot reach "
                  "its minimum of %(minimum)d people. Lower the minimum or release the fixed "
                  "place.", **values)
            )  # fmt: skip
    return sentences or [
        _("The fixed places cannot all be kept together: with the tables' seats and "
          "minimums, and nobody at one topic twice, no seating keeps every rule. Release a "
          "fixed place or lower a table's minimum.")
    ]  # fmt: skip


def names_of(rounds: TableRounds) -> dict[str, str]:
    """The names people gave on their phone, by their id in the rounds (`v12`)."""
    rows = db.session.execute(
        sa.select(PhoneName.ballot_id, PhoneName.name)
        .join(Ballot, Ballot.id == PhoneName.ballot_id)
        .where(Ballot.event_id == rounds.event_id)
    )
    return {f"v{ballot_id}": name for ballot_id, name in rows}


def label_of(names: dict[str, str], person_id: str) -> str:
    """How lists and signs name a person: the name they gave, else their id."""
    return names.get(person_id) or person_id


def move_person(event: Event, person_id: str, round_id: str, table_id: str | None) -> Seating:
    """Seat one person at another table in one round (None: at none), if no rule breaks."""
    rounds = rounds_of(event)
    seating = seating_of(rounds) if rounds else None
    if seating is None:
        raise UserInputError(_("Distribute the tables first."))
    problem = problem_of(rounds)
    if person_id not in problem.person_by_id or round_id not in problem.round_index:
        raise UserInputError(_("There is no such person or round."))
    if table_id is not None and table_id not in problem.table_by_id:
        raise UserInputError(_("There is no table on this topic."))
    seats = [s for s in seating.seats if (s.person, s.round) != (person_id, round_id)]
    if table_id is not None:
        seats.append(Seat(person_id, round_id, table_id))
    moved = Seating(tuple(seats), {}, {**seating.solver, "edited": True})
    broken = violations(problem, moved)
    if broken:
        names = names_of(rounds)
        raise UserInputError([_rule_sentence(problem, violation, names) for violation in broken])
    moved.metrics.update(metrics(problem, moved))
    rounds.seating = dump_seating(moved)
    db.session.flush()
    return moved


def _rule_sentence(problem: RoundsProblem, violation, names: dict[str, str]) -> str:
    """A broken rule in the reader's language, naming the tables and rounds involved."""
    tables = ", ".join(problem.table_by_id[t].name for t in violation.tables)
    rounds = ", ".join(str(problem.round_index[r] + 1) for r in violation.rounds)
    people = ", ".join(label_of(names, person) for person in violation.people)
    sentences = {
        1: _("Table %(tables)s would be too full in round %(rounds)s (or is closed then).",
             tables=tables, rounds=rounds),
        2: _("Table %(tables)s would have fewer people than its minimum in round %(rounds)s.",
             tables=tables, rounds=rounds),
        3: _("%(person)s would sit at the same topic twice (rounds %(rounds)s).",
             person=people, rounds=rounds),
        4: _("%(person)s has a fixed place in round %(rounds)s.", person=people, rounds=rounds),
        5: _("The groups would split up between rounds %(rounds)s.", rounds=rounds),
    }  # fmt: skip
    return sentences.get(violation.rule, str(violation))


def publish(event: Event) -> TableRounds:
    """Show the seating to everybody: routes on phones, table lists."""
    rounds = rounds_of(event)
    if rounds is None or rounds.seating is None:
        raise UserInputError(_("Distribute the tables first."))
    rounds.published_at = utcnow()
    db.session.flush()
    return rounds


def figures(rounds: TableRounds) -> dict[str, int] | None:
    """The seating's quality figures, recomputed by the validator."""
    seating = seating_of(rounds)
    return None if seating is None else metrics(problem_of(rounds), seating)


def table_lists(rounds: TableRounds) -> list[tuple[Any, list[tuple[Any, list[str]]]]]:
    """Per round, each open table with the people at it (ids), for the overview and lists."""
    problem, seating, names = problem_of(rounds), seating_of(rounds), names_of(rounds)
    where = seating.table_of if seating else {}
    result = []
    for round_ in problem.rounds:
        tables = []
        for table in problem.tables:
            if table.open_in(round_.id):
                people = [
                    label_of(names, p.id)
                    for p in problem.people
                    if where.get((p.id, round_.id)) == table.id
                ]
                tables.append((table, people))
        result.append((round_, tables))
    return result


def table_signs(rounds: TableRounds) -> list[tuple[Any, list[tuple[Any, list[str] | None]]]]:
    """Per table, each round with the people there (None: the table is closed then)."""
    problem, seating, names = problem_of(rounds), seating_of(rounds), names_of(rounds)
    where = seating.table_of if seating else {}
    return [
        (
            table,
            [
                (round_, None)
                if not table.open_in(round_.id)
                else (
                    round_,
                    [
                        label_of(names, p.id)
                        for p in problem.people
                        if where.get((p.id, round_.id)) == table.id
                    ],
                )
                for round_ in problem.rounds
            ],
        )
        for table in problem.tables
    ]


@dataclass(frozen=True)
class BoardRound:
    """What the foyer screen shows: the round running now (or the next), its tables and how
    many sit at each (None before the seating is published)."""

    number: int
    start: datetime
    end: datetime
    running: bool
    tables: list[tuple[Any, int | None]]


def board_round(rounds: TableRounds, moment: datetime) -> BoardRound | None:
    """The round to show at `moment` (event time): running, else the next; None when over."""
    problem = problem_of(rounds)
    seating = seating_of(rounds) if rounds.published_at else None
    for number, round_ in enumerate(problem.rounds, start=1):
        if moment < round_.end:
            seated = Counter(
                table for (_, round_id), table in (seating.table_of.items() if seating else ())
                if round_id == round_.id
            )  # fmt: skip
            tables = [
                (table, seated[table.id] if seating else None)
                for table in problem.tables
                if table.open_in(round_.id)
            ]
            return BoardRound(number, round_.start, round_.end, moment >= round_.start, tables)
    return None


def route(event: Event, ballot: Ballot | None) -> list[Stop] | None:
    """The device's route through the published rounds (None: not published or not seated)."""
    rounds = rounds_of(event)
    if rounds is None or rounds.published_at is None or ballot is None:
        return None
    problem, seating = problem_of(rounds), seating_of(rounds)
    if seating is None or ballot.key not in problem.person_by_id:
        return None
    stops = []
    for number, round_ in enumerate(problem.rounds, start=1):
        table_id = seating.table_of.get((ballot.key, round_.id))
        if table_id is not None:
            table = problem.table_by_id[table_id]
            video = (rounds.video_links or {}).get(table.id, "")
            stops.append(
                Stop(number, round_.start, round_.end, table.name, table.topic, table.host, video)
            )
    return stops
