"""The notifications function: what the worker has stored for an order (admin)."""

from serverless import services
from serverless.http import Request, Routes, admin, json_response
from shared import validation

api = Routes()


@api.route("GET /notifications")
@admin
def list_notifications(request: Request) -> dict:
    order_id = validation.required_query(request.query("order_id"), "order_id")
    return json_response({"items": services.list_notifications(order_id)})


handler = api.handler
