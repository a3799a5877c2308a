"""Countries and regions shared by the emulators: the ISO list, Magento's directory regions, seed places.

- `COUNTRIES`: every country of Magento 2.4.8's directory (``InitializeDirectoryData`` plus the later
  ``AddCountriesCaribbeanCuracaoKosovoSintMaarten``), ISO alpha-2, alpha-3 and English name. PlentyONE's
  country list (`sandbox.plenty.countries`) holds the same countries.
- `MAGENTO_REGIONS`: the regions (``directory_country_region``) the sandbox ships, with Magento's region ids
  where they are known (US 1-65, CA 66-78, DE 79-94, AT 95-103, CH 104-129: the insertion order of
  ``InitializeDirectoryData``) and ids from 1000 on for the rest. Lists marked abridged hold only some regions.
- `REGION_REQUIRED`: Magento sets ``general/region/state_required`` to every country that has regions
  (``DatInstaller::addCountryRegions`` after each ``AddDataFor<Country>`` patch), so by default a region is
  required wherever the directory has regions. Countries in `REGION_REQUIRED` without a shipped list are
  modelled as "region text required" (Magento would want a region id from its list: not modelled).
- `OPTIONAL_ZIP`: ``general/country/optional_zip_countries`` (HK, IE, MO, PA, GB).
"""

from __future__ import annotations

