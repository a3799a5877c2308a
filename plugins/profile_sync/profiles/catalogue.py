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

    @property
    def key(self) -> str:
        return f"{self.system}.{self.entity}.{self.direction}"

    @property
    def label(self) -> str:
        return f"{self.entity.capitalize()} {self.direction.capitalize()} [{SYSTEM_LABELS[self.system]}]"


_TYPES = (
    ProfileType("plenty", "customer", "export", ec.CustomerExportConfig, "Magento customers -> contacts"),
    ProfileType("plenty", "customer", "import", ec.CustomerImportConfig, "contacts -> Magento customers"),
    ProfileType("plenty", "product", "export", ec.ProductExportConfig, "Magento products -> items/variations"),
    ProfileType("plenty", "product", "import", ec.ProductImportConfig, "items/variations -> Magento products"),
    ProfileType("plenty", "category", "export", ec.CategoryExportConfig, "Magento categories -> categories"),
    ProfileType("plenty", "category", "import", ec.CategoryImportConfig, "categories -> Magento categories"),
    ProfileType("plenty", "attribute", "import", ec.AttributeImportConfig, "attributes -> Magento attributes"),
    ProfileType("plenty", "order", "export", ec.OrderExportConfig, "Magento orders -> orders"),
    ProfileType("plenty", "order", "import", ec.OrderImportConfig, "order status/shipping -> Magento orders"),
    ProfileType("plenty", "stock", "import", ec.StockImportConfig, "stock per warehouse -> Magento sources"),
    ProfileType("freeagent", "contact", "export", ec.ContactExportConfig, "Magento customers -> contacts"),
    ProfileType("freeagent", "contact", "import", ec.ContactImportConfig, "contacts -> Magento customers"),
    ProfileType("freeagent", "invoice", "export", ec.InvoiceExportConfig, "Magento invoices -> invoices"),
    ProfileType("freeagent", "creditmemo", "export", ec.CreditmemoExportConfig, "credit memos -> credit notes"),
)

CATALOGUE: dict[tuple[str, str, str], ProfileType] = {(t.system, t.entity, t.direction): t for t in _TYPES}
ENTITIES: dict[str, tuple[str, ...]] = {
    system: tuple(sorted({t.entity for t in _TYPES if t.system == system})) for system in SYSTEMS
}


def profile_type(system: str, entity: str, direction: str) -> ProfileType | None:
    return CATALOGUE.get((system, entity, direction))


def directions_for(system: str, entity: str) -> tuple[str, ...]:
    return tuple(d for d in DIRECTIONS if (system, entity, d) in CATALOGUE)
