"""Demo data: ``flask demo load`` loads Intipucá and example municipalities.

Domains add their part through :mod:`portal.core.demo_loaders`; this package only reads
them (it is a consumer: no domain imports it).
"""


def init_app(app):
    from portal.demo import cli

    app.cli.add_command(cli.group)