COUNTRIES: tuple[tuple[str, str, str], ...] = (
    ("AD", "AND", "Andorra"),
    ("AE", "ARE", "United Arab Emirates"),
    ("AF", "AFG", "Afghanistan"),
    ("AG", "ATG", "Antigua & Barbuda"),
    ("AI", "AIA", "Anguilla"),
    ("AL", "ALB", "Albania"),
    ("AM", "ARM", "Armenia"),
    ("AN", "ANT", "Netherlands Antilles"),
    ("AO", "AGO", "Angola"),
    ("AQ", "ATA", "Antarctica"),
    ("AR", "ARG", "Argentina"),
    ("AS", "ASM", "American Samoa"),
    ("AT", "AUT", "Austria"),
    ("AU", "AUS", "Australia"),
    ("AW", "ABW", "Aruba"),
    ("AX", "ALA", "Åland Islands"),
    ("AZ", "AZE", "Azerbaijan"),
    ("BA", "BIH", "Bosnia & Herzegovina"),
    ("BB", "BRB", "Barbados"),
    ("BD", "BGD", "Bangladesh"),
    ("BE", "BEL", "Belgium"),
    ("BF", "BFA", "Burkina Faso"),
    ("BG", "BGR", "Bulgaria"),
    ("BH", "BHR", "Bahrain"),
    ("BI", "BDI", "Burundi"),
    ("BJ", "BEN", "Benin"),
    ("BL", "BLM", "St. Barthélemy"),
    ("BM", "BMU", "Bermuda"),
    ("BN", "BRN", "Brunei"),
    ("BO", "BOL", "Bolivia"),
    ("BR", "BRA", "Brazil"),
    ("BS", "BHS", "Bahamas"),
    ("BT", "BTN", "Bhutan"),
    ("BV", "BVT", "Bouvet Island"),
    ("BW", "BWA", "Botswana"),
    ("BY", "BLR", "Belarus"),
    ("BZ", "BLZ", "Belize"),
    ("CA", "CAN", "Canada"),
    ("CC", "CCK", "Cocos (Keeling) Islands"),
    ("CD", "COD", "Congo - Kinshasa"),
    ("CF", "CAF", "Central African Republic"),
    ("CG", "COG", "Congo - Brazzaville"),
    ("CH", "CHE", "Switzerland"),
    ("CI", "CIV", "Côte d’Ivoire"),
    ("CK", "COK", "Cook Islands"),
    ("CL", "CHL", "Chile"),
    ("CM", "CMR", "Cameroon"),
    ("CN", "CHN", "China"),
    ("CO", "COL", "Colombia"),
    ("CR", "CRI", "Costa Rica"),
    ("CU", "CUB", "Cuba"),
    ("CV", "CPV", "Cape Verde"),
    ("CX", "CXR", "Christmas Island"),
    ("CY", "CYP", "Cyprus"),
    ("CZ", "CZE", "Czechia"),
    ("DE", "DEU", "Germany"),
    ("DJ", "DJI", "Djibouti"),
    ("DK", "DNK", "Denmark"),
    ("DM", "DMA", "Dominica"),
    ("DO", "DOM", "Dominican Republic"),
    ("DZ", "DZA", "Algeria"),
    ("EC", "ECU", "Ecuador"),
    ("EE", "EST", "Estonia"),
    ("EG", "EGY", "Egypt"),
    ("EH", "ESH", "Western Sahara"),
    ("ER", "ERI", "Eritrea"),
    ("ES", "ESP", "Spain"),
    ("ET", "ETH", "Ethiopia"),
    ("FI", "FIN", "Finland"),
    ("FJ", "FJI", "Fiji"),
    ("FK", "FLK", "Falkland Islands"),
    ("FM", "FSM", "Micronesia"),
    ("FO", "FRO", "Faroe Islands"),
    ("FR", "FRA", "France"),
    ("GA", "GAB", "Gabon"),
    ("GB", "GBR", "United Kingdom"),
    ("GD", "GRD", "Grenada"),
    ("GE", "GEO", "Georgia"),
    ("GF", "GUF", "French Guiana"),
    ("GG", "GGY", "Guernsey"),
    ("GH", "GHA", "Ghana"),
    ("GI", "GIB", "Gibraltar"),
    ("GL", "GRL", "Greenland"),
    ("GM", "GMB", "Gambia"),
    ("GN", "GIN", "Guinea"),
    ("GP", "GLP", "Guadeloupe"),
    ("GQ", "GNQ", "Equatorial Guinea"),
    ("GR", "GRC", "Greece"),
    ("GS", "SGS", "South Georgia & South Sandwich Islands"),
    ("GT", "GTM", "Guatemala"),
    ("GU", "GUM", "Guam"),
    ("GW", "GNB", "Guinea-Bissau"),
    ("GY", "GUY", "Guyana"),
    ("HK", "HKG", "Hong Kong SAR China"),
    ("HM", "HMD", "Heard & McDonald Islands"),
    ("HN", "HND", "Honduras"),
    ("HR", "HRV", "Croatia"),
    ("HT", "HTI", "Haiti"),
    ("HU", "HUN", "Hungary"),
    ("ID", "IDN", "Indonesia"),
    ("IE", "IRL", "Ireland"),
    ("IL", "ISR", "Israel"),
    ("IM", "IMN", "Isle of Man"),
    ("IN", "IND", "India"),
    ("IO", "IOT", "British Indian Ocean Territory"),
    ("IQ", "IRQ", "Iraq"),
    ("IR", "IRN", "Iran"),
    ("IS", "ISL", "Iceland"),
    ("IT", "ITA", "Italy"),
    ("JE", "JEY", "Jersey"),
    ("JM", "JAM", "Jamaica"),
    ("JO", "JOR", "Jordan"),
    ("JP", "JPN", "Japan"),
    ("KE", "KEN", "Kenya"),
    ("KG", "KGZ", "Kyrgyzstan"),
    ("KH", "KHM", "Cambodia"),
    ("KI", "KIR", "Kiribati"),
    ("KM", "COM", "Comoros"),
    ("KN", "KNA", "St. Kitts & Nevis"),
    ("KP", "PRK", "North Korea"),
    ("KR", "KOR", "South Korea"),
    ("KW", "KWT", "Kuwait"),
    ("KY", "CYM", "Cayman Islands"),
    ("KZ", "KAZ", "Kazakhstan"),
    ("LA", "LAO", "Laos"),
    ("LB", "LBN", "Lebanon"),
    ("LC", "LCA", "St. Lucia"),
    ("LI", "LIE", "Liechtenstein"),
    ("LK", "LKA", "Sri Lanka"),
    ("LR", "LBR", "Liberia"),
    ("LS", "LSO", "Lesotho"),
    ("LT", "LTU", "Lithuania"),
    ("LU", "LUX", "Luxembourg"),
    ("LV", "LVA", "Latvia"),
    ("LY", "LBY", "Libya"),
    ("MA", "MAR", "Morocco"),
    ("MC", "MCO", "Monaco"),
    ("MD", "MDA", "Moldova"),
    ("ME", "MNE", "Montenegro"),
    ("MF", "MAF", "St. Martin"),
    ("MG", "MDG", "Madagascar"),
    ("MH", "MHL", "Marshall Islands"),
    ("MK", "MKD", "North Macedonia"),
    ("ML", "MLI", "Mali"),
    ("MM", "MMR", "Myanmar (Burma)"),
    ("MN", "MNG", "Mongolia"),
    ("MO", "MAC", "Macao SAR China"),
    ("MP", "MNP", "Northern Mariana Islands"),
    ("MQ", "MTQ", "Martinique"),
    ("MR", "MRT", "Mauritania"),
    ("MS", "MSR", "Montserrat"),
    ("MT", "MLT", "Malta"),
    ("MU", "MUS", "Mauritius"),
    ("MV", "MDV", "Maldives"),
    ("MW", "MWI", "Malawi"),
    ("MX", "MEX", "Mexico"),
    ("MY", "MYS", "Malaysia"),
    ("MZ", "MOZ", "Mozambique"),
    ("NA", "NAM", "Namibia"),
    ("NC", "NCL", "New Caledonia"),
    ("NE", "NER", "Niger"),
    ("NF", "NFK", "Norfolk Island"),
    ("NG", "NGA", "Nigeria"),
    ("NI", "NIC", "Nicaragua"),
    ("NL", "NLD", "Netherlands"),
    ("NO", "NOR", "Norway"),
    ("NP", "NPL", "Nepal"),
    ("NR", "NRU", "Nauru"),
    ("NU", "NIU", "Niue"),
    ("NZ", "NZL", "New Zealand"),
    ("OM", "OMN", "Oman"),
    ("PA", "PAN", "Panama"),
    ("PE", "PER", "Peru"),
    ("PF", "PYF", "French Polynesia"),
    ("PG", "PNG", "Papua New Guinea"),
    ("PH", "PHL", "Philippines"),
    ("PK", "PAK", "Pakistan"),
    ("PL", "POL", "Poland"),
    ("PM", "SPM", "St. Pierre & Miquelon"),
    ("PN", "PCN", "Pitcairn Islands"),
    ("PS", "PSE", "Palestinian Territories"),
    ("PT", "PRT", "Portugal"),
    ("PW", "PLW", "Palau"),
    ("PY", "PRY", "Paraguay"),
    ("QA", "QAT", "Qatar"),
    ("RE", "REU", "Réunion"),
    ("RO", "ROU", "Romania"),
    ("RS", "SRB", "Serbia"),
    ("RU", "RUS", "Russia"),
    ("RW", "RWA", "Rwanda"),
    ("SA", "SAU", "Saudi Arabia"),
    ("SB", "SLB", "Solomon Islands"),
    ("SC", "SYC", "Seychelles"),
    ("SD", "SDN", "Sudan"),
    ("SE", "SWE", "Sweden"),
    ("SG", "SGP", "Singapore"),
    ("SH", "SHN", "St. Helena"),
    ("SI", "SVN", "Slovenia"),
    ("SJ", "SJM", "Svalbard & Jan Mayen"),
    ("SK", "SVK", "Slovakia"),
    ("SL", "SLE", "Sierra Leone"),
    ("SM", "SMR", "San Marino"),
    ("SN", "SEN", "Senegal"),
    ("SO", "SOM", "Somalia"),
    ("SR", "SUR", "Suriname"),
    ("ST", "STP", "São Tomé & Príncipe"),
    ("SV", "SLV", "El Salvador"),
    ("SY", "SYR", "Syria"),
    ("SZ", "SWZ", "Eswatini"),
    ("TC", "TCA", "Turks & Caicos Islands"),
    ("TD", "TCD", "Chad"),
    ("TF", "ATF", "French Southern Territories"),
    ("TG", "TGO", "Togo"),
    ("TH", "THA", "Thailand"),
    ("TJ", "TJK", "Tajikistan"),
    ("TK", "TKL", "Tokelau"),
    ("TL", "TLS", "Timor-Leste"),
    ("TM", "TKM", "Turkmenistan"),
    ("TN", "TUN", "Tunisia"),
    ("TO", "TON", "Tonga"),
    ("TR", "TUR", "Türkiye"),
    ("TT", "TTO", "Trinidad & Tobago"),
    ("TV", "TUV", "Tuvalu"),
    ("TW", "TWN", "Taiwan"),
    ("TZ", "TZA", "Tanzania"),
    ("UA", "UKR", "Ukraine"),
    ("UG", "UGA", "Uganda"),
    ("UM", "UMI", "U.S. Outlying Islands"),
    ("US", "USA", "United States"),
    ("UY", "URY", "Uruguay"),
    ("UZ", "UZB", "Uzbekistan"),
    ("VA", "VAT", "Vatican City"),
    ("VC", "VCT", "St. Vincent & Grenadines"),
    ("VE", "VEN", "Venezuela"),
    ("VG", "VGB", "British Virgin Islands"),
    ("VI", "VIR", "U.S. Virgin Islands"),
    ("VN", "VNM", "Vietnam"),
    ("VU", "VUT", "Vanuatu"),
    ("WF", "WLF", "Wallis & Futuna"),
    ("WS", "WSM", "Samoa"),
    ("YE", "YEM", "Yemen"),
    ("YT", "MYT", "Mayotte"),
    ("ZA", "ZAF", "South Africa"),
    ("ZM", "ZMB", "Zambia"),
    ("ZW", "ZWE", "Zimbabwe"),
    ("CW", "CUW", "Curaçao"),
    ("XK", "XKX", "Kosovo"),
    ("SX", "SXM", "Sint Maarten"),
    ("BQ", "BES", "Caribbean Netherlands"),
    ("SS", "SSD", "South Sudan"),
)
COUNTRY_NAMES = {iso2: name for iso2, _, name in COUNTRIES}
ISO3 = {iso2: iso3 for iso2, iso3, _ in COUNTRIES}

