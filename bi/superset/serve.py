"""Superset on 127.0.0.1 with the published warehouse and the marts' dashboard: `make superset`.

    .tools/superset/bin/python bi/superset/serve.py --warehouse data/warehouse.duckdb \
        [--home .tools/superset/home] [--port 8088] [--setup-only]

Prepares Superset's home (its metadata database copied from the template `make superset`
migrated once, a secret key, an admin whose password is kept in HOME/admin-password), imports
the bundle of bi/superset/bundle.py (database read-only, datasets, charts, dashboard; replaced
at each start), lets visitors see the dashboard without logging in, then serves.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ADMIN = "admin"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True, help="the published warehouse")
    parser.add_argument("--home", type=Path, default=Path(sys.prefix) / "home")
    parser.add_argument("--template", type=Path, default=Path(sys.prefix) / "template")
    parser.add_argument("--port", type=int, default=8088)
    parser.add_argument("--setup-only", action="store_true", help="prepare and import, no server")
    return parser.parse_args(argv)


def prepare_home(home: Path, template: Path) -> bool:
    """Superset's folder; True when its metadata database still needs migrating."""
    home.mkdir(parents=True, exist_ok=True)
    metadata = home / "superset.db"
    if metadata.exists():
        return False
    if (template / "superset.db").exists():
        shutil.copyfile(template / "superset.db", metadata)
        return False
    return True


def admin_password(home: Path) -> str:
    """The admin's password, made once and kept beside Superset's database (mode 600)."""
    path = home / "admin-password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    warehouse = args.warehouse.resolve()
    if not warehouse.exists():
        print(f"no published warehouse at {warehouse}: run `make run` first", file=sys.stderr)
        return 2
    home = args.home.resolve()
    os.environ["POLEFUNDS_SUPERSET_HOME"] = str(home)
    os.environ["SUPERSET_CONFIG_PATH"] = str(HERE / "superset_config.py")
    migrate = prepare_home(home, args.template.resolve())
    password = admin_password(home)

    # Superset reads its configuration when imported: after the environment above.
    from superset.app import create_app

    app = create_app()
    with app.app_context():
        from superset import security_manager
        from superset.commands.importers.v1.assets import ImportAssetsCommand
        from superset.extensions import db
        from superset.models.core import Database
        from superset.utils.core import override_user

        if migrate:  # no template: what `superset db upgrade` and `superset init` do
            from flask_migrate import upgrade

            upgrade(directory=str(Path(sys.modules["superset"].__file__).parent / "migrations"))
            security_manager.sync_role_definitions()

        user = security_manager.find_user(ADMIN)
        if user is None:
            user = security_manager.add_user(
                ADMIN,
                "polefunds",
                "admin",
                "admin@localhost",
                security_manager.find_role("Admin"),
                password=password,
            )
        else:
            security_manager.reset_password(user.id, password)

        sys.path.insert(0, str(HERE))
        from bundle import DATABASE_NAME, bundle, load_spec

        spec = load_spec()
        with override_user(user):
            ImportAssetsCommand(bundle(warehouse, spec)).run()

        # Visitors (role Public, like Gamma) read the polefunds database and nothing else.
        database = db.session.query(Database).filter_by(database_name=DATABASE_NAME).one()
        access = security_manager.add_permission_view_menu("database_access", database.perm)
        security_manager.add_permission_role(security_manager.find_role("Public"), access)
        db.session.commit()

    url = f"http://127.0.0.1:{args.port}/superset/dashboard/{spec['slug']}/"
    print(f"Superset: {url}\n  SQL Lab and editing: log in as {ADMIN} / {password}", flush=True)
    if args.setup_only:
        return 0
    # Loopback only: the dashboard is shown without a login.
    app.run(host="127.0.0.1", port=args.port, threaded=True, use_reloader=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
