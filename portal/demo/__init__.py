"""Demo data: ``flask demo load`` loads Intipucá and example municipalities.

Domains add their part in their manifest (``demo`` of :class:`portal.core.registry.Domain`,
a :class:`portal.core.registry.DemoLoader`); loaders run in ``order`` and must be
idempotent (do nothing when their data is there); ``flask demo load`` runs them
(:func:`portal.core.registry.demo_loaders`).
"""


def init_app(app):
    from portal.demo import cli

    app.cli.add_command(cli.group)
