"""The control room's page: plain HTML, CSS and JavaScript shipped in the package (launcher/room/),
no build step and nothing fetched from elsewhere. The page takes the control token from its URL
(`shop up` prints it) and keeps it for the tab."""

from pathlib import Path

from flask import Blueprint, send_from_directory

ROOT = Path(__file__).with_name("room")
page = Blueprint("room_page", __name__)
HEADERS = {"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
           "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


@page.get("/")
def index():
    return _file("index.html")


@page.get("/room/<path:name>")
def asset(name: str):
    return _file(name)


def _file(name: str):
    response = send_from_directory(ROOT, name)
    response.headers.update(HEADERS)
    return response
