"""Runs a Flask fixture app for the tests with Debian's Flask and flask-cors.

    PORT=8123 /usr/bin/python3 tests/runners/flask_runner.py app.py

The fixture is imported as a module (its `if __name__ == "__main__"` block,
which serves it standalone, does not run) and its `app` is served on
127.0.0.1:$PORT. One thing is added around it: a request carrying
`X-Corslint-Fail: 1` makes the view it reaches raise before it runs, as when
the application's own code fails; the tests compare that with the model's
answer for handler_status 500. On request, with CORSLINT_APP_HEADER='Name:
value' in the environment, every view's response also carries that header,
as an application's own headers (the browser suite checks which of them a
page can read).
"""

import functools
import importlib.util
import logging
import os
import sys

from flask import make_response, request


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("flask_runner: error: name a fixture file\n")
        return 2
    path = os.path.abspath(sys.argv[1])
    sys.path.insert(0, os.path.dirname(path))
    spec = importlib.util.spec_from_file_location("fixture_app", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app = module.app

    name, _, value = os.environ.get("CORSLINT_APP_HEADER", "").partition(":")

    def failing(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if request.headers.get("X-Corslint-Fail"):
                raise RuntimeError("failure requested by the corslint tests")
            if not name:
                return view(*args, **kwargs)
            response = make_response(view(*args, **kwargs))
            response.headers[name] = value.strip()
            return response
        return wrapped

    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = failing(view)

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app.logger.disabled = True
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]), debug=False,
            use_reloader=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
