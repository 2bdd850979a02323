-- name: contacts-normalise
-- trigger: before:contact.create
-- run_as: member
--
-- Before a contact is stored: tidy the name and e-mail, tag free-mail addresses, and
-- refuse contacts that cannot be reached at all. Push it a second time with
-- --trigger before:contact.update --name contacts-normalise-updates to cover edits.

local r = event.record

if r.name then
  r.name = r.name:gsub("^%s+", ""):gsub("%s+$", ""):gsub("%s+", " ")
end

if r.email then
  r.email = r.email:lower():gsub("%s", "")
end

if not r.email and not r.phone then
  crm.reject("a contact needs an e-mail address or a phone number")
end

local free_mail = { ["gmail.com"] = true, ["yahoo.com"] = true, ["outlook.com"] = true, ["hotmail.com"] = true }
local domain = r.email and r.email:match("@(.+)$")
if domain and free_mail[domain] then
  r.tags = r.tags or {}
  local seen = false
  for _, t in ipairs(r.tags) do seen = seen or t == "free-mail" end
  if not seen then table.insert(r.tags, "free-mail") end
end
