"""The ceiling: a bare Flask app that answers a small HTML page, served like the shop.

`bench/run.py` starts it under the same server, worker class and worker count as the shop, in the
same run, so "ratio to the ceiling" compares two numbers taken on the same machine at the same time.
"""
from flask import Flask

app = Flask(__name__)

PAGE = "<!doctype html><html lang=en><title>Hello</title><p>Hello, world!</p></html>"


@app.get("/")
def hello():
    return PAGE
