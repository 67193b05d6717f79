"""The web app: one blueprint per area, error pages, the language of each request."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Flask,
    abort,
    current_app,
    has_request_context,
    render_template,
    request,
    session,
)
from flask_babel import Babel, get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from ..extensions import db
from .boundary import database_busy, init_boundary, wants_json
from .labels import template_labels
from .security import init_security

LOCALES = ("de", "en")
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}  # each in its own language, never translated
babel = Babel()


def language_from_query(view: Callable) -> Callable:
    """Let `?lang=de` or `?lang=en` choose the language of this view, before anything else.

    For the event-day screens: nobody stands at a foyer screen to press the language switch,
    so the address it is set up with says it.
    """
    view.language_from_query = True
    return view


def query_language() -> str | None:
    """The known language the address asks for, if the view takes it from there."""
    view = current_app.view_functions.get(request.endpoint)
    wanted = request.args.get("lang")
    if getattr(view, "language_from_query", False) and wanted in LOCALES:
        return wanted
    return None


def select_locale() -> str:
    """An explicit choice (a screen's address, else the language switch), else the first of
    German and English in the browser's order of preference, else English: a French browser
    reads English better than German. Without any preference (calendar apps and other
    programs send none) German, the language of the barcamps this is made for."""
    if not has_request_context():  # the command line
        return "de"
    chosen = query_language() or session.get("lang")
    if chosen in LOCALES:
        return chosen
    if not request.headers.get("Accept-Language", "").strip():
        return "de"
    # By quality, then primary language: "de-AT, en;q=0.5" is German (werkzeug's best_match
    # would pick the exact "en"); "fr, de;q=0.8" is German too, as the browser's next choice.
    for language, quality in request.accept_languages:
        primary = language.split("-")[0].lower()
        if quality > 0 and primary in LOCALES:
            return primary
    return "en"


class DatabaseId(IntegerConverter):
    """`<int:...>` in routes: a positive integer that a database integer column can hold."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def register(app: Flask) -> None:
    """Register the blueprints, the language selection and the error pages."""
    from .auth.views import blueprint as auth
    from .backup.views import blueprint as backup
    from .codes.views import blueprint as codes
    from .exports.views import blueprint as exports
    from .organise.views import blueprint as organise
    from .participate.views import blueprint as participate
    from .planning.views import blueprint as planning
    from .prints.views import blueprint as prints
    from .public.views import blueprint as public
    from .rounds.views import blueprint as rounds
    from .screens.views import blueprint as screens
    from .solving.views import blueprint as solving

    # Ids in addresses fit the database's integers: a larger number is a 404, not a 500.
    app.url_map.converters["int"] = DatabaseId
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.add_extension("jinja2.ext.do")  # macros.field adds aria attributes
    for blueprint in (
        public,
        participate,
        auth,
        organise,
        planning,
        screens,
        prints,
        exports,
        backup,
        codes,
        solving,
        rounds,
    ):
        app.register_blueprint(blueprint)
    init_security(app)
    app.context_processor(lambda: {"current_locale": lambda: str(get_locale())})
    app.context_processor(template_labels)
    app.before_request(_refuse_zero_bytes)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    init_boundary(app)
    app.register_error_handler(Exception, _server_error)


def _refuse_zero_bytes() -> None:
    """No person types a zero byte, and PostgreSQL cannot store one: refuse it at the door
    with words rather than fail deep inside with a 500."""
    values = [request.path, *request.args.values(), *request.form.values()]
    if any("\x00" in value for value in values):
        abort(400, description=_("The request contains a character that is not allowed."))


def _page(code: int, title: str, message: str):
    if wants_json():
        return {"error": title, "message": message}, code
    return render_template("error.html", code=code, title=title, message=message), code


def _http_error(error: HTTPException):
    titles = {
        400: _("Please check the address"),
        404: _("Page not found"),
        403: _("Not allowed"),
        405: _("Not allowed"),
        413: _("File too large"),
        429: _("Too many requests"),
    }
    messages = {
        404: _("This page does not exist (any more). Check the address or start over."),
        413: _("The file is larger than the planner accepts (5 MB)."),
        429: _("Please wait a minute and try again."),
    }
    title = titles.get(error.code, error.name)
    return _page(error.code or 500, title, messages.get(error.code, error.description or ""))


def _csrf_error(error: CSRFError):
    return _page(400, _("Form expired"), _("Please reload the page and send the form again."))


def _server_error(error: Exception):
    db.session.rollback()
    if isinstance(error, HTTPException):  # pragma: no cover - handled above
        return _http_error(error)
    from flask import current_app

    if database_busy(error):
        # Under a rush (or an overloaded machine) a vote can wait longer for the write lock
        # than the busy timeout. Nothing was written; say so and when to try again.
        current_app.logger.warning("database busy: %s", error.orig)
        body, code = _page(
            503,
            _("Very busy right now"),
            _("Nothing was saved: too many people at once. Please try again in a moment."),
        )
        return body, code, {"Retry-After": "2"}
    current_app.logger.exception("unhandled error")
    return _page(500, _("Something went wrong"), _("Nothing was saved. Please try again."))
