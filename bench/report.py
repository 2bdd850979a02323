#!/usr/bin/python3
"""Turns bench/run's results.jsonl (one wrk summary or fact per line) into the Markdown
report: the endpoint table with the Tessera/Django and Tessera/nginx ratios against
issue 4's targets, then the listener, many-tenant and 2,000-tenant figures.

usage: report.py WORK_DIR
"""
import json
import os
import sys

work = sys.argv[1]
runs, facts = {}, {}
with open(os.path.join(work, "results.jsonl")) as f:
    for line in f:
        d = json.loads(line)
        if "fact" in d:
            facts[d["fact"]] = d["value"]
        else:
            runs[(d["system"], d["endpoint"])] = d


def merge_rounds(prefix):
    """One run out of `prefix`_r1, _r2, ...: requests and CPU summed, rates averaged."""
    rounds = [r for (system, e), r in sorted(runs.items()) if system == "tessera" and e.startswith(prefix + "_r")]
    if not rounds:
        return
    w = {k: sum(r["wrk"][k] for r in rounds) / len(rounds) for k in ("rps", "p50_us")}
    w["p99_us"] = max(r["wrk"]["p99_us"] for r in rounds)
    w["requests"] = sum(r["wrk"]["requests"] for r in rounds)
    w["errors"] = {k: sum(r["wrk"]["errors"][k] for r in rounds) for k in rounds[0]["wrk"]["errors"]}
    cpu = sum(r["server_cpu_s"] for r in rounds)
    runs[("tessera", prefix)] = {"system": "tessera", "endpoint": prefix, "wrk": w, "server_cpu_s": cpu}


for hook_run in ("post_no_hooks", "post_before_hook", "post_with_hooks"):
    merge_rounds(hook_run)


def ms(us):
    return f"{us / 1000:.2f}"


def mib(kib):
    return f"{kib / 1024:.1f} MiB" if kib is not None else "n/a"


def cells(system, endpoint):
    r = runs.get((system, endpoint))
    if not r:
        return ["n/a"] * 4, None
    w = r["wrk"]
    bad = w["errors"]["status"]
    sock = w["errors"]["connect"] + w["errors"]["read"] + w["errors"]["write"] + w["errors"]["timeout"]
    errs = f"{bad}" + (f" (+{sock} socket)" if sock else "")
    return [f"{w['rps']:,.0f}", ms(w["p50_us"]), ms(w["p99_us"]), errs], r


def cpu_per_req(r):
    """Server CPU (user + system, workers included) per request, in microseconds."""
    if not r or not r.get("server_cpu_s") or not r["wrk"]["requests"]:
        return None
    return r["server_cpu_s"] * 1e6 / r["wrk"]["requests"]


def fmt_cpu(v):
    return f"{v:,.0f}" if v is not None else "n/a"


def other_cpu(*rs):
    vals = [r["other_cpu_pct"] for r in rs if r and r.get("other_cpu_pct") is not None]
    return "/".join(f"{v:.0f}" for v in vals) if vals else "n/a"


out = []
p = out.append
p(f"wrk -t2 -c{facts.get('connections')} -d{facts.get('duration')} --timeout 10s --latency, `Connection: keep-alive` on every "
  f"request (gunicorn's sync workers answer "
  f"`Connection: close` anyway). SQLite, loopback. Bearer token sent: {str(facts.get('auth_token', False)).lower()}. "
  f"Plugins loaded: {facts.get('plugins', '').strip()}.")
p("")
p("### One tenant, 10,000 contacts: Tessera vs the Django/DRF peer")
p("")
p("| endpoint | Tessera req/s | p50 ms | p99 ms | non-2xx | Django req/s | p50 ms | p99 ms | non-2xx "
  "| Tessera/Django | target | server CPU µs/req (T/D) | other CPU % (T/D) |")
p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|")
rows = [
    ("GET one contact", "get_one", "get_one", 25, "≥ 25× Django, ≥ 50 % nginx, p99 < 10 ms"),
    ("list 50 (no filter)", "list_50", "list_50", 10, "≥ 10× Django"),
    ("list 50, filter[tags][contains]=vip", "list_50_filter", "list_50", 10, "≥ 10× Django (Django: unfiltered)"),
    ("search q=silva", "search", None, None, "(peer has no search)"),
    ("POST create", "post", "post", 10, "≥ 10× Django, no acknowledged write lost"),
    ("PATCH one field", "patch", "patch", None, "(no target)"),
]
for label, te, de, factor, target in rows:
    t, tr = cells("tessera", te)
    d, dr = cells("django", de) if de else (["n/a"] * 4, None)
    ratio = "n/a"
    if tr and dr:
        x = tr["wrk"]["rps"] / dr["wrk"]["rps"]
        ratio = f"{x:.1f}×" + ("" if factor is None else (" ✓" if x >= factor else " ✗"))
    p(f"| {label} | " + " | ".join(t) + " | " + " | ".join(d) + f" | {ratio} | {target} | "
      f"{fmt_cpu(cpu_per_req(tr))} / {fmt_cpu(cpu_per_req(dr))} | {other_cpu(tr, dr)} |")
