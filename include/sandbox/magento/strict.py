"""Magento's judgement of request bodies: a property the data interface does not have is a 400.

Magento 2.4.7+ builds each body object through the data interface's setters (``ServiceInputProcessor``); a key
that has no getter/setter on the interface answers 400 ``"%fieldName" is not supported. Correct the field name
and try again.`` with the key converted to UpperCamelCase (``texts`` -> ``Texts``; before 2.4.7 the message was
``Property "%1" does not have accessor method "%2" in class "%3".``). snake_case and camelCase keys are the
same property (``default_billing`` = ``defaultBilling``). Unknown keys at the top level of the body (next to
``customer``, ``product``...) are not properties of any object: Magento ignores them, and so does this check.

Use, in a route module::

    from sandbox.magento.strict import Dto, check_body

    REGION = Dto("Magento\\\\Customer\\\\Api\\\\Data\\\\RegionInterface", ("region_code", "region", "region_id"))
    ADDRESS = Dto("...\\\\AddressInterface", ("id", "city", ...), nested={"region": REGION})
    CUSTOMER = Dto("...\\\\CustomerInterface", ("id", "email", ...), nested={"addresses": ADDRESS})

    body = await json_body(request)
    check_body(body, {"customer": CUSTOMER})   # raises VendorError(400) on the first unknown property
    data = CUSTOMER.normalize(body["customer"])  # camelCase keys spelled as the contract does

`nested` maps a property to the Dto of its value (an object, or a list of objects). Every Dto accepts
``extension_attributes`` (checked when `extension` is given) and ``custom_attributes`` (a list of
``{attribute_code, value}``, whose codes are EAV attributes and not checked here).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.core.app import VendorError

NOT_SUPPORTED = '"%fieldName" is not supported. Correct the field name and try again.'
ALWAYS = ("extension_attributes", "custom_attributes")


def upper_camel(key: str) -> str:
    """Magento's ``SimpleDataObjectConverter::snakeCaseToUpperCamelCase``: ``default_billing`` -> ``DefaultBilling``."""
    return "".join(part[:1].upper() + part[1:] for part in key.split("_"))


@dataclass(frozen=True)
class Dto:
    """One Magento data interface: its PHP class name, its properties (snake_case, as in the contract), the Dto
    of each nested object property, and the Dto of its ``extension_attributes`` (None: not checked)."""

    cls: str
    fields: Iterable[str]
    nested: Mapping[str, Dto] = field(default_factory=dict)
    extension: Dto | None = None

    def __post_init__(self) -> None:
        names = {upper_camel(name): name for name in (*self.fields, *ALWAYS)}
        object.__setattr__(self, "_names", names)
        object.__setattr__(self, "_known", frozenset(names))
        object.__setattr__(self, "_nested", {upper_camel(k): v for k, v in self.nested.items()})

    def check(self, value: Any) -> None:
        """Raise Magento's 400 for the first property of `value` (an object) this interface does not have."""
        if not isinstance(value, dict):
            return  # a type mismatch is another error, not this check's
        for key, item in value.items():
            name = upper_camel(str(key))
            if name not in self._known:  # type: ignore[attr-defined]
                raise unsupported(name)
            if name == "ExtensionAttributes" and self.extension is not None:
                self.extension.check(item)
            nested = self._nested.get(name)  # type: ignore[attr-defined]
            if nested is not None:
                for element in item if isinstance(item, list) else [item]:
                    nested.check(element)


    def normalize(self, value: Any) -> Any:
        """`value` with its known keys spelled as the contract does (``defaultBilling`` -> ``default_billing``),
        nested objects too: what Magento stores and answers, whichever spelling came in."""
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = upper_camel(str(key))
            nested = self._nested.get(name)  # type: ignore[attr-defined]
            if nested is not None:
                item = [nested.normalize(e) for e in item] if isinstance(item, list) else nested.normalize(item)
            out[self._names.get(name, key)] = item  # type: ignore[attr-defined]
        return out


def check_body(body: Mapping[str, Any], params: Mapping[str, Dto]) -> None:
    """Check each service parameter of `body` that has a Dto (an object, or a list of objects such as
    ``sourceItems``); other top-level keys are ignored (as Magento). Names are given snake_case; the body may
    spell them camelCase (``ServiceInputProcessor`` takes both)."""
    for name, dto in params.items():
        value = body.get(name)
        if value is None:
            camel = name[:1] + upper_camel(name)[1:]
            value = body.get(camel)
        for element in value if isinstance(value, list) else [value]:
            if element is not None:
                dto.check(element)


def unsupported(field_name: str) -> VendorError:
    """Magento's 400 for a property the interface does not have (parameters as the contract's error-response)."""
    return VendorError(400, NOT_SUPPORTED.replace("%fieldName", field_name),
                       body={"message": NOT_SUPPORTED, "parameters": [{"fieldName": field_name}]})
