"""Where the data lives: a local folder, or an object store seen through a local working copy.

The data location is one setting (`--data-dir`, `$POLEFUNDS_DATA_DIR`, the resource's
`data_dir`): a folder, or a URL that fsspec knows (`s3://bucket/polefunds`, `gs://...`,
`az://...`, `file:///mnt/shared/polefunds`). With a folder, every stage reads and writes
there and nothing here does anything. With a URL, the stages still work on local files (SQLite,
DuckDB and PDFium need them) in a working copy (`$POLEFUNDS_WORK_DIR`, else a folder under
`~/.cache/polefunds/`), and each stage pulls the files it reads and pushes the files it makes:

| file | pulled by | pushed by |
|---|---|---|
| `crawl.sqlite` (a consistent snapshot) | crawl, parse, load | crawl |
| `raw/<sha256>.pdf` (immutable) | parse, the documents it parses | crawl, those not yet there |
| `parsed/session_year=YYYY.jsonl` | parse (its year), load (all) | parse |
| `warehouse.duckdb`, `warehouse.inputs` | the run, when nothing changed | publish, the run |
| `exports/`, `report.html` | | exports, report |

The object store is the truth; the working copy is a cache that can be deleted at any time.
A file is pulled when the store's version (ETag, else size and mtime) differs from the one
the working copy last saw, and pushed when its local stat differs from the one last synced
(`.storage-sync.json` in the working copy). One run at a time writes a location (the Dagster
instance runs one at a time; see dagster_home/dagster.yaml). Credentials and endpoints come
from the store's own environment (`AWS_*`, `AWS_ENDPOINT_URL`, `GOOGLE_APPLICATION_CREDENTIALS`,
or `FSSPEC_<PROTOCOL>_<OPTION>` variables).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines import atomic

WORK_DIR_ENV = "POLEFUNDS_WORK_DIR"
SYNC_STATE = ".storage-sync.json"
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://")


def is_url(location: str | os.PathLike[str]) -> bool:
    """Whether a data location is a URL (an object store) rather than a folder."""
    return bool(_URL.match(str(location)))


def working_copy(url: str) -> Path:
    """The local folder a URL's data is worked on: $POLEFUNDS_WORK_DIR, else one per URL."""
    override = os.environ.get(WORK_DIR_ENV)
    if override:
        return Path(override)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", url).strip("-")[:60]
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    return Path.home() / ".cache" / "polefunds" / f"{slug}-{digest}"


