"""The change record's rows."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.extensions import db


class ChangeRecord(db.Model):
    """One create, update, delete or publication of published data."""

    __tablename__ = "change_records"
    __table_args__ = (
        UniqueConstraint("chain", "seq"),
        Index("ix_change_records_muni_section", "municipality_id", "section", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(String(40))  # municipality id, or "platform"
    seq: Mapped[int]
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_ref: Mapped[str] = mapped_column(String(40), default="system")
    actor_role: Mapped[str] = mapped_column(String(40), default="system")
    action: Mapped[str] = mapped_column(String(20))
    section: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(String(300), default="")
    changes: Mapped[str] = mapped_column(Text, default="{}")  # JSON {field: [before, after]}
    note: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    def content(self) -> dict:
        """What the hash covers: everything but the row id and the nullable actor link."""
        return {
            "chain": self.chain, "seq": self.seq, "municipality_id": self.municipality_id,
            "created_at": self.created_at.isoformat(timespec="microseconds"),
            "actor_ref": self.actor_ref, "actor_role": self.actor_role, "action": self.action,
            "section": self.section, "object_type": self.object_type, "object_id": self.object_id,
            "summary": self.summary, "changes": self.changes, "note": self.note,
        }


class Checkpoint(db.Model):
    """A signed statement of a chain's head (see :mod:`portal.audit.signing`). Public;
    the signing key is not in the database."""

    __tablename__ = "change_checkpoints"
    __table_args__ = (Index("ix_change_checkpoints_chain_seq", "chain", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int]
    head: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[str] = mapped_column(String(40))  # exactly the signed ISO text
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(100))
