"""How a seed becomes a `World`: vocabularies with non-ASCII names on purpose, and one random stream per kind.

Magento serves every product; PlentyONE serves those with ``in_plenty`` (about 2 % of sellable SKUs are
Magento-only, so that an order can be rejected for an unknown SKU).
"""

from __future__ import annotations

import random
import unicodedata

from sandbox.domain import (
    CART_RULES,
    DAY,
    HISTORY_DAYS,
    STORES,
    WAREHOUSES,
    Address,
    Attribute,
    AttributeOption,
    Category,
    CreditMemo,
    Customer,
    Invoice,
    Order,
    OrderItem,
    Product,
    StockLevel,
    Store,
)
from sandbox.geo import ABROAD
from sandbox.money import RATES, cents, row

# --- vocabularies (non-ASCII on purpose) ---------------------------------------------------------------------
_FIRST = {
    "en": ["Oliver", "Amelia", "Chloë", "Seán", "Zoë", "Harry", "Isla", "Noah", "Siobhán", "Emily", "Jack",
           "Renée", "Aoife", "George", "Niamh"],
    "de": ["Jürgen", "Jörg", "Günther", "Jens", "Björn", "Lena", "Mia", "Maximilian", "Sören", "Käthe",
           "Uwe", "Anneliese", "Lukas", "Hannah", "Jürgen-Peter"],
    "fr": ["François", "Hélène", "Zoé", "Émile", "Léa", "Théo", "Anaïs", "Jérôme", "Céline", "Gaël", "Noémie",
           "Loïc", "Chloé", "Benoît", "Inès"],
}
_LAST = {
    "en": ["Smith", "O'Brien", "Jones", "Taylor", "Brontë", "Williams", "McCarthy", "Davies", "Ní Bhriain",
           "Evans", "Wilson", "Thomas", "Roberts", "Walsh", "Clarke"],
    "de": ["Müller", "Schröder", "Groß", "Weiß", "Köhler", "Schäfer", "Becker", "Hoffmann", "Krüger",
           "Böhm", "Fußmann", "Wagner", "Lößner", "Bär", "Schulz"],
    "fr": ["Lefèvre", "Dupont", "Gérard", "Lemaître", "Bélanger", "Moreau", "Laurent", "Côté", "Fournier",
           "Garçon", "Rousseau", "Lefébure", "Girard", "Mercier", "Dubois"],
}
_CITIES = {
    "GB": [("London", "SW1A 1AA", "England"), ("Manchester", "M1 1AE", "England"), ("Cardiff", "CF10 1EP", "Wales")],
    "IE": [("Dublin", "D02 X285", "Dublin"), ("Cork", "T12 RD6E", "Cork")],
    "DE": [("München", "80331", "Bayern"), ("Köln", "50667", "Nordrhein-Westfalen"), ("Düsseldorf", "40213",
           "Nordrhein-Westfalen"), ("Berlin", "10117", "Berlin"), ("Nürnberg", "90402", "Bayern")],
    "AT": [("Wien", "1010", "Wien"), ("Graz", "8010", "Steiermark")],
    # regions as Magento's directory names them (French departments, Belgian provinces): Magento requires one
    "FR": [("Paris", "75001", "Paris"), ("Orléans", "45000", "Loiret"), ("Besançon", "25000", "Doubs"),
           ("Nîmes", "30000", "Gard")],
    "BE": [("Liège", "4000", "Liège"), ("Bruxelles", "1000", "Bruxelles-Capitale")],
}
_STREETS = {
    "GB": ["High Street", "Church Lane", "Station Road", "Victoria Road"], "IE": ["Grafton Street", "Main Street"],
    "DE": ["Hauptstraße", "Schloßallee", "Bahnhofstraße", "Königsweg", "Gartenstraße"],
    "AT": ["Mariahilfer Straße", "Kärntner Straße"],
    "FR": ["Rue de la Paix", "Avenue des Champs-Élysées", "Rue Sainte-Hélène", "Boulevard Saint-Michel"],
    "BE": ["Rue Neuve", "Chaussée de Louvain"],
}
_PHONE_PREFIX = {"GB": "+44 20", "IE": "+353 1", "DE": "+49 89", "AT": "+43 1", "FR": "+33 1", "BE": "+32 2"}
_EXTRA_LINES = {"DE": ["2. OG", "Hinterhaus", "c/o Schmidt", "Aufgang B"], "AT": ["Stiege 2/Top 14", "2. Stock", "c/o Huber"],
                "FR": ["Bâtiment B", "Appartement 12"], "*": ["Apt 4", "Suite 200", "Unit 3"]}
