-- name: contacts-vip-alert
-- trigger: contact.updated:tags
-- run_as: readonly
--
-- When a contact becomes a VIP, tell the account team's chat over a webhook (the host
-- must be on the tenant's HTTP allowlist: PUT /api/v1/workflow-settings).

local WEBHOOK = "https://hooks.example.com/services/vip"

local function has_tag(tags, wanted)
  for _, t in ipairs(tags or {}) do if t == wanted then return true end end
  return false
end

function delivered(response)
  if not response.ok then
    crm.log("warn", "VIP alert for " .. (response.url or "?") .. " failed: " .. tostring(response.error))
  end
end

local change = event.changes and event.changes.tags
if change and has_tag(change.to, "vip") and not has_tag(change.from, "vip") then
  local ok, err = crm.http.request({
    method = "POST",
    url = WEBHOOK,
    body = { text = event.record.name .. " is now a VIP", contact_id = event.record.id },
    callback = "delivered",
  })
  if not ok then crm.log("warn", "cannot send the VIP alert: " .. err) end
end
