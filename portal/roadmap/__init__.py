"""The roadmap domain."""


def init_app(app):
    """Register blueprints, CLI, section, sources and demo loader."""
