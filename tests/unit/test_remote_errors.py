"""An internal service's Problem Details answer, turned back into the ShopError it stands for."""

from microservices.remote import shop_error
from shared import errors


class Answer:
    """Stands in for a urllib3 response: a status and a JSON body."""

    def __init__(self, status: int, body):
        self.status, self.body = status, body

    def json(self):
        return self.body


def test_an_error_comes_back_with_its_detail_and_extensions():
    error = shop_error(Answer(409, {"type": "about:blank", "title": "Out of stock", "status": 409,
                                    "code": "out_of_stock", "detail": "Not enough stock for: MUG.",
                                    "order_id": "o-1", "skus": ["MUG"]}))
    assert isinstance(error, errors.OutOfStock)
    assert (error.detail, error.extensions) == ("Not enough stock for: MUG.",
                                                {"order_id": "o-1", "skus": ["MUG"]})


def test_a_validation_error_comes_back_with_every_broken_rule():
    broken = [{"field": "sku", "message": "is required"}]
    error = shop_error(Answer(400, {"code": "validation_error", "errors": broken,
                                    "detail": "The request breaks the rules for: sku."}))
    assert isinstance(error, errors.ValidationFailed)
    assert (error.detail, error.extensions) == ("The request breaks the rules for: sku.",
                                                {"errors": broken})


def test_an_answer_that_is_no_problem_is_an_internal_error():
    for body in ([1], {"code": "no_such_code"}, {"code": "validation_error"}):
        assert isinstance(shop_error(Answer(500, body)), errors.InternalError), body
