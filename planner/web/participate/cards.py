"""The voting page's list of sessions: each card rendered once, then only put in order.

A session's card (title, hosts, format, description, its form) is the same for every device,
but for two things: whether the device marked it, and the CSRF token of the page. So each card
is rendered once per session version, language and state, with a placeholder where the token
goes, and kept in the memory of the process; a page is then this device's order of the
cached cards and its own marks, joined, with the token put in once. Editing a session raises
its version (Talk.version), so an old card is never shown again.
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ...models import Event
from ...operations import participation

TOKEN = "\x00token\x00"  # no title can hold a zero byte: the app refuses it in any input
MOST_CARDS = 20_000  # per process; past it the cache starts again (sessions x languages x 2)


def voting_list(event: Event, token: str, ballot_id: int | None) -> tuple[Markup, int]:
    """The session cards in this device's order, and how many of them it marked."""
    rows = participation.active_versions(event)
    marked = participation.marked_ids(ballot_id)
    cards = _cards(event, rows)
    order = participation.voting_order(rows, token)
    html = "".join(cards[row.id][row.id in marked] for row in order)
    return Markup(html.replace(TOKEN, generate_csrf())), len(marked & {row.id for row in rows})


def _cards(event: Event, rows) -> dict[int, tuple[str, str]]:
    """Each session's card, unmarked and marked, from the cache or rendered now."""
    cache = current_app.extensions.setdefault("vote_cards", {})
    if len(cache) > MOST_CARDS:
        cache.clear()
    scope = (event.slug, event.language, str(get_locale()))
    found, missing = {}, []
    for row in rows:
        card = cache.get((*scope, row.id, row.version))
        if card is None:
            missing.append(row.id)
        else:
            found[row.id] = card
    for talk in participation.talks_by_id(missing):
        card = tuple(
            render_template(
                "participate/_vote_card.html", event=event, talk=talk, on=on, token=TOKEN
            )
            for on in (False, True)
        )
        cache[(*scope, talk.id, talk.version)] = found[talk.id] = card
    return found
