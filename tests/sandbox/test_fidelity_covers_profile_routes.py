"""include/sandbox/FIDELITY.md names every route that a profile calls (issue 14's acceptance point).

The routes: the floor specs' route templates (tests/benchmarks/floors.py, as the sandbox counts them), the literal
paths the profile types and connectors call (read from plugins/profile_sync with ``ast``: ``get``, ``post``,
``put``, ``delete``, ``paginate`` ... with a literal or locally assigned path), and the FreeAgent routes a profile
calls by a record's url (no literal path in the code: listed below).

The doc names a route when one paragraph or list item of it holds the route's path in backticks (Magento's
``/rest`` and ``/rest/{store}`` prefix dropped, placeholders by any name, ``.../tail`` elisions of a full path of
the same item) and the method: "`METHOD /path`", the method in capitals anywhere in the item, or the contract
style "`/path` get and post".
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks.floors import FLOORS

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "include" / "sandbox" / "FIDELITY.md"
PACKAGE = ROOT / "plugins" / "profile_sync"

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# call name -> HTTP method: the connectors' verbs and the profile types' helpers that take a path
CALLS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "paginate": "GET",
         "_entries": "GET", "_post": "POST"}
ROOTS = ("/V1/", "/rest/", "/v2/")

# FreeAgent records are addressed by their url (contact_import fetch by ids, contact_export and product_export
# update and delete, documents.py update, _true_up, _move): no literal path in the code. Invoices and credit notes share documents.py
# (``/v2/{self.kind.collection}``).
BY_URL = [
    "GET /v2/contacts/{id}", "PUT /v2/contacts/{id}", "DELETE /v2/contacts/{id}",
    "PUT /v2/price_list_items/{id}", "DELETE /v2/price_list_items/{id}",
    *(
        route
        for kind in ("invoices", "credit_notes")
        for route in (
            f"GET /v2/{kind}", f"POST /v2/{kind}", f"GET /v2/{kind}/{{id}}", f"PUT /v2/{kind}/{{id}}",
            *(f"PUT /v2/{kind}/{{id}}/transitions/{t}" for t in ("mark_as_draft", "mark_as_sent", "mark_as_cancelled")),
        )
    ),
]


def key(path: str) -> str:
    """A path as FIDELITY compares it: no query, no trailing slash, Magento without ``/rest[/{store}]``,
    placeholders (``{name}``, ``{name:int}``, the collection's ``:id``) as ``{}``."""
    path = re.sub(r"\{[^}]*\}|(?<=/):\w+", "{}", path.split("?", 1)[0]).rstrip("/")
    return re.sub(r"^/rest(?:/[^/]+)?(?=/V1/)", "", path)


def shown(path: str) -> str:
    """A path as the doc would write it (Magento's vendor path, placeholder names kept)."""
    path = re.sub(r":int\}", "}", path).replace("{}", "{id}").rstrip("/") or path
    return re.sub(r"^/rest(?:/[^/]+)?(?=/V1/)", "", path)


@dataclass(frozen=True)
class Route:
    method: str
    path: str

    @property
    def key(self) -> str:
        return key(self.path)

    def __str__(self) -> str:
        return f"`{self.method} {shown(self.path)}`"


# --- the routes the profiles call ------------------------------------------------------------------------------
def _template(node: ast.expr, names: dict[str, list[str]]) -> list[str]:
    """The path templates an argument can be: a literal, a name assigned a path, an f-string (``{path}/x``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name):
        return names.get(node.id, [])
    if isinstance(node, ast.JoinedStr):
        heads, tail = [""], node.values
        first = tail[0] if tail else None
        if isinstance(first, ast.FormattedValue) and isinstance(first.value, ast.Name) and first.value.id in names:
            heads, tail = names[first.value.id], tail[1:]
        rest = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in tail)
        return [head + rest for head in heads]
    return []


def _assigned(body: ast.AST, names: dict[str, list[str]]) -> dict[str, list[str]]:
    found = {name: list(paths) for name, paths in names.items()}
    for node in ast.walk(body):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            paths = [p for p in _template(node.value, found) if p.startswith(ROOTS)]
            if paths:
                found.setdefault(node.targets[0].id, []).extend(paths)
    return found


def scanned_routes() -> list[Route]:
    """The routes plugins/profile_sync/entities and connectors call with a path the code spells out."""
    routes: list[Route] = []
    for file in sorted([*PACKAGE.joinpath("entities").rglob("*.py"), *PACKAGE.joinpath("connectors").glob("*.py")]):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        module = _assigned(ast.Module(body=[s for s in tree.body if isinstance(s, ast.Assign)], type_ignores=[]), {})
        if file.parent.name == "connectors":  # the login routes (LOGIN_PATH, TOKEN_PATH ...): all POST
            routes += [Route("POST", p) for name, paths in module.items() if name.endswith("_PATH") for p in paths]
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if isinstance(stmt, ast.Assign) and any(getattr(t, "id", "") == "test_path" for t in stmt.targets):
                        routes += [Route("GET", p) for p in _template(stmt.value, module)]
            if not isinstance(node, ast.FunctionDef):
                continue
            names = _assigned(node, module)
            for call in ast.walk(node):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.args):
                    continue
                method = CALLS.get(call.func.attr)
                for path in _template(call.args[0], names) if method else []:
                    # f"/v2/{self.kind.collection}": a path whose collection is a variable is listed in BY_URL
                    if path.startswith(ROOTS) and not re.match(r"^/[^/]+/\{", path):
                        routes.append(Route(method, path))
    return routes


def profile_routes() -> list[Route]:
    found: dict[tuple[str, str], Route] = {}
    floors = [Route(*route.split(" ", 1)) for spec in FLOORS.values() for route in spec.rules]
    named = {route.key: route.path for route in floors}  # a scanned path shown with the floors' placeholder names
    for route in [*floors, *scanned_routes(), *(Route(*r.split(" ", 1)) for r in BY_URL)]:
        shown_as = route.path if route in floors else named.get(route.key, route.path)
        found.setdefault((route.method, route.key), Route(route.method, shown_as))
    return sorted(found.values(), key=lambda r: (r.key, r.method))


# --- what the doc names ----------------------------------------------------------------------------------------
PATH = re.compile(r"(?:(GET|POST|PUT|PATCH|DELETE)\s+)?((?:\.\.\.)?/[A-Za-z0-9_{}.:/|-]*)")
AFTER = re.compile(r"\s*((?:(?:get|post|put|patch|delete)(?:\s*,\s*|\s+and\s+|\s+or\s+|\s*/\s*)?)+)")


@dataclass
class Mention:
    path: str  # key(); an elided tail ("...") keeps its dots
    methods: set[str]  # the method written with the path: "`PUT /x`", "`/x` put and delete"


def _items(doc: str) -> list[str]:
    """Paragraphs and list items (with their continuation lines)."""
    items: list[list[str]] = []
    for line in doc.splitlines():
        if not line.strip():
            items.append([])
        elif line.startswith(("- ", "#")) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    return [" ".join(part.strip() for part in item) for item in items if item]


def _mentions(item: str) -> list[Mention]:
    mentions = []
    for span in re.finditer(r"`([^`]+)`", item):
        after = AFTER.match(item, span.end())
        written = {m.upper() for m in re.findall(r"[a-z]+", after.group(1))} & set(METHODS) if after else set()
        for match in PATH.finditer(span.group(1)):
            raw = match.group(2).rstrip(".,;:")
            head, _, last = raw.rpartition("/")
            methods = written | ({match.group(1)} if match.group(1) else set())
            for alternative in last.split("|"):  # ".../transitions/mark_as_sent|mark_as_draft"
                path = f"{head}/{alternative}"
                elided = path.startswith("...")
                mentions.append(Mention("..." + key(path[3:]) if elided else key(path), methods))
    return mentions


def _covers(mention: Mention, route_key: str, full: list[str]) -> bool:
    if not mention.path.startswith("..."):
        return mention.path == route_key
    tail = mention.path[3:]
    if not tail or not route_key.endswith(tail):
        return False
    stem = route_key[: -len(tail)]
    return any(path == stem or path.startswith(stem + "/") for path in full)


def names(doc: str, route: Route) -> bool:
    """Whether one item of ``doc`` names ``route``: its path, and its method with it or in capitals in the item."""
    for item in _items(doc):
        mentions = _mentions(item)
        full = [m.path for m in mentions if m.path.startswith(ROOTS)]
        in_capitals = re.search(rf"\b{route.method}\b", item) is not None
        for mention in mentions:
            if _covers(mention, route.key, full) and (route.method in mention.methods or in_capitals):
                return True
    return False


# --- tests ---------------------------------------------------------------------------------------------------
def test_fidelity_names_every_route_a_profile_calls() -> None:
    routes = profile_routes()
    assert len(routes) > 80, "the route scan found too few routes: it no longer reads the profiles' calls"
    doc = DOC.read_text(encoding="utf-8")
    missing = [str(route) for route in routes if not names(doc, route)]
    assert not missing, (
        f"include/sandbox/FIDELITY.md does not name {len(missing)} route(s) a profile calls (say what the real API "
        "does that the sandbox models, the source, and what is not modelled):\n" + "\n".join(missing)
    )


def test_a_route_is_named_only_with_its_own_path_and_method() -> None:
    doc = (
        "- `GET /rest/default/V1/orders` and `/V1/orders/{id}` answer orders.\n"
        "  More of the same item, `PUT /rest/items/{id}/variations/{variationId}`.\n\n"
        "- Writes (contract: `/rest/items/attributes/{id}` put and delete, `.../{attributeId}/names` post,\n"
        "  `.../names/{lang}` put).\n"
        "- `PUT .../transitions/mark_as_sent|mark_as_draft` of `/v2/invoices/{id}`.\n"
    )
    assert names(doc, Route("GET", "/rest/V1/orders"))
    assert names(doc, Route("GET", "/rest/{store_code}/V1/orders/{orderId:int}"))
    assert names(doc, Route("PUT", "/rest/items/{itemId:int}/variations/{id:int}"))
    assert names(doc, Route("DELETE", "/rest/items/attributes/{attributeId}"))
    assert names(doc, Route("PUT", "/rest/items/attributes/{attributeId}/names/{lang}"))
    assert names(doc, Route("PUT", "/v2/invoices/{id}/transitions/mark_as_draft"))
    assert not names(doc, Route("DELETE", "/V1/orders/{id}"))  # no DELETE in that item
    assert not names(doc, Route("GET", "/V1/orders/{id}/comments"))  # a path the doc does not have
    assert not names(doc, Route("GET", "/rest/items/attributes/{id}"))  # put and delete only
    assert not names(doc, Route("PUT", "/rest/items/attributes/{id}/values/{valueId}"))
    assert not names(doc, Route("PUT", "/v2/credit_notes/{id}/transitions/mark_as_sent"))
