"""Read and write the pabulib ``.pb`` format (pabulib.org/format).

A file has three sections, META, PROJECTS and VOTES, each starting with its name on a
line of its own followed by a header row; fields are ``;``-separated with CSV quoting,
UTF-8. We read with the csv module (so a quoted ``;`` inside a name is fine), tolerate a
byte-order mark on input, and write quoted fields without a BOM.

Pure module: no Flask, no database. ``to_election`` turns a parsed file into a
:class:`~portal.participation.budgeting.tally.Election`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .tally import Ballot, Election, Project

SECTIONS = ("META", "PROJECTS", "VOTES")


class PabulibError(ValueError):
    """The file is not a valid pabulib file: a ``code`` and its parameters (the line, row,
    column, value), never a sentence. ``str(error)`` is a plain technical summary;
    the words a person reads are in :mod:`portal.participation.budgeting.messages`, in
    their language. ``file`` is the 1-based number of the file when several are read.

    Codes: ``csv`` (line, detail), ``null_bytes``, ``no_section`` (line), ``meta_pair``
    (line), ``too_many_fields`` (line, found, expected), ``missing_budget``,
    ``missing_column`` (section, column), ``not_a_number`` (section, row, column, text;
    row is None in META), ``not_an_integer`` (key, text), ``vote_type`` (value),
    ``project_id`` (row), ``unknown_project`` (row, project), ``points`` (row),
    ``mixed_vote_type`` (found, first), ``duplicate_district`` (district, "" = city-wide),
    ``repeated_project`` (project).
    """

    def __init__(self, code: str, *, file: int | None = None, **params):
        self.code = code
        self.file = file
        self.params = params
        details = ", ".join(f"{key}={value!r}" for key, value in params.items())
        where = f"file {file}: " if file is not None else ""
        super().__init__(f"{where}{code}" + (f" ({details})" if details else ""))

    def in_file(self, number: int) -> "PabulibError":
        """The same error, naming the file it came from."""
        return PabulibError(self.code, file=number, **self.params)


@dataclass
class PBFile:
    """A parsed pabulib file; rows keep every column as text, in file order."""

    meta: dict[str, str] = field(default_factory=dict)
    project_columns: list[str] = field(default_factory=list)
    projects: list[dict[str, str]] = field(default_factory=list)
    vote_columns: list[str] = field(default_factory=list)
    votes: list[dict[str, str]] = field(default_factory=list)


def _rows(reader):
    """The reader's rows; a line the csv module cannot read (a stray carriage return,
    an oversized field) is refused like any other bad line."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise PabulibError("csv", line=reader.line_num, detail=str(error)) from None
        yield row


def parse(text: str) -> PBFile:
    """Parse the text of a .pb file. Raises PabulibError (with the line) on bad input."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise PabulibError("null_bytes")
    pb = PBFile()
    section = None
    header: list[str] | None = None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    for row in _rows(reader):
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        first = row[0].strip()
        if len(row) == 1 and first.upper() in SECTIONS:
            section = first.upper()
            header = None
            continue
        if section is None:
            raise PabulibError("no_section", line=line)
        if header is None:
            header = [h.strip() for h in row]
            if section == "PROJECTS":
                pb.project_columns = header
            elif section == "VOTES":
                pb.vote_columns = header
            continue
        if section == "META":
            if len(row) < 2:
                raise PabulibError("meta_pair", line=line)
            pb.meta[row[0].strip()] = ";".join(row[1:]).strip()
            continue
        if len(row) > len(header):
            raise PabulibError("too_many_fields", line=line, found=len(row), expected=len(header))
        record = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        (pb.projects if section == "PROJECTS" else pb.votes).append(record)
    if "budget" not in pb.meta:
        raise PabulibError("missing_budget")
    if not pb.project_columns or "project_id" not in pb.project_columns:
        raise PabulibError("missing_column", section="PROJECTS", column="project_id")
    if pb.vote_columns and "vote" not in pb.vote_columns:
        raise PabulibError("missing_column", section="VOTES", column="vote")
    return pb


def read(path) -> PBFile:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return parse(fh.read())


def write(pb: PBFile) -> str:
    """Serialize to text: every field quoted, ``;`` separator, ``\\n`` line ends, no BOM."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", quotechar='"', quoting=csv.QUOTE_ALL,
                   lineterminator="\n")
    out.write("META\n")
    w.writerow(["key", "value"])
    for key, value in pb.meta.items():
        w.writerow([key, value])
    out.write("PROJECTS\n")
    w.writerow(pb.project_columns)
    for row in pb.projects:
        w.writerow([row.get(c, "") for c in pb.project_columns])
    out.write("VOTES\n")
    w.writerow(pb.vote_columns)
    for row in pb.votes:
        w.writerow([row.get(c, "") for c in pb.vote_columns])
    return out.getvalue()


def _decimal(text: str, section: str, row: int | None, column: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise PabulibError("not_a_number", section=section, row=row, column=column, text=text) from None
    if not value.is_finite():
        raise PabulibError("not_a_number", section=section, row=row, column=column, text=text)
    return value


def _int_meta(meta: dict[str, str], key: str) -> int | None:
    value = meta.get(key, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise PabulibError("not_an_integer", key=key, text=value) from None


def to_election(pb: PBFile) -> Election:
    """Build the tally's Election from a parsed file (ballot type from META vote_type)."""
    vote_type = pb.meta.get("vote_type", "approval").strip().lower()
    if vote_type not in ("approval", "cumulative", "ordinal"):
        raise PabulibError("vote_type", value=vote_type)
    projects = []
    known = set()
    for i, row in enumerate(pb.projects, start=1):
        pid = row["project_id"]
        if not pid or pid in known:
            raise PabulibError("project_id", row=i)
        known.add(pid)
        projects.append(Project(pid, _decimal(row.get("cost", ""), "PROJECTS", i, "cost"),
                                row.get("name", "")))
    ballots = []
    for i, row in enumerate(pb.votes, start=1):
        ids = [p.strip() for p in row.get("vote", "").split(",") if p.strip()]
        unknown = [p for p in ids if p not in known]
        if unknown:
            raise PabulibError("unknown_project", row=i, project=unknown[0])
        if vote_type == "cumulative":
            pts = [p.strip() for p in row.get("points", "").split(",") if p.strip()]
            if len(pts) != len(ids):
                raise PabulibError("points", row=i)
            points = tuple(int(_decimal(p, "VOTES", i, "points")) for p in pts)
            ballots.append(Ballot(tuple(ids), points))
        else:
            ballots.append(Ballot(tuple(ids)))
    return Election(
        budget=_decimal(pb.meta["budget"], "META", None, "budget"),
        projects=tuple(projects),
        ballots=tuple(ballots),
        vote_type=vote_type,
        max_length=_int_meta(pb.meta, "max_length"),
    )


def selected_ids(pb: PBFile) -> list[str]:
    """The ids the file marks as selected (``selected`` = 1), in file order."""
    return [r["project_id"] for r in pb.projects if r.get("selected", "").strip() in ("1", "1.0")]
