"""Magento's judgement of catalogue request bodies: the data interfaces (for ``sandbox.magento.strict``'s
unknown-property check) and the rules of attribute creation.

The property lists are the interfaces' properties in the 2.4.8 contract
(``../shared/contracts/magento/admin-schema-2.4.8.yaml``, definition named at each Dto); nested objects whose
interface is not listed (stock item, media gallery, tier prices, bundle options ...) are not looked into.
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.core.app import VendorError
from sandbox.magento.strict import Dto


def _fields(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _props(text: str) -> frozenset[str]:
    return frozenset(text.split())


# each Dto: the interface's properties in the 2.4.8 contract (definition named in the comment)
CATEGORY_LINK = Dto("Magento\\Catalog\\Api\\Data\\CategoryLinkInterface",  # catalog-data-category-link-interface
                    _fields("position category_id"))
CONFIGURABLE_VALUE = Dto("Magento\\ConfigurableProduct\\Api\\Data\\OptionValueInterface",  # ...-option-value-interface
                         _fields("value_index"))
CONFIGURABLE_OPTION = Dto(  # configurable-product-data-option-interface
    "Magento\\ConfigurableProduct\\Api\\Data\\OptionInterface",
    _fields("id attribute_id label position is_use_default values product_id"),
    nested={"values": CONFIGURABLE_VALUE},
)
PRODUCT_EXTENSION = Dto(  # catalog-data-product-extension-interface
    "Magento\\Catalog\\Api\\Data\\ProductExtensionInterface",
    _fields("website_ids category_links discounts bundle_product_options stock_item downloadable_product_links "
            "downloadable_product_samples giftcard_amounts configurable_product_options configurable_product_links"),
    nested={"category_links": CATEGORY_LINK, "configurable_product_options": CONFIGURABLE_OPTION},
)
PRODUCT = Dto(  # catalog-data-product-interface
    "Magento\\Catalog\\Api\\Data\\ProductInterface",
    _fields("id sku name attribute_set_id price status visibility type_id created_at updated_at weight "
            "product_links options media_gallery_entries tier_prices"),
    extension=PRODUCT_EXTENSION,
)
OPTION_LABEL = Dto("Magento\\Eav\\Api\\Data\\AttributeOptionLabelInterface",  # eav-data-attribute-option-label-interface
                   _fields("store_id label"))
ATTRIBUTE_OPTION = Dto(  # eav-data-attribute-option-interface
    "Magento\\Eav\\Api\\Data\\AttributeOptionInterface",
    _fields("label value sort_order is_default store_labels"),
    nested={"store_labels": OPTION_LABEL},
)
FRONTEND_LABEL = Dto("Magento\\Eav\\Api\\Data\\AttributeFrontendLabelInterface",  # ...-frontend-label-interface
                     _fields("store_id label"))
ATTRIBUTE = Dto(  # catalog-data-product-attribute-interface
    "Magento\\Catalog\\Api\\Data\\ProductAttributeInterface",
    _fields("is_wysiwyg_enabled is_html_allowed_on_front used_for_sort_by is_filterable is_filterable_in_search "
            "is_used_in_grid is_visible_in_grid is_filterable_in_grid position apply_to is_searchable "
            "is_visible_in_advanced_search is_comparable is_used_for_promo_rules is_visible_on_front "
            "used_in_product_listing is_visible scope attribute_id attribute_code frontend_input entity_type_id "
            "is_required options is_user_defined default_frontend_label frontend_labels note backend_type "
            "backend_model source_model default_value is_unique frontend_class validation_rules"),
    nested={"options": ATTRIBUTE_OPTION, "frontend_labels": FRONTEND_LABEL},
    extension=Dto("Magento\\Eav\\Api\\Data\\AttributeExtensionInterface", _fields("is_pagebuilder_enabled")),
)
CATEGORY = Dto(  # catalog-data-category-interface (its extension interface has no properties in 2.4.8)
    "Magento\\Catalog\\Api\\Data\\CategoryInterface",
    _fields("id parent_id name is_active position level children created_at updated_at path available_sort_by "
            "include_in_menu"),
    extension=Dto("Magento\\Catalog\\Api\\Data\\CategoryExtensionInterface", ()),
)


# --- the attribute create rules (Magento\Catalog\Model\Product\Attribute\Repository::save) -----------------
CODE_PATTERN = re.compile(r"^[a-zA-Z]+\w*$", re.ASCII)  # Eav\Model\Validator\Attribute\Code (ASCII: stricter)
CODE_MAX = 60  # Eav\Model\Entity\Attribute::ATTRIBUTE_CODE_MAX_LENGTH
FRONTEND_INPUTS = _props(
    "text textarea texteditor pagebuilder date datetime boolean multiselect select price media_image weee "
    "swatch_visual swatch_text"
)


def invalid_field(field_name: str, value: Any) -> VendorError:
    # InputException::invalidFieldValue
    message = 'Invalid value of "%value" provided for the %fieldName field.'
    text = message.replace("%value", str(value)).replace("%fieldName", field_name)
    return VendorError(400, text, body={"message": message,
                                        "parameters": [{"fieldName": field_name, "value": str(value)}]})


def check_new_attribute(data: dict[str, Any]) -> str:
    """The code of a new attribute, or the 400 Magento answers for it."""
    labels = data.get("frontend_labels") or []
    admin_label = data.get("default_frontend_label") or next(
        (str(x.get("label") or "") for x in labels if isinstance(x, dict) and int(x.get("store_id") or 0) == 0), ""
    )
    if not admin_label and not labels:
        raise VendorError(400, '"frontend_label" is required. Enter and try again.',
                          body={"message": '"%fieldName" is required. Enter and try again.',
                                "parameters": [{"fieldName": "frontend_label"}]})
    if not admin_label:
        raise invalid_field("frontend_label", "")
    code = str(data.get("attribute_code") or "").strip()
    if not code:  # Magento generates one from the label; the profiles always send theirs
        code = re.sub(r"[^a-z_0-9]", "_", admin_label.lower())[:30]
        if not re.match(r"^[a-z][a-z_0-9]{0,29}[a-z0-9]$", code):
            code = f"attr_{code}"
    problems = []
    if not CODE_PATTERN.match(code):
        problems.append(f'Attribute code "{code}" is invalid. Please use only letters (a-z or A-Z), numbers (0-9) '
                        "or underscore (_) in this field, and the first character should be a letter.")
    if not 1 <= len(code) <= CODE_MAX:
        problems.append(f"An attribute code must not be less than 1 and more than {CODE_MAX} characters.")
    if problems:
        text = "\n".join(problems)
        raise VendorError(400, text, body={"message": text})
    frontend_input = data.get("frontend_input")
    if frontend_input not in FRONTEND_INPUTS:
        raise invalid_field("frontend_input", frontend_input)
    return code
