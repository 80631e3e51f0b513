"""The installable, offline-capable layer: manifest, service worker, offline page.

Everything works without JavaScript; this only adds. Forms marked with
``data-offline="<kind>"`` are kept on the device (IndexedDB) when the connection is
down and sent when it returns, each with an idempotency key made on the device.
"""


def init_app(app):
    from portal.offline import views

    app.register_blueprint(views.bp)
