"""The three vendor contracts as one object: match requests to operations and validate requests and responses.

    contracts = ContractSet.load()            # None when ../shared/contracts is absent
    op = contracts.match("magento", "GET", "/rest/default/V1/customers/search")
    problems = contracts.validate_request("plenty", "GET", "/rest/orders", {"updatedAtFrom": "..."}, None)
    problems = contracts.validate_response("freeagent", "GET", "/v2/contacts", 200, body)

Module-level ``validate_request`` / ``validate_response`` do the same on a process-wide loaded set.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.contracts.errata import PLENTY_LANGUAGE_PARAMS, read_only_names
from tests.contracts.loading import CONTRACT_FILES, contracts_dir, load_converted
from tests.contracts.openapi_contract import Dialect, OpenApiContract
from tests.contracts.operation import Contract, Operation, QueryInput
from tests.contracts.postman_contract import PostmanContract
from tests.contracts.property_audit import Finding

SYSTEMS = ("magento", "plenty", "freeagent")

# /rest/V1/..., /rest/default/V1/..., /rest/<store_code>/V1/..., /rest/all/V1/... -> /V1/...
_MAGENTO_PREFIX = re.compile(r"^/rest(?:/(?!V1(?:/|$))[A-Za-z0-9_]+)?(/V1(?:/.*)?)$")
_SNAKE_IN_BRACKETS = re.compile(r"\[([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\]")


def magento_contract_path(path: str) -> str | None:
    """The contract path (relative to basePath ``/rest/default``) of a Magento request path."""
    path = path.split("?", 1)[0]
    if path.startswith("/V1/"):
        return path
    found = _MAGENTO_PREFIX.match(path)
    return found.group(1) if found else None


def magento_query_name(name: str) -> str:
    """Magento accepts snake_case and camelCase keys and any indexes in deep-object query names; the
    contract spells them ``searchCriteria[filterGroups][0][filters][0][conditionType]``."""
    name = re.sub(r"\[\d+\]", "[0]", name)

    def camel(found: re.Match[str]) -> str:
        head, *rest = found.group(1).split("_")
        return "[" + head + "".join(w.capitalize() for w in rest) + "]"

    return _SNAKE_IN_BRACKETS.sub(camel, name)


def plenty_contract_path(path: str) -> str | None:
    path = path.split("?", 1)[0]
    return path if path.startswith("/rest/") else None


MAGENTO = Dialect(
    system="magento",
    to_contract_path=magento_contract_path,
    normalise_query_name=magento_query_name,
    # `fields` (response field filtering) is documented for every GET in Adobe's REST guide, never declared
    undeclared_query_ok=frozenset({"fields"}),
    # Magento's generator marks every non-nullable getter required; its input processor enforces only the
    # body's own fields (a partial {"stockItem": {"qty": 5}} is the documented way to update stock)
    request_required="top",
)
PLENTY = Dialect(
    system="plenty",
    to_contract_path=plenty_contract_path,
    normalise_query_name=lambda name: name[:-2] if name.endswith("[]") else name,
    comma_lists=True,  # id filters are typed integer but documented as "separated by commas"
    nulls_in_responses=True,  # the spec never says nullable; the API sends null for unset fields
    undeclared_body_ok=True,  # e.g. /rest/login/refresh declares no body but takes {"refresh_token"}
    # every required list binds, except the relaxations of errata.REQUIRED_RELAXATIONS (request bodies flatten
    # related models into one object and mark their columns required: POST /rest/items "requires" ageRestriction,
    # profileId and propertyId), each listed with its reason and source
    request_required="all",
    string_path_params=PLENTY_LANGUAGE_PARAMS,
    read_only=read_only_names(),
)


@dataclass(frozen=True)
class ContractSet:
    folder: Path
    contracts: dict[str, Contract]

    @classmethod
    def load(cls, folder: Path | None = None) -> ContractSet | None:
        """The three contracts, or None when the contracts folder (or a file in it) is absent."""
        folder = folder or contracts_dir()
        if not all((folder / rel).is_file() for rel in CONTRACT_FILES.values()):
            return None
        return cls(
            folder,
            {
                "magento": OpenApiContract(load_converted("magento", folder), MAGENTO),
                "plenty": OpenApiContract(load_converted("plenty", folder), PLENTY),
                "freeagent": PostmanContract(load_converted("freeagent", folder)),
            },
        )

    def __getitem__(self, system: str) -> Contract:
        return self.contracts[system]

    def match(self, system: str, method: str, path: str) -> Operation | None:
        return self.contracts[system].match(method, path)

    def validate_request(
        self, system: str, method: str, path: str, query: QueryInput = None, body: Any = None
    ) -> list[str]:
        problems = self.contracts[system].validate_request(method, path, query, body)
        return [f"{system} {method.upper()} {path}: {p}" for p in problems]

    def audit_request(self, system: str, method: str, path: str, body: Any = None) -> list[Finding]:
        """Properties of a request body that the vendor ignores (unknown on the route, or read-only): an error
        for Magento (its schemas are closed, so `validate_request` reports them), findings for PlentyONE."""
        contract = self.contracts[system]
        return contract.audit_request(method, path, body) if isinstance(contract, OpenApiContract) else []

    def validate_response(self, system: str, method: str, path: str, status: int, body: Any = None) -> list[str]:
        problems = self.contracts[system].validate_response(method, path, status, body)
        return [f"{system} {method.upper()} {path} -> {status}: {p}" for p in problems]

    def validate_status(self, system: str, method: str, path: str, status: int) -> list[str]:
        """Whether the contract allows this status (for logs that keep no response body)."""
        problems = self.contracts[system].validate_status(method, path, status)
        return [f"{system} {method.upper()} {path} -> {status}: {p}" for p in problems]


@functools.cache
def shared_contracts() -> ContractSet | None:
    """The contract set of ``../shared/contracts``, loaded once per process."""
    return ContractSet.load()


def _require() -> ContractSet:
    contracts = shared_contracts()
    if contracts is None:
        raise FileNotFoundError(f"vendor contracts not found in {contracts_dir()}")
    return contracts


def validate_request(system: str, method: str, path: str, query: QueryInput = None, body: Any = None) -> list[str]:
    """Problems of one request against the vendor contract (empty list = valid)."""
    return _require().validate_request(system, method, path, query, body)


def validate_response(system: str, method: str, path: str, status: int, body: Any = None) -> list[str]:
    """Problems of one response against the vendor contract (empty list = valid)."""
    return _require().validate_response(system, method, path, status, body)
