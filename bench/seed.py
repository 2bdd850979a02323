#!/usr/bin/python3
"""Creates the benchmark's tenants and data through Tessera's real interfaces.

Tenants are created with the `tessera tenant create` CLI (the only way the product
offers), several at a time; contacts go in through the contacts plugin's CSV import
route (`POST /api/v1/contacts/import`), companies through `POST /api/v1/companies`,
so every row passes the same validation, duplicate guard and search folding as a
client's. Standard library only.

  seed.py tenants  --tessera BIN --prefix P --count N [--start K] [--parallel J] --out FILE
  seed.py contacts --port P --tenant SLUG [--token T] --count N [--companies M] --ids-out FILE
  seed.py spread   --port P --tenants-file FILE --count N [--parallel J]

`tenants` writes "slug[ token]" lines: when the CLI knows --admin-email (the auth
plugin), the token it prints is kept and later sent as `Authorization: Bearer`.
"""
import argparse
import concurrent.futures
import http.client
import json
import random
import re
import subprocess
import sys
import time
import unicodedata

FIRST = ["João", "Ana", "Łukasz", "Zoë", "Ada", "Grace", "Alan", "Chloé", "Barbara", "Donald",
         "Ken", "Dennis", "Margaret", "Linus", "Radia", "Leslie", "Hedy", "Søren", "Mónica", "René"]
LAST = ["Silva", "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Müller",
        "Thompson", "Ritchie", "Hamilton", "Perlman", "Lamport", "Gonçalves", "Łódzki", "Núñez",
        "Berners-Lee", "Lamarr"]
CITIES = ["Lisboa", "São Paulo", "Kraków", "Berlin", "Paris", "Zürich", "Austin", "Osaka"]
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises",
             "Cyberdyne", "Soylent", "Tyrell", "Vandelay Industries", "Ações Brasil"]
TAG_CHOICES = [(0.2, "vip"), (0.3, "lead"), (0.4, "customer")]
def ascii_fold(text):
    """An email-safe ASCII form of a name: 'João Łódzki' -> 'joaolodzki'."""
    text = unicodedata.normalize("NFKD", text.lower().replace("ł", "l").replace("ø", "o"))
    return "".join(c for c in text if c.isascii() and c.isalnum())