_US = ("AL Alabama|AK Alaska|AS American Samoa|AZ Arizona|AR Arkansas|AE Armed Forces Africa|"
       "AA Armed Forces Americas|AE Armed Forces Canada|AE Armed Forces Europe|AE Armed Forces Middle East|"
       "AP Armed Forces Pacific|CA California|CO Colorado|CT Connecticut|DE Delaware|DC District of Columbia|"
       "FM Federated States Of Micronesia|FL Florida|GA Georgia|GU Guam|HI Hawaii|ID Idaho|IL Illinois|"
       "IN Indiana|IA Iowa|KS Kansas|KY Kentucky|LA Louisiana|ME Maine|MH Marshall Islands|MD Maryland|"
       "MA Massachusetts|MI Michigan|MN Minnesota|MS Mississippi|MO Missouri|MT Montana|NE Nebraska|NV Nevada|"
       "NH New Hampshire|NJ New Jersey|NM New Mexico|NY New York|NC North Carolina|ND North Dakota|"
       "MP Northern Mariana Islands|OH Ohio|OK Oklahoma|OR Oregon|PW Palau|PA Pennsylvania|PR Puerto Rico|"
       "RI Rhode Island|SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|UT Utah|VT Vermont|"
       "VI Virgin Islands|VA Virginia|WA Washington|WV West Virginia|WI Wisconsin|WY Wyoming")
