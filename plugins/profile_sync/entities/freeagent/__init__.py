"""The FreeAgent types: contacts both ways, invoices and credit notes from Magento, and what they share
(contact fields, the directory, the invoice/credit-note document writer)."""
