"""Every paged read of a profile asks for the profile's ``api.collection_size`` (issue 16 point 6).

The seed's setting is "the number of items returned per page by API requests": a user who lowers it (a slow
shop, answers that time out) must get it on every list read, reference data included (a category tree read once
per run costs a few more calls at 25 a page, never a response bigger than asked for). A vendor that fixes or caps
the page size is honoured in its connector (FreeAgent: at most 100, ``connectors.freeagent.MAX_PER_PAGE``), not
by a number in an entity. This scan fails for any ``paginate`` call of an entity module whose page size is a
number or missing, for a helper that pages (``ContactDirectory``, ``VariationNumbers``) built without it, and for
a hand-written page loop whose page-size parameter (PlentyONE's ``itemsPerPage``, Magento's ``pageSize``) is not
the profile's."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENTITIES = Path(__file__).resolve().parents[2] / "plugins" / "profile_sync" / "entities"
MODULES = sorted(ENTITIES.rglob("*.py"))
# helpers that page with a size they were given: every construction must hand them the profile's
PAGING_HELPERS = {"ContactDirectory", "VariationNumbers", "walk_within"}
# inside such a helper the size it was given: its attribute, or the page_size parameter of walk_within
GIVEN = {"self._page_size", "page_size"}
# the vendors' page-size parameters, in a hand-written page loop's params
SIZE_PARAMETERS = {"itemsPerPage", "pageSize", "per_page", "searchCriteria[pageSize]"}


def size_parameters(path: Path) -> list[tuple[int, str, ast.expr]]:
    """Every page-size parameter written as a dict entry (a hand-written page loop's params)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in SIZE_PARAMETERS:
                    found.append((node.lineno, str(key.value), value))
    return found


def calls(path: Path) -> list[tuple[int, str, ast.Call]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            found.append((node.lineno, name, node))
    return found


def from_the_profile(value: ast.expr | None, module: str) -> bool:
    if value is None:
        return False
    text = ast.unparse(value)
    if "collection_size" in text:
        return True
    if text in GIVEN:
        return True
    # a local bound to the profile's size a few lines up (order_import's id slices)
    return isinstance(value, ast.Name) and f"{text} = self.profile.api.collection_size" in module


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ENTITIES)))
def test_paged_reads_ask_for_the_profiles_page_size(path: Path) -> None:
    module = path.read_text()
    wrong = []
    for line, name, call in calls(path):
        if name == "paginate":
            size = next((k.value for k in call.keywords if k.arg == "page_size"), None)
            if not from_the_profile(size, module):
                wrong.append(f"line {line}: paginate(page_size={ast.unparse(size) if size else 'missing'})")
        elif name in PAGING_HELPERS:
            args = [*call.args[1:], *(k.value for k in call.keywords if k.arg == "page_size")]
            if not any(from_the_profile(arg, module) for arg in args):
                wrong.append(f"line {line}: {name} built without the profile's collection_size")
    for line, key, value in size_parameters(path):
        if not from_the_profile(value, module):
            wrong.append(f"line {line}: {key}={ast.unparse(value)}")
    assert not wrong, f"{path.name}: " + "; ".join(wrong)


def test_the_scan_finds_a_hard_coded_page(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('def f(self):\n    return self.systems.plenty.paginate("/rest/categories", page_size=250)\n')
    [(_, _, call)] = [c for c in calls(sample) if c[1] == "paginate"]
    size = next(k.value for k in call.keywords if k.arg == "page_size")
    assert not from_the_profile(size, sample.read_text())


def test_the_scan_finds_a_hard_coded_page_in_a_hand_written_loop(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('def f(self, page):\n    return self.systems.plenty.get("/rest/x", params={"itemsPerPage": 250})\n')
    [(_, key, value)] = size_parameters(sample)
    assert key == "itemsPerPage" and not from_the_profile(value, sample.read_text())
