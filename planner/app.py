"""The web app's factory: configuration, extensions, blueprints."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import defaults
from .extensions import csrf, db, migrate

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app: defaults, instance config.py, then `test_config`."""
    from .web.boundary import BoundaryFlask  # commits each request once (see there)

    app = BoundaryFlask(
        __name__,
        instance_relative_config=True,
        template_folder="web/templates",
        static_folder="web/static",
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    csrf.init_app(app)
    from . import mail

    mail.init_app(app)
    from . import models  # noqa: F401 - register the tables with the metadata
    from .web import address, register
    from .web_cli import demo_command

    register(app)
    app.cli.add_command(demo_command)
    address.install(app)  # inside ProxyFix: the configured address wins over forwarded hosts
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies
        )
    return app
