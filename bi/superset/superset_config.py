"""Superset's configuration for the polefunds dashboard (SUPERSET_CONFIG_PATH points here).

Everything Superset keeps (its metadata database, its secret key) lives in
$POLEFUNDS_SUPERSET_HOME, a folder ignored by git (.tools/superset/home by `make superset`).
The server binds 127.0.0.1 (bi/superset/serve.py); visitors see the dashboard read-only (role
Public, like Gamma, with access to the polefunds database only); SQL Lab and editing need the
admin login that serve.py prints.
"""

import os
import secrets
from pathlib import Path

_DEFAULT_HOME = Path(__file__).resolve().parents[2] / ".tools" / "superset" / "home"
HOME = Path(os.environ.get("POLEFUNDS_SUPERSET_HOME", _DEFAULT_HOME)).resolve()
HOME.mkdir(parents=True, exist_ok=True)
_KEY = HOME / "secret_key"
if not _KEY.exists():
    _KEY.write_text(secrets.token_urlsafe(48), encoding="utf-8")
    _KEY.chmod(0o600)

SECRET_KEY = _KEY.read_text(encoding="utf-8").strip()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{HOME / 'superset.db'}"
DATA_DIR = str(HOME)

# The dashboard without logging in; nothing else (Gamma has no SQL Lab, no database access
# but the one serve.py grants).
AUTH_ROLE_PUBLIC = "Public"
PUBLIC_ROLE_LIKE = "Gamma"

# No call home from the server or the pages it serves.
SCARF_ANALYTICS = False
FEATURE_FLAGS = {"ALERT_REPORTS": False}
# A local tool on 127.0.0.1: no results backend, no Celery, no cache server.
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
ROW_LIMIT = 50000
