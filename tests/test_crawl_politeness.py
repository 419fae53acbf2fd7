"""The crawl's HTTP client: identity, robots.txt, throttling, retries, limits, error budget."""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from crawl_faults import FAST, pdf_bytes, serve

from pipelines import settings
from pipelines.crawl.mirror import Mirror, MirrorDocument, MirrorSite
from pipelines.crawl.politeness import (
    CrawlAborted,
    CrawlPolicy,
    ErrorBudget,
    FetchError,
    PoliteClient,
    RateLimiter,
    parse_retry_after,
)

ACT = pdf_bytes("act", size=2000)


def site_with(
    documents: dict[str, bytes], robots: str = "User-agent: *\nDisallow: /prive/\n"
) -> MirrorSite:
    """A site that serves only these documents (and robots.txt)."""
    return MirrorSite(
        cards={},
        robots_txt=robots,
        documents={path: MirrorDocument(path, "", content) for path, content in documents.items()},
    )


def client_for(mirror: Mirror, policy: CrawlPolicy = FAST) -> PoliteClient:
    """A client allowed on the mirror's host only."""
    return PoliteClient(["127.0.0.1"], policy)


def test_user_agent_names_polefunds_and_a_contact_url() -> None:
    with serve(site_with({"/a.pdf": ACT})) as mirror, client_for(mirror) as client:
        client.get(mirror.url + "/a.pdf", expect_pdf=True)
        agents = {headers["User-Agent"] for _path, headers in mirror.server.seen}
    assert agents == {settings.USER_AGENT}
    assert "polefunds" in settings.USER_AGENT and "https://" in settings.USER_AGENT


def test_robots_txt_is_read_once_and_a_disallowed_path_is_never_requested() -> None:
    documents = {"/prive/a.pdf": ACT, "/b.pdf": ACT, "/c.pdf": ACT}
    with serve(site_with(documents)) as mirror, client_for(mirror) as client:
        with pytest.raises(FetchError, match=r"disallowed by robots\.txt") as refused:
            client.get(mirror.url + "/prive/a.pdf", expect_pdf=True)
        client.get(mirror.url + "/b.pdf", expect_pdf=True)
        client.get(mirror.url + "/c.pdf", expect_pdf=True)
        assert mirror.server.paths_seen() == ["/robots.txt", "/b.pdf", "/c.pdf"]
    # Our own refusal is no sign of a sick site.
    assert not refused.value.counts and client.budget.failures == 0


def test_a_missing_robots_txt_allows_everything() -> None:
    site = site_with({"/prive/a.pdf": ACT})
    with serve(site, {"/robots.txt": ["404"]}) as mirror, client_for(mirror) as client:
        assert client.get(mirror.url + "/prive/a.pdf", expect_pdf=True).content == ACT


def test_an_unreachable_robots_txt_forbids_the_whole_host() -> None:
    site = site_with({"/a.pdf": ACT})
    with serve(site, {"/robots.txt": ["503"]}) as mirror, client_for(mirror) as client:
        with pytest.raises(FetchError, match=r"robots.txt unreachable \(HTTP 503"):
            client.get(mirror.url + "/a.pdf", expect_pdf=True)
        assert "/a.pdf" not in mirror.server.paths_seen()


def test_robots_crawl_delay_spaces_the_requests() -> None:
    site = site_with({"/a.pdf": ACT}, robots="User-agent: *\nCrawl-delay: 0.3\n")
    with serve(site) as mirror, client_for(mirror) as client:
        started = time.monotonic()
        for _ in range(3):
            client.get(mirror.url + "/a.pdf", expect_pdf=True)
        elapsed = time.monotonic() - started
    assert elapsed >= 0.6 * 0.95  # robots.txt, then three documents 0.3 s apart


