"""The twelve PlentyONE types (customer, product, category, attribute, order and stock, each way) and what they
share: addresses, countries, variation numbers, order money, the bounded list walk."""
