"""Back up a whole event as a `backup@1` document and restore it as a new event
(docs/formats.md states the format).

event@1 is the scheduler's input and leaves out what planning does not need; a backup holds
everything an event is: settings and phases, rooms, slots, every session (withdrawn ones too,
with their private edit tokens, so proposers' links keep working), ballots with their device
tokens, calendar feed keys (so subscribed personal feeds keep working) and marks, voting codes,
and every plan version (the draft and the published ones).

Rows are named by their keys as the rest of the planner writes them (`r3`, `t7`, `s12`, `v40`),
but a restored event gets new row ids: every reference, also those inside the plan documents
and the ballots' choices, is rewritten on the way in. Accounts and memberships belong to the
installation, not the event, and are not part of a backup.

Four modules, one job each: `fields` lists what a backup holds of each row, once, for both
directions; `dump` writes a document; `read` checks one and raises one FormatError naming
every problem by its place (`sessions[3].pinned_room: no room "r99"`); `restore` writes a
checked one as a new event, everything or nothing (it flushes and never commits).

Times are ISO 8601 without an offset: slots in the event's local time, every `created_at` and
similar stamp in UTC, as the database keeps them.
"""

from __future__ import annotations

from .dump import backup_document
from .fields import MODELS, NOT_KEPT, TABLES
from .read import Backup, parse_backup
from .restore import restore_event

__all__ = [
    "MODELS",
    "NOT_KEPT",
    "TABLES",
    "Backup",
    "backup_document",
    "parse_backup",
    "restore_event",
]
