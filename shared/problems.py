"""RFC 9457 Problem Details: the one table from error type to HTTP status and code."""

from shared import errors

PROBLEM_TYPE_BASE = "https://shop-architectures.example/problems/"

# error type -> (HTTP status, machine code, title)
PROBLEMS: dict[type[errors.ShopError], tuple[int, str, str]] = {
    errors.RouteNotFound: (404, "not_found", "Not found"),
    errors.MethodNotAllowed: (405, "method_not_allowed", "Method not allowed"),
    errors.Unauthorized: (401, "unauthorized", "Unauthorized"),
    errors.PayloadTooLarge: (413, "payload_too_large", "Payload too large"),
    errors.UnsupportedMediaType: (415, "unsupported_media_type", "Unsupported media type"),
    errors.InvalidJson: (400, "invalid_json", "Invalid JSON"),
    errors.MalformedRequest: (400, "malformed_request", "Malformed request"),
    errors.UriTooLong: (414, "uri_too_long", "URI too long"),
    errors.HeaderFieldsTooLarge: (431, "header_fields_too_large", "Header fields too large"),
    errors.ExpectationFailed: (417, "expectation_failed", "Expectation failed"),
    errors.TransferCodingNotImplemented: (501, "transfer_coding_not_implemented",
                                          "Transfer coding not implemented"),
    errors.ValidationFailed: (400, "validation_error", "Validation error"),
    errors.ProductNotFound: (404, "product_not_found", "Product not found"),
    errors.DuplicateSku: (409, "duplicate_sku", "Duplicate SKU"),
    errors.UnknownProduct: (422, "unknown_product", "Unknown product"),
    errors.OutOfStock: (409, "out_of_stock", "Out of stock"),
    errors.PaymentDeclined: (402, "payment_declined", "Payment declined"),
    errors.OrderNotFound: (404, "order_not_found", "Order not found"),
    errors.InvalidOrderState: (409, "invalid_order_state", "Invalid order state"),
    errors.IdempotencyKeyReused: (422, "idempotency_key_reused", "Idempotency key reused"),
    errors.IdempotencyKeyInUse: (409, "idempotency_key_in_use", "Idempotency key in use"),
    errors.ServiceUnavailable: (503, "service_unavailable", "Service unavailable"),
    errors.InternalError: (500, "internal_error", "Internal server error"),
}


def problem(error: errors.ShopError) -> tuple[int, dict]:
    """The HTTP status and Problem Details body for `error`."""
    status, code, title = PROBLEMS[type(error)]
    body = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": error.detail,
        "code": code,
    }
    return status, body | error.extensions


def internal_error() -> tuple[int, dict]:
    """The answer to an unexpected failure: no detail of it reaches the client."""
    return problem(errors.InternalError("An unexpected error occurred."))
