"""``flask translate extract|update|compile``: maintain the catalogs in translations/."""
import subprocess
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

ROOT = Path(__file__).resolve().parent.parent.parent
POT = ROOT / "messages.pot"
translate = AppGroup("translate", help="Maintain the translation catalogs.")


def _pybabel(*args):
    command = [sys.executable, "-m", "babel.messages.frontend", *args]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise click.ClickException(result.stderr.strip() or "pybabel failed")
    return result


@translate.command()
def extract():
    """Extract every translatable string into messages.pot."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "--no-location",
             "--ignore-dirs", ".* __pycache__",
             "--sort-output", "-o", str(POT), ".")
    click.echo(f"Wrote {POT.name}")


@translate.command()
def update():
    """Extract, then merge new strings into every catalog."""
    extract.callback()
    _pybabel("update", "-i", str(POT), "-d", "translations", "--no-fuzzy-matching", "--ignore-obsolete")
    fill_source_catalog()
    click.echo("Updated catalogs in translations/")


def fill_source_catalog(lang: str = "es") -> None:
    """Message ids are Spanish: the Spanish catalog translates each to itself."""
    from babel.messages.pofile import read_po, write_po

    path = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not any(message.string):
                message.string = tuple(message.id)
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False)


@translate.command()
def compile():  # noqa: A001 - the command's public name
    """Compile the catalogs to .mo files."""
    _pybabel("compile", "-d", "translations", "--use-fuzzy")
    click.echo("Compiled catalogs")


@translate.command()
@click.argument("lang")
def init(lang):
    """Start a catalog for a new language."""
    extract.callback()
    _pybabel("init", "-i", str(POT), "-d", "translations", "-l", lang)


def init_app(app):
    app.cli.add_command(translate)