NUMBER_FIRST = frozenset({"GB", "IE", "FR", "LU", "US", "CA", "AU"})  # "12 High Street"; elsewhere "Street 12"
_ABROAD_ORDER = tuple(ABROAD)
_COMPANIES = ["Müller & Söhne GmbH", "Café Lumière SARL", "O'Neill Ltd", "Bäckerei Groß KG", "Østergaard ApS",
              "Łódź Trading Sp. z o.o.", "Acme Corp."]
_TLD = {"en": "co.uk", "de": "de", "fr": "fr"}

_ADJ = [("Classic", "Klassisch", "Classique"), ("Urban", "Urban", "Urbain"), ("Cosy", "Gemütlich", "Douillet"),
        ("Light", "Leicht", "Léger"), ("Sturdy", "Robust", "Robuste"), ("Elegant", "Elegant", "Élégant"),
        ("Alpine", "Alpin", "Alpin"), ("Coastal", "Küsten", "Côtier"), ("Vintage", "Vintage", "Rétro"),
        ("Everyday", "Alltags", "Quotidien")]
_MATERIAL = [("Cotton", "Baumwolle", "coton"), ("Wool", "Wolle", "laine"), ("Linen", "Leinen", "lin"),
             ("Leather", "Leder", "cuir"), ("Bamboo", "Bambus", "bambou"), ("Cashmere", "Kaschmir", "cachemire")]
_NOUN = [("Shirt", "Hemd", "Chemise"), ("Jacket", "Jacke", "Veste"), ("Scarf", "Schal", "Écharpe"),
         ("Trousers", "Hose", "Pantalon"), ("Bag", "Tasche", "Sac"), ("Sweater", "Pullover", "Pull"),
         ("Cap", "Mütze", "Casquette"), ("Dress", "Kleid", "Robe"), ("Belt", "Gürtel", "Ceinture"),
         ("Gloves", "Handschuhe", "Gants"), ("Socks", "Socken", "Chaussettes"), ("Blanket", "Decke", "Couverture")]
_CATEGORY_WORDS = [("Women", "Damen", "Femmes"), ("Men", "Herren", "Hommes"), ("Kids", "Kinder", "Enfants"),
                   ("Home", "Wohnen", "Maison"), ("Outdoor", "Draußen", "Plein air"), ("Sale", "Sale", "Soldes"),
                   ("Accessories", "Accessoires", "Accessoires"), ("Shoes", "Schuhe", "Chaussures"),
                   ("Tops", "Oberteile", "Hauts"), ("Knitwear", "Strickwaren", "Tricots"),
                   ("Bags", "Taschen", "Sacs"), ("Winter", "Winter", "Hiver"), ("Summer", "Sommer", "Été"),
                   ("Basics", "Basics", "Essentiels"), ("Premium", "Premium", "Premium"),
                   ("Eco", "Öko", "Écologique")]
_COLORS = [("Red", "Rot", "Rouge"), ("Blue", "Blau", "Bleu"), ("Green", "Grün", "Vert"), ("Black", "Schwarz", "Noir"),
           ("White", "Weiß", "Blanc"), ("Grey", "Grau", "Gris"), ("Beige", "Beige", "Beige"),
           ("Navy", "Marineblau", "Bleu marine")]
