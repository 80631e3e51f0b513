"""Feeds out (Atom, driven by the published-change record) and news feeds in."""
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone

import nh3
from sqlalchemy import select

from portal.accounts.models import utcnow
from portal.audit.models import ChangeRecord
from portal.extensions import db
from portal.opendata.models import NewsFeed, NewsItem

# Atom topics: URL name -> the change record's sections that belong to it.
TOPICS = {
    "finance": ("finance",),
    "diagnostic": ("diagnostic",),
    "roadmap": ("roadmap",),
    "budgeting": ("budgeting",),
    "surveys": ("surveys",),
    "complaints": ("complaints",),
}


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
    stmt = select(ChangeRecord).order_by(ChangeRecord.id.desc()).limit(limit * 20)
    if municipality is not None:
        stmt = stmt.where(ChangeRecord.municipality_id == municipality.id)
    else:  # the site feed: municipalities' publications (platform settings are not data)
        stmt = stmt.where(ChangeRecord.municipality_id.is_not(None))
    if topic is not None:
        stmt = stmt.where(ChangeRecord.section.in_(TOPICS[topic]))
    groups: list[list[ChangeRecord]] = []
    for record in db.session.execute(stmt).scalars():
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


def add_feed(municipality, url: str, title: str = "") -> NewsFeed:
    url = (url or "").strip()
    if not url.startswith(("http://", "https://")):
        raise ValueError("The feed address must start with http:// or https://")
    existing = db.session.execute(select(NewsFeed).filter_by(municipality_id=municipality.id, url=url)).scalar_one_or_none()
    if existing:
        return existing
    feed = NewsFeed(municipality_id=municipality.id, url=url, title=title)
    db.session.add(feed)
    db.session.flush()
    return feed


def _download(feed: NewsFeed, timeout: float):
    request = urllib.request.Request(feed.url, headers={"User-Agent": "Cabildo feed reader"})
    if feed.etag:
        request.add_header("If-None-Match", feed.etag)
    if feed.modified:
        request.add_header("If-Modified-Since", feed.modified)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(4_000_000), response.headers
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return 304, b"", error.headers
        raise


def _moment(parsed):
    if not parsed:
        return None
    return datetime(*parsed[:6], tzinfo=timezone.utc).replace(tzinfo=None)


def fetch(feed: NewsFeed, timeout: float = 10) -> int:
    """Read one feed; store new items once (by id, else link). Returns how many were new.
    Failures are recorded on the feed, never raised."""
    import feedparser

    feed.last_fetched_at = utcnow()
    try:
        status, body, headers = _download(feed, timeout)
    except Exception as error:  # unreachable, refused, timed out, HTTP error: all recorded
        feed.last_status, feed.last_error = "error", f"{type(error).__name__}: {error}"[:1000]
        return 0
    if status == 304:
        feed.last_status, feed.last_error = "not-modified", ""
        return 0
    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        feed.last_status = "error"
        feed.last_error = f"Not a readable feed: {parsed.get('bozo_exception', '')}"[:1000]
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
            summary_html=sanitize(entry.get("summary", ""))[:20000],
            published_at=_moment(entry.get("published_parsed") or entry.get("updated_parsed"))))
        new += 1
    feed.last_status, feed.last_error = "ok", ""
    return new


def fetch_all(timeout: float = 10) -> list[tuple[NewsFeed, int]]:
    from portal.municipalities.models import Municipality

    # A municipality's own news_feed_url is followed like any listed feed.
    for municipality in db.session.execute(select(Municipality).where(Municipality.news_feed_url != "")).scalars():
        add_feed(municipality, municipality.news_feed_url)
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
