-- Line items of a deal (name, quantity, unit price in minor units, optional billing
-- product id), as a JSON array: the deal's amount is their sum when there are any.
-- Products are read through the billing.products service, never by joining billing's
-- tables, so there is no foreign key.
ALTER TABLE deals_deals ADD COLUMN line_items TEXT NOT NULL DEFAULT '[]';
