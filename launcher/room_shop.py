"""The storefront and compare views' way to the variants: their public API, passed through by
the control port with the shop's admin token added (the page never holds it), so that the
contract stays as it is (no CORS). Compare places one order in every variant and returns each
one's trace once the spans have arrived, with its hops, database calls and duration."""

import time
import uuid

import requests
from flask import Blueprint, Response, current_app, jsonify, request

from launcher.room_guard import problem

api = Blueprint("room_shop", __name__)
PASSED_ON = ("Content-Type", "Idempotency-Key", "X-Request-Id")
TRACE_WAIT_SECONDS, TRACE_SETTLED_SECONDS = 6.0, 1.2


@api.route("/api/shop/<variant>/<path:rest>", methods=["GET", "POST"])
def shop(variant: str, rest: str):
    if (url := current_app.extensions["room"].urls.get(variant)) is None:
        return problem(404, "No such variant", f"{variant} is not running here.")
    headers = {h: request.headers[h] for h in PASSED_ON if h in request.headers}
    try:
        answer = _call(request.method, f"{url}/{rest}", params=request.args, data=request.get_data(),
                       headers=headers)
    except requests.RequestException as error:
        return problem(502, "The variant did not answer", f"{variant} at {url}: {error}")
    kept = {h: answer.headers[h] for h in ("Content-Type", "X-Request-Id", "Location") if h in answer.headers}
    return Response(answer.content, answer.status_code, kept)


@api.post("/api/compare")
def compare():
    """Body: {"sku", "quantity", "payment_method"}; every variant gets the same order."""
    body = request.get_json(force=True, silent=True) or {}
    order = {"customer_email": "compare@example.com",
             "payment_method": body.get("payment_method", "pm_card_visa"),
             "items": [{"sku": body.get("sku", ""), "quantity": body.get("quantity", 1)}]}
    placed = {name: _place(name, url, order) for name, url in current_app.extensions["room"].urls.items()}
    return jsonify([placed[name] | _trace_of(placed[name]["request_id"]) for name in placed])


def _place(variant: str, url: str, order: dict) -> dict:
    request_id = f"compare-{uuid.uuid4().hex[:12]}-{variant}"
    try:
        answer = _call("POST", f"{url}/orders", json=order, headers={"X-Request-Id": request_id})
        return {"variant": variant, "request_id": request_id, "status": answer.status_code,
                "body": answer.json()}
    except (requests.RequestException, ValueError) as error:
        return {"variant": variant, "request_id": request_id, "status": None, "body": {"detail": str(error)}}


def _trace_of(request_id: str) -> dict:
    """The request's trace, once no span has been added for a while (they come in batches)."""
    store, deadline = current_app.extensions["traces"], time.monotonic() + TRACE_WAIT_SECONDS
    seen, settled_at = -1, time.monotonic()
    while time.monotonic() < deadline:
        found = store.summaries(request_id=request_id, limit=1)
        count = found[0]["span_count"] if found else 0
        if count != seen:
            seen, settled_at = count, time.monotonic()
        elif found and time.monotonic() - settled_at > TRACE_SETTLED_SECONDS:
            break
        time.sleep(0.2)
    if not found:
        return {"trace": None}
    spans = store.spans(found[0]["trace_id"])
    return {"trace": found[0] | {"spans": spans}, "hops": sum(s["kind"] == "client" for s in spans),
            "db_calls": sum("db.system" in s["attributes"] or "db.system.name" in s["attributes"]
                            for s in spans)}


def _call(method: str, url: str, **kwargs) -> requests.Response:
    admin = {"Authorization": f"Bearer {current_app.extensions['room'].admin_token}"}
    return requests.request(method, url, headers=admin | kwargs.pop("headers", {}), timeout=15, **kwargs)
