"""The published plan in formats other tools read: frab schedule XML and a spreadsheet CSV.

Pure reads of a `Schedule` (see `schedule.published_schedule`). Slot times are stored as naive
local times; here they get the offset of the event's timezone on that date, so a plan that
crosses a switch to or from summer time carries +01:00 and +02:00 where each applies.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import metadata
from math import gcd
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from ..models import Event, Slot, Talk
from .schedule import Day, Entry, Schedule, session_guid

GENERATOR = "Barcamp Planner"
CSV_COLUMNS = (
    "date",
    "start",
    "end",
    "room",
    "title",
    "hosts",
    "format",
    "language",
    "length",
    "description",
    "status",
)
# A spreadsheet runs a cell that starts like a formula; tab and carriage return start some too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold at all: dropped, so one odd title never breaks every app.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SPELLED_OUT = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}


def session_slug(event: Event, talk: Talk) -> str:
    """The frab slug `<event>-<id>-<title>`: unique by the id, readable by the title."""
    ascii_title = _ascii(talk.title)
    words = re.sub(r"[^a-z0-9]+", "_", ascii_title.lower()).strip("_")[:50] or "session"
    return f"{event.slug}-{talk.id}-{words}"


@dataclass(frozen=True)
class _Feed:
    """What every <event> element needs besides its session."""

    event: Event
    zone: ZoneInfo
    session_url: Callable[[Talk], str]


def schedule_xml(
    event: Event, schedule: Schedule, *, base_url: str, session_url: Callable[[Talk], str]
) -> bytes:
    """The published plan as frab schedule XML (UTF-8), valid against the c3voc schema.

    Args:
        base_url: the event's public address (`http(s)://…`).
        session_url: gives the public address of a session's page.
    """
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name=GENERATOR, version=_generator_version())
    _text(root, "version", str(schedule.version.number))
    days = schedule.days or [_empty_day(event, schedule)]
    _conference(root, event, days, base_url)
    feed = _Feed(event, ZoneInfo(event.timezone), session_url)
    for index, day in enumerate(days, start=1):
        _day(root, index, day, feed)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _conference(root: ET.Element, event: Event, days: list[Day], base_url: str) -> None:
    """The <conference> head; its dates are those of the days that follow."""
    conference = ET.SubElement(root, "conference")
    _text(conference, "acronym", event.slug)
    _text(conference, "title", event.name)
    _text(conference, "start", days[0].day.isoformat())
    _text(conference, "end", days[-1].day.isoformat())
    _text(conference, "days", str(len(days)))
    step = timeslot_minutes([row.slot for day in days for row in day.rows])
    if step:
        _text(conference, "timeslot_duration", _hours_minutes(timedelta(minutes=step)))
    _text(conference, "base_url", base_url)
    _text(conference, "time_zone_name", event.timezone)


def timeslot_minutes(slots: list[Slot]) -> int:
    """The grid step an app can draw every slot on: the largest that divides all starts and
    lengths (0 without slots)."""
    step = 0
    for slot in slots:
        start = slot.starts_at.hour * 60 + slot.starts_at.minute
        length = (slot.ends_at - slot.starts_at) // timedelta(minutes=1)
        step = gcd(step, start, length)
    return min(step, 60 * 24)


def _day(root: ET.Element, index: int, day: Day, feed: _Feed) -> None:
    """One <day> with a <room> per room of the plan, each with its sessions in time order."""
    element = ET.SubElement(root, "day", index=str(index), date=day.day.isoformat())
    if day.rows:
        element.set("start", _aware(day.rows[0].slot.starts_at, feed.zone).isoformat())
        element.set("end", _aware(day.rows[-1].slot.ends_at, feed.zone).isoformat())
    entries = [entry for row in day.rows for entry in row.entries]
    for room in day.rooms:
        room_element = ET.SubElement(element, "room", name=_clean(room.name))
        for entry in entries:
            # frab has no word for "cancelled": leaving the session out is what makes the
            # apps drop it (they match sessions by GUID).
            if entry.room.id == room.id and not entry.cancelled:
                _session_element(room_element, entry, feed)


def _session_element(parent: ET.Element, entry: Entry, feed: _Feed) -> None:
    """One session as an <event>, with every element the schema requires."""
    talk, start = entry.talk, _aware(entry.start, feed.zone)
    guid = str(session_guid(feed.event, talk))
    element = ET.SubElement(parent, "event", guid=guid, id=str(talk.id))
    _text(element, "date", start.isoformat())
    _text(element, "start", f"{start:%H:%M}")
    _text(element, "duration", _hours_minutes(_elapsed(entry.start, entry.end, feed.zone)))
    _text(element, "room", entry.room.name)
    _text(element, "slug", session_slug(feed.event, talk))
    _text(element, "url", feed.session_url(talk))
    recording = ET.SubElement(element, "recording")
    _text(recording, "license", "")
    _text(recording, "optout", "true")  # a barcamp records nothing unless hosts agree to it
    for name, value in (("title", talk.title), ("subtitle", ""), ("track", "")):
        _text(element, name, value)
    _text(element, "type", talk.format)
    _text(element, "language", talk.language)
    _text(element, "abstract", "")
    _text(element, "description", talk.description)
    persons = ET.SubElement(element, "persons")
    for host in talk.hosts:
        _text(persons, "person", host)
    links = ET.SubElement(element, "links")
    if entry.room.stream_url:
        _text(links, "link", "Stream").set("href", entry.room.stream_url)
    ET.SubElement(element, "attachments")


def schedule_csv(
    schedule: Schedule,
    *,
    headers: Mapping[str, str],
    formats: Mapping[str, str],
    languages: Mapping[str, str],
    cancelled: str,
) -> bytes:
    """The published plan as a CSV that German Excel opens right with a double click.

    Excel guesses a CSV's encoding and delimiter from the system: without a byte order mark
    it reads Windows-1252 (umlauts break), and in a German locale it splits on the list
    separator ";", not ",". So: UTF-8 with BOM, ";" and CRLF, which LibreOffice and
    Numbers read as well. Cells that a spreadsheet would run as a formula get a leading
    apostrophe (pitches are user text).

    Args:
        headers: the header of each column in `CSV_COLUMNS`, in the reader's language.
        formats: the reader's words for each session format.
        languages: the reader's words for each session language.
        cancelled: the reader's word for a session withdrawn after publishing, in the
            status column (empty for the others); such a row stays, so a printed list
            does not silently lose a line.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(str(headers[column])) for column in CSV_COLUMNS])
    for entry in schedule.entries:
        row = _csv_row(entry, formats, languages) | {"status": cancelled if entry.cancelled else ""}
        writer.writerow([safe_cell(row[column]) for column in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_row(
    entry: Entry, formats: Mapping[str, str], languages: Mapping[str, str]
) -> dict[str, str]:
    talk = entry.talk
    return {
        "date": entry.start.date().isoformat(),  # German Excel reads 2025-03-03 as a date
        "start": f"{entry.start:%H:%M}",
        "end": f"{entry.end:%H:%M}",
        "room": entry.room.name,
        "title": talk.title,
        "hosts": ", ".join(talk.hosts),
        "format": str(formats.get(talk.format, talk.format)),
        "language": str(languages.get(talk.language, talk.language)),
        "length": str(entry.span),
        "description": talk.description,
    }


def safe_cell(value: str) -> str:
    """`value`, with an apostrophe in front if a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _clean(value)
    return element


def _clean(value: str) -> str:
    return NOT_XML.sub("", value)


def _aware(moment: datetime, zone: ZoneInfo) -> datetime:
    """A stored local time with the offset its timezone has on that date."""
    return moment.replace(tzinfo=zone)


def _elapsed(start: datetime, end: datetime, zone: ZoneInfo) -> timedelta:
    """Real time between two local times (in UTC, so a night with a clock change counts)."""
    try:
        return _aware(end, zone).astimezone(UTC) - _aware(start, zone).astimezone(UTC)
    except OverflowError:  # a stored time at the calendar's edge (year 1) has no UTC time
        return end - start


def _hours_minutes(span: timedelta) -> str:
    minutes = span // timedelta(minutes=1)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _ascii(text: str) -> str:
    """`text` in plain ASCII letters as Germans spell them without umlauts (Ärger: Aerger)."""
    for umlaut, spelled in SPELLED_OUT.items():
        text = text.replace(umlaut, spelled)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _empty_day(event: Event, schedule: Schedule) -> Day:
    """The one day a plan without slots still needs (the schema wants at least one)."""
    day = event.starts_on or schedule.version.published_at.date()
    return Day(day=day, rooms=[], rows=[])


def _generator_version() -> str:
    try:
        return metadata.version("barcamp-planner")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return ""
