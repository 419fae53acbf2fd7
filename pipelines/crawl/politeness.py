"""The crawl's one HTTP client: identity, robots.txt, throttling, retries, limits, error budget."""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from pipelines import settings

PDF_MAGIC = b"%PDF-"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# 408 and 425 say "try again"; 429 and every 5xx are retried with backoff.
RETRY_CODES = frozenset({408, 425, 429})
# Google reads at most 500 KiB of robots.txt; a bigger one is a mistake or an attack.
ROBOTS_MAX_BYTES = 500 * 1024
ENV_PREFIX = settings.CRAWL_ENV_PREFIX


@dataclass(frozen=True)
class CrawlPolicy:
    """How hard the crawl may press on a site; each number is settable as POLEFUNDS_CRAWL_<NAME>."""

    user_agent: str = settings.USER_AGENT
    min_interval: float = 1.0
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 300.0
    max_attempts: int = 4
    backoff_initial: float = 2.0
    backoff_max: float = 60.0
    max_retry_after: float = 300.0
    max_document_bytes: int = 64 * 1024 * 1024
    max_page_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    max_consecutive_failures: int = 10
    max_failures: int = 200
    # The share of the raw store hashed again each crawl though its stat is unchanged (1: all).
    raw_rehash_share: float = 1 / 30
    # The listing's walk (docs/crawling.md): a daily crawl reads from the newest card until
    # this many known cards in a row (about a page); every deep_pass_days (0: every crawl) it
    # walks on to the end of the listing, for acts inserted below the top or published late.
    known_run: int = 10
    deep_pass_days: float = 7.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> CrawlPolicy:
        """The defaults, then POLEFUNDS_CRAWL_* variables, then explicit overrides."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            raw = environ.get(ENV_PREFIX + field.name.upper())
            if raw is None or raw == "":
                continue
            kind: Callable[[str], Any] = type(field.default)
            try:
                values[field.name] = kind(raw)
            except ValueError as error:
                raise ValueError(
                    f"{ENV_PREFIX}{field.name.upper()}={raw!r} is not a {field.type}"
                ) from error
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


class FetchError(Exception):
    """A request that failed for good, with a reason a person understands."""

    def __init__(
        self,
        reason: str,
        *,
        url: str,
        status: int | None = None,
        retryable: bool = False,
        counts: bool = True,
    ) -> None:
        super().__init__(f"{reason}: {url}")
        self.reason = reason
        self.url = url
        self.status = status
        # Worth another try in a later run (the site may be better by then).
        self.retryable = retryable
        # Spends the error budget; refusals of our own (robots, other host, size) do not.
        self.counts = counts


class TransientError(FetchError):
    """A failure that the same request may not meet again in a moment: retried with backoff."""

    def __init__(
        self, reason: str, *, url: str, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(reason, url=url, status=status, retryable=True)
        self.retry_after = retry_after


class CrawlAborted(RuntimeError):
    """The error budget is spent: the site looks unwell and the crawl stops."""


@dataclass(frozen=True)
class Fetched:
    """One response, read in full and checked."""

    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        """The server said our copy is current (HTTP 304)."""
        return self.status == 304


class RateLimiter:
    """At most one request per interval to each host; a host may also be held back for a while."""

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = interval
        self._intervals: dict[str, float] = {}
        self._next: dict[str, float] = {}
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()

    def slow_down(self, host: str, interval: float) -> None:
        """Space requests to host by at least interval (robots.txt Crawl-delay)."""
        with self._lock:
            self._intervals[host] = max(interval, self._intervals.get(host, self._interval))

    def hold(self, host: str, seconds: float) -> None:
        """Send nothing to host for the next seconds (Retry-After, backoff)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), self._clock() + seconds)

    def wait(self, host: str) -> None:
        """Block until host may be sent one more request, and book that slot."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self._intervals.get(host, self._interval)
        if slot > now:
            self._sleep(slot - now)


class ErrorBudget:
    """Counts failures; once too many (in a row or in all) the crawl must stop."""

    def __init__(self, max_consecutive: int, max_total: int) -> None:
        self.max_consecutive = max_consecutive
        self.max_total = max_total
        self.failures = 0
        self.consecutive = 0
        self.last_reason: str | None = None

    def record_success(self) -> None:
        """A request went through: the run of failures is broken."""
        self.consecutive = 0

    def record_failure(self, reason: str) -> None:
        """A request failed for good."""
        self.failures += 1
        self.consecutive += 1
        self.last_reason = reason

    def check(self) -> None:
        """Raise CrawlAborted when the budget is spent."""
        if self.consecutive >= self.max_consecutive:
            what = f"{self.consecutive} failures in a row"
        elif self.failures >= self.max_total:
            what = f"{self.failures} failures in this run"
        else:
            return
        raise CrawlAborted(
            f"crawl stopped by its error budget: {what} (last: {self.last_reason}). "
            "The site looks unwell; run again later, the crawl resumes where it stopped."
        )


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def host_of(url: str) -> str:
    """The host name of url, lower case, without port."""
    return (urlsplit(url).hostname or "").lower()


class _Unreachable:
    """robots.txt could not be read: RFC 9309 says to assume everything is disallowed."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


