-- name: invoice-overdue-block
-- trigger: invoice.overdue
-- run_as: admin
--
-- Billing's overdue job publishes invoice.overdue once a day for every open invoice past
-- its due date, with days_overdue. From 10 days on, the customer is blocked: the contact
-- gets the tag "blocked" (so people and other workflows see it) and an e-mail saying
-- why. A customer already blocked is left alone, so the mail goes out once.

local SETTINGS = {
  days_overdue = 10,
  tag = "blocked",
  template = "account_blocked_overdue",
}

local invoice = event.invoice or event.record
local days = event.days_overdue or (invoice and invoice.days_overdue) or 0
if not invoice or days < SETTINGS.days_overdue then return end

-- Billing customers are contacts or companies; only contacts are blocked here.
local contact = crm.contacts.get(invoice.customer_id)
if not contact then
  crm.log("info", "customer " .. tostring(invoice.customer_id) .. " is not a contact: nothing to block")
  return
end

local tags = {}
for _, t in ipairs(contact.tags or {}) do
  if t == SETTINGS.tag then
    crm.log("info", "contact " .. contact.id .. " is already blocked")
    return
  end
  tags[#tags + 1] = t
end
tags[#tags + 1] = SETTINGS.tag

local updated, err = crm.contacts.update(contact.id, { tags = tags })
if not updated then error("cannot block contact " .. contact.id .. ": " .. tostring(err)) end

local label = invoice.number or invoice.id
if contact.email then
  crm.email.send({ to = contact.email, subject = "Your account is on hold", template = SETTINGS.template,
                   data = { invoice = label, due_date = invoice.due_date, days_overdue = days,
                            amount_due = invoice.amount_due, currency = invoice.currency } })
end
crm.log("info", "blocked contact " .. contact.id .. ": invoice " .. label .. " is " .. days .. " days overdue")
