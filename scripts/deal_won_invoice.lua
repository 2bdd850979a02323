-- name: deal-won-invoice
-- trigger: deal.won
-- run_as: admin
--
-- When a deal is won: create the invoice for its amount and thank the customer.
-- The deals and billing plugins publish and offer the names below; they are settings
-- here so the script follows those plugins without edits. Without billing enabled the
-- run logs why and does nothing.

local SETTINGS = {
  create_invoice = "billing.invoices.create",  -- crm.<name>{contact_id, currency, lines}
  due_in_days = 14,
}

local function fn(path)
  local f = crm
  for part in path:gmatch("[^.]+") do
    if type(f) ~= "table" then return nil end
    f = f[part]
  end
  return type(f) == "function" and f or nil
end

local deal = event.record or event.deal or event
if not deal or not deal.amount then
  crm.log("warn", "deal.won without an amount: nothing to invoice")
  return
end

local create = fn(SETTINGS.create_invoice)
if not create then
  crm.log("warn", "crm." .. SETTINGS.create_invoice .. " is not available: is billing enabled?")
  return
end

-- Billing invoices a customer: a deal without a contact has nobody to bill.
if not deal.contact_id then
  crm.log("warn", "deal " .. tostring(deal.id) .. " has no contact: nothing to invoice")
  return
end

local invoice, err = create({
  customer_id = deal.contact_id,
  currency = deal.currency or "EUR",
  due_date = os.date("!%Y-%m-%d", os.time() + SETTINGS.due_in_days * 86400),
  lines = { { description = deal.title or ("Deal " .. tostring(deal.id)), quantity = 1, unit_price = deal.amount } },
})
if not invoice then error("invoice for deal " .. tostring(deal.id) .. " failed: " .. tostring(err)) end
crm.log("info", "invoice " .. tostring(invoice.id) .. " for deal " .. tostring(deal.id))

local contact = deal.contact_id and crm.contacts.get(deal.contact_id)
if contact and contact.email then
  crm.email.send({ to = contact.email, subject = "Thank you for your order", template = "deal_won",
                   data = { deal = deal.title, invoice = invoice.id } })
end