class PoliteClient:
    """GET with every courtesy and safety the crawl owes a public site; one instance per crawl."""

    def __init__(
        self,
        allowed_hosts: Iterable[str],
        policy: CrawlPolicy | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy or CrawlPolicy.from_env()
        self.allowed_hosts = frozenset(host.lower() for host in allowed_hosts)
        self.budget = ErrorBudget(self.policy.max_consecutive_failures, self.policy.max_failures)
        self.requests = 0
        self._limiter = RateLimiter(self.policy.min_interval, clock=clock, sleep=sleep)
        self._clock = clock
        self._sleep = sleep
        self._robots: dict[str, Protego | _Unreachable] = {}
        self._http = httpx.Client(
            headers={"User-Agent": self.policy.user_agent},
            timeout=httpx.Timeout(self.policy.read_timeout, connect=self.policy.connect_timeout),
            # Redirects are followed by hand, each hop checked against the allowed hosts.
            follow_redirects=False,
            transport=transport,
        )

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the connections."""
        self._http.close()

    def get(
        self,
        url: str,
        *,
        expect_pdf: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """The checked response to GET url; FetchError when it fails, CrawlAborted when sick."""
        self.budget.check()
        try:
            self._check_allowed(url)
            headers = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            max_bytes = self.policy.max_document_bytes if expect_pdf else self.policy.max_page_bytes
            fetched = self._with_retries(url, headers, expect_pdf=expect_pdf, max_bytes=max_bytes)
        except FetchError as error:
            if error.counts:
                self.budget.record_failure(f"{error.reason} ({error.url})")
            raise
        self.budget.record_success()
        return fetched

    def _check_allowed(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or host_of(url) not in self.allowed_hosts:
            raise FetchError("outside the allowed hosts, not fetched", url=url, counts=False)
        rules = self._robots_rules(url)
        if isinstance(rules, _Unreachable):
            raise FetchError(
                f"robots.txt unreachable ({rules.reason}), so nothing on this host is fetched",
                url=url,
                retryable=True,
                counts=False,
            )
        if not rules.can_fetch(url, self.policy.user_agent):
            raise FetchError("disallowed by robots.txt, not fetched", url=url, counts=False)

    def _robots_rules(self, url: str) -> Protego | _Unreachable:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin in self._robots:
            return self._robots[origin]
        robots_url = origin + "/robots.txt"
        rules: Protego | _Unreachable
        try:
            fetched = self._with_retries(
                robots_url, {}, expect_pdf=False, max_bytes=ROBOTS_MAX_BYTES
            )
            rules = Protego.parse(fetched.content.decode("utf-8", errors="replace"))
        except FetchError as error:
            if error.status is not None and 400 <= error.status < 500 and error.status != 429:
                # RFC 9309: a robots.txt that is "unavailable" (4xx) allows everything.
                rules = Protego.parse("")
            else:
                rules = _Unreachable(error.reason)
        if isinstance(rules, Protego):
            delay = rules.crawl_delay(self.policy.user_agent)
            if delay:
                self._limiter.slow_down(host_of(url), float(delay))
        self._robots[origin] = rules
        return rules

    def _with_retries(
        self, url: str, headers: dict[str, str], *, expect_pdf: bool, max_bytes: int
    ) -> Fetched:
        retrying = Retrying(
            retry=retry_if_exception_type(TransientError),
            stop=stop_after_attempt(self.policy.max_attempts),
            wait=self._backoff,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(self._fetch_once, url, headers, expect_pdf, max_bytes)
        except TransientError as error:
            attempts = retrying.statistics.get("attempt_number", self.policy.max_attempts)
            raise FetchError(
                f"{error.reason} ({attempts} attempts)",
                url=url,
                status=error.status,
                retryable=True,
            ) from error

    def _backoff(self, state: RetryCallState) -> float:
        """Hold the host back by Retry-After, else by exponential backoff; tenacity waits 0."""
        error = state.outcome.exception() if state.outcome else None
        delay = min(
            self.policy.backoff_max,
            self.policy.backoff_initial * 2 ** (state.attempt_number - 1),
        )
        if isinstance(error, TransientError) and error.retry_after is not None:
            delay = error.retry_after
        url = error.url if isinstance(error, FetchError) else ""
        # Through the limiter, so every request to that host waits, not only this one.
        self._limiter.hold(host_of(url), delay)
        return 0.0

    def _fetch_once(
        self, url: str, headers: dict[str, str], expect_pdf: bool, max_bytes: int
    ) -> Fetched:
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            self._limiter.wait(host_of(current))
            self.requests += 1
            started = self._clock()
            try:
                with self._http.stream("GET", current, headers=headers) as response:
                    if response.status_code in REDIRECT_CODES:
                        current = self._redirect_target(url, current, response)
                        continue
                    return self._read(url, current, response, expect_pdf, max_bytes, started)
            except httpx.TimeoutException as error:
                raise TransientError(
                    f"timed out ({type(error).__name__} after {self.policy.read_timeout:g} s)",
                    url=url,
                ) from error
            except httpx.RemoteProtocolError as error:
                raise TransientError(f"truncated or broken response ({error})", url=url) from error
            except httpx.TransportError as error:
                raise TransientError(f"network error ({error})", url=url) from error
        raise FetchError(f"more than {self.policy.max_redirects} redirects", url=url)

    def _redirect_target(self, url: str, current: str, response: httpx.Response) -> str:
        location = response.headers.get("location")
        status = response.status_code
        if not location:
            raise FetchError(f"HTTP {status} without a Location", url=url, status=status)
        target = urljoin(current, location)
        if host_of(target) not in self.allowed_hosts:
            raise FetchError(
                f"redirect to another host refused ({target})", url=url, status=status, counts=False
            )
        if urlsplit(current).scheme == "https" and urlsplit(target).scheme != "https":
            raise FetchError(
                f"redirect from https to {target} refused", url=url, status=status, counts=False
            )
        if not urlsplit(target).path.endswith("/robots.txt"):
            self._check_allowed(target)
        return target

    def _read(
        self,
        url: str,
        current: str,
        response: httpx.Response,
        expect_pdf: bool,
        max_bytes: int,
        started: float,
    ) -> Fetched:
        status = response.status_code
        if status in RETRY_CODES or status >= 500:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if retry_after is not None and retry_after > self.policy.max_retry_after:
                raise FetchError(
                    f"HTTP {status} asking to wait {retry_after:.0f} s, "
                    f"past the {self.policy.max_retry_after:g} s cap",
                    url=url,
                    status=status,
                    retryable=True,
                )
            raise TransientError(f"HTTP {status}", url=url, status=status, retry_after=retry_after)
        if status != 304 and not 200 <= status < 300:
            raise FetchError(f"HTTP {status}", url=url, status=status)
        declared = _content_length(response)
        if declared is not None and declared > max_bytes:
            raise FetchError(
                f"too large ({declared} bytes declared, cap {max_bytes})",
                url=url,
                status=status,
                counts=False,
            )
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise FetchError(
                    f"too large (more than {max_bytes} bytes)", url=url, status=status, counts=False
                )
            if self._clock() - started > self.policy.total_timeout:
                raise TransientError(
                    f"timed out (body still coming after {self.policy.total_timeout:g} s)",
                    url=url,
                    status=status,
                )
        if declared is not None and response.num_bytes_downloaded < declared:
            raise TransientError(
                f"truncated ({response.num_bytes_downloaded} of {declared} bytes)",
                url=url,
                status=status,
            )
        content = bytes(body)
        if expect_pdf and status != 304:
            _check_pdf(url, status, content, response.headers.get("content-type"))
        return Fetched(
            url=url,
            final_url=current,
            status=status,
            content=content,
            content_type=response.headers.get("content-type"),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length")
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


def _check_pdf(url: str, status: int, content: bytes, content_type: str | None) -> None:
    # Readers accept the header anywhere in the first KiB; some servers prepend junk.
    if content.find(PDF_MAGIC, 0, 1024) == -1:
        head = content[:24].decode("latin-1").strip()
        raise FetchError(
            f"not a PDF ({content_type or 'no content type'}, starts {head!r})",
            url=url,
            status=status,
            retryable=True,
        )
    # A body cut short without a Content-Length (chunked) still lacks its end-of-file marker.
    if b"%%EOF" not in content[-2048:]:
        raise TransientError(
            f"truncated PDF (no %%EOF marker in {len(content)} bytes)", url=url, status=status
        )
