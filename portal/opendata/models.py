"""News feeds a municipality follows, and the items read from them."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.clock import utcnow
from portal.extensions import db


class NewsFeed(db.Model):
    __tablename__ = "news_feeds"
    __table_args__ = (UniqueConstraint("municipality_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(200), default="")
    etag: Mapped[str] = mapped_column(String(200), default="")
    modified: Mapped[str] = mapped_column(String(100), default="")
    last_fetched_at: Mapped[datetime | None]
    last_status: Mapped[str] = mapped_column(String(20), default="never")  # ok | not-modified | error | never
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    items: Mapped[list["NewsItem"]] = relationship(back_populates="feed", cascade="all, delete-orphan")


class NewsItem(db.Model):
    __tablename__ = "news_items"
    __table_args__ = (UniqueConstraint("feed_id", "guid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("news_feeds.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    guid: Mapped[str] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(500), default="")
    link: Mapped[str] = mapped_column(String(1000), default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)

    feed: Mapped[NewsFeed] = relationship(back_populates="items")