class Client:
    """One keep-alive connection to the host; raises on any unexpected status."""

    def __init__(self, port, tenant, token=None):
        self.port, self.tenant, self.token = port, tenant, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method, path, body=None, content_type="application/json", expect=(200, 201)):
        headers = {"X-Tenant": self.tenant, "Connection": "keep-alive"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        if body is not None:
            headers["Content-Type"] = content_type
            if isinstance(body, str):
                body = body.encode()
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status not in expect:
            raise RuntimeError(f"{method} {path} for {self.tenant}: {resp.status} {data[:400]!r}")
        return json.loads(data) if data and resp.getheader("Content-Type", "").startswith("application/json") else None


def csv_cell(text):
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text


def contact_rows(rng, start, count, company_ids, email_tag):
    """CSV rows (name, email, phone, company_id, tags, address.city) for contacts start..start+count-1."""
    rows = []
    for n in range(start, start + count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        tags = [t for p, t in TAG_CHOICES if rng.random() < p]
        company = rng.choice(company_ids) if company_ids and rng.random() < 0.7 else ""
        rows.append(",".join(csv_cell(c) for c in [
            f"{first} {last}",
            f"{ascii_fold(first)}.{ascii_fold(last)}.{email_tag}{n}@example.com",
            f"+1 555 {rng.randrange(10**7):07d}",
            company,
            ";".join(tags),
            rng.choice(CITIES),
        ]))
    return rows


CSV_HEADER = "name,email,phone,company_id,tags,address.city"


def import_contacts(client, rows):
    result = client.call("POST", "/api/v1/contacts/import", "\r\n".join([CSV_HEADER] + rows) + "\r\n", "text/csv")
    if result.get("imported") != len(rows):
        raise RuntimeError(f"import into {client.tenant} imported {result.get('imported')} of {len(rows)}: {result}")


def cmd_contacts(a):
    rng = random.Random(42)
    client = Client(a.port, a.tenant, a.token)
    started = time.monotonic()
    company_ids = []
    for i in range(a.companies):
        name = COMPANIES[i % len(COMPANIES)] + ("" if i < len(COMPANIES) else f" {i // len(COMPANIES)}")
        company_ids.append(client.call("POST", "/api/v1/companies", json.dumps(
            {"name": name, "domain": ascii_fold(name) + ".example"}))["id"])
    for start in range(0, a.count, a.batch):
        import_contacts(client, contact_rows(rng, start, min(a.batch, a.count - start), company_ids, ""))
    seeded = time.monotonic() - started
    # The ids come back through the list API, as a client would see them.
    ids, cursor = [], None
    while True:
        page = client.call("GET", "/api/v1/contacts?limit=200" + (f"&cursor={cursor}" if cursor else ""))
        ids += [c["id"] for c in page["data"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    if len(ids) != a.count:
        raise RuntimeError(f"tenant {a.tenant} lists {len(ids)} contacts, expected {a.count}")
    with open(a.ids_out, "w") as f:
        f.write("\n".join(ids) + "\n")
    print(json.dumps({"contacts": a.count, "companies": a.companies, "seconds": round(seeded, 2)}))


def cmd_deals(a):
    """A pipeline of five stages and `count` deals spread over stages, statuses, owners-free
    amounts in two currencies and close dates over twelve months, through the REST API."""
    rng = random.Random(7)
    client = Client(a.port, a.tenant, a.token)
    started = time.monotonic()
    stages = [("Lead", 10), ("Qualified", 25), ("Proposal", 50), ("Negotiation", 75), ("Commit", 90)]
    pipeline = client.call("POST", "/api/v1/pipelines", json.dumps(
        {"name": "Bench pipeline", "stages": [{"name": n, "probability": p} for n, p in stages]}))
    stage_ids = [s["id"] for s in pipeline["stages"]]
    reason = client.call("POST", "/api/v1/lost-reasons", json.dumps({"name": "Price"}))["id"]
    year = time.gmtime().tm_year + 1
    for i in range(a.count):
        deal = client.call("POST", "/api/v1/deals", json.dumps({
            "title": f"Deal {i}", "pipeline_id": pipeline["id"], "stage_id": rng.choice(stage_ids),
            "amount": rng.randrange(10_000, 5_000_000), "currency": rng.choice(["EUR", "BRL"]),
            "expected_close_date": f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"}))
        roll = rng.random()
        if roll < 0.15:
            client.call("PATCH", f"/api/v1/deals/{deal['id']}", json.dumps({"status": "won"}))
        elif roll < 0.25:
            client.call("PATCH", f"/api/v1/deals/{deal['id']}", json.dumps({"status": "lost", "lost_reason_id": reason}))
    print(json.dumps({"deals": a.count, "pipeline_id": pipeline["id"], "year": year,
                      "seconds": round(time.monotonic() - started, 2)}))


def cmd_hooks(a):
    """A before or an after hook on contact creation, for the trigger-overhead runs."""
    client = Client(a.port, a.tenant, a.token)
    if a.kind == "before":
        client.call("POST", "/api/v1/workflows", json.dumps({
            "name": "bench-before", "trigger": "before:contact.create",
            "source": "local r = event.record\nif r.name then r.name = r.name:gsub('^%s+', '') end"}))
    else:
        client.call("POST", "/api/v1/workflows", json.dumps({
            "name": "bench-after", "trigger": "contact.created",
            "source": "crm.log('info', 'created ' .. event.record.id)"}))
    print(json.dumps({"workflow": a.kind}))


def read_tenants(path):
    out = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts:
                out.append((parts[0], parts[1] if len(parts) > 1 else None))
    return out


def cmd_spread(a):
    tenants = read_tenants(a.tenants_file)
    started = time.monotonic()

    def seed(index_and_tenant):
        index, (slug, token) = index_and_tenant
        client = Client(a.port, slug, token)
        import_contacts(client, contact_rows(random.Random(index), 0, a.count, [], f"t{index}."))
        client.conn.close()

    with concurrent.futures.ThreadPoolExecutor(a.parallel) as pool:
        list(pool.map(seed, enumerate(tenants)))
    print(json.dumps({"tenants": len(tenants), "contacts_each": a.count,
                      "seconds": round(time.monotonic() - started, 2)}))


# The auth plugin prints "api token: tsk_..."; the looser pattern keeps working if the
# wording changes a little.
TOKEN_RES = [re.compile(r"api token:\s*(\S+)"),
             re.compile(r"token\S*\s*[:=]?\s*([A-Za-z0-9._~+/=-]{16,})", re.IGNORECASE)]


def find_token(output):
    for pattern in TOKEN_RES:
        match = pattern.search(output)
        if match:
            return match.group(1)
    return None


def cmd_tenants(a):
    help_text = subprocess.run([a.tessera, "tenant", "create", "--help"], capture_output=True, text=True).stdout
    with_admin = "--admin-email" in help_text

    def create(n):
        slug = f"{a.prefix}{n:05d}"
        cmd = [a.tessera, "tenant", "create", slug]
        if with_admin:
            cmd += ["--admin-email", f"admin@{slug}.example"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
        return slug, find_token(proc.stdout)

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(a.parallel) as pool:
        created = list(pool.map(create, range(a.start, a.start + a.count)))
    elapsed = time.monotonic() - started
    with open(a.out, "a") as f:
        for slug, token in created:
            f.write(slug + (" " + token if token else "") + "\n")
    tokens = sum(1 for _, t in created if t)
    print(json.dumps({"tenants": a.count, "parallel": a.parallel, "seconds": round(elapsed, 2),
                      "per_tenant_ms": round(1000 * elapsed / max(1, a.count), 1),
                      "admin_email": with_admin, "tokens": tokens}))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("tenants")
    t.add_argument("--tessera", required=True)
    t.add_argument("--prefix", required=True)
    t.add_argument("--count", type=int, required=True)
    t.add_argument("--start", type=int, default=1)
    t.add_argument("--parallel", type=int, default=2)
    t.add_argument("--out", required=True)
    c = sub.add_parser("contacts")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--tenant", required=True)
    c.add_argument("--token")
    c.add_argument("--count", type=int, required=True)
    c.add_argument("--companies", type=int, default=0)
    c.add_argument("--batch", type=int, default=1000)
    c.add_argument("--ids-out", required=True)
    d = sub.add_parser("deals")
    d.add_argument("--port", type=int, required=True)
    d.add_argument("--tenant", required=True)
    d.add_argument("--token")
    d.add_argument("--count", type=int, required=True)
    h = sub.add_parser("hooks")
    h.add_argument("--port", type=int, required=True)
    h.add_argument("--tenant", required=True)
    h.add_argument("--token")
    h.add_argument("--kind", choices=["before", "after"], required=True)
    s = sub.add_parser("spread")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--tenants-file", required=True)
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--parallel", type=int, default=4)
    a = p.parse_args()
    try:
        {"tenants": cmd_tenants, "contacts": cmd_contacts, "deals": cmd_deals, "hooks": cmd_hooks, "spread": cmd_spread}[a.cmd](a)
    except RuntimeError as e:
        print(f"seed.py: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
