"""Voting codes for events that need one ballot per person: require them, make them, print
them as labels for badges (each with its code and a QR code that opens the voting page with
the code filled in)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ...models import Event, VotingCode
from ...operations import codes
from ..auth.access import organiser_required
from ..boundary import back_to
from ..lookup import event_or_404
from ..prints.pdf import pdf_response, render_pdf
from ..qr import qr_svg

blueprint = Blueprint("codes", __name__)

LABELS_PER_SHEET = 21  # 3 x 7 labels of 70 x 42 mm, the common A4 label sheet


@blueprint.get("/organise/<slug>/codes")
@organiser_required
def overview(slug: str):
    """Show whether codes are required, how many exist and are used, and the actions."""
    event = event_or_404(slug)
    total, used = codes.usage(event)
    return render_template("codes/overview.html", event=event, total=total, used=used)


@blueprint.post("/organise/<slug>/codes/required")
@organiser_required
def set_required(slug: str):
    """Require codes for voting, or stop requiring them."""
    event = event_or_404(slug)
    event.voting_codes_required = request.form.get("required") == "1"
    flash(
        _("Voting now needs a code from a badge.")
        if event.voting_codes_required
        else _("Voting no longer needs a code.")
    )
    return redirect(url_for(".overview", slug=slug))


@blueprint.post("/organise/<slug>/codes/generate")
@organiser_required
def generate(slug: str):
    """Make a number of new codes."""
    event = event_or_404(slug)
    text = request.form.get("count", "")
    back_to(url_for(".overview", slug=slug))
    made = codes.generate_codes(event, int(text) if text.isdigit() else 0)
    flash(
        ngettext(
            "%(num)d new code is ready to print.",
            "%(num)d new codes are ready to print.",
            len(made),
        )
    )
    return redirect(url_for(".overview", slug=slug))


@blueprint.get("/organise/<slug>/codes/labels")
@organiser_required
def labels_preview(slug: str):
    """Show the labels as they will be printed."""
    return _labels_html(event_or_404(slug), unused_only=request.args.get("unused") == "1")


@blueprint.get("/organise/<slug>/codes/labels.pdf")
@organiser_required
def labels(slug: str):
    """Give the labels as PDF: the codes not entered yet with `?unused=1`, else all."""
    event = event_or_404(slug)
    html = _labels_html(event, unused_only=request.args.get("unused") == "1")
    return pdf_response(render_pdf(html), f"{slug}-voting-codes.pdf")


def _labels_html(event: Event, *, unused_only: bool) -> str:
    chosen: list[VotingCode] = [
        code for code in event.voting_codes if not (unused_only and code.ballot_id)
    ]
    title = _("QR code of the voting page with this code")
    printed = [
        (
            codes.readable(code.code),
            qr_svg(
                url_for("participate.vote", slug=event.slug, code=code.code, _external=True),
                title,
            ),
        )
        for code in chosen
    ]
    return render_template(
        "codes/labels.html",
        event=event,
        sheets=[
            printed[start : start + LABELS_PER_SHEET]
            for start in range(0, len(printed), LABELS_PER_SHEET)
        ],
        unused_only=unused_only,
    )
