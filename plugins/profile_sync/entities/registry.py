"""Profile type -> its EntitySync class, one table. Imported when a task runs, never at DAG parse time (the task
has Airflow and the connectors loaded already, so the seventeen small modules cost it next to nothing)."""

from __future__ import annotations

from typing import Any

from profile_sync.entities.base import EntitySync, IdMap, NoIdMap
from profile_sync.entities.freeagent.contact_export import ContactExport
from profile_sync.entities.freeagent.contact_import import ContactImport
from profile_sync.entities.freeagent.creditmemo_export import CreditmemoExport
from profile_sync.entities.freeagent.invoice_export import InvoiceExport
from profile_sync.entities.freeagent.product_export import ProductPriceListExport
from profile_sync.entities.plenty.attribute_export import AttributeExport
from profile_sync.entities.plenty.attribute_import import AttributeImport
from profile_sync.entities.plenty.category_export import CategoryExport
from profile_sync.entities.plenty.category_import import CategoryImport
from profile_sync.entities.plenty.customer_export import CustomerExport
from profile_sync.entities.plenty.customer_import import CustomerImport
from profile_sync.entities.plenty.order_export import OrderExport
from profile_sync.entities.plenty.order_import import OrderImport
from profile_sync.entities.plenty.product_export import ProductExport
from profile_sync.entities.plenty.product_import import ProductImport
from profile_sync.entities.plenty.stock_export import StockExport
from profile_sync.entities.plenty.stock_import import StockImport
from profile_sync.entities.systems import Systems
from profile_sync.profiles import Profile

# keys as profiles.catalogue.ProfileType.key: system.entity.direction
SYNCS: dict[str, type[EntitySync[Any]]] = {
    "plenty.customer.export": CustomerExport,
    "plenty.customer.import": CustomerImport,
    "plenty.product.export": ProductExport,
    "plenty.product.import": ProductImport,
    "plenty.category.export": CategoryExport,
    "plenty.category.import": CategoryImport,
    "plenty.attribute.export": AttributeExport,
    "plenty.attribute.import": AttributeImport,
    "plenty.order.export": OrderExport,
    "plenty.order.import": OrderImport,
    "plenty.stock.export": StockExport,
    "plenty.stock.import": StockImport,
    "freeagent.contact.export": ContactExport,
    "freeagent.contact.import": ContactImport,
    "freeagent.invoice.export": InvoiceExport,
    "freeagent.creditmemo.export": CreditmemoExport,
    "freeagent.product.export": ProductPriceListExport,
}


class NotImplementedProfileType(NotImplementedError):
    pass


def entity_for(profile: Profile, systems: Systems, id_map: IdMap | None = None) -> EntitySync[Any]:
    sync = SYNCS.get(profile.type.key)
    if sync is None:
        raise NotImplementedProfileType(
            f"profile type {profile.type.label} ({profile.type.key}) has no sync implementation yet"
        )
    entity = sync(profile, systems)
    entity.id_map = id_map or NoIdMap()
    return entity
