"""Request/response validation against a converted Swagger 2.0 (Magento) or OpenAPI 3.0 (PlentyONE) contract."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft4Validator, ValidationError, validators
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.contracts.operation import GENERIC_ERROR_STATUSES, Operation, QueryInput, query_pairs, value_fits
from tests.contracts.paths import TemplateIndex
from tests.contracts.property_audit import Finding, SchemaWalker, body_findings
from tests.contracts.schema_dialect import document_uri, pointer_escape

_MAX_SCHEMA_ERRORS = 8
_JSON_TYPES = ("object", "array", "string", "number", "integer", "boolean")


def _null_tolerant_validator() -> type[Validator]:
    """Draft 4, except that null passes any type check (for responses of a vendor whose spec never says
    ``nullable`` although the real API sends nulls for unset fields)."""
    base = Draft4Validator.TYPE_CHECKER
    checks = {
        kind: (lambda checker, instance, _kind=kind: instance is None or base.is_type(instance, _kind))
        for kind in _JSON_TYPES
    }
    return validators.extend(Draft4Validator, type_checker=base.redefine_many(checks))


@dataclass(frozen=True)
class Dialect:
    """How one vendor's contract is read."""

    system: str
    # request path -> contract path (None when the path cannot belong to this API)
    to_contract_path: Callable[[str], str | None]
    # query name as sent -> query name as the contract declares it
    normalise_query_name: Callable[[str], str]
    # query names the vendor accepts on every route without declaring them, with why
    undeclared_query_ok: frozenset[str] = frozenset()
    # comma-separated lists accepted where a simple type is declared (PlentyONE's id filters)
    comma_lists: bool = False
    nulls_in_responses: bool = False
    # a body sent where the contract declares none is accepted (PlentyONE's spec omits many request bodies)
    undeclared_body_ok: bool = False
    # which "required" lists bind a request body: "all", "top" (only the body's own fields) or "none"
    request_required: str = "all"
    # path parameters whose declared type is wrong in the contract and which are strings in the real API
    string_path_params: frozenset[str] = frozenset()
    # component name -> properties the vendor documents as read-only (the contract never flags them)
    read_only: dict[str, frozenset[str]] | None = None


