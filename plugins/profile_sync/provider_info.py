"""What Airflow's providers manager reads from the ``apache_airflow_provider`` entry point of the wheel.

It registers the three connection types, so that the UI's connection form shows each system's own fields and
its Test button runs the product's ``test_connection``. Pure data: importing it costs nothing.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

PACKAGE_NAME = "profile-sync"
CONNECTION_TYPES: tuple[tuple[str, str], ...] = (
    ("magento", "profile_sync.connectors.magento.MagentoHook"),
    ("plentyone", "profile_sync.connectors.plenty.PlentyHook"),
    ("freeagent", "profile_sync.connectors.freeagent.FreeAgentHook"),
)
HOOK_NAMES = {"magento": "Magento 2", "plentyone": "PlentyONE", "freeagent": "FreeAgent"}


def _field(label: str, description: str, kind: str, **schema: Any) -> dict[str, Any]:
    """One extra field of the connection form (Airflow 3.2+ reads them declaratively: ``conn-fields``)."""
    types = {"int": ["integer", "null"], "str": ["string", "null"], "secret": ["string", "null"]}
    field_schema: dict[str, Any] = {"type": types[kind], **schema}
    if kind == "secret":
        field_schema["format"] = "password"  # stored encrypted, masked in the form and in logs
    return {"label": label, "description": description, "schema": field_schema}


def _rate_fields(
    per_minute: str, per_hour: str | None, writes: str | None = None, per_day: str | None = None
) -> dict[str, Any]:
    fields = {
        "rate_limit_per_minute": _field(
            "Requests per minute", f"The account's call budget; empty: {per_minute}. 0 turns the budget off.", "int",
            minimum=0,
        )
    }
    if writes:
        fields["write_rate_limit_per_minute"] = _field(
            "Write requests per minute", f"Writes (POST/PUT/DELETE) apart; empty: {writes}.", "int", minimum=0
        )
    if per_hour:
        fields["rate_limit_per_hour"] = _field(
            "Requests per hour", f"Empty: {per_hour}.", "int", minimum=0
        )
    if per_day:
        fields["rate_limit_per_day"] = _field("Requests per day", f"The plan's daily cap; empty: {per_day}.", "int",
                                              minimum=0)
    if per_hour or per_day:  # the vendors with published limits: the budget is per account, whoever calls
        fields["budget_account"] = _field(
            "Budget account",
            "Connections naming the same account share one call budget (all their tasks, on every worker); "
            "empty: the system, host, port and login.",
            "str",
        )
    return fields


CONN_FIELDS: dict[str, dict[str, Any]] = {
    "magento": {
        "access_token": _field(
            "Integration access token",
            "Instead of the admin login: an integration's Access Token (System > Integrations), used as a Bearer "
            "token. The way in when two-factor authentication (on by default since 2.4.0) closes the admin token "
            "route; leave empty to log in with the admin user.",
            "secret",
        ),
        "token_ttl_seconds": _field(
            "Admin token lifetime (s)", "The store's admin token lifetime; empty: 14400 (Magento's default).",
            "int", minimum=60,
        ),
        **_rate_fields("no limit (Magento publishes none)", None),
    },
    "plentyone": _rate_fields("80 (the Basic plan)", "no hourly limit", writes="40", per_day="no daily cap"),
    "freeagent": {
        "refresh_token": _field(
            "Refresh token",
            "From authorising the app (OAuth2 authorisation-code flow); rotated refresh tokens are followed.",
            "secret",
        ),
        **_rate_fields("120", "3600"),
    },
}
UI_FIELD_BEHAVIOUR: dict[str, dict[str, Any]] = {
    "magento": {
        "hidden-fields": [],
        "relabeling": {"login": "Admin username", "password": "Admin password", "schema": "Scheme"},
        "placeholders": {
            "host": "shop.example.com",
            "schema": "https",
            "port": "443",
            "login": "an admin user (empty with an access token)",
            "password": "the admin user's password",
        },
    },
    "plentyone": {
        "hidden-fields": [],
        "relabeling": {"login": "REST API user", "password": "REST API password", "schema": "Scheme"},
        "placeholders": {
            "host": "p12345.my.plentysystems.com",
            "schema": "https",
            "port": "443",
            "login": "a back-end user with REST rights",
        },
    },
    "freeagent": {
        "hidden-fields": [],
        "relabeling": {"login": "OAuth client id", "password": "OAuth client secret", "schema": "Scheme"},
        "placeholders": {
            "host": "api.freeagent.com (sandbox: api.sandbox.freeagent.com)",
            "schema": "https",
            "port": "443",
            "login": "the app's OAuth identifier",
            "password": "the app's OAuth secret",
        },
    },
}


def package_version() -> str:
    try:
        return version(PACKAGE_NAME)
    except PackageNotFoundError:  # the checkout: plugins/ on PYTHONPATH, nothing installed
        return "0+checkout"


def get_provider_info() -> dict[str, Any]:
    """The provider info (Airflow's ``provider_info.schema.json``): name, description, connection types.

    No ``plugins`` key: the UI plugin comes through the ``airflow.plugins`` entry point, and Airflow would
    register it a second time from here ("already registered" as an import error).
    """
    return {
        "package-name": PACKAGE_NAME,
        "name": "Profile sync (Magento 2, PlentyONE, FreeAgent)",
        "description": "Magento 2 <-> PlentyONE / FreeAgent sync profiles as Airflow DAGs.",
        "versions": [package_version()],
        "connection-types": [
            {
                "connection-type": conn_type,
                "hook-class-name": hook,
                "hook-name": HOOK_NAMES[conn_type],
                "conn-fields": CONN_FIELDS[conn_type],
                "ui-field-behaviour": UI_FIELD_BEHAVIOUR[conn_type],
            }
            for conn_type, hook in CONNECTION_TYPES
        ],
    }