@dataclass(frozen=True)
class Storage:
    """The data location (a folder or a URL) and the local folder the stages work in."""

    location: str
    local: Path

    @property
    def remote(self) -> bool:
        """Whether there is an object store to pull from and push to."""
        return is_url(self.location)

    @functools.cached_property
    def _store(self) -> tuple[Any, str]:
        from fsspec.core import url_to_fs

        fs, root = url_to_fs(self.location)
        return fs, root.rstrip("/")

    def _remote_path(self, relative: str) -> str:
        return f"{self._store[1]}/{relative}"

    # Single files that change (catalogue, partitions, warehouse, stamp).

    def pull(self, *relatives: str) -> list[str]:
        """Bring down each file whose stored version is not the one last seen; those pulled."""
        if not self.remote:
            return []
        fs, _ = self._store
        state = self._state()
        pulled = []
        for relative in relatives:
            source = self._remote_path(relative)
            try:
                info = fs.info(source)
            except FileNotFoundError:
                continue
            target = self.local / relative
            version = _version(info)
            if target.exists() and state.get(relative, {}).get("remote") == version:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            _get_atomically(fs, source, target)
            state[relative] = {"remote": version, "local": _stat(target)}
            pulled.append(relative)
        self._save_state(state)
        return pulled

    def push(self, *relatives: str) -> list[str]:
        """Send up each local file changed since it was last synced; those pushed."""
        if not self.remote:
            return []
        fs, _ = self._store
        state = self._state()
        pushed = []
        for relative in relatives:
            source = self.local / relative
            if not source.is_file():
                continue
            stat = _stat(source)
            if state.get(relative, {}).get("local") == stat:
                continue
            target = self._remote_path(relative)
            fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
            fs.put_file(str(source), target)
            state[relative] = {"remote": _version(fs.info(target)), "local": stat}
            pushed.append(relative)
        self._save_state(state)
        return pushed

    def pull_folder(self, folder: str, pattern: str = "*") -> list[str]:
        """pull() every stored file of a folder (not its subfolders) matching a glob pattern."""
        return self.pull(*self.names(folder, pattern))

    def push_folder(self, folder: str, pattern: str = "*") -> list[str]:
        """push() every local file under a folder matching a glob pattern."""
        base = self.local / folder
        if not self.remote or not base.is_dir():
            return []
        return self.push(
            *sorted(
                path.relative_to(self.local).as_posix()
                for path in base.rglob(pattern)
                if path.is_file()
            )
        )

    def push_sqlite(self, relative: str) -> bool:
        """Send up a consistent snapshot of a SQLite file (a copy taken by SQLite's backup)."""
        source = self.local / relative
        if not self.remote or not source.is_file():
            return False
        fs, _ = self._store
        with tempfile.TemporaryDirectory(dir=self.local) as scratch:
            snapshot = Path(scratch) / source.name
            with (
                sqlite3.connect(f"file:{source}?mode=ro", uri=True) as live,
                sqlite3.connect(snapshot) as copy,
            ):
                live.backup(copy)
            copy.close()
            target = self._remote_path(relative)
            fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
            fs.put_file(str(snapshot), target)
        state = self._state()
        state[relative] = {"remote": _version(fs.info(target)), "local": _stat(source)}
        self._save_state(state)
        return True

    # Immutable, content-addressed files (the raw PDFs): present or not.

    def pull_missing(self, relatives: Iterable[str]) -> list[str]:
        """Bring down the files that are not in the working copy; those pulled."""
        if not self.remote:
            return []
        fs, _ = self._store
        pulled = []
        for relative in relatives:
            target = self.local / relative
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                _get_atomically(fs, self._remote_path(relative), target)
            except FileNotFoundError:
                continue
            pulled.append(relative)
        return pulled

    def push_missing(self, folder: str, pattern: str = "*") -> list[str]:
        """Send up the files of a folder that the store does not hold yet; those pushed."""
        base = self.local / folder
        if not self.remote or not base.is_dir():
            return []
        fs, _ = self._store
        held = set(self.names(folder, pattern))
        pushed = []
        for path in sorted(base.glob(pattern)):
            relative = path.relative_to(self.local).as_posix()
            if path.is_file() and relative not in held:
                target = self._remote_path(relative)
                fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
                fs.put_file(str(path), target)
                pushed.append(relative)
        return pushed

    def names(self, folder: str, pattern: str = "*") -> list[str]:
        """The stored files of a folder matching a glob pattern, as relative names."""
        if not self.remote:
            return []
        fs, root = self._store
        try:
            names = fs.glob(f"{root}/{folder}/{pattern}")
        except FileNotFoundError:
            return []
        prefix = f"{root}/"
        stripped = (name.split("://", 1)[-1] for name in names)
        return sorted(name[len(prefix) :] for name in stripped if name.startswith(prefix))

    def _state(self) -> dict[str, Any]:
        path = self.local / SYNC_STATE
        try:
            state: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}
        return state if state.get("location") == self.location else {}

    def _save_state(self, state: dict[str, Any]) -> None:
        state["location"] = self.location
        text = json.dumps(state, indent=1, sort_keys=True)
        atomic.write_bytes(self.local / SYNC_STATE, text.encode("utf-8"))


def _version(info: dict[str, Any]) -> str:
    """The store's version of a file: its ETag, else its size and modification time."""
    tag = info.get("ETag") or info.get("etag") or info.get("md5Hash")
    if tag:
        return str(tag).strip('"')
    modified = info.get("LastModified") or info.get("mtime") or info.get("updated") or ""
    return f"{info.get('size')}:{modified}"


def _stat(path: Path) -> list[int]:
    status = path.stat()
    return [status.st_size, status.st_mtime_ns]


def _get_atomically(fs: Any, source: str, target: Path) -> None:
    """Download to a temporary name beside the target, then rename: never a half file."""
    with atomic.replacing(target) as staging:
        fs.get_file(source, str(staging))
