"""Validation against FreeAgent's Postman collection, which carries paths, methods, query names and example
bodies but no schemas.

Beyond what the collection lists, two vendor facts (FreeAgent API docs) are checked on success responses:
records travel in an envelope named for the resource (``{"contacts": [...]}`` for a list,
``{"contact": {...}}`` for one record, the singular being the key of the collection's example body), and the
token endpoint answers ``access_token``.
"""

from __future__ import annotations

from typing import Any

from tests.contracts.freeagent_body import resource_body_problems
from tests.contracts.freeagent_fields import RESOURCES
from tests.contracts.operation import GENERIC_ERROR_STATUSES, Operation, QueryInput, query_pairs
from tests.contracts.paths import TemplateIndex, split_path

# Pagination is documented for every list endpoint, but the collection never lists it.
_PAGINATION = frozenset({"page", "per_page"})
_TOKEN_PATH = "/v2/token_endpoint"


class PostmanContract:
    def __init__(self, extracted: dict[str, Any], system: str = "freeagent") -> None:
        self.system = system
        self._requests: list[dict[str, Any]] = extracted["requests"]
        self._by_route: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for req in self._requests:
            self._by_route.setdefault((req["method"], req["path"]), []).append(req)
        self._index = TemplateIndex(sorted({r["path"] for r in self._requests}))
        self._singular = self._singular_names()

    def _singular_names(self) -> dict[str, str]:
        """Resource collection path (``/v2/contacts``) -> singular envelope key (``contact``), from the
        collection's create/update example bodies."""
        names: dict[str, str] = {}
        for req in self._requests:
            keys = req.get("body_keys")
            if req["method"] not in {"POST", "PUT"} or req.get("body_mode") != "json" or not keys or len(keys) != 1:
                continue
            parts = split_path(req["path"])
            if len(parts) == 2 or (len(parts) == 3 and parts[2].startswith(":")):
                names.setdefault("/" + "/".join(parts[:2]), keys[0])
        return names

    def operations(self) -> list[tuple[str, str]]:
        return sorted(self._by_route)

    def match(self, method: str, path: str) -> Operation | None:
        verb = method.upper()
        for tpl, params in self._index.matches(path):
            if (verb, tpl.raw) in self._by_route:
                return Operation(self.system, verb, tpl.raw, params, {"requests": self._by_route[(verb, tpl.raw)]})
        return None

    def _resolve(self, method: str, path: str) -> tuple[Operation | None, str | None]:
        op = self.match(method, path)
        if op is not None:
            return op, None
        found = self._index.matches(path)
        if not found:
            return None, "no request in the collection has this path"
        declared = sorted({m for (m, p) in self._by_route if p == found[0][0].raw})
        return None, f"{method.upper()} is not in the collection for {found[0][0].raw} (it has: {', '.join(declared)})"

    def validate_request(self, method: str, path: str, query: QueryInput, body: Any) -> list[str]:
        op, problem = self._resolve(method, path)
        if op is None:
            return [problem or "unknown route"]
        requests = op.definition["requests"]
        problems = []
        listed = {name for req in requests for name in req["query"]}
        if listed:
            for name, _ in query_pairs(query):
                if name not in listed and name not in _PAGINATION:
                    problems.append(
                        f"query parameter {name!r} is not used by the collection's request "
                        f"(it uses: {', '.join(sorted(listed))})"
                    )
        examples = [req for req in requests if req.get("body_keys")]
        if examples and isinstance(body, dict):
            allowed = {key for req in examples for key in req["body_keys"]}
            unknown = sorted(set(body) - allowed)
            if unknown:
                problems.append(f"body keys {unknown} are not in the collection's example (it has: {sorted(allowed)})")
        if body is None and op.method in {"POST", "PUT"} and any(r.get("body_mode") == "json" for r in examples):
            problems.append("request body is missing (the collection's request has a JSON body)")
        if isinstance(body, dict) and op.method in {"POST", "PUT"}:
            problems += self._field_problems(op, body, examples)
        return problems

    def _field_problems(self, op: Operation, body: dict[str, Any], examples: list[dict[str, Any]]) -> list[str]:
        """The envelope's fields against the API reference (`tests.contracts.freeagent_fields`) and the
        collection's examples: a create (POST to the collection) must carry the required fields."""
        problems: list[str] = []
        for key in body:
            resource = RESOURCES.get(key)
            if resource is None or not op.contract_path.startswith(resource.collection):
                continue
            fields = {f for req in examples for f in (req.get("example_fields") or {}).get("fields", [])}
            items = {f for req in examples for f in (req.get("example_fields") or {}).get("items", [])}
            creating = op.method == "POST" and op.contract_path == resource.collection
            problems += resource_body_problems(resource, body, creating, fields, items)
        return problems

    def validate_status(self, method: str, path: str, status: int) -> list[str]:
        op, problem = self._resolve(method, path)
        if op is None:
            return [problem or "unknown route"]
        if status in GENERIC_ERROR_STATUSES or 200 <= status < 300:
            return []
        return [f"status {status} is neither a success nor a generic error status"]

    def validate_response(self, method: str, path: str, status: int, body: Any) -> list[str]:
        problems = self.validate_status(method, path, status)
        op = self.match(method, path)
        if problems or op is None or status in GENERIC_ERROR_STATUSES:
            return problems
        if op.contract_path == _TOKEN_PATH:
            if not isinstance(body, dict) or "access_token" not in body:
                return ["token response has no access_token"]
            return []
        return self._envelope_problems(op, body)

    def _envelope_problems(self, op: Operation, body: Any) -> list[str]:
        parts = split_path(op.contract_path)
        collection_path = "/" + "/".join(parts[:2])
        singular = self._singular.get(collection_path)
        if singular is None or body is None or op.method == "DELETE":
            return []
        if len(parts) == 2 and op.method == "GET":
            expected = parts[1]
        elif len(parts) == 2 and op.method == "POST" or len(parts) == 3 and parts[2].startswith(":"):
            expected = singular
        else:
            return []
        if not isinstance(body, dict) or expected not in body:
            keys = sorted(body) if isinstance(body, dict) else type(body).__name__
            return [f"response body should be wrapped in {expected!r} (got {keys})"]
        inner = body[expected]
        if expected == singular and not isinstance(inner, dict):
            return [f"response {expected!r} should be an object"]
        if expected != singular and not isinstance(inner, list):
            return [f"response {expected!r} should be a list"]
        return []
