"""Secret scrubbing and vendor error messages (the rate budget: test_rate_budget.py)."""

from __future__ import annotations

import logging

import pytest

from profile_sync.connectors.request_log import RequestLogger, SecretScrubber
from profile_sync.connectors.vendor_errors import vendor_message


def test_scrubber_masks_known_values_sensitive_keys_and_query_parameters() -> None:
    scrubber = SecretScrubber()
    scrubber.add("s3cr3t-token-value")
    text = scrubber.text(
        '{"token":"abc","user":"bob","note":"has s3cr3t-token-value inside","password": "pw1"}'
    )
    assert "s3cr3t-token-value" not in text and '"abc"' not in text and "pw1" not in text and "bob" in text
    data = scrubber.data({"refresh_token": "r", "nested": [{"client_secret": "c", "name": "ok"}]})
    assert data == {"refresh_token": "***", "nested": [{"client_secret": "***", "name": "ok"}]}
    url = scrubber.url("http://u:p@h/x?refresh_token=abc&page=2")
    assert "abc" not in url and "u:p" not in url and "page=2" in url


def test_logger_with_switches_off_logs_no_bodies(caplog: pytest.LogCaptureFixture) -> None:
    logger = RequestLogger("plenty", SecretScrubber())
    with caplog.at_level(logging.DEBUG, logger="profile_sync.connectors"):
        logger.request("POST", "http://h/rest/orders", {"externalOrderId": "X-1"})
        logger.response("POST", "http://h/rest/orders", 201, 0.01, '{"id": 5}')
    assert "X-1" not in caplog.text and '"id": 5' not in caplog.text
    assert "201" in caplog.text  # the summary line is there at DEBUG


def test_logger_truncates_long_bodies_after_masking(caplog: pytest.LogCaptureFixture) -> None:
    scrubber = SecretScrubber()
    logger = RequestLogger("plenty", scrubber, log_response_data=True, max_body_chars=50)
    body = '{"access_token": "' + "x" * 30 + '", "entries": [' + ", ".join(["1"] * 500) + "]}"
    with caplog.at_level(logging.INFO, logger="profile_sync.connectors"):
        logger.response("GET", "http://h/rest/x", 200, 0.01, body)
    assert "x" * 30 not in caplog.text and f"({len(body)} chars)" in caplog.text


def test_vendor_messages_of_the_three_systems() -> None:
    assert vendor_message(
        {
            "message": "No such entity with %fieldName = %fieldValue",
            "parameters": {"fieldName": "email", "fieldValue": "a@b"},
        }
    ) == ("No such entity with email = a@b")
    assert vendor_message({"message": "%1 is bad, %2 too", "parameters": ["a", "b"]}) == "a is bad, b too"
    plenty = {
        "error": {"code": 422, "message": "The given data was invalid."},
        "validation_errors": {"orderItems.0.itemVariationId": ["is required"]},
    }
    assert vendor_message(plenty) == "The given data was invalid. | orderItems.0.itemVariationId: is required"
    assert vendor_message({"errors": {"error": {"message": "Resource not found"}}}) == "Resource not found"
    assert vendor_message({"errors": [{"message": "a"}, {"message": "b"}]}) == "a | b"
    magento_validation = {  # an inventory ValidationException: each error with its own parameters
        "message": "Validation Failed",
        "errors": [
            {"message": 'Product with SKU "%sku" does not exist.', "parameters": [{"sku": "X-1"}]},
            {"message": '"%field" should be numeric.', "parameters": {"field": "quantity"}},
        ],
    }
    assert vendor_message(magento_validation) == (
        'Validation Failed | Product with SKU "X-1" does not exist. | "quantity" should be numeric.'
    )
    assert vendor_message({"error": "invalid_grant"}) == "invalid_grant"
