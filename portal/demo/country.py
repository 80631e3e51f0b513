"""A generated country for onboarding tests and benchmarks (deterministic).

:func:`municipalities` makes ``n`` municipalities spread over departments, with accents,
the same names in several departments, cities of a million beside villages of two
thousand, and some created recently (``new``): the national index's first edition
does not have them. :func:`index_rows` gives a national index for three editions.
Files are written with :func:`to_csv` or :func:`to_xlsx`.
"""
import io
import random

from portal.core.downloads import csv_bytes, write_xlsx

DEPARTMENTS = ("Alta Verapaz", "Baja Verapaz", "Chimaltenango", "Chiquimula", "El Progreso", "Escuintla",
               "Guatemala", "Huehuetenango", "Izabal", "Jalapa", "Jutiapa", "Petén", "Quetzaltenango",
               "Quiché", "Retalhuleu", "Sacatepéquez", "San Marcos", "Santa Rosa", "Sololá",
               "Suchitepéquez", "Totonicapán", "Zacapa")
SHARED = ("San José", "Santa Ana", "San Andrés", "Concepción", "San Pedro", "La Unión")
STEMS = ("San Juan", "Santa María", "San Miguel", "Santiago", "San Luis", "Santo Tomás", "San Rafael",
         "Nueva", "Villa", "Ciudad", "Puerto", "Cerro", "Valle", "Río")
ENDINGS = ("Atitlán", "Chiantla", "Sacapulas", "Cotzal", "Ixcán", "Chisec", "Cobán", "Tactic", "Jocotán",
           "Olopa", "Camotán", "Esquipulas", "Palín", "Zunil", "Cantel", "Nahualá", "Tecpán", "Patzún",
           "Comalapa", "Yepocapa", "Acatenango", "Pochuta", "Zaragoza", "Poaquil", "Momostenango")
HEADERS = ("codigo", "nombre", "departamento", "pais", "poblacion", "proporcion_urbana", "moneda", "formato",
           "distritos")
EDITIONS = ("2021", "2023", "2025")


def municipalities(n: int = 400, country: str = "GT", seed: int = 23) -> list[dict]:
    """``n`` rows keyed by :data:`HEADERS` (and ``new``: created after the first edition)."""
    rng = random.Random(seed)
    rows, names = [], set()
    for i in range(n):
        department = DEPARTMENTS[i % len(DEPARTMENTS)]
        number = i // len(DEPARTMENTS) + 1
        name = SHARED[(i // 3) % len(SHARED)]  # the same name in several departments
        if number > len(SHARED) or i % 3 or (name, department) in names:
            name = f"{STEMS[rng.randrange(len(STEMS))]} {ENDINGS[rng.randrange(len(ENDINGS))]}"
            while (name, department) in names:
                name += " " + ENDINGS[rng.randrange(len(ENDINGS))]
        names.add((name, department))
        population = 1_000_000 if i == 0 else int(2_000 * (250 ** rng.random()))
        rows.append({
            "codigo": f"{DEPARTMENTS.index(department) + 1:02d}{number:02d}", "nombre": name,
            "departamento": department, "pais": country, "poblacion": population,
            "proporcion_urbana": f"{rng.randint(5, 95) / 100:.2f}", "moneda": "", "formato": "",
            "distritos": "; ".join(f"Aldea {k}" for k in range(1, rng.randint(1, 4))),
            "new": i % 20 == 7})
    return rows


def index_rows(rows: list[dict], source: str = "Ranking de la Gestión Municipal", seed: int = 5,
               indicator: str = "Índice de gestión municipal") -> list[dict]:
    """The index for three editions; new municipalities miss the first; every 50th misses the last."""
    rng = random.Random(seed)
    out = []
    for position, row in enumerate(rows):
        base = rng.uniform(0.15, 0.75)
        for edition_number, edition in enumerate(EDITIONS):
            if (row["new"] and edition_number == 0) or (position % 50 == 11 and edition_number == 2):
                continue
            value = round(min(1, base + 0.03 * edition_number + rng.uniform(-0.05, 0.05)), 4)
            band = "Alta" if value >= 0.6 else "Media" if value >= 0.4 else "Baja"
            out.append({"codigo_municipio": row["codigo"], "indicador": indicator, "periodo": edition,
                        "valor": value, "fuente": source, "fecha": f"{int(edition) + 1}-03-01",
                        "url": "https://example.org/ranking", "banda": band})
    return out


def to_csv(rows: list[dict], headers) -> bytes:
    """The rows as a CSV file, written by the portal's one writer (with a byte-order mark,
    as Excel saves it)."""
    return csv_bytes(list(headers), [[row.get(h, "") for h in headers] for row in rows])


def to_xlsx(rows: list[dict], headers) -> bytes:
    """The rows as an XLSX workbook, written by the portal's one writer."""
    buffer = io.BytesIO()
    write_xlsx(buffer, [[row.get(h, "") for h in headers] for row in rows], list(headers))
    return buffer.getvalue()