def test_at_most_one_request_per_interval_per_host() -> None:
    policy = dataclasses.replace(FAST, min_interval=0.2)
    with serve(site_with({"/a.pdf": ACT})) as mirror, client_for(mirror, policy) as client:
        started = time.monotonic()
        for _ in range(3):
            client.get(mirror.url + "/a.pdf", expect_pdf=True)
        elapsed = time.monotonic() - started
    assert elapsed >= 0.6 * 0.95  # robots.txt + 3 documents: 3 intervals


def test_rate_limiter_books_slots_per_host_and_honours_holds() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += seconds

    limiter = RateLimiter(1.0, clock=lambda: now[0], sleep=sleep)
    limiter.wait("a")
    limiter.wait("a")
    limiter.wait("b")  # another host: no wait
    limiter.hold("a", 5.0)
    limiter.wait("a")
    limiter.slow_down("b", 2.0)
    limiter.wait("b")
    limiter.wait("b")
    assert slept == [1.0, 5.0, 2.0]


def test_503_then_success_is_retried() -> None:
    site = site_with({"/a.pdf": ACT})
    with serve(site, {"/a.pdf": ["503", "503", "ok"]}) as mirror, client_for(mirror) as client:
        fetched = client.get(mirror.url + "/a.pdf", expect_pdf=True)
        assert mirror.server.paths_seen().count("/a.pdf") == 3
    assert fetched.status == 200 and fetched.content == ACT
    assert client.budget.failures == 0


def test_429_waits_as_long_as_retry_after_says() -> None:
    site = site_with({"/a.pdf": ACT})
    with serve(site, {"/a.pdf": ["429:1", "ok"]}) as mirror, client_for(mirror) as client:
        started = time.monotonic()
        fetched = client.get(mirror.url + "/a.pdf", expect_pdf=True)
        elapsed = time.monotonic() - started
    assert fetched.content == ACT
    assert elapsed >= 0.95


def test_a_retry_after_past_the_cap_gives_up_at_once() -> None:
    site = site_with({"/a.pdf": ACT})
    with serve(site, {"/a.pdf": ["429:3600"]}) as mirror, client_for(mirror) as client:
        started = time.monotonic()
        with pytest.raises(FetchError, match="asking to wait 3600 s") as failed:
            client.get(mirror.url + "/a.pdf", expect_pdf=True)
        # Far under the hour it was asked to wait (a loaded machine may take seconds).
        assert time.monotonic() - started < 60
    assert failed.value.retryable


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(later, now) == 90.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_a_response_past_the_timeout_fails_after_its_retries() -> None:
    site = site_with({"/a.pdf": ACT})
    with (
        serve(site, {"/a.pdf": ["slow:3.0"]}) as mirror,
        client_for(mirror) as client,
        pytest.raises(FetchError, match=r"timed out .*\(3 attempts\)") as failed,
    ):
        client.get(mirror.url + "/a.pdf", expect_pdf=True)
    assert failed.value.retryable and failed.value.counts


def test_a_redirect_to_another_host_is_refused_and_one_within_is_followed() -> None:
    site = site_with({"/new.pdf": ACT, "/away.pdf": ACT, "/old.pdf": ACT})
    faults = {
        "/away.pdf": ["redirect:http://elsewhere.invalid/a.pdf"],
        "/old.pdf": ["redirect:/new.pdf"],
    }
    with serve(site, faults) as mirror, client_for(mirror) as client:
        with pytest.raises(FetchError, match="redirect to another host refused"):
            client.get(mirror.url + "/away.pdf", expect_pdf=True)
        fetched = client.get(mirror.url + "/old.pdf", expect_pdf=True)
    assert fetched.final_url == mirror.url + "/new.pdf" and fetched.content == ACT


def test_a_url_outside_the_allowed_hosts_is_never_requested() -> None:
    with PoliteClient(["deliberations.ampmetropole.fr"], FAST) as client:
        with pytest.raises(FetchError, match="outside the allowed hosts"):
            client.get("http://127.0.0.1:9/a.pdf")
        assert client.requests == 0


