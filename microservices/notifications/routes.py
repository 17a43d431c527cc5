"""The notifications service's internal HTTP API: events in (from the relay), notifications out."""

from flask import Blueprint, current_app, request

from microservices import bodies
from microservices.notifications import services
from shared import validation
from shared.web import json_body, json_response

api = Blueprint("api", __name__)


def db():
    return current_app.extensions["db"]


@api.get("/health")
def health():
    return json_response({"status": "ok", "variant": "microservices", "service": "notifications"})


@api.post("/events")
def record_event():
    event = bodies.event(json_body())
    created = services.record(db(), event)
    return json_response({"event_id": event["event_id"]}, 201 if created else 200)


@api.get("/notifications")
def list_notifications():
    order_id = validation.required_query(request.args.get("order_id"), "order_id")
    return json_response({"items": services.list_notifications(db(), order_id)})
