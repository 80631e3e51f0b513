"""Feeds out (Atom, driven by the published-change record) and news feeds in."""
from dataclasses import dataclass
from datetime import datetime, timezone

import nh3
from flask import current_app
from sqlalchemy import select

from portal.core.clock import utcnow
from portal.audit import services as audit
from portal.audit.services import ChangeRecord  # the type of a feed entry's records
from portal.core import outbound, registry
from portal.extensions import db
from portal.opendata.models import NewsFeed, NewsItem


def topics() -> dict[str, tuple]:
    """Atom topics: URL name -> the change record's sections that belong to it, as the
    domains declare them (:func:`portal.core.registry.topics`)."""
    return registry.topics()


@dataclass(frozen=True)
class Publication:
    """Changes of one section made together (same actor, same second): one feed entry."""
    first: ChangeRecord
    count: int
    last: ChangeRecord | None = None  # the group's latest change (``first`` when alone)

    @property
    def updated(self) -> datetime:
        """When the publication was last changed: its latest record's time, to the microsecond."""
        return (self.last or self.first).created_at


def publications(municipality=None, topic: str | None = None, limit: int = 50) -> list[Publication]:
    # without a municipality, the site feed: municipalities' publications (platform settings are not data)
    records = audit.latest_records(municipality, topics()[topic] if topic is not None else None, limit * 20)
    groups: list[list[ChangeRecord]] = []
    for record in records:
        key = (record.chain, record.section, record.actor_ref, record.created_at.replace(microsecond=0))
        if groups and groups[-1][0] == key:
            groups[-1][1].append(record)
        else:
            if len(groups) == limit:
                break
            groups.append((key, [record]))
    return [Publication(first=records[-1], count=len(records), last=records[0]) for _, records in groups]


def municipalities_by_id(ids):
    from portal.municipalities.models import Municipality

    if not ids:
        return {}
    return {m.id: m for m in db.session.execute(select(Municipality).where(Municipality.id.in_(ids))).scalars()}


# --- feeds in -------------------------------------------------------------------------

ALLOWED_TAGS = {"p", "br", "a", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote"}


def sanitize(html: str) -> str:
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener")


class FeedError(ValueError):
    """A feed address that cannot be followed; ``str(error)`` is a translated sentence."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code

    def __str__(self):
        return str(outbound.message(self.code))


def _allowed_networks():
    return outbound.networks(current_app.config.get("OUTBOUND_ALLOWED_NETWORKS") or ())


def check_feed_url(url: str) -> str:
    """The address, stripped, if the portal may read it: http(s), resolving only to public
    addresses (or to the operator's ``OUTBOUND_ALLOWED_NETWORKS``). Raises FeedError."""
    url = (url or "").strip()
    try:
        outbound.check(url, _allowed_networks())
    except outbound.OutboundError as error:
        raise FeedError(error.code) from None
    return url


def add_feed(municipality, url: str, title: str = "") -> NewsFeed:
    url = check_feed_url(url)
    existing = db.session.execute(select(NewsFeed).filter_by(municipality_id=municipality.id, url=url)).scalar_one_or_none()
    if existing:
        return existing
    feed = NewsFeed(municipality_id=municipality.id, url=url, title=title)
    db.session.add(feed)
    db.session.flush()
    return feed


def _download(feed: NewsFeed, timeout: float) -> outbound.Response:
    headers = {"User-Agent": "Cabildo feed reader"}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.modified:
        headers["If-Modified-Since"] = feed.modified
    return outbound.get(feed.url, headers=headers, timeout=timeout, allowed=_allowed_networks(),
                        max_bytes=int(current_app.config.get("FEEDS_MAX_BYTES", 4_000_000)))


def _moment(parsed):
    if not parsed:
        return None
    return datetime(*parsed[:6], tzinfo=timezone.utc).replace(tzinfo=None)


def fetch(feed: NewsFeed, timeout: float | None = None) -> int:
    """Read one feed; store new items once (by id, else link). Returns how many were new.
    Failures are recorded on the feed as an error code (see ``outbound.MESSAGES``), never
    raised, and never with the network's own words (they would map the server's network)."""
    import feedparser

    if timeout is None:
        timeout = float(current_app.config.get("FEEDS_TIMEOUT", 10))
    feed.last_fetched_at = utcnow()
    try:
        answer = _download(feed, timeout)
    except outbound.OutboundError as error:
        feed.last_status, feed.last_error = "error", error.code
        return 0
    status, body, headers = answer.status, answer.body, answer.headers
    if status == 304:
        feed.last_status, feed.last_error = "not-modified", ""
        return 0
    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        feed.last_status, feed.last_error = "error", "not-a-feed"
        return 0
    feed.etag = headers.get("ETag", "") or ""
    feed.modified = headers.get("Last-Modified", "") or ""
    feed.title = feed.title or parsed.feed.get("title", "")[:200]
    known = set(db.session.execute(select(NewsItem.guid).where(NewsItem.feed_id == feed.id)).scalars())
    new = 0
    for entry in parsed.entries:
        guid = (entry.get("id") or entry.get("link") or "")[:500]
        if not guid or guid in known:
            continue
        known.add(guid)
        link = entry.get("link", "")
        db.session.add(NewsItem(
            feed_id=feed.id, municipality_id=feed.municipality_id, guid=guid,
            title=(entry.get("title") or "")[:500],
            link=link if link.startswith(("http://", "https://")) else "",
            summary_html=sanitize((entry.get("summary") or "")[:20000]),  # cut before cleaning: never a broken tag
            published_at=_moment(entry.get("published_parsed") or entry.get("updated_parsed"))))
        new += 1
    feed.last_status, feed.last_error = "ok", ""
    return new


def fetch_all(timeout: float | None = None) -> list[tuple[NewsFeed, int]]:
    from portal.municipalities.models import Municipality

    # A municipality's own news_feed_url is followed like any listed feed (if allowed).
    for municipality in db.session.execute(select(Municipality).where(Municipality.news_feed_url != "")).scalars():
        try:
            add_feed(municipality, municipality.news_feed_url)
        except FeedError:
            continue
    results = []
    for feed in db.session.execute(select(NewsFeed).order_by(NewsFeed.id)).scalars().all():
        results.append((feed, fetch(feed, timeout)))
        db.session.flush()
    return results


def latest_news(municipality, limit: int = 5) -> list[NewsItem]:
    return list(db.session.execute(
        select(NewsItem).where(NewsItem.municipality_id == municipality.id)
        .order_by(NewsItem.published_at.desc().nulls_last(), NewsItem.id.desc()).limit(limit)).scalars())


def feeds_of(municipality) -> list[NewsFeed]:
    return list(db.session.execute(select(NewsFeed).where(NewsFeed.municipality_id == municipality.id)
                                   .order_by(NewsFeed.id)).scalars())
