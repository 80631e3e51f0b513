"""Who may vote: the census (only keyed hashes), verification of a resident, in person or by a
one-time code, and the staff entries the public change record notes."""
from datetime import date

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select, update

from portal.audit.services import append
from portal.core import imports
from portal.core.tabular import Problem, TableError, parse_date, read_table
from portal.extensions import db
from portal.municipalities.models import Municipality
from portal.participation.budgeting.errors import BudgetingError
from portal.participation.budgeting.keys import code_hash, entry_hash, new_code, normalize_document, person_hash
from portal.participation.budgeting.models import CensusEntry, Participation, VoterVerification, VotingCode


CENSUS_COLUMNS = {"document": ("documento", "dui", "document", "numero_documento"),
                  "birth_date": ("fecha_nacimiento", "nacimiento", "birth_date"),
                  "district": ("distrito", "district", "canton", "zona")}


def import_census(municipality, data: bytes, filename: str) -> int:
    """Replace the census with the file (documento, fecha_nacimiento, distrito). Only
    keyed hashes are stored. Raises TableError listing every bad row before writing."""
    return write_census(municipality, check_census(data, filename))


def check_census(data: bytes, filename: str, progress=None) -> list[tuple]:
    """The file's people, every row validated: ``[(document, birth date, district)]``;
    raises TableError listing every bad row. Writes nothing."""
    rows = read_table(data, filename, CENSUS_COLUMNS, required=("document", "birth_date"))
    if progress is not None:
        progress.total(len(rows))
    problems, clean, seen = [], [], set()
    for i, row in enumerate(rows, start=2):
        document = normalize_document(str(row.get("document") or ""))
        if len(document) < 4:
            problems.append(Problem(i, "document", _l("Escriba el número de documento.")))
            continue
        try:
            birth = parse_date(row.get("birth_date"))
        except ValueError:
            birth = None
        if birth is None:
            problems.append(Problem(i, "birth_date", _l("Use el formato AAAA-MM-DD.")))
            continue
        if document in seen:
            problems.append(Problem(i, "document", _l("Documento repetido en el archivo.")))
            continue
        seen.add(document)
        clean.append((document, birth, str(row.get("district") or "").strip()))
    if not clean and not problems:  # an empty file must not wipe the census
        problems.append(Problem(None, None, _l("El archivo no tiene ninguna fila con datos.")))
    if problems:
        raise TableError(problems, getattr(rows, "headers", None))
    return clean


WRITE_BATCH = 1000


def write_census(municipality, clean: list[tuple], progress=None) -> int:
    """Replace the municipality's census with checked people (flush only: one transaction
    with the caller's; running it again gives the same census)."""
    db.session.execute(CensusEntry.__table__.delete().where(
        CensusEntry.municipality_id == municipality.id))
    for start in range(0, len(clean), WRITE_BATCH):
        batch = clean[start:start + WRITE_BATCH]
        db.session.execute(CensusEntry.__table__.insert(), [
            {"municipality_id": municipality.id, "entry_hash": entry_hash(municipality, d, b),
             "person_hash": person_hash(municipality, d), "district": dist} for d, b, dist in batch])
        if progress is not None:
            progress.written(start + len(batch))
    db.session.flush()
    return len(clean)


def census_size(municipality) -> int:
    return db.session.execute(select(func.count(CensusEntry.id)).where(
        CensusEntry.municipality_id == municipality.id)).scalar() or 0


def census_by_district(municipality, process) -> dict[str, int]:
    """People in the census per district ("" = all of them); empty for imported processes
    and example data (the census is of today's residents)."""
    if process.is_historical or process.example_data:
        return {}
    rows = db.session.execute(select(CensusEntry.district, func.count(CensusEntry.id)).where(
        CensusEntry.municipality_id == municipality.id).group_by(CensusEntry.district)).all()
    out = {district: n for district, n in rows}
    out[""] = sum(out.values())
    return out


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _eligible(process, district: str, voter_district: str | None) -> None:
    if process.eligibility == "district" and district and voter_district and district != voter_district:
        raise BudgetingError(_l("Su distrito no participa en este proceso."))


