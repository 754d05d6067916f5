"""Serves a Flask app module for the browser suite.

Imports the module (which sets up flask-cors), adds one catch-all route
that answers like the suite's upstream, serves it on a free loopback port
and prints the port.
"""

import importlib.util
import logging
import sys

from flask import make_response
from werkzeug.serving import make_server

spec = importlib.util.spec_from_file_location("cors_app", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
app = module.app

METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]


@app.route("/", defaults={"path": ""}, methods=METHODS)
@app.route("/<path:path>", methods=METHODS)
def catch_all(path):
    response = make_response("ok")
    response.headers["X-Total-Count"] = "3"
    response.headers["X-Secret"] = "s"
    return response


logging.getLogger("werkzeug").setLevel(logging.ERROR)
server = make_server("127.0.0.1", 0, app, threaded=True)
print(f"listening {server.server_port}", flush=True)
server.serve_forever()