_CA = ("AB Alberta|BC British Columbia|MB Manitoba|NL Newfoundland and Labrador|NB New Brunswick|NS Nova Scotia|"
       "NT Northwest Territories|NU Nunavut|ON Ontario|PE Prince Edward Island|QC Quebec|SK Saskatchewan|"
       "YT Yukon Territory")
_DE = ("DE-NI Niedersachsen|DE-BW Baden-Württemberg|DE-BY Bayern|DE-BE Berlin|DE-BB Brandenburg|DE-HB Bremen|"
       "DE-HH Hamburg|DE-HE Hessen|DE-MV Mecklenburg-Vorpommern|DE-NW Nordrhein-Westfalen|DE-RP Rheinland-Pfalz|"
       "DE-SL Saarland|DE-SN Sachsen|DE-ST Sachsen-Anhalt|DE-SH Schleswig-Holstein|DE-TH Thüringen")
_AT = ("AT-9 Wien|AT-3 Niederösterreich|AT-4 Oberösterreich|AT-5 Salzburg|AT-2 Kärnten|AT-6 Steiermark|"
       "AT-7 Tirol|AT-1 Burgenland|AT-8 Vorarlberg")
_CH = ("AG Aargau|AI Appenzell Innerrhoden|AR Appenzell Ausserrhoden|BE Bern|BL Basel-Landschaft|BS Basel-Stadt|"
       "FR Freiburg|GE Genf|GL Glarus|GR Graubünden|JU Jura|LU Luzern|NE Neuenburg|NW Nidwalden|OW Obwalden|"
       "SG St. Gallen|SH Schaffhausen|SO Solothurn|SZ Schwyz|TG Thurgau|TI Tessin|UR Uri|VD Waadt|VS Wallis|"
       "ZG Zug|ZH Zürich")
