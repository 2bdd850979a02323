-- The part of a credit note that gives back money already collected (credit beyond what
-- was still due on the invoice): the revenue report subtracts it in the note's month.
ALTER TABLE billing_invoices ADD COLUMN amount_refunded BIGINT NOT NULL DEFAULT 0;
