"""Turn a Swagger 2.0 / OpenAPI 3.0 document into one that jsonschema (draft 4) validates against directly.

Dialect differences handled:
- ``$ref`` values are made absolute (``urn:contract:<system>#/...``) so any schema inside the document can be
  validated on its own, resolving against the whole document through a ``referencing`` registry;
- OpenAPI 3.0 ``nullable: true`` becomes a ``"null"`` member of ``type``;
- vendor extensions (``x-*``), ``xml``, ``example``, ``discriminator`` and ``readOnly`` are dropped (not
  validation keywords);
- ``format`` is kept but never enforced (Plenty writes ``format: "integer"``, ``format: "string"``);
- with ``closed_objects`` (used for Magento, whose interfaces list every field and which rejects unknown input
  fields) an object schema that lists properties and says nothing about others gets
  ``additionalProperties: false``.
"""

from __future__ import annotations

from typing import Any

_DROPPED = {"xml", "example", "examples", "discriminator", "readOnly", "writeOnly", "externalDocs", "deprecated"}
_SCHEMA_MAPS = ("properties", "patternProperties", "definitions")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_SINGLE = ("not", "additionalProperties", "items")


def document_uri(system: str) -> str:
    return f"urn:contract:{system}"


def pointer_escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def convert_schema(schema: Any, system: str, closed_objects: bool) -> Any:
    """A validation-ready copy of one schema (recursing into its subschemas)."""
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        ref = schema["$ref"]
        if isinstance(ref, str) and ref.startswith("#"):
            ref = document_uri(system) + ref
        return {"$ref": ref}
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key.startswith("x-") or key in _DROPPED or key == "nullable":
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: convert_schema(sub, system, closed_objects) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [convert_schema(sub, system, closed_objects) for sub in value]
        elif key in _SCHEMA_SINGLE and isinstance(value, dict):
            out[key] = convert_schema(value, system, closed_objects)
        elif key == "items" and isinstance(value, list):
            out[key] = [convert_schema(sub, system, closed_objects) for sub in value]
        else:
            out[key] = value
    if schema.get("nullable") is True:
        _allow_null(out)
    if closed_objects and out.get("properties") and "additionalProperties" not in out:
        out["additionalProperties"] = False
    return out


def _allow_null(schema: dict[str, Any]) -> None:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        schema["type"] = [*kind, "null"]
    if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]


def convert_swagger2(doc: dict[str, Any], system: str, closed_objects: bool) -> dict[str, Any]:
    """Swagger 2.0: definitions, parameters (body schemas and simple params), responses' schemas."""

    def conv(s: Any) -> Any:
        return convert_schema(s, system, closed_objects)

    paths: dict[str, Any] = {}
    for path, item in doc.get("paths", {}).items():
        new_item: dict[str, Any] = {}
        for method, op in item.items():
            if not isinstance(op, dict) or method.startswith("x-"):
                continue
            params = []
            for prm in op.get("parameters", []):
                prm = dict(prm)
                if "schema" in prm:
                    prm["schema"] = conv(prm["schema"])
                params.append(prm)
            responses = {}
            for status, resp in op.get("responses", {}).items():
                resp = dict(resp)
                if "schema" in resp:
                    resp["schema"] = conv(resp["schema"])
                responses[str(status)] = resp
            new_item[method.lower()] = {
                "operationId": op.get("operationId"),
                "parameters": params,
                "responses": responses,
                "consumes": op.get("consumes", doc.get("consumes", [])),
            }
        paths[path] = new_item
    return {
        "dialect": "swagger2",
        "basePath": doc.get("basePath", ""),
        "paths": paths,
        "definitions": {name: conv(s) for name, s in doc.get("definitions", {}).items()},
    }


def convert_openapi3(doc: dict[str, Any], system: str, closed_objects: bool) -> dict[str, Any]:
    """OpenAPI 3.0: components.schemas, parameters' schemas, requestBody and responses' content schemas."""

    def conv(s: Any) -> Any:
        return convert_schema(s, system, closed_objects)

    def conv_content(content: dict[str, Any] | None) -> dict[str, Any]:
        return {
            mt: {"schema": conv(media["schema"])} if "schema" in media else {} for mt, media in (content or {}).items()
        }

    paths: dict[str, Any] = {}
    for path, item in doc.get("paths", {}).items():
        shared_params = item.get("parameters", [])
        new_item: dict[str, Any] = {}
        for method, op in item.items():
            if method not in {"get", "put", "post", "delete", "patch", "head", "options"}:
                continue
            params = []
            for prm in [*shared_params, *op.get("parameters", [])]:
                prm = dict(prm)
                if "schema" in prm:
                    prm["schema"] = conv(prm["schema"])
                params.append(prm)
            body = op.get("requestBody")
            new_body = None
            if body is not None:
                new_body = {"required": bool(body.get("required")), "content": conv_content(body.get("content"))}
            responses = {
                str(status): {"content": conv_content(resp.get("content"))}
                for status, resp in op.get("responses", {}).items()
            }
            new_item[method] = {
                "operationId": op.get("operationId"),
                "parameters": params,
                "requestBody": new_body,
                "responses": responses,
            }
        paths[path] = new_item
    schemas = doc.get("components", {}).get("schemas", {})
    return {
        "dialect": "openapi3",
        "basePath": "",
        "paths": paths,
        "components": {"schemas": {name: conv(s) for name, s in schemas.items()}},
    }
