"""An API that turns on credentials but keeps flask-cors's default origins,
which reflect every Origin: any site can read it with the user's cookies."""
import os

from flask import Flask, jsonify
from flask_cors import CORS

app = Flask(__name__)
CORS(app, supports_credentials=True, max_age=86400)


@app.route("/api/account")
def account():
    return jsonify({"name": "demo"})


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]))
