"""The installable, offline-capable layer: manifest, service worker, offline page.

Everything works without JavaScript; this only adds. Forms marked with
``data-offline="<kind>"`` are kept on the device (IndexedDB) when the connection is
down and sent when it returns, each with an idempotency key made on the device.
"""


def init_app(app):
    """Declare the domain (its manifest) and register its blueprint."""
    from portal.core.registry import register
    from portal.offline import manifest, views

    register(manifest.DOMAIN)
    app.register_blueprint(views.bp)
