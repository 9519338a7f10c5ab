import pytest


@pytest.fixture
def request_ctx(app):
    """Services that write e-mails (links, templates) and seal bank details need the app and a request."""
    with app.test_request_context("/"):
        yield