ng, nr = cells("nginx", "fixed_json")
p(f"| nginx fixed JSON (ceiling) | {ng[0]} | {ng[1]} | {ng[2]} | {ng[3]} | | | | | | | {fmt_cpu(cpu_per_req(nr))} "
  f"| {other_cpu(nr)} |")
p("")
cpu_ratios = [f"{label} {cpu_per_req(runs.get(('django', de))) / cpu_per_req(runs.get(('tessera', te))):.0f}×"
              for label, te, de in [("GET one", "get_one", "get_one"), ("list 50", "list_50", "list_50"),
                                    ("POST", "post", "post"), ("PATCH", "patch", "patch")]
              if cpu_per_req(runs.get(("django", de))) and cpu_per_req(runs.get(("tessera", te)))]
if cpu_ratios:
    p("Server CPU µs/req is the CPU time the server process (and its worker processes) used during the run, "
      "divided by the requests answered: the figure least distorted by other work on a shared machine. "
      "Django's CPU per request over Tessera's: " + ", ".join(cpu_ratios) + ".")
    p("")
tg = runs.get(("tessera", "get_one"))
if tg and nr:
    share = tg["wrk"]["rps"] / nr["wrk"]["rps"]
    p(f"- GET one / nginx ceiling: **{share:.0%}** (target ≥ 50 %: {'met' if share >= 0.5 else 'missed'}); "
      f"GET one p99 {ms(tg['wrk']['p99_us'])} ms (target < 10 ms: "
      f"{'met' if tg['wrk']['p99_us'] < 10000 else 'missed'}).")
pc = facts.get("post_check")
if pc:
    lost = max(0, pc["acknowledged"] - pc["rows"])
    p(f"- POST: wrk saw {pc['acknowledged']:,} `201` answers; the tenant's database holds {pc['rows']:,} of this "
      f"run's rows: **{lost} acknowledged writes lost** (rows beyond the count are creates that committed "
      f"while wrk was closing its connections).")
if "peak_rss_kib_single" in facts:
    p(f"- Host peak RSS (VmHWM) over seeding and all runs above: **{mib(facts['peak_rss_kib_single'])}**.")
if "seed_single" in facts:
    s = facts["seed_single"]
    p(f"- Seeding {s['contacts']:,} contacts (+{s['companies']} companies) through the CSV import route: "
      f"{s['seconds']} s.")

if "seed_deals" in facts:
    s = facts["seed_deals"]
    p("")
    p(f"### Deals: board and forecast over {s['deals']:,} deals (one tenant, one pipeline of five stages)")
    p("")
    p("| endpoint | req/s | p50 ms | p99 ms | non-2xx | server CPU µs/req |")
    p("|---|---:|---:|---:|---:|---:|")
    for label, key in [("board (5 stages, 20 cards each, counts and sums)", "board"),
                       ("forecast (12 months, weighted, won/lost, conversion, cycle time)", "forecast")]:
        c, r = cells("tessera", key)
        p(f"| {label} | " + " | ".join(c) + f" | {fmt_cpu(cpu_per_req(r))} |")
    p("")
    p(f"- Seeding {s['deals']:,} deals one POST (and PATCH for won/lost) at a time: {s['seconds']} s.")

if runs.get(("tessera", "post_with_hooks")):
    p("")
    p("### Workflow trigger overhead: POST /api/v1/contacts")
    p("")
    p("Three tenants of equal size, three interleaved rounds each; req/s and p50 are the rounds' mean, p99 "
      "their worst.")
    p("")
    p("| run | req/s | p50 ms | p99 ms | non-2xx | server CPU µs/req |")
    p("|---|---:|---:|---:|---:|---:|")
    for label, key in [("no workflows", "post_no_hooks"), ("one before hook", "post_before_hook"),
                       ("one before hook + one after hook", "post_with_hooks")]:
        c, r = cells("tessera", key)
        p(f"| {label} | " + " | ".join(c) + f" | {fmt_cpu(cpu_per_req(r))} |")
    a, b, c = (cpu_per_req(runs.get(("tessera", k))) for k in ("post_no_hooks", "post_before_hook", "post_with_hooks"))
    if a and b and c:
        p("")
        p(f"- Added server CPU per write: before hook **{b - a:,.0f} µs** (target < 50 µs), after hook a further "
          f"**{c - b:,.0f} µs** (it runs on the workflow pool after commit, not in the request). Both include "
          f"writing the run to the run log.")