_COLOUR_SKU = {"Grey": "GRY"}  # SKU part; the first three letters otherwise (Grey and Green would both be GRE)
_SIZES = [("XS", "XS", "XS"), ("S", "S", "S"), ("M", "M", "M"), ("L", "L", "L"), ("XL", "XL", "XL"),
          ("XXL", "XXL", "XXL")]
_ATTRIBUTES = [("material_typ", ("Material", "Material", "Matière"), _MATERIAL),
               ("saison_fuer_jahreszeit", ("Season", "Saison", "Saison"),
                [("Spring", "Frühling", "Printemps"), ("Summer", "Sommer", "Été"), ("Autumn", "Herbst", "Automne"),
                 ("Winter", "Winter", "Hiver")]),
               ("muster_art", ("Pattern", "Muster", "Motif"),
                [("Plain", "Uni", "Uni"), ("Striped", "Gestreift", "Rayé"), ("Checked", "Kariert", "À carreaux")]),
               ("schnitt_laenge", ("Fit", "Passform", "Coupe"),
                [("Slim", "Schmal", "Ajustée"), ("Regular", "Normal", "Normale"), ("Loose", "Weit", "Ample")]),
               ("pflege_hinweis_waesche", ("Care", "Pflege", "Entretien"),
                [("Machine wash", "Maschinenwäsche", "Lavage en machine"),
                 ("Hand wash", "Handwäsche", "Lavage à la main"), ("Dry clean", "Chemische Reinigung", "Nettoyage à sec")])]
_LOCALES = ("en", "de", "fr")
# names in languages the Magento store views do not have (PlentyONE texts only): Swedish, Czech, Chinese
MORE_LOCALES = ("sv", "cs", "zh")
_MORE_WORDS: dict[str, tuple[str, str, str]] = {  # English word -> (sv, cs, zh)
    "Women": ("Dam", "Ženy", "女士"), "Men": ("Herr", "Muži", "男士"), "Kids": ("Barn", "Děti", "儿童"),
    "Home": ("Hem", "Domov", "家居"), "Outdoor": ("Utomhus", "Venku", "户外"), "Sale": ("Rea", "Výprodej", "特价"),
    "Accessories": ("Accessoarer", "Doplňky", "配饰"), "Shoes": ("Skor", "Boty", "鞋履"),
    "Tops": ("Överdelar", "Topy", "上衣"), "Knitwear": ("Stickat", "Pletené zboží", "针织"),
    "Bags": ("Väskor", "Tašky", "包袋"), "Winter": ("Vinter", "Zima", "冬季"), "Summer": ("Sommar", "Léto", "夏季"),
    "Basics": ("Basplagg", "Základy", "基础款"), "Premium": ("Premium", "Prémiové", "高端"), "Eco": ("Eko", "Eko", "环保"),
    "Classic": ("Klassisk", "Klasický", "经典"), "Urban": ("Urban", "Městský", "都市"), "Cosy": ("Mysig", "Útulný", "舒适"),
    "Light": ("Lätt", "Lehký", "轻盈"), "Sturdy": ("Robust", "Pevný", "结实"), "Elegant": ("Elegant", "Elegantní", "优雅"),
    "Alpine": ("Alpin", "Alpský", "高山"), "Coastal": ("Kust", "Přímořský", "海岸"), "Vintage": ("Vintage", "Retro", "复古"),
    "Everyday": ("Vardags", "Každodenní", "日常"),
    "Cotton": ("bomull", "bavlna", "棉"), "Wool": ("ull", "vlna", "羊毛"), "Linen": ("linne", "len", "亚麻"),
    "Leather": ("läder", "kůže", "皮革"), "Bamboo": ("bambu", "bambus", "竹纤维"), "Cashmere": ("kashmir", "kašmír", "羊绒"),
    "Shirt": ("Skjorta", "Košile", "衬衫"), "Jacket": ("Jacka", "Bunda", "夹克"), "Scarf": ("Halsduk", "Šála", "围巾"),
    "Trousers": ("Byxor", "Kalhoty", "长裤"), "Bag": ("Väska", "Taška", "包"), "Sweater": ("Tröja", "Svetr", "毛衣"),
    "Cap": ("Mössa", "Čepice", "帽子"), "Dress": ("Klänning", "Šaty", "连衣裙"), "Belt": ("Bälte", "Pásek", "腰带"),
    "Gloves": ("Handskar", "Rukavice", "手套"), "Socks": ("Strumpor", "Ponožky", "袜子"), "Blanket": ("Filt", "Deka", "毯子"),
}


