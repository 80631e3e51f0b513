"""The migration history builds exactly the schema the models declare, and goes back down."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


@pytest.mark.xdist_group("migrations")
def test_upgrade_matches_models_and_downgrade_empties(fresh_database):
    import flask_migrate
    from sqlalchemy import inspect

    from portal import create_app
    from portal.extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": fresh_database("mig")})
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], diff
        flask_migrate.downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


@pytest.mark.xdist_group("migrations")
def test_running_migrations_leaves_the_portal_logging(fresh_database, caplog):
    """Alembic's logging set-up must not switch off loggers that already exist: an error
    logged by the portal after a migration (a mail server down, a failed job) must still
    reach the log."""
    import logging

    import flask_migrate

    from portal import create_app
    from portal.extensions import db

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": fresh_database("miglog")})
    app.logger.info("the portal's logger exists before the migration runs")
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    loggers = [app.logger] + [logging.getLogger(name) for name in list(logging.root.manager.loggerDict) if name.startswith("portal")]
    assert [lg.name for lg in loggers if lg.disabled] == []
    with caplog.at_level(logging.ERROR):
        app.logger.error("still heard after a migration")
    assert "still heard after a migration" in caplog.text