def _record_verification(municipality, process, key, method, district, user=None):
    existing = db.session.execute(select(VoterVerification).where(
        VoterVerification.process_id == process.id, VoterVerification.voter_key == key)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    row = VoterVerification(municipality_id=municipality.id, process_id=process.id, voter_key=key,
                            method=method, district=district or "",
                            verified_by_id=user.id if user else None)
    db.session.add(row)
    db.session.flush()
    return row


def _min_age_check(process, birth: date, today: date) -> None:
    if process.min_age and _age(birth, today) < process.min_age:
        raise BudgetingError(_l("Para votar en este proceso se necesita una edad mínima de %(n)d años.",
                                n=process.min_age))


def _census_entry(municipality, process, document: str, birth: date, today: date) -> CensusEntry:
    """The census entry of document + birth date, old enough for the process; or BudgetingError."""
    entry = db.session.execute(select(CensusEntry).where(
        CensusEntry.municipality_id == municipality.id,
        CensusEntry.entry_hash == entry_hash(municipality, document, birth))).scalars().first()
    if entry is None:
        raise BudgetingError(_l("No encontramos ese documento con esa fecha de nacimiento en el padrón."))
    _min_age_check(process, birth, today)
    return entry


def verify_census(municipality, process, document: str, birth: date, today: date) -> VoterVerification:
    """Check document + birth date against the census hashes (and the minimum age)."""
    entry = _census_entry(municipality, process, document, birth, today)
    return _record_verification(municipality, process, entry.person_hash, "census", entry.district)


def staff_checked_voter(municipality, process, document: str, birth: date | None, district: str,
                        today: date) -> tuple[str, str]:
    """``(voter_key, district)`` of a person a staff member enters (in-person verification,
    paper ballot), under the rules a resident's own verification follows: with a census
    loaded, the document and birth date must be in it, old enough, and the district is the
    census's (a different one typed is refused); without a census, the birth date is still
    needed for a process with a minimum age."""
    if len(normalize_document(document)) < 4:
        raise BudgetingError(_l("Escriba el número de documento."))
    if census_size(municipality):
        if birth is None:
            raise BudgetingError(_l("Escriba la fecha de nacimiento: se comprueba en el padrón."))
        entry = _census_entry(municipality, process, document, birth, today)
        if district and entry.district and district != entry.district:
            raise BudgetingError(_l("Según el padrón, esta persona vota en otro distrito (%(district)s).",
                                    district=entry.district))
        return entry.person_hash, entry.district or district or ""
    if process.min_age:
        if birth is None:
            raise BudgetingError(_l("Escriba la fecha de nacimiento: este proceso tiene una edad mínima."))
        _min_age_check(process, birth, today)
    return person_hash(municipality, document), district or ""


def record_staff_entry(municipality, process, object_type: str, summary: str, changes: dict) -> None:
    """Put a staff entry in the public change record, with the role of whoever entered it
    (the change record finds it). Nothing in it leads to the voter or to a ballot."""
    append(db.session, municipality_id=municipality.id, action="create", section="budgeting",
           object_type=object_type, object_id=process.id, summary=f"{summary}: {process.title}"[:300],
           changes={key: [None, value] for key, value in changes.items()})


def verify_in_person(municipality, process, document: str, district: str, user, birth: date | None = None,
                     today: date | None = None) -> VoterVerification:
    key, district = staff_checked_voter(municipality, process, document, birth, district, today or date.today())
    existing = db.session.scalar(select(func.count(VoterVerification.id)).where(
        VoterVerification.process_id == process.id, VoterVerification.voter_key == key))
    row = _record_verification(municipality, process, key, "in_person", district, user)
    if not existing:
        record_staff_entry(municipality, process, "InPersonVerification", "Verificación en persona",
                            {"method": "in_person", "district": district})
    return row


MAX_CODES_PER_REQUEST = 200
MAX_CODES_WITHOUT_CENSUS = 5000


def codes_left(municipality, process) -> int:
    """How many more one-time codes the process may have: never more than the people who
    may vote (the census, or else the municipality's population, or else 5,000)."""
    ceiling = census_size(municipality) or municipality.population or MAX_CODES_WITHOUT_CENSUS
    made = db.session.scalar(select(func.count(VotingCode.id)).where(VotingCode.process_id == process.id)) or 0
    return max(0, ceiling - made)


def make_codes(municipality, process, count: int, batch: str = "") -> list[str]:
    """One-time voting codes for a voting table; returned in clear once, stored hashed.
    At most :data:`MAX_CODES_PER_REQUEST` at a time and :func:`codes_left` in all; each
    batch is in the public change record with the role that made it."""
    if not 1 <= count <= MAX_CODES_PER_REQUEST:
        raise BudgetingError(_l("Entre 1 y %(most)d códigos por vez.", most=MAX_CODES_PER_REQUEST))
    left = codes_left(municipality, process)
    if count > left:
        raise BudgetingError(_l("Este proceso ya tiene todos los códigos que puede tener; quedan %(left)d.",
                                left=left))
    codes = [new_code() for _ in range(count)]
    db.session.execute(VotingCode.__table__.insert(), [
        {"municipality_id": municipality.id, "process_id": process.id,
         "code_hash": code_hash(municipality, c), "batch": batch, "used": False} for c in codes])
    record_staff_entry(municipality, process, "VotingCodes", "Códigos de votación", {"count": count, "batch": batch})
    db.session.flush()
    return codes


def redeem_code(municipality, process, code: str) -> VoterVerification:
    row = db.session.execute(select(VotingCode).where(
        VotingCode.process_id == process.id,
        VotingCode.code_hash == code_hash(municipality, code))).scalar_one_or_none()
    if row is None:
        raise BudgetingError(_l("Código no válido."))
    # Used once: the update only succeeds for the first of two people typing the same code.
    taken = db.session.execute(update(VotingCode).where(VotingCode.id == row.id, VotingCode.used.is_(False))
                               .values(used=True).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise BudgetingError(_l("Este código ya se usó."))
    return _record_verification(municipality, process, "code:" + row.code_hash, "code", "")


def verification(municipality, process, verification_id) -> VoterVerification | None:
    if not verification_id:
        return None
    return db.session.execute(select(VoterVerification).where(
        VoterVerification.id == verification_id, VoterVerification.process_id == process.id,
        VoterVerification.municipality_id == municipality.id)).scalar_one_or_none()


def has_voted(municipality, process, voter_key: str) -> bool:
    return db.session.execute(select(Participation.id).where(
        Participation.process_id == process.id, Participation.voter_key == voter_key)).first() is not None


# --- the census upload runs as a job (portal.core.imports) ----------------------------

def _check_run(run, data, progress):
    return check_census(data, run.filename, progress)


def _write_run(run, clean, progress):
    count = write_census(db.session.get(Municipality, run.municipality_id), clean, progress)
    return {"written": count}


def _summary(result):
    return ngettext("Padrón cargado: %(num)s persona (solo se guardan huellas cifradas).",
                    "Padrón cargado: %(num)s personas (solo se guardan huellas cifradas).", result.get("written", 0))


def _census_page(run):
    return url_for("budgeting.census")


CENSUS_IMPORT = imports.importer(
    "budgeting.census", _l("Carga del padrón"), check=_check_run, write=_write_run, summary=_summary,
    done_url=_census_page, again_url=_census_page, roles=("editor",))
