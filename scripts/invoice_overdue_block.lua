-- name: invoice-overdue-block
-- trigger: cron:0 8 * * *
-- run_as: admin
--
-- Every morning (tenant time zone): customers with an invoice 10 or more days overdue
-- are blocked and told why. The billing plugin's function names are settings; until
-- billing offers them the run logs that and does nothing.

local SETTINGS = {
  find_overdue = "billing.invoices.find",      -- crm.<name>{status = "overdue"} -> invoices
  block_customer = "billing.customers.block",  -- crm.<name>(contact_id, {reason = ...})
  days_overdue = 10,
}

local function fn(path)
  local f = crm
  for part in path:gmatch("[^.]+") do
    if type(f) ~= "table" then return nil end
    f = f[part]
  end
  return type(f) == "function" and f or nil
end

local find, block = fn(SETTINGS.find_overdue), fn(SETTINGS.block_customer)
if not find or not block then
  crm.log("warn", "billing functions are not available: is billing enabled?")
  return
end

local now = os.time()
local function days_since(iso)
  local y, m, d = iso:match("^(%d+)-(%d+)-(%d+)")
  if not y then return 0 end
  return math.floor((now - os.time({ year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 0 })) / 86400)
end

local invoices = find({ status = "overdue" }) or {}
local blocked = 0
for _, inv in ipairs(invoices) do
  if inv.due_date and days_since(inv.due_date) >= SETTINGS.days_overdue then
    local ok, err = block(inv.contact_id, { reason = "invoice " .. inv.id .. " overdue" })
    if ok then
      blocked = blocked + 1
      local c = crm.contacts.get(inv.contact_id)
      if c and c.email then
        crm.email.send({ to = c.email, subject = "Your account is on hold", template = "account_blocked_overdue",
                         data = { invoice = inv.id, due_date = inv.due_date } })
      end
    else
      crm.log("warn", "cannot block " .. tostring(inv.contact_id) .. ": " .. tostring(err))
    end
  end
end
crm.log("info", "blocked " .. blocked .. " customer(s)")
