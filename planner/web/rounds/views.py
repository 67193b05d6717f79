"""Table rounds: the organisers' page (set up, import, seat, publish) and each person's
choices and route on their phone."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from ...errors import UserInputError
from ...extensions import db
from ...jobs import submit_seating
from ...models import SeatJob, new_token
from ...operations import participation, seating_jobs
from ...operations import rounds as operations
from .. import language_from_query
from ..auth.access import organiser_required
from ..boundary import after_commit, back_to, keep_nothing
from ..device import device_token, remember_device
from ..lookup import event_or_404
from ..moments import shown_moment
from ..prints.cache import cached_pdf
from ..qr import qr_svg
from .forms import (
    ImportForm,
    NameListForm,
    QuickSetupForm,
    StickersForm,
    VideoLinksForm,
    setup_defaults,
)

blueprint = Blueprint("rounds", __name__)


@blueprint.get("/organise/<slug>/rounds")
@organiser_required
def overview(slug: str):
    """Show the table rounds: setup, choices, seating and publication."""
    event = event_or_404(slug)
    rounds = operations.rounds_of(event)
    defaults = setup_defaults(operations.problem_of(rounds) if rounds else None)
    return _overview_page(event, QuickSetupForm(**defaults), ImportForm())


def _overview_page(event, setup_form: QuickSetupForm, import_form: ImportForm, code: int = 200):
    rounds = operations.rounds_of(event)
    problem = operations.problem_of(rounds) if rounds else None
    stickers, names = operations.people_texts(rounds) if rounds else ("", "")
    return (
        render_template(
            "rounds/overview.html",
            event=event,
            rounds=rounds,
            problem=problem,
            figures=operations.figures(rounds) if rounds else None,
            lists=operations.table_lists(rounds) if rounds and rounds.seating else [],
            job=_shown_job(event, rounds),
            names=operations.names_of(rounds) if rounds else {},
            setup_form=setup_form,
            import_form=import_form,
            stickers_form=StickersForm(counts=stickers),
            names_form=NameListForm(names=names),
            video_form=VideoLinksForm(links=operations.video_lines(rounds) if rounds else ""),
        ),
        code,
    )


def _shown_job(event, rounds) -> SeatJob | None:
    """The latest seating job while it runs, or when it failed after the last change."""
    job = seating_jobs.latest(event)
    if job is None or job.active:
        return job
    if job.status == "failed" and rounds is not None and job.finished_at >= rounds.updated_at:
        return job
    return None


@blueprint.post("/organise/<slug>/rounds/setup")
@organiser_required
def setup(slug: str):
    """Set up topics, tables and rounds in one go."""
    event = event_or_404(slug)
    form = QuickSetupForm()
    if form.validate_on_submit():
        try:
            operations.quick_setup(event, form.setup())
        except UserInputError as error:
            form.topics.errors = [*form.topics.errors, *error.problems]
        else:
            flash(_("The tables are set up."))
            return redirect(url_for(".overview", slug=slug))
    return _overview_page(event, form, ImportForm(), 400)


@blueprint.post("/organise/<slug>/rounds/import")
@organiser_required
def import_file(slug: str):
    """Replace the table rounds by a rounds@1 file."""
    event = event_or_404(slug)
    form = ImportForm()
    if form.validate_on_submit():
        try:
            operations.import_rounds(event, form.document.data.read())
        except UserInputError as error:
            form.document.errors = [*form.document.errors, *error.problems]
        else:
            flash(_("The table rounds were imported."))
            return redirect(url_for(".overview", slug=slug))
    return _overview_page(event, QuickSetupForm(), form, 400)


@blueprint.post("/organise/<slug>/rounds/stickers")
@organiser_required
def stickers(slug: str):
    """Count people from the stickers at the entrance: a number per topic."""
    event = event_or_404(slug)
    form = StickersForm()
    return _people_change(
        slug, lambda: operations.set_stickers(event, form.counts.data or ""), form.validate()
    )


@blueprint.post("/organise/<slug>/rounds/names")
@organiser_required
def names(slug: str):
    """Take a list of people by name, with their topics and organisation."""
    event = event_or_404(slug)
    form = NameListForm()
    return _people_change(
        slug, lambda: operations.set_name_list(event, form.names.data or ""), form.validate()
    )


@blueprint.post("/organise/<slug>/rounds/videos")
@organiser_required
def videos(slug: str):
    """Give online tables the address of their video room."""
    event = event_or_404(slug)
    form = VideoLinksForm()
    back_to(url_for(".overview", slug=slug))
    if not form.validate():
        raise UserInputError(_("Please send the form again."))
    operations.set_video_links(event, form.links.data or "")
    flash(_("The video rooms are saved."))
    return redirect(url_for(".overview", slug=slug))


def _people_change(slug: str, change, valid: bool):
    back_to(url_for(".overview", slug=slug))
    if not valid:
        raise UserInputError(_("Please send the form again."))
    count = change()
    flash(ngettext("%(num)d person is on the list.", "%(num)d people are on the list.", count))
    return redirect(url_for(".overview", slug=slug))


@blueprint.post("/organise/<slug>/rounds/seat")
@organiser_required
def seat(slug: str):
    """Start distributing the people over the tables in the background (`latecomers`: keep
    everybody's places and seat only those without one)."""
    event = event_or_404(slug)
    latecomers = request.form.get("latecomers") == "1"
    back_to(url_for(".overview", slug=slug))
    job = seating_jobs.start(
        event,
        latecomers=latecomers,
        # None: the scheduler's budget by size (5 s for a morning of 300 people); the
        # organiser can stop earlier and keep the best seating so far.
        time_limit=current_app.config["SOLVER_TIME_LIMIT"],
        language=str(get_locale()),
    )
    # The worker reads the job with its own connection: only after the commit.
    after_commit(lambda: _hand_over(job.id))
    return redirect(url_for(".overview", slug=slug))


def _hand_over(job_id: int) -> None:
    submit_seating(job_id)
    db.session.expire_all()  # a job run in the request wrote with its own session
    _announce(db.session.get(SeatJob, job_id))


def _announce(job: SeatJob) -> None:
    """Flash what became of a job just started: running, or (run in the request) its end."""
    if job.active:
        flash(_("The tables are being distributed. You can watch it here."))
    elif job.status == "failed":
        for problem in seating_jobs.errors(job):
            flash(problem, "error")
    elif job.latecomers and not job.moved:
        flash(_("The latecomers have tables; nobody else moved."))
    else:
        flash(_("Everybody has a table. Check the lists, then publish."))


@blueprint.get("/organise/<slug>/rounds/job")
@organiser_required
def job_status(slug: str):
    """The latest seating job as JSON: state, elapsed time, the best figures so far."""
    answer = seating_jobs.status(seating_jobs.latest(event_or_404(slug)))
    return answer, 200, {"Cache-Control": "no-store"}


@blueprint.post("/organise/<slug>/rounds/job/stop")
@organiser_required
def stop(slug: str):
    """Stop distributing early and keep the best seating so far."""
    job = seating_jobs.request_stop(event_or_404(slug))
    if job is None:
        flash(_("The tables are not being distributed."), "error")
    else:
        flash(_("Stopping: the best seating so far is kept in a moment."))
    return redirect(url_for(".overview", slug=slug))


@blueprint.post("/organise/<slug>/rounds/move")
@organiser_required
def move(slug: str):
    """Seat one person at another table in one round, if no rule breaks."""
    event = event_or_404(slug)
    back_to(url_for(".overview", slug=slug))
    person, round_ = request.form.get("person", ""), request.form.get("round", "")
    operations.move_person(event, person, round_, request.form.get("table") or None)
    flash(_("The person was moved."))
    return redirect(url_for(".overview", slug=slug))


@blueprint.post("/organise/<slug>/rounds/publish")
@organiser_required
def publish(slug: str):
    """Show each person their tables."""
    event = event_or_404(slug)
    back_to(url_for(".overview", slug=slug))
    operations.publish(event)
    flash(_("The tables are published: everybody sees their route."))
    return redirect(url_for(".overview", slug=slug))


@blueprint.get("/organise/<slug>/rounds.json")
@organiser_required
def export_rounds(slug: str):
    """Download the table rounds as rounds@1."""
    rounds = operations.rounds_of(event_or_404(slug))
    return _download(rounds.document if rounds else None, f"{slug}-rounds.json")


@blueprint.get("/organise/<slug>/seating.json")
@organiser_required
def export_seating(slug: str):
    """Download the seating as seating@1."""
    rounds = operations.rounds_of(event_or_404(slug))
    return _download(rounds.seating if rounds else None, f"{slug}-seating.json")


def _download(document, name: str) -> Response:
    if document is None:
        return make_response(_("There is nothing to download yet."), 404)
    response = jsonify(document)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@blueprint.get("/organise/<slug>/rounds/signs")
@organiser_required
def signs(slug: str):
    """Show the table signs as they will be printed."""
    return _signs_html(slug)


@blueprint.get("/organise/<slug>/rounds/signs.pdf")
@organiser_required
def signs_pdf(slug: str):
    """Give a sign per table, with who sits there in each round, as PDF."""
    # Cached like the other PDFs: rendered again only when the tables, the seating, a name
    # or the language changes what the signs show.
    return cached_pdf(_signs_html(slug), f"{slug}-tables.pdf")


def _signs_html(slug: str) -> str:
    event = event_or_404(slug)
    rounds = operations.rounds_of(event)
    if rounds is None:
        abort(404)
    url = url_for(".tables", slug=slug, _external=True)
    return render_template(
        "rounds/signs.html",
        event=event,
        signs=operations.table_signs(rounds),
        code=qr_svg(url, _("QR code of the page with your tables")),
    )


@blueprint.get("/e/<slug>/tables/board")
@language_from_query
def board(slug: str):
    """Show the foyer screen: the tables of the round running now, or of the next one."""
    event = event_or_404(slug)
    rounds = operations.rounds_of(event)
    moment, frozen = shown_moment(event)
    shown = operations.board_round(rounds, moment) if rounds else None
    return render_template(
        "rounds/board.html", event=event, shown=shown, frozen=frozen, moment=moment
    )


@blueprint.get("/e/<slug>/tables")
def tables(slug: str):
    """Let a person rank topics on their phone; once published, show their route."""
    event = event_or_404(slug)
    token = device_token() or new_token()
    ballot = participation.ballot_for(event, token)
    rounds = operations.rounds_of(event)
    problem = operations.problem_of(rounds) if rounds else None
    page = render_template(
        "rounds/tables.html",
        event=event,
        rounds=rounds,
        topics=operations.topic_order(problem, token) if problem else [],
        chosen=operations.choices_of(event, ballot),
        name=operations.name_of(ballot),
        most_name=operations.MOST_NAME,
        route=operations.route(event, ballot),
        most=operations.MOST_CHOICES,
    )
    response = make_response(page)
    response.headers["Cache-Control"] = "private, no-store"
    return remember_device(response, token)


@blueprint.post("/e/<slug>/tables/choose/<int:index>")
def choose(slug: str, index: int):
    """Add the topic to the device's choices, or take it out (one tap per topic)."""
    event = event_or_404(slug)
    token = device_token() or new_token()
    rounds = operations.rounds_of(event)
    problem = operations.problem_of(rounds) if rounds else None
    order = operations.topic_order(problem, token) if problem else []
    try:
        if index >= len(order):
            raise UserInputError(_("There is no table on this topic."))
        ballot = participation.ballot_for(event, token, create=True)
        operations.toggle_choice(event, ballot, order[index])
    except UserInputError as error:  # answered here: the device keeps its cookie either way
        keep_nothing()
        for problem_ in error.problems:
            flash(problem_, "error")
    return remember_device(redirect(url_for(".tables", slug=slug)), token)


@blueprint.post("/e/<slug>/tables/name")
def name(slug: str):
    """Keep the name this phone gives for the table lists and signs (optional)."""
    event = event_or_404(slug)
    token = device_token() or new_token()
    try:
        ballot = participation.ballot_for(event, token, create=True)
        given = operations.set_phone_name(event, ballot, request.form.get("name", ""))
    except UserInputError as error:  # answered here: the device keeps its cookie either way
        keep_nothing()
        for problem in error.problems:
            flash(problem, "error")
    else:
        flash(_("Saved: the lists show you as %(name)s.", name=given) if given else
              _("Saved: the lists show no name for you."))  # fmt: skip
    return remember_device(redirect(url_for(".tables", slug=slug)), token)