class OpenApiContract:
    def __init__(self, doc: dict[str, Any], dialect: Dialect) -> None:
        self.system = dialect.system
        self._doc = doc
        self._dialect = dialect
        self._index = TemplateIndex(list(doc["paths"]))
        resource = Resource(contents=doc, specification=DRAFT4)
        self._registry: Registry = Registry().with_resource(document_uri(self.system), resource)
        self._validators: dict[tuple[str, bool], Validator] = {}
        self._null_tolerant = _null_tolerant_validator()
        self._walker = SchemaWalker(doc, dialect.read_only)

    # --- matching ------------------------------------------------------------------------------------------
    def operations(self) -> list[tuple[str, str]]:
        return [(m.upper(), p) for p, item in self._doc["paths"].items() for m in item]

    def query_names(self, method: str, contract_path: str) -> set[str]:
        """Names of the query parameters the contract declares for one operation (empty when unknown)."""
        definition = self._doc["paths"].get(contract_path, {}).get(method.lower(), {})
        return {p["name"] for p in definition.get("parameters", []) if p.get("in") == "query"}

    def _candidates(self, path: str) -> tuple[str | None, list[tuple[Any, dict[str, str]]]]:
        contract_path = self._dialect.to_contract_path(path)
        if contract_path is None:
            return None, []
        return contract_path, self._index.matches(contract_path)

    def match(self, method: str, path: str) -> Operation | None:
        _, found = self._candidates(path)
        verb = method.lower()
        for tpl, params in found:
            definition = self._doc["paths"][tpl.raw].get(verb)
            if definition is not None:
                pointer = f"/paths/{pointer_escape(tpl.raw)}/{verb}"
                return Operation(self.system, method.upper(), tpl.raw, params, definition, pointer)
        return None

    def _resolve(self, method: str, path: str) -> tuple[Operation | None, str | None]:
        op = self.match(method, path)
        if op is not None:
            return op, None
        contract_path, found = self._candidates(path)
        if contract_path is None:
            return None, "path is outside this API's base paths"
        if not found:
            return None, f"no path in the contract matches {contract_path}"
        declared = sorted({m.upper() for tpl, _ in found for m in self._doc["paths"][tpl.raw]})
        return None, f"{method.upper()} is not declared for {found[0][0].raw} (declared: {', '.join(declared)})"

    # --- requests ------------------------------------------------------------------------------------------
    def validate_request(self, method: str, path: str, query: QueryInput, body: Any) -> list[str]:
        op, problem = self._resolve(method, path)
        if op is None:
            return [problem or "unknown route"]
        problems = self._check_path_params(op)
        problems += self._check_query(op, query_pairs(query))
        problems += self._check_request_body(op, body)
        return problems

    def _param_type(self, prm: dict[str, Any]) -> str | None:
        return prm.get("type") or (prm.get("schema") or {}).get("type")

    def _check_path_params(self, op: Operation) -> list[str]:
        problems = []
        for prm in op.definition.get("parameters", []):
            if prm.get("in") != "path" or prm["name"] not in op.path_params:
                continue
            value = op.path_params[prm["name"]]
            kind = "string" if prm["name"] in self._dialect.string_path_params else self._param_type(prm)
            if not value_fits(kind, value):
                problems.append(f"path parameter {prm['name']}={value!r} is not {kind}")
        return problems

    def _check_query(self, op: Operation, pairs: list[tuple[str, str]]) -> list[str]:
        declared = {
            self._dialect.normalise_query_name(prm["name"]): prm
            for prm in op.definition.get("parameters", [])
            if prm.get("in") == "query"
        }
        problems = []
        seen: set[str] = set()
        for name, value in pairs:
            key = self._dialect.normalise_query_name(name)
            prm = declared.get(key)
            if prm is None:
                base = re.sub(r"\[\d*\]$", "", key)
                prm = declared.get(base)
                if prm is not None:
                    key = base
            if prm is None:
                if name not in self._dialect.undeclared_query_ok:
                    problems.append(f"query parameter {name!r} is not declared")
                continue
            seen.add(key)
            kind = self._param_type(prm)
            if kind == "array":
                kind = (prm.get("items") or (prm.get("schema") or {}).get("items") or {}).get("type")
            if not value_fits(kind, value, allow_list=self._dialect.comma_lists):
                problems.append(f"query parameter {name}={value!r} is not {kind}")
        for key, prm in declared.items():
            if prm.get("required") and key not in seen:
                problems.append(f"required query parameter {prm['name']!r} is missing")
        return problems

    def _request_schema(self, op: Operation) -> tuple[str | None, bool]:
        """(JSON pointer of the request body schema, whether a body is required) or (None, False)."""
        for i, prm in enumerate(op.definition.get("parameters", [])):
            if prm.get("in") == "body" and "schema" in prm:
                required = bool(prm.get("required")) or bool(prm["schema"].get("required"))
                return f"{op.pointer}/parameters/{i}/schema", required
        body = op.definition.get("requestBody")
        if body:
            media = _pick_media(body.get("content", {}))
            if media is not None:
                schema = body["content"][media].get("schema", {})
                required = body.get("required") or bool(schema.get("required"))
                return f"{op.pointer}/requestBody/content/{pointer_escape(media)}/schema", bool(required)
        return None, False

    def _check_request_body(self, op: Operation, body: Any) -> list[str]:
        pointer, required = self._request_schema(op)
        if pointer is None:
            if body not in (None, "", b"", {}) and not self._dialect.undeclared_body_ok:
                return ["request has a body but the contract declares none for this operation"]
            return []
        if body is None:
            return ["request body is missing"] if required else []
        policy = self._dialect.request_required

        def binding(error: ValidationError) -> bool:
            if error.validator != "required":
                return True
            if policy == "top":
                return len(error.absolute_path) == 0
            return policy == "all"

        return self._schema_problems("request body", pointer, body, nulls_ok=False, keep=binding)

    def audit_request(self, method: str, path: str, body: Any) -> list[Finding]:
        """Properties of a request body that the route does not have, or that are read-only (see
        `tests.contracts.property_audit`); empty when the route or its body schema is unknown."""
        op = self.match(method, path)
        if op is None or not isinstance(body, dict | list):
            return []
        pointer, _ = self._request_schema(op)
        if pointer is None:
            return []
        return body_findings(self._walker, {"$ref": document_uri(self.system) + "#" + pointer}, body)

    # --- responses -----------------------------------------------------------------------------------------
    def _response_key(self, op: Operation, status: int) -> tuple[str | None, str | None]:
        """(key of the contract response that applies, problem): key None means nothing to check."""
        responses: dict[str, Any] = op.definition.get("responses", {})
        key = str(status)
        if key in responses:
            return key, None
        if status >= 400 and "default" in responses:
            return "default", None
        if status in GENERIC_ERROR_STATUSES:
            return None, None
        if 200 <= status < 300 and not any(s.startswith("2") for s in responses):
            return None, None  # a void operation (Magento lists no success response for those)
        return None, f"status {status} is not declared (declared: {', '.join(sorted(responses))})"

    def validate_status(self, method: str, path: str, status: int) -> list[str]:
        op, problem = self._resolve(method, path)
        if op is None:
            return [problem or "unknown route"]
        _, problem = self._response_key(op, status)
        return [problem] if problem else []

    def validate_response(self, method: str, path: str, status: int, body: Any) -> list[str]:
        op, problem = self._resolve(method, path)
        if op is None:
            return [problem or "unknown route"]
        key, problem = self._response_key(op, status)
        if key is None:
            return [problem] if problem else []
        pointer = self._response_schema(op, key)
        if pointer is None:
            return []
        if body is None:
            return [f"response {status} has no body but the contract declares one"]
        return self._schema_problems(
            f"response {status} body", pointer, body, nulls_ok=self._dialect.nulls_in_responses
        )

    def _response_schema(self, op: Operation, key: str) -> str | None:
        resp = op.definition["responses"][key]
        base = f"{op.pointer}/responses/{pointer_escape(key)}"
        if "schema" in resp:
            return f"{base}/schema"
        media = _pick_media(resp.get("content") or {})
        if media is not None and "schema" in resp["content"][media]:
            return f"{base}/content/{pointer_escape(media)}/schema"
        return None

    # --- schema validation ---------------------------------------------------------------------------------
    def _validator(self, pointer: str, nulls_ok: bool) -> Validator:
        cache_key = (pointer, nulls_ok)
        found = self._validators.get(cache_key)
        if found is None:
            cls = self._null_tolerant if nulls_ok else Draft4Validator
            found = cls({"$ref": document_uri(self.system) + "#" + pointer}, registry=self._registry)
            self._validators[cache_key] = found
        return found

    def _schema_problems(
        self,
        what: str,
        pointer: str,
        instance: Any,
        nulls_ok: bool,
        keep: Callable[[ValidationError], bool] = lambda _: True,
    ) -> list[str]:
        found = [e for e in self._validator(pointer, nulls_ok).iter_errors(instance) if keep(e)]
        errors = sorted(found, key=lambda e: [str(p) for p in e.path])
        problems = [
            f"{what} at {_json_path(e.absolute_path)}: {_short(e.message)}" for e in errors[:_MAX_SCHEMA_ERRORS]
        ]
        if len(errors) > _MAX_SCHEMA_ERRORS:
            problems.append(f"{what}: {len(errors) - _MAX_SCHEMA_ERRORS} more schema errors")
        return problems


def _pick_media(content: dict[str, Any]) -> str | None:
    for media in ("application/json", "*/*"):
        if media in content:
            return media
    return next(iter(content), None)


def _json_path(path: Any) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _short(message: str, limit: int = 240) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."


def parse_json_text(text: str | bytes | None) -> Any:
    """Body text -> JSON value, None for empty; raises ValueError for text that is not JSON."""
    if text is None or text in ("", b""):
        return None
    return json.loads(text)
