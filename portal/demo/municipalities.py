"""The demo's municipalities: Intipucá (real figures) and labelled examples."""
from portal.municipalities import services
from portal.municipalities.models import Municipality

DEMO = [
    dict(slug="intipuca", name="Intipucá", country="SV", department="La Unión", population=7567,
         currency="USD", locale="es_SV", timezone="America/El_Salvador",
         website="https://www.intipuca.gob.sv", contact="Alcaldía Municipal de Intipucá",
         code="1411", latitude="13.18", longitude="-88.05", is_example=False,
         districts=["Intipucá Centro", "El Carao", "La Leona", "El Cuco"]),
    dict(slug="ejemplo-bo", name="San Isidro (ejemplo)", country="BO", department="Santa Cruz",
         population=14200, currency="BOB", locale="es_BO", timezone="America/La_Paz",
         is_example=True, districts=["Distrito 1", "Distrito 2"]),
    dict(slug="exemplo-br", name="Santa Luzia (exemplo)", country="BR", department="Minas Gerais",
         population=48500, currency="BRL", locale="pt_BR", timezone="America/Sao_Paulo",
         is_example=True, districts=["Centro", "Zona Rural"]),
    dict(slug="ejemplo-pe", name="Villa Rica (ejemplo)", country="PE", department="Pasco",
         population=126000, currency="PEN", locale="es_PE", timezone="America/Lima",
         is_example=True, districts=[]),
]


def load() -> dict[str, Municipality]:
    """Create the demo municipalities that are missing; return them all by slug."""
    result = {}
    for spec in DEMO:
        spec = dict(spec)
        existing = services.get_by_slug(spec["slug"])
        if existing is None:
            existing = services.create(spec.pop("slug"), spec.pop("name"), spec.pop("country"), **spec)
        result[existing.slug] = existing
    return result