if "stall_idle" in facts:
    p("")
    p("### Listener under database-heavy work (one tenant, 10,000 contacts)")
    p("")
    p("`/healthz` on a keep-alive connection and a listener-only probe (a malformed request line that the network "
      "thread answers with 400 without the worker pool), one pair after another, at most every 20 ms "
      "(a stalled probe delays the next, so a long stall shows as few, long samples).")
    p("")
    p("| load | load req/s | /healthz p50 / p99 / max ms | listener p50 / p99 / max ms |")
    p("|---|---:|---|---|")
    for key, label, run in [("stall_idle", "idle", None),
                            ("stall_export", "CSV export of all contacts, 8 connections", "stall_export"),
                            ("stall_writes", f"POST create, {facts.get('connections')} connections", "stall_writes")]:
        v = facts.get(key)
        if not v:
            continue
        r = runs.get(("tessera", run)) if run else None
        h, l = v["healthz"], v["listener"]
        p(f"| {label} | {r['wrk']['rps']:,.0f} |" if r else f"| {label} | – |")
        out[-1] += (f" {h['p50_ms']} / {h['p99_ms']} / {h['max_ms']} |"
                    f" {l['p50_ms']} / {l['p99_ms']} / {l['max_ms']} |")


def series(name):
    path = os.path.join(work, name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [tuple(int(x) for x in line.split()) for line in f if len(line.split()) == 3]


if ("tessera", "many_list_50") in runs:
    p("")
    p(f"### {facts.get('seed_many', {}).get('tenants', '?')} tenants × "
      f"{facts.get('seed_many', {}).get('contacts_each', '?')} contacts, wrk rotating X-Tenant")
    p("")
    c, r = cells("tessera", "many_list_50")
    sm = facts.get("seed_many", {})
    p(f"- list 50, each request another tenant: **{c[0]} req/s**, p50 {c[1]} ms, p99 {c[2]} ms, non-2xx {c[3]}; "
      f"other CPU {other_cpu(r)} %.")
    p(f"- Seeding through the import route ({sm.get('contacts_each')} rows per tenant, 4 at a time): "
      f"{sm.get('seconds')} s. Host peak RSS: **{mib(facts.get('peak_rss_kib_many'))}**; open fds after the run: "
      f"{facts.get('fds_many')}.")

if "fleet_create" in facts:
    fc = facts["fleet_create"]
    p("")
    p(f"### {fc['tenants']:,} tenants: created, migrated, served")
    p("")
    p(f"- `tessera tenant create` (creates the tenant database and applies every plugin's migrations), "
      f"{fc['parallel']} processes at a time: **{fc['seconds']} s** for {fc['tenants']:,} tenants "
      f"({fc['per_tenant_ms']} ms per tenant of wall time).")
    if ("tessera", "fleet_list_10") in runs:
        c, r = cells("tessera", "fleet_list_10")
        p(f"- list 10, rotating over all {fc['tenants']:,} tenants (every tenant touched about "
          f"{r['wrk']['requests'] // fc['tenants']} times): **{c[0]} req/s**, p50 {c[1]} ms, p99 {c[2]} ms, "
          f"non-2xx {c[3]}.")
        s = series("rss-fleet.txt")
        if s:
            steady = s[3:] or s
            rss = [x[1] for x in steady]
            fds = [x[2] for x in s]
            p(f"- RSS sampled every second ({len(s)} samples): from {mib(s[0][1])} at start to "
              f"{mib(s[-1][1])} at the end; from second 3 on between **{mib(min(rss))} and {mib(max(rss))}**; "
              f"peak (VmHWM) {mib(facts.get('peak_rss_kib_fleet'))}. Open fds: at most {max(fds)} "
              f"(max_open_connections 256 bounds the tenant databases).")
            p("")
            p("  RSS MiB per second: " + " ".join(f"{x[1] / 1024:.0f}" for x in s))
            p("")
            p("  open fds per second: " + " ".join(str(x[2]) for x in s))

print("\n".join(out))