_AU = ("ACT Australian Capital Territory|NSW New South Wales|VIC Victoria|QLD Queensland|SA South Australia|"
       "TAS Tasmania|WA Western Australia|NT Northern Territory")
# abridged: the regions the seed uses, and a few more
_ABRIDGED = {
    "FR": "75 Paris|45 Loiret|25 Doubs|30 Gard|69 Rhône|13 Bouches-du-Rhône|33 Gironde",
    "BE": "BE-WLG Liège|BE-BRU Bruxelles-Capitale|BE-VAN Antwerpen|BE-VOV Oost-Vlaanderen",
    "IE": "IE-D Dublin|IE-CO Cork|IE-G Galway|IE-L Limerick",
    "IT": "RM Roma|MI Milano|NA Napoli|TO Torino|FI Firenze",
    "ES": "Madrid Madrid|Barcelona Barcelona|Valencia Valencia|Sevilla Sevilla",
    "PL": "PL-14 mazowieckie|PL-12 małopolskie|PL-02 dolnośląskie|PL-30 wielkopolskie",
    "PT": "PT-11 Lisboa|PT-13 Porto|PT-08 Faro",
    "SE": "SE-AB Stockholms län|SE-O Västra Götalands län|SE-M Skåne län",
    "CZ": "CZ-10 Praha, Hlavní město|CZ-64 Jihomoravský kraj",
    "DK": "DK-84 Region Hovedstaden|DK-82 Region Midtjylland",
    "EE": "EE-37 Harjumaa|EE-79 Tartumaa",
    "LV": "LV-RIX Rīga|LV-DGV Daugavpils",
    "LT": "LT-VL Vilniaus Apskritis|LT-KU Kauno Apskritis",
    "FI": "FI-18 Uusimaa|FI-11 Pirkanmaa",
    "RO": "RO-B București|RO-CJ Cluj",
    "BG": "BG-22 Sofia|BG-16 Plovdiv",
    "HR": "HR-21 Grad Zagreb|HR-17 Splitsko-dalmatinska županija",
    "GR": "GR-I Attiki|GR-B Kentriki Makedonia",
}


def _parse(spec: str) -> list[tuple[str, str]]:
    return [tuple(part.split(" ", 1)) for part in spec.split("|")]  # type: ignore[misc]


def _regions() -> dict[str, list[tuple[int, str, str]]]:
    out: dict[str, list[tuple[int, str, str]]] = {}
    next_id = 1
    for country, spec in (("US", _US), ("CA", _CA), ("DE", _DE), ("AT", _AT), ("CH", _CH)):
        out[country] = []
        for code, name in _parse(spec):
            out[country].append((next_id, code, name))
            next_id += 1
    next_id = 1000
    for country, spec in (("AU", _AU), *_ABRIDGED.items()):
        out[country] = []
        for code, name in _parse(spec):
            out[country].append((next_id, code, name))
            next_id += 1
    return out


MAGENTO_REGIONS: dict[str, list[tuple[int, str, str]]] = _regions()  # country -> [(region_id, code, name)]
ABRIDGED = frozenset(_ABRIDGED)
# countries with regions in Magento 2.4.8's directory (its data patches): a region is required for each
_REGIONS_NOT_SHIPPED = ("AL", "AR", "BO", "BR", "BY", "CL", "CN", "CO", "CR", "EC", "GY", "IN", "IS", "MX", "PE", "PY",
                        "SA", "SR", "UA", "UY", "VE")
