"""The catalogue of profile types: which (system, entity, direction) triples exist, and their options model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from profile_sync.profiles import entity_configs as ec

System = Literal["plenty", "freeagent"]
Direction = Literal["import", "export"]
SYSTEMS: tuple[str, ...] = ("plenty", "freeagent")
DIRECTIONS: tuple[str, ...] = ("import", "export")
SYSTEM_LABELS = {"plenty": "PlentyONE", "freeagent": "FreeAgent"}


@dataclass(frozen=True)
class ProfileType:
    system: str
    entity: str
    direction: str
    config_model: type[ec.EntityConfig]
    summary: str
    # Why ``events.delete_externally`` makes no sense for this type: the loader refuses the option with this
    # reason. None: the type's entity deletes (or hides, where the target refuses a delete) the target record of a
    # source record that is gone; tests/entities/test_delete_externally_declared.py holds every type to one of both.
    delete_refused: str | None = None

    @property
    def key(self) -> str:
        return f"{self.system}.{self.entity}.{self.direction}"

    @property
    def label(self) -> str:
        return f"{self.entity.capitalize()} {self.direction.capitalize()} [{SYSTEM_LABELS[self.system]}]"


ORDERS_STAY = (
    "an order is the record of a sale and is never deleted by a sync; a cancellation reaches the other side as a "
    "cancellation"
)
STOCK_STAYS = (
    "stock is a quantity per warehouse or source, not a record that comes and goes; a product deleted on one side "
    "is the product profiles' business"
)
DOCUMENTS_STAY = (
    "a FreeAgent {noun} is an accounting record: once sent it is never deleted, it is corrected by a credit note "
    "or cancelled, and Magento keeps its {source} too"
)

_TYPES = (
    ProfileType("plenty", "customer", "export", ec.CustomerExportConfig, "Magento customers -> contacts"),
    ProfileType("plenty", "customer", "import", ec.CustomerImportConfig, "contacts -> Magento customers"),
    ProfileType("plenty", "product", "export", ec.ProductExportConfig, "Magento products -> items/variations"),
    ProfileType("plenty", "product", "import", ec.ProductImportConfig, "items/variations -> Magento products"),
    ProfileType("plenty", "category", "export", ec.CategoryExportConfig, "Magento categories -> categories"),
    ProfileType("plenty", "category", "import", ec.CategoryImportConfig, "categories -> Magento categories"),
    ProfileType("plenty", "attribute", "import", ec.AttributeImportConfig, "attributes -> Magento attributes"),
    ProfileType("plenty", "attribute", "export", ec.AttributeExportConfig, "Magento attributes -> attributes"),
    ProfileType("plenty", "order", "export", ec.OrderExportConfig, "Magento orders -> orders", ORDERS_STAY),
    ProfileType(
        "plenty", "order", "import", ec.OrderImportConfig, "order status/shipping -> Magento orders", ORDERS_STAY
    ),
    ProfileType(
        "plenty", "stock", "import", ec.StockImportConfig, "stock per warehouse -> Magento sources", STOCK_STAYS
    ),
    ProfileType(
        "plenty", "stock", "export", ec.StockExportConfig, "Magento source stock -> warehouse stock", STOCK_STAYS
    ),
    ProfileType("freeagent", "contact", "export", ec.ContactExportConfig, "Magento customers -> contacts"),
    ProfileType("freeagent", "contact", "import", ec.ContactImportConfig, "contacts -> Magento customers"),
    ProfileType("freeagent", "product", "export", ec.ProductPriceListConfig, "Magento products -> price list items"),
    ProfileType(
        "freeagent",
        "invoice",
        "export",
        ec.InvoiceExportConfig,
        "Magento invoices -> invoices",
        DOCUMENTS_STAY.format(noun="invoice", source="invoices"),
    ),
    ProfileType(
        "freeagent",
        "creditmemo",
        "export",
        ec.CreditmemoExportConfig,
        "credit memos -> credit notes",
        DOCUMENTS_STAY.format(noun="credit note", source="credit memos"),
    ),
)

CATALOGUE: dict[tuple[str, str, str], ProfileType] = {(t.system, t.entity, t.direction): t for t in _TYPES}
ENTITIES: dict[str, tuple[str, ...]] = {
    system: tuple(sorted({t.entity for t in _TYPES if t.system == system})) for system in SYSTEMS
}


def profile_type(system: str, entity: str, direction: str) -> ProfileType | None:
    return CATALOGUE.get((system, entity, direction))


def directions_for(system: str, entity: str) -> tuple[str, ...]:
    return tuple(d for d in DIRECTIONS if (system, entity, d) in CATALOGUE)
