-- name: contacts-welcome-drip
-- trigger: contact.created
-- run_as: member
--
-- A two-step welcome sequence: a welcome e-mail right away, a follow-up three days
-- later unless the contact has been tagged "unsubscribed" meanwhile.

local FOLLOW_UP_AFTER = 3 * 24 * 3600

function follow_up(p)
  local c = crm.contacts.get(p.contact_id)
  if not c or not c.email then return end
  for _, t in ipairs(c.tags or {}) do
    if t == "unsubscribed" then
      crm.log("info", "no follow-up: " .. c.id .. " unsubscribed")
      return
    end
  end
  crm.email.send({ to = c.email, subject = "How is it going, " .. c.name .. "?", template = "welcome_follow_up",
                   data = { name = c.name } })
end

if event.name == "contact.created" then
  local c = event.record
  if not c.email then
    crm.log("info", "no e-mail address, no welcome for " .. c.id)
    return
  end
  crm.email.send({ to = c.email, subject = "Welcome, " .. c.name, template = "welcome", data = { name = c.name } })
  crm.schedule(FOLLOW_UP_AFTER, "follow_up", { contact_id = c.id })
end
