"""Magento sales documents (invoices, credit memos) -> FreeAgent documents (invoices, credit notes).

Shared by Invoice Export and Creditmemo Export. A Magento invoice or credit memo carries no customer, so each
page is joined to its orders (one search per page) for the e-mail, names and billing address. At push time the
customer's FreeAgent contact is found by e-mail or created once (the seed: customers are exported as part of
these profiles), so that Contact Export later matches it instead of creating it again. The Magento increment id
is the document's FreeAgent ``reference``, the natural key that finds a document whose create answer was lost
(listed per contact: FreeAgent has no reference filter). After a create or update, the document is moved to the
status the Magento state asks for through the transition routes (mark_as_sent, mark_as_cancelled). An update
first marks a sent document as draft (FreeAgent locks sent documents) and replaces its items by url.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from profile_sync.connectors.errors import TerminalError, UncertainWriteError
from profile_sync.entities.base import CREATE_ATTEMPTS, EntitySync, create_or_find
from profile_sync.entities.emails import valid_email
from profile_sync.entities.freeagent.contact_fields import contact_payload, store_locale
from profile_sync.entities.freeagent.directory import budget_spent_on_429, contact_directory
from profile_sync.entities.records import ALL_STORES, Fetched, Record, RecordError, TargetRecord
from profile_sync.entities.shop.source import ORDERS, MagentoSource, StoreJoin
from profile_sync.entities.systems import Systems
from profile_sync.entities.timestamps import parse_timestamp
from profile_sync.profiles import Profile
from profile_sync.profiles.entity_configs import ContactOptions, CreditmemoExportConfig, InvoiceExportConfig

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
MAGENTO_CANCELED = 3  # invoice and credit memo state "canceled" (1 open/pending, 2 paid/refunded)
STATUS_AFTER = {"mark_as_sent": ("Open", "Overdue", "Paid", "Refunded"), "mark_as_cancelled": ("Cancelled",)}

DocumentConfigT = TypeVar("DocumentConfigT", InvoiceExportConfig, CreditmemoExportConfig)


class DocumentJoin(StoreJoin):
    """What fetch joins to a Magento invoice or credit memo: its store view, and the customer side of its order
    (None: the document names no order, or Magento has none of that id)."""

    order: Record | None = None


@dataclass(frozen=True)
class DocumentKind:
    magento_path: str  # Magento search route
    collection: str  # FreeAgent collection: invoices | credit_notes
    singular: str  # FreeAgent envelope key
    items_key: str
    sign: int  # FreeAgent credit notes carry negative prices


class DocumentExport(EntitySync[DocumentConfigT]):
    kind: DocumentKind
    join_type = DocumentJoin

    def __init__(self, profile: Profile, systems: Systems) -> None:
        super().__init__(profile, systems)
        self._by_contact: dict[str, dict[str, str]] = {}

    # --- options the subclasses read from their configs -----------------------------------------------------
    @property
    def contact_options(self) -> ContactOptions:
        return self.config.contact

    def payment_terms(self) -> int:
        """FreeAgent requires payment terms on invoices and credit notes alike (dev.freeagent.com/docs)."""
        return int(self.config.payment_terms_in_days)

    def reference_prefix(self) -> str:
        return ""

    def document_fields(self, record: Record) -> dict[str, Any]:
        return {}

    # --- fetch ---------------------------------------------------------------------------------------------
    def fetch(self, since: datetime | None, ids: Sequence[str] | None) -> Iterator[list[Fetched[DocumentJoin]]]:
        for page in self.source.pages(self.systems, self.profile, since, ids):
            orders = self._orders({int(d.record["order_id"]) for d in page if d.record.get("order_id") is not None})
            yield [Fetched(d.record, DocumentJoin(d.joined.store_code, _order_of(d.record, orders))) for d in page]

    @property
    def source(self) -> MagentoSource:
        return MagentoSource(self.kind.magento_path)

    def _orders(self, ids: set[int]) -> dict[int, Record]:
        """The customer side of the page's orders: e-mail, names, billing address, increment id."""
        if not ids:
            return {}
        found: dict[int, Record] = {}
        for page in ORDERS.search(
            self.systems.magento, self.profile, [("entity_id", ",".join(map(str, sorted(ids))), "in")], sort=None
        ):
            for order in page:
                found[int(order["entity_id"])] = {
                    key: order.get(key)
                    for key in (
                        "increment_id",
                        "customer_email",
                        "customer_firstname",
                        "customer_middlename",
                        "customer_lastname",
                        "billing_address",
                    )
                }
        return found

    def partition_key(self, fetched: Fetched[DocumentJoin]) -> str:
        # one customer's documents in one task, so that its contact is created by one task only
        order = fetched.joined.order or {}
        return str(order.get("customer_email") or fetched.record["entity_id"]).strip().lower()

    # --- transform -----------------------------------------------------------------------------------------
    def transform(self, fetched: Fetched[DocumentJoin]) -> list[TargetRecord]:
        record = fetched.record
        locale = store_locale(self.profile.store, fetched.joined.store)
        if locale is None:
            return []
        increment_id = str(record.get("increment_id") or "").strip()
        if not increment_id:
            raise RecordError(f"{self.noun} has no increment_id")
        reference = self.reference_prefix() + increment_id
        order = fetched.joined.order
        if not order:
            raise RecordError(f"{self.noun} {reference}: its order {record.get('order_id')} was not found")
        billing = order.get("billing_address") or {}
        email = valid_email(order.get("customer_email") or billing.get("email"))
        first = " ".join(
            str(order.get(k) or "").strip() for k in ("customer_firstname", "customer_middlename")
        ).strip() or str(billing.get("firstname") or "")
        last = str(order.get("customer_lastname") or billing.get("lastname") or "")
        contact = contact_payload(
            email=email, first_name=first, last_name=last, address=billing, locale=locale, options=self.contact_options
        )
        created = parse_timestamp(record.get("created_at"))
        if created is None:
            raise RecordError(f"{self.noun} {reference} has no created_at")
        document: dict[str, Any] = {
            "reference": reference,
            "dated_on": created.date().isoformat(),
            "currency": str(record.get("order_currency_code") or record.get("base_currency_code") or "GBP"),
            "comments": f"Magento order #{order.get('increment_id') or record.get('order_id')}",
            "payment_terms_in_days": self.payment_terms(),
            self.kind.items_key: self.items(record),
            **self.document_fields(record),
        }
        total = record.get("grand_total")
        payload = {
            "contact": contact,
            "document": document,
            "transition": self.transition(record),
            "total": _money(Decimal(self.kind.sign) * abs(_dec(total))) if total is not None else None,
        }
        return [TargetRecord(self.record_id(record), ALL_STORES, payload, natural_key=reference, label=f"#{reference}")]

    def transition(self, record: Record) -> str | None:
        if int(record.get("state") or 0) == MAGENTO_CANCELED:
            return "mark_as_cancelled"
        return "mark_as_sent" if self.config.mark_as_sent else None

    def items(self, record: Record) -> list[dict[str, Any]]:
        """Item, shipping, discount and adjustment lines whose FreeAgent total is Magento's grand total.

        FreeAgent adds each line's sales tax to its net price, so every line is net. Magento's discount is net
        when it applies to prices excluding tax (its default) and gross when it applies to prices including
        tax; then Magento books the discount's tax part as ``discount_tax_compensation_amount``. So the net
        discount is ``discount_amount`` less that compensation, per item at the item's rate, and what is left
        of the document's discount (a discount on shipping) at the shipping rate. An item's rate is its tax over
        its taxable (discounted) base."""
        sign = Decimal(self.kind.sign)
        lines = [line for line in record.get("items") or [] if _dec(line.get("qty")) > 0]
        if not lines:
            raise RecordError(f"{self.noun} {record.get('increment_id')} has no items")
        out = []
        rates: list[Decimal] = []
        discounts: dict[Decimal, Decimal] = {}  # rate -> net discount (Magento's sign: negative)
        for line in lines:
            net_discount = self._net_discount(line.get("discount_amount"), line.get("discount_tax_compensation_amount"))
            base = _dec(line.get("row_total")) + net_discount
            rate = self._rate(line.get("tax_amount"), base)
            rates.append(rate)
            if net_discount:
                discounts[rate] = discounts.get(rate, Decimal(0)) + net_discount
            sku = str(line.get("sku") or "").strip()
            name = str(line.get("name") or sku)
            description = f"{name} ({sku})" if sku and sku not in name else name
            price, quantity = _dec(line.get("price")), _dec(line.get("qty"))
            if line.get("row_total") is not None and (price * quantity).quantize(CENT) != base - net_discount:
                # prices including tax: Magento rounds the net row, not the unit, so the unit price times the
                # quantity misses the row by cents; the row as one unit keeps FreeAgent's total Magento's
                description, price, quantity = f"{_number(quantity)} x {description}", base - net_discount, Decimal(1)
            out.append(
                {
                    "description": description,
                    "item_type": "Products",
                    "price": _money(sign * price),
                    "quantity": _number(quantity),
                    "sales_tax_rate": _number(rate),
                }
            )
        main_rate = max(set(rates), key=rates.count)
        shipping = _dec(record.get("shipping_amount"))
        shipping_rate = main_rate
        if shipping:
            shipping_rate = self._rate(_shipping_tax(record, lines), shipping, main_rate)
            out.append(_line("Shipping", "Services", sign * shipping, shipping_rate))
        total_discount = self._net_discount(record.get("discount_amount"), record.get("discount_tax_compensation_amount"))
        rest = total_discount - sum(discounts.values(), Decimal(0))
        if abs(rest) >= CENT:  # the part of the discount that is not on the items: on shipping
            discounts[shipping_rate] = discounts.get(shipping_rate, Decimal(0)) + rest
        for rate, amount in sorted(discounts.items()):
            if _money(amount) != "0.00":
                out.append(_line("Discount", "Discount", sign * amount, rate))
        for field, description, direction in self.adjustments():
            amount = _dec(record.get(field))
            if amount:
                out.append(_line(description, "-no unit-", sign * direction * amount, Decimal(0)))
        return out

    def _net_discount(self, discount: Any, compensation: Any) -> Decimal:
        """A Magento discount (negative on documents, positive on items) as a negative net amount."""
        amount = -abs(_dec(discount))
        if not amount:
            return Decimal(0)
        if compensation is not None:
            return amount + abs(_dec(compensation))
        if self.config.discount_includes_tax:  # no compensation recorded: the profile says how Magento applies it
            return amount / (1 + Decimal(str(self.config.default_sales_tax_rate)) / 100)
        return amount

    def adjustments(self) -> list[tuple[str, str, int]]:
        """Extra document-level amounts: (Magento field, description, sign)."""
        return []

    def _rate(self, tax: Any, net: Any, fallback: Decimal | None = None) -> Decimal:
        if tax is None:
            return fallback if fallback is not None else Decimal(str(self.config.default_sales_tax_rate))
        tax_value, net_value = Decimal(str(tax)), Decimal(str(net or 0))
        if not tax_value:
            return Decimal(0)
        if not net_value:
            return fallback if fallback is not None else Decimal(str(self.config.default_sales_tax_rate))
        return (tax_value / net_value * 100).quantize(TENTH, rounding=ROUND_HALF_UP)

    # --- push ----------------------------------------------------------------------------------------------
    def prepare(self, target: TargetRecord) -> TargetRecord:
        with budget_spent_on_429():
            contact_url, _ = contact_directory(self.systems).find_or_create(target.payload["contact"])
            return target.resolved(contact=contact_url)

    def _body(self, target: TargetRecord) -> dict[str, Any]:
        return {self.kind.singular: {**target.payload["document"], "contact": target.extra["contact"]}}

    def find_existing(self, target: TargetRecord) -> str | None:
        with budget_spent_on_429():
            return self._references(target.extra["contact"]).get(str(target.natural_key))

    def _references(self, contact: str) -> dict[str, str]:
        """The contact's documents, reference -> url: listed once per task (none for a contact made by it)."""
        if contact not in self._by_contact:
            known: dict[str, str] = {}
            if not contact_directory(self.systems).created_here(contact):
                params = {"view": "all", "contact": contact}
                for page in self.systems.freeagent.paginate(
                    f"/v2/{self.kind.collection}", params=params, page_size=self.profile.api.collection_size
                ):
                    for document in page:
                        known.setdefault(str(document.get("reference")), str(document["url"]))
            self._by_contact[contact] = known
        return self._by_contact[contact]

    def create(self, target: TargetRecord) -> str:
        with budget_spent_on_429():
            # the lookup of a lost answer lives here, so that the document found is moved to its status as well
            contact = target.extra["contact"]
            status: dict[str, str | None] = {"value": None}

            def post() -> str:
                try:
                    created = self.systems.freeagent.post(f"/v2/{self.kind.collection}", json=self._body(target))
                except UncertainWriteError:
                    self._by_contact.pop(contact, None)  # list again: the write may be there
                    contact_directory(self.systems).forget_created(contact)
                    raise
                document = created[self.kind.singular]
                status["value"] = document.get("status")
                answer["document"] = document
                return str(document["url"])

            answer: dict[str, Any] = {}
            url, _ = create_or_find(post, lambda: self.find_existing(target))
            self._references(contact)[str(target.natural_key)] = url
            self._true_up(url, answer.get("document"), target.payload.get("total"))
            self._move(url, status["value"], target.payload["transition"])
            return url

    def update(self, target_id: str, target: TargetRecord) -> None:
        with budget_spent_on_429():
            if not target_id.startswith(("http://", "https://")):
                raise RecordError(f"mapped target id {target_id!r} is not a FreeAgent url")
            # FreeAgent locks a sent document (its staff, forum thread 819: mark it as draft, change it, mark it as
            # sent again), and items change by their url: the current items go (_destroy), the new ones come
            current = (self.systems.freeagent.get(target_id) or {}).get(self.kind.singular) or {}
            if current.get("status") not in (None, "Draft"):
                self.systems.freeagent.put(f"{target_id}/transitions/mark_as_draft")
            body = self._body(target)
            gone = [{"url": item["url"], "_destroy": True} for item in current.get(self.kind.items_key) or []]
            body[self.kind.singular][self.kind.items_key] = [*gone, *body[self.kind.singular][self.kind.items_key]]
            updated = ((self.systems.freeagent.put(target_id, json=body) or {}).get(self.kind.singular)) or {}
            self._true_up(target_id, updated or None, target.payload.get("total"))
            self._move(target_id, updated.get("status"), target.payload["transition"])

    def _true_up(self, url: str, document: dict[str, Any] | None, expected: str | None) -> None:
        """Make FreeAgent's total Magento's to the cent while the document is a draft.

        FreeAgent computes the sales tax of the items itself and does not publish how it rounds it; Magento rounds
        the tax of each row. So the total FreeAgent answers (read back when the answer was lost) is compared with
        Magento's, and a difference becomes one "Rounding" line without tax. Only documents that differ cost the
        extra request. An item without a url is added each time it is sent, so the line is never re-sent blindly:
        after an uncertain answer the document is read again and the difference taken anew."""
        if expected is None:
            return
        for _ in range(CREATE_ATTEMPTS):
            if document is None or document.get("total_value") is None:
                document = (self.systems.freeagent.get(url) or {}).get(self.kind.singular) or {}
            if document.get("total_value") is None or document.get("status") not in (None, "Draft"):
                return
            difference = Decimal(expected) - _dec(document["total_value"])
            if abs(difference) < CENT:
                return
            line = _line("Rounding (sales tax per Magento row)", "-no unit-", difference, Decimal(0))
            body = {self.kind.singular: {self.kind.items_key: [line]}}
            try:
                self.systems.freeagent.put(url, json=body, idempotent=False)
                return
            except UncertainWriteError:
                document = None  # applied or not: read it again
        raise RecordError(f"{self.noun}: FreeAgent's total of {url} could not be made Magento's {expected}")

    def _move(self, url: str, status: str | None, transition: str | None) -> None:
        """Apply ``transition`` unless the document is in its resulting status already."""
        if not transition:
            return
        done = STATUS_AFTER[transition]
        if status is None:
            status = (self.systems.freeagent.get(url) or {}).get(self.kind.singular, {}).get("status")
        if status in done or (transition == "mark_as_sent" and status != "Draft"):
            return
        try:
            self.systems.freeagent.put(f"{url}/transitions/{transition}")
        except TerminalError:
            # a retried transition may have been applied already: only a document in the wrong status is an error
            now = (self.systems.freeagent.get(url) or {}).get(self.kind.singular, {}).get("status")
            if now not in done:
                raise


def _order_of(doc: Record, orders: dict[int, Record]) -> Record | None:
    return orders.get(int(doc["order_id"])) if doc.get("order_id") is not None else None


def _shipping_tax(record: Record, lines: list[Record]) -> Any:
    """Magento's ``shipping_tax_amount``, else what the document's tax holds beyond its items' tax."""
    if record.get("shipping_tax_amount") is not None:
        return record["shipping_tax_amount"]
    if record.get("tax_amount") is None:
        return None
    rest = Decimal(str(record["tax_amount"])) - sum((Decimal(str(x.get("tax_amount") or 0)) for x in lines), Decimal(0))
    return max(rest, Decimal(0)) if abs(rest) >= CENT else Decimal(0)


def _line(description: str, item_type: str, price: Decimal, rate: Decimal) -> dict[str, Any]:
    return {
        "description": description,
        "item_type": item_type,
        "price": _money(price),
        "quantity": "1",
        "sales_tax_rate": _number(rate),
    }


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text