def test_an_html_page_with_status_200_is_not_a_pdf() -> None:
    site = site_with({"/a.pdf": ACT})
    with (
        serve(site, {"/a.pdf": ["html"]}) as mirror,
        client_for(mirror) as client,
        pytest.raises(FetchError, match=r"not a PDF \(application/pdf, starts '<!DOCTYPE"),
    ):
        client.get(mirror.url + "/a.pdf", expect_pdf=True)


def test_a_download_cut_short_is_truncated() -> None:
    site = site_with({"/a.pdf": ACT})
    with (
        serve(site, {"/a.pdf": ["truncated"]}) as mirror,
        client_for(mirror) as client,
        pytest.raises(FetchError, match="truncated"),
    ):
        client.get(mirror.url + "/a.pdf", expect_pdf=True)


def test_a_pdf_cut_short_without_content_length_lacks_its_end_marker() -> None:
    site = site_with({"/a.pdf": ACT})
    faults = {"/a.pdf": ["close-delimited:1000"]}
    with (
        serve(site, faults) as mirror,
        client_for(mirror) as client,
        pytest.raises(FetchError, match="no %%EOF marker"),
    ):
        client.get(mirror.url + "/a.pdf", expect_pdf=True)


def test_documents_over_the_size_cap_are_refused() -> None:
    big = pdf_bytes("big", size=50_000)
    policy = dataclasses.replace(FAST, max_document_bytes=10_000)
    site = site_with({"/declared.pdf": big, "/undeclared.pdf": big})
    faults = {"/undeclared.pdf": ["close-delimited"]}
    with serve(site, faults) as mirror, client_for(mirror, policy) as client:
        with pytest.raises(FetchError, match=r"too large \(\d+ bytes declared, cap 10000\)"):
            client.get(mirror.url + "/declared.pdf", expect_pdf=True)
        with pytest.raises(FetchError, match=r"too large \(more than 10000 bytes\)"):
            client.get(mirror.url + "/undeclared.pdf", expect_pdf=True)


def test_the_error_budget_stops_after_failures_in_a_row() -> None:
    budget = ErrorBudget(max_consecutive=4, max_total=5)
    for _ in range(2):
        budget.record_failure("HTTP 503 (x)")
    budget.check()
    budget.record_success()
    for _ in range(2):
        budget.record_failure("HTTP 503 (x)")
    budget.check()  # 4 failures, 2 in a row: within budget
    budget.record_failure("HTTP 500 (y)")
    with pytest.raises(CrawlAborted, match=r"5 failures in this run \(last: HTTP 500 \(y\)\)"):
        budget.check()


def test_the_client_refuses_to_go_on_once_the_budget_is_spent() -> None:
    policy = dataclasses.replace(FAST, max_attempts=1, max_consecutive_failures=2)
    site = site_with({"/a.pdf": ACT})
    with serve(site, {"/a.pdf": ["500"]}) as mirror, client_for(mirror, policy) as client:
        for _ in range(2):
            with pytest.raises(FetchError, match="HTTP 500"):
                client.get(mirror.url + "/a.pdf", expect_pdf=True)
        with pytest.raises(CrawlAborted, match="2 failures in a row"):
            client.get(mirror.url + "/a.pdf", expect_pdf=True)
        assert mirror.server.paths_seen().count("/a.pdf") == 2


def test_policy_reads_the_environment_and_explicit_values_win() -> None:
    environ = {"POLEFUNDS_CRAWL_MIN_INTERVAL": "2.5", "POLEFUNDS_CRAWL_MAX_ATTEMPTS": "7"}
    policy = CrawlPolicy.from_env(environ, min_interval=None, max_failures=9)
    assert (policy.min_interval, policy.max_attempts, policy.max_failures) == (2.5, 7, 9)
    assert CrawlPolicy.from_env({}).min_interval == 1.0  # one request a second by default
    with pytest.raises(ValueError, match="POLEFUNDS_CRAWL_MAX_ATTEMPTS='many' is not a int"):
        CrawlPolicy.from_env({"POLEFUNDS_CRAWL_MAX_ATTEMPTS": "many"})