REGION_REQUIRED = frozenset(MAGENTO_REGIONS) | frozenset(_REGIONS_NOT_SHIPPED)
OPTIONAL_ZIP = frozenset({"HK", "IE", "MO", "PA", "GB"})


def region_by_name(country: str, name: str) -> tuple[int, str, str] | None:
    """The directory region of `country` called `name` (or with that code), else None."""
    wanted = name.strip().lower()
    return next((r for r in MAGENTO_REGIONS.get(country, ()) if wanted in (r[1].lower(), r[2].lower())), None)

# Seed addresses abroad (customers of every store live there too): country -> (city, postcode, region (the
# directory's name where Magento has regions, else the usual free text or ""), street, phone prefix).
# Every EU country, the UK, CH, NO, US, CA, AU and JP.
ABROAD: dict[str, tuple[str, str, str, str, str]] = {
    "AT": ("Salzburg", "5020", "Salzburg", "Getreidegasse", "+43 662"),
    "BE": ("Antwerpen", "2000", "Antwerpen", "Meir", "+32 3"),
    "BG": ("Sofia", "1000", "Sofia", "Vitosha Blvd", "+359 2"),
    "HR": ("Zagreb", "10000", "Grad Zagreb", "Ilica", "+385 1"),
    "CY": ("Nicosia", "1010", "", "Ledra Street", "+357 22"),
    "CZ": ("Praha", "110 00", "Praha, Hlavní město", "Národní", "+420 2"),
    "DK": ("København", "1050", "Region Hovedstaden", "Strøget", "+45 33"),
    "EE": ("Tallinn", "10111", "Harjumaa", "Viru", "+372 6"),
    "FI": ("Helsinki", "00100", "Uusimaa", "Mannerheimintie", "+358 9"),
    "FR": ("Lyon", "69001", "Rhône", "Rue de la République", "+33 4"),
    "DE": ("Hamburg", "20095", "Hamburg", "Mönckebergstraße", "+49 40"),
    "GR": ("Athína", "105 57", "Attiki", "Ermou", "+30 21"),
    "HU": ("Budapest", "1051", "", "Váci utca", "+36 1"),
    "IE": ("Galway", "H91 X2YZ", "Galway", "Shop Street", "+353 91"),
    "IT": ("Milano", "20121", "Milano", "Via Montenapoleone", "+39 02"),
    "LV": ("Rīga", "LV-1050", "Rīga", "Brīvības iela", "+371 67"),
    "LT": ("Vilnius", "01103", "Vilniaus Apskritis", "Gedimino pr.", "+370 5"),
    "LU": ("Luxembourg", "L-1660", "", "Grand-Rue", "+352 2"),
    "MT": ("Valletta", "VLT 1010", "", "Republic Street", "+356 21"),
    "NL": ("Amsterdam", "1012 JS", "", "Kalverstraat", "+31 20"),
    "PL": ("Warszawa", "00-001", "mazowieckie", "ul. Nowy Świat", "+48 22"),
    "PT": ("Lisboa", "1100-148", "Lisboa", "Rua Augusta", "+351 21"),
    "RO": ("București", "010011", "București", "Calea Victoriei", "+40 21"),
    "SK": ("Bratislava", "811 01", "", "Obchodná", "+421 2"),
    "SI": ("Ljubljana", "1000", "", "Čopova ulica", "+386 1"),
    "ES": ("Madrid", "28013", "Madrid", "Calle Mayor", "+34 91"),
    "SE": ("Stockholm", "111 52", "Stockholms län", "Drottninggatan", "+46 8"),
    "GB": ("Edinburgh", "EH1 1YZ", "Scotland", "Princes Street", "+44 131"),
    "CH": ("Zürich", "8001", "Zürich", "Bahnhofstrasse", "+41 44"),
    "NO": ("Oslo", "0154", "", "Karl Johans gate", "+47 22"),
    "US": ("New York", "10001", "New York", "Fifth Avenue", "+1 212"),
    "CA": ("Montréal", "H2Y 1C6", "Quebec", "Rue Sainte-Catherine", "+1 514"),
    "AU": ("Sydney", "2000", "New South Wales", "George Street", "+61 2"),
    "JP": ("Tōkyō", "100-0005", "", "Marunouchi", "+81 3"),
}
