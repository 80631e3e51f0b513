"""The yardstick: a one-route Flask app served under the same gunicorn settings."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "<!doctype html><html lang='es'><title>bare</title><p>Hola</p></html>"