def _more(english: str) -> dict[str, str]:
    return dict(zip(MORE_LOCALES, _MORE_WORDS.get(english, (english,) * 3), strict=True))
# PlentyONE backend names as merchants type them (spaces, dashes, umlauts); the Magento code is the name cleaned
# (lower case, umlauts spelled out, other characters "_"), so both systems hold the same attributes
_BACKEND_NAMES = {"color": "Color", "size": "Size", "material_typ": "Material-Typ",
                  "saison_fuer_jahreszeit": "Saison für Jahreszeit",
                  "muster_art": "Muster-Art", "schnitt_laenge": "Schnitt Länge",
                  "pflege_hinweis_waesche": "Pflege-Hinweis (Wäsche)"}


def _tr(words: tuple[str, str, str]) -> dict[str, str]:
    return dict(zip(_LOCALES, words, strict=True))


def ascii_fold(text: str) -> str:
    """'Jürgen Groß' -> 'jurgen-gross' (for e-mail local parts)."""
    text = text.replace("ß", "ss").replace("'", "").replace(" ", "-")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


class Generator:
    """One random stream per entity kind, so that changing one count leaves the other kinds unchanged."""

    def __init__(self, seed: int, anchor: float) -> None:
        self.seed = seed
        self.anchor = anchor

    def rnd(self, kind: str) -> random.Random:
        return random.Random(f"{self.seed}:{kind}")

    def _times(self, rnd: random.Random) -> tuple[float, float]:
        created = self.anchor - rnd.uniform(1, HISTORY_DAYS) * DAY
        updated = min(created + rnd.uniform(0, 30) * DAY, self.anchor - rnd.uniform(0, 1) * DAY)
        return float(int(created)), float(int(max(updated, created)))

    # --- catalogue -----------------------------------------------------------------------------------------
    def categories(self, count: int) -> list[Category]:
        rnd = self.rnd("categories")
        created, updated = self._times(rnd)
        root = Category(1, 0, {"en": "Root Catalog", "de": "Root Catalog", "fr": "Root Catalog"}, 0, 0, True, [],
                        created, updated, {"sv": "Rotkatalog", "cs": "Kořenový katalog", "zh": "根目录"})
        default = Category(2, 1, {"en": "Default Category", "de": "Standardkategorie", "fr": "Catégorie par défaut"},
                           1, 1, True, [], created, updated,
                           {"sv": "Standardkategori", "cs": "Výchozí kategorie", "zh": "默认类别"})
        root.children.append(2)
        cats = [root, default]
        for cid in range(3, count + 1):
            # parents: default category or a category up to level 3, so the tree is 4 levels deep at most
            candidates = [c for c in cats[1:] if c.level <= 3]
            parent = default if rnd.random() < 0.3 or len(candidates) == 1 else rnd.choice(candidates[1:])
            words = rnd.choice(_CATEGORY_WORDS)
            suffix = f" {cid}" if cid > len(_CATEGORY_WORDS) + 2 else ""
            names = {loc: w + suffix for loc, w in _tr(words).items()}
            c_created, c_updated = self._times(rnd)
            cat = Category(cid, parent.id, names, parent.level + 1, len(parent.children) + 1, rnd.random() > 0.05,
                           [], c_created, c_updated, {loc: w + suffix for loc, w in _more(words[0]).items()})
            parent.children.append(cid)
            cats.append(cat)
        return cats

    def attributes(self, count: int) -> list[Attribute]:
        rnd = self.rnd("attributes")
        specs: list[tuple[str, tuple[str, str, str], list[tuple[str, str, str]], str]] = [
            ("color", ("Colour", "Farbe", "Couleur"), _COLORS, "select"),
            ("size", ("Size", "Größe", "Taille"), _SIZES, "select"),
        ]
        specs += [(code, labels, values, "select") for code, labels, values in _ATTRIBUTES]
        attrs: list[Attribute] = []
        option_id = 1
        for i in range(count):
            if i < len(specs):
                code, labels, values, kind = specs[i]
            else:
                n = i + 1
                kind = "text" if n % 5 == 0 else "select"
                code = f"feature_{n}"
                labels = (f"Feature {n}", f"Merkmal {n}", f"Caractéristique {n}")
                values = [(f"Option {n}.{j}", f"Option {n}.{j} (de)", f"Option {n}.{j} (fr)") for j in range(1, 4)]
            options = []
            if kind != "text":
                for pos, value in enumerate(values, start=1):
                    options.append(AttributeOption(option_id, _tr(value), pos))
                    option_id += 1
            created, updated = self._times(rnd)
            backend_name = _BACKEND_NAMES.get(code) or code.replace("_", " ").title()  # feature_6 -> "Feature 6"
            attrs.append(Attribute(100 + i + 1, code, _tr(labels), kind, options, i < 2, i + 1, created, updated,
                                   backend_name))
        return attrs

    def products(self, count: int, categories: list[Category], attributes: list[Attribute]) -> list[Product]:
        rnd = self.rnd("products")
        leaves = [c.id for c in categories if not c.children and c.level >= 2] or [2]
        by_code = {a.code: a for a in attributes}
        color, size = by_code.get("color"), by_code.get("size")
        extra = [a for a in attributes if a.code not in ("color", "size") and a.options]
        products: list[Product] = []
        pid = 1
        style = 1
        while len(products) < count:
            remaining = count - len(products)
            words = (rnd.choice(_ADJ), rnd.choice(_MATERIAL), rnd.choice(_NOUN))
            names = {loc: f"{words[0][i]} {words[1][i]} {words[2][i]}" if loc == "en"
                     else (f"{words[0][i]} {words[2][i]} aus {words[1][i]}" if loc == "de"
                           else f"{words[2][i]} {words[0][i].lower()} en {words[1][i]}")
                     for i, loc in enumerate(_LOCALES)}
            descriptions = {loc: f"{name} — {('quality', 'Qualität', 'qualité')[i]} #{style}"
                            for i, (loc, name) in enumerate(names.items())}
            adj, material, noun = (_more(w[0]) for w in words)
            more_names = {"sv": f"{adj['sv']} {noun['sv'].lower()} i {material['sv']}",
                          "cs": f"{adj['cs']} {noun['cs'].lower()} ({material['cs']})",
                          "zh": f"{adj['zh']}{material['zh']}{noun['zh']}"}
            price = round(rnd.uniform(9, 249), 2)
            cats = sorted(set(rnd.sample(leaves, k=min(len(leaves), rnd.choice((1, 1, 2))))))
            base_values = {a.code: rnd.choice(a.options).id for a in rnd.sample(extra, k=min(len(extra), 2))}
            created, updated = self._times(rnd)
            base_sku = f"MS-{style:05d}"
            make_configurable = color is not None and size is not None and remaining >= 3 and rnd.random() < 0.3
            if make_configurable:
                n_children = min(rnd.randint(2, 4), remaining - 1)
                parent = Product(pid, base_sku, "configurable", names, descriptions, price, 0.0, 1, 4, cats,
                                 dict(base_values), None, [], True, _ean(rnd), created, updated, more_names)
                products.append(parent)
                pid += 1
                combos = [(c, s) for c in rnd.sample(color.options, k=min(2, len(color.options)))
                          for s in size.options]
                for c_opt, s_opt in rnd.sample(combos, k=n_children):
                    child_names = {loc: f"{n} {c_opt.labels[loc]} {s_opt.labels[loc]}" for loc, n in names.items()}
                    values = dict(base_values, color=c_opt.id, size=s_opt.id)
                    colour = _COLOUR_SKU.get(c_opt.labels["en"], c_opt.labels["en"][:3].upper())
                    child = Product(pid, f"{base_sku}-{colour}-{s_opt.labels['en']}",
                                    "simple", child_names, descriptions, price, round(rnd.uniform(0.1, 2.5), 3), 1, 1,
                                    cats, values, parent.id, [], True, _ean(rnd), created, updated)
                    parent.children_ids.append(pid)
                    products.append(child)
                    pid += 1
            else:
                values = dict(base_values)
                if color is not None and rnd.random() < 0.5:
                    values["color"] = rnd.choice(color.options).id
                products.append(Product(pid, base_sku, "simple", names, descriptions, price,
                                        round(rnd.uniform(0.1, 2.5), 3), 1 if rnd.random() > 0.03 else 2, 4, cats,
                                        values, None, [], True, _ean(rnd), created, updated, more_names))
                pid += 1
            style += 1
        # ~2 % of the sellable SKUs (at least one) exist only in Magento
        sellable = [p for p in products if p.sellable]
        for p in rnd.sample(sellable, k=max(1, round(len(sellable) * 0.02))) if sellable else []:
            p.in_plenty = False
        return products

    # --- people and sales ----------------------------------------------------------------------------------
    def _address(self, rnd: random.Random, aid: int, store: Store, first: str, last: str,
                 abroad: str | None = None, company: str | None = None) -> Address:
        """An address in one of the store's countries, or in `abroad` (see `sandbox.geo.ABROAD`). Street lines
        as shops have them: "Hauptstraße 12a" (German-speaking countries: house numbers with letters and
        ranges, additional lines such as "2. OG" or "c/o"), "12 High Street" where the number comes first."""
        country = abroad or rnd.choice(store.countries)
        if abroad:
            city, postcode, region, street_name, prefix = ABROAD[abroad]
        else:
            city, postcode, region = rnd.choice(_CITIES[country])
            street_name, prefix = rnd.choice(_STREETS[country]), _PHONE_PREFIX[country]
        number = str(rnd.randint(1, 180))
        if country in ("DE", "AT", "CH"):
            number = rnd.choice((number, number, f"{number}a", f"{number}-{int(number) + 2}", f"{number} b"))
        street = f"{number} {street_name}" if country in NUMBER_FIRST else f"{street_name} {number}"
        extra = _EXTRA_LINES.get(country, _EXTRA_LINES["*"])
        lines = [street] if rnd.random() < (0.6 if country in ("DE", "AT") else 0.8) else [street, rnd.choice(extra)]
        phone = f"{prefix} {rnd.randint(1000000, 9999999)}"
        if company is None:
            company = rnd.choice([None, None, None, "Müller & Söhne GmbH", "Café Lumière SARL", "O'Neill Ltd"])
        return Address(aid, first, last, lines, city, postcode, country, region, phone, company or None)

    def customers(self, count: int) -> list[Customer]:
        rnd = self.rnd("customers")
        out: list[Customer] = []
        address_id = 1
        for cid in range(1, count + 1):
            store = STORES[0] if (r := rnd.random()) < 0.5 else (STORES[1] if r < 0.8 else STORES[2])
            first, last = rnd.choice(_FIRST[store.locale]), rnd.choice(_LAST[store.locale])
            email = f"{ascii_fold(first)}.{ascii_fold(last)}.{cid}@example.{_TLD[store.locale]}"
            addresses = []
            # every tenth customer is a company; every seventh address is abroad, the countries in turn
            company = _COMPANIES[cid % len(_COMPANIES)] if cid % 10 == 7 else ""
            for n in range(rnd.choice((1, 1, 1, 2))):
                abroad = _ABROAD_ORDER[(address_id // 7) % len(_ABROAD_ORDER)] if address_id % 7 == 3 else None
                addr = self._address(rnd, address_id, store, first, last, abroad, company or None)
                addr.default_billing = n == 0
                addr.default_shipping = n == 0
                addresses.append(addr)
                address_id += 1
            dob = None if rnd.random() < 0.4 else f"{rnd.randint(1950, 2004)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            created, updated = self._times(rnd)
            out.append(Customer(cid, email, first, last, store, rnd.choice((0, 1, 2)), dob,
                                1 if rnd.random() < 0.9 else 2, addresses, created, updated,
                                f"{addresses[0].country_id}{100000000 + cid * 7919 % 900000000}" if company else None))
        return out

    def orders(self, count: int, customers: list[Customer], products: list[Product]) -> list[Order]:
        rnd = self.rnd("orders")
        extra = self.rnd("orders:cases")  # its own stream: the cases below leave the orders' other choices alone
        sellable = [p for p in products if p.sellable and p.status == 1] or [p for p in products if p.sellable]
        by_id = {p.id: p for p in products}
        out: list[Order] = []
        item_id = 1
        guest_address_id = 1_000_000
        for oid in range(1, count + 1):
            customer = rnd.choice(customers) if customers and rnd.random() < 0.9 else None
            store = customer.store if customer else rnd.choice(STORES)
            if customer:
                first, last, email = customer.firstname, customer.lastname, customer.email
                billing = customer.addresses[0]
                shipping = customer.addresses[-1]
            else:
                first, last = rnd.choice(_FIRST[store.locale]), rnd.choice(_LAST[store.locale])
                email = f"{ascii_fold(first)}.{ascii_fold(last)}.guest{oid}@example.{_TLD[store.locale]}"
                billing = shipping = self._address(rnd, guest_address_id, store, first, last)
                guest_address_id += 1
            currency = extra.choices([c for c, _ in store.currencies], [w for _, w in store.currencies])[0]
            rate = RATES[currency]
            # every fifth order has a cart rule: a coupon or an automatic one, in turn
            rule = CART_RULES[(oid // 5) % len(CART_RULES)] if oid % 5 == 2 else None
            percent = rule[2] if rule else 0.0
            picked = []
            for product in rnd.sample(sellable, k=min(len(sellable), rnd.choice((1, 1, 2, 2, 3, 4)))) if sellable else []:
                picked.append((product, rnd.choice((1, 1, 1, 2, 3))))
            items = []
            for product, qty in picked:
                parent = by_id.get(product.parent_id) if product.parent_id else None
                items.append(OrderItem(item_id, product.id, product.sku, product.names[store.locale], qty,
                                       store.tax_percent, parent.sku if parent else None,
                                       row(product.price, qty, store.tax_percent, store.tax, percent, rate)))
                item_id += 1
            subtotal = cents(sum(i.money.row_total for i in items))
            base_subtotal = sum(p.price * q for p, q in picked)
            shipping_amount = 0.0 if base_subtotal >= 100 else cents(4.95 * rate)
            shipping_tax = cents(shipping_amount * store.tax_percent / 100)
            discount = cents(sum(i.money.discount_amount for i in items))
            compensation = cents(sum(i.money.discount_tax_compensation_amount for i in items))
            tax = cents(sum(i.money.tax_amount for i in items) + shipping_tax)
            created = float(int(self.anchor - rnd.uniform(0.01, HISTORY_DAYS) * DAY))
            status = rnd.choices(["pending", "processing", "complete", "canceled", "closed"],
                                 weights=[15, 30, 45, 5, 5])[0]
            updated = float(int(min(created + rnd.uniform(0, 10) * DAY, self.anchor - 60)))
            if status in ("complete", "closed"):
                for item in items:
                    item.qty_shipped = item.qty
            elif status == "processing" and (case := extra.random()) < 0.1:
                status = "holded"  # on hold: paid, waiting for the merchant
            elif status == "processing" and case < 0.4 and (len(items) > 1 or items and items[0].qty > 1):
                items[0].qty_shipped = 1 if len(items) == 1 else items[0].qty  # partially shipped
            out.append(Order(oid, f"{store.id}{oid:08d}", store, customer.id if customer else None, email, first,
                             last, billing, shipping, items, status,
                             rnd.choice(["checkmo", "banktransfer", "cashondelivery", "free"]),
                             rnd.choice(["flatrate_flatrate", "tablerate_bestway"]), shipping_amount, subtotal, tax,
                             cents(subtotal + shipping_amount + tax + compensation - discount), created,
                             max(updated, created), currency, rate, rule[0] if rule else None,
                             rule[1] if rule else None, discount, compensation, shipping_tax))
        return out

    def invoices_and_creditmemos(self, orders: list[Order]) -> tuple[list[Invoice], list[CreditMemo]]:
        rnd = self.rnd("invoices")
        invoices: list[Invoice] = []
        memos: list[CreditMemo] = []
        for order in orders:
            if order.status not in ("processing", "complete", "closed", "holded") or not order.items:
                continue
            created = min(order.created_at + rnd.uniform(0, 2) * DAY, order.updated_at)
            invoice = Invoice(len(invoices) + 1, f"{order.store.id}{len(invoices) + 1:08d}", order.id, order.items,
                              order.subtotal, order.tax_amount, order.shipping_amount, order.grand_total, 2,
                              float(int(created)), order.updated_at, order.discount_amount,
                              order.discount_tax_compensation_amount)
            invoices.append(invoice)
            if order.status == "closed" or (rnd.random() < 0.03 and order.status != "holded"):
                refunded = order.items[: max(1, len(order.items) // 2)] if order.status != "closed" else order.items
                subtotal = cents(sum(i.money.row_total for i in refunded))
                shipping = order.shipping_amount if order.status == "closed" else 0.0
                shipping_tax = order.shipping_tax_amount if order.status == "closed" else 0.0
                tax = cents(sum(i.money.tax_amount for i in refunded) + shipping_tax)
                discount = cents(sum(i.money.discount_amount for i in refunded))
                compensation = cents(sum(i.money.discount_tax_compensation_amount for i in refunded))
                memos.append(CreditMemo(len(memos) + 1, f"{order.store.id}{len(memos) + 1:08d}", order.id, invoice.id,
                                        refunded, subtotal, tax, shipping, 0.0,
                                        cents(subtotal + shipping + tax + compensation - discount),
                                        order.updated_at, order.updated_at, discount, compensation))
        return invoices, memos

    def stock(self, products: list[Product]) -> list[StockLevel]:
        rnd = self.rnd("stock")
        out = []
        for product in products:
            if not product.sellable:
                continue
            for warehouse in WAREHOUSES:
                qty = 0 if rnd.random() < 0.08 else rnd.randint(1, 500)
                out.append(StockLevel(product.sku, product.id, warehouse, qty,
                                      float(int(self.anchor - rnd.uniform(0, HISTORY_DAYS) * DAY))))
        return out


def _ean(rnd: random.Random) -> str:
    """A valid EAN-13 (check digit computed)."""
    digits = [4, 0] + [rnd.randint(0, 9) for _ in range(10)]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return "".join(map(str, digits)) + str(check)
