"""The shop side every profile reads or writes: Magento search filters, store views, its directory of countries
and regions, and the declared Magento source of a type. (Magento is not a profile system: this is not a third one
beside plenty/ and freeagent/.)"""
