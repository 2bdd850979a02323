-- name: web-form-round-robin
-- trigger: before:contact.create
-- run_as: member
--
-- Leads from the web form (tagged "web-form") are assigned to the sales team in turn:
-- the owner after the owner of the most recent web-form lead. Edit SALES_TEAM.

local SALES_TEAM = { "usr_alice", "usr_bruno", "usr_chen" }

local r = event.record
local from_form = false
for _, t in ipairs(r.tags or {}) do from_form = from_form or t == "web-form" end
if not from_form or r.owner_id then return end

local last = crm.contacts.find({ tags = { contains = "web-form" }, sort = "-created_at", limit = 1 })
local next_index = 1
if last and last[1] and last[1].owner_id then
  for i, owner in ipairs(SALES_TEAM) do
    if owner == last[1].owner_id then next_index = i % #SALES_TEAM + 1 end
  end
end
r.owner_id = SALES_TEAM[next_index]
crm.log("info", "web-form lead assigned to " .. r.owner_id)
