#!/usr/bin/env python
"""Load test: SIGAP under a realistic mix of users in gunicorn on PostgreSQL, next to a bare Django view as the
ceiling. Goals: no errors; p95 at most 250 ms with 100 concurrent users; SIGAP's mix at least 60 % of the bare
view's requests per second.

    .venv/bin/python bench/load_test.py [--reuse] [--duration 30] [--users 100] [--think-ms 500:1500]

It needs wrk (Debian package ``wrk``) and the PostgreSQL server at --server (default
postgres://postgres@127.0.0.1:5432, trust auth). It builds its own database there, ``sigap_load`` (--database; a
database of that name is dropped and recreated, no other is touched): ``manage.py migrate``,
``load_regions --province 63 --province 31`` (South Kalimantan, and Jakarta, which the demo needs) and
``load_demo``. --reuse keeps a database that already holds the demo (and applies new migrations only).

SIGAP runs as in production: ``collectstatic`` done, SIGAP_DEBUG off, a random SIGAP_SECRET_KEY,
SIGAP_ALLOWED_HOSTS=127.0.0.1, gunicorn with threaded workers as in the README (--workers default 2 x CPUs + 1,
--threads-per-worker 4, --preload) bound to 127.0.0.1 only, SIGAP_VAR_DIR=bench/out/var. (Plain sync workers
block on a connection until its request arrives: with wrk's think time, which opens the next connection before
the pause, they measured the pause, not SIGAP; p50 190 ms for the bare view.) The settings module is bench/load_settings.py, which is SIGAP's with
ROOT_URLCONF = bench/load_urls.py: SIGAP's routes plus /bench/bare/, a view that renders a small template (the
ceiling; it exists only in this gunicorn). The throttles are raised through the environment for the run, not by
changing SIGAP's defaults: SIGAP_API_USER_RATE, SIGAP_API_ANON_RATE, SIGAP_API_TOKEN_RATE,
SIGAP_LOGIN_MAX_FAILURES.

Before the clock starts, the officers sign in (GET /accounts/login/ for the CSRF token, then POST the form) for
their session cookies and the partner user asks for an API token (POST /api/v1/auth/token). The mix, chosen at
random per request by a wrk Lua script (weights in MIX):

- officers signed in (prov, tala, hsu) browse the partner list, a partner's page and the dashboard;
- the partner user (mitra) records production through the API: POST /api/v1/production/batches with its token;
- the public browses the catalogue (/katalog/) and verifies handover certificates (/bast/<code>/).

Scenarios, each after a --warmup of unmeasured load, for --duration seconds, with --users connections:

- ``users``: every connection is a user who waits a random think time (--think-ms, uniform) after each response;
  this is the "100 concurrent users" the latency goal is about;
- ``saturation``: no think time, as many requests as the server answers: the capacity (req/s) compared with the
  bare view.

Both run against the SIGAP mix and against the bare view. Then each kind of request of the mix runs alone at
saturation for --kind-seconds: what each page costs the server (CPU seconds per request ≈ cores ÷ req/s), so a
reader sees where the mix's time goes. Reported per run: req/s, p50/p95/p99/max latency (wrk
measures from sending a request to its response, think time excluded), errors (socket errors, timeouts, and any
response that is not the expected 200/201, counted per kind of request by the Lua script), and the ratio of
SIGAP's req/s to the bare view's at saturation.

Prints a markdown table and writes bench/out/load.json.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from benchlib import git_revision

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VAR_DIR = OUT / "var"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PASSWORD = "sigap-demo-2020"
OFFICERS = ("prov", "tala", "hsu")
PARTNER_USER = "mitra"
GOAL_ERRORS = 0
GOAL_P95_MS = 250.0
GOAL_RATIO = 0.60
# Weights of the mix (per cent of requests).
MIX = {
    "officer_partner_list": 20,
    "officer_partner_page": 5,
    "officer_dashboard": 15,
    "partner_api_batch": 20,
    "public_catalogue": 25,
    "public_bast_verify": 15,
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server URL, without a database (default postgres://postgres@127.0.0.1:5432)")
    parser.add_argument("--database", default="sigap_load", help="the load test's own database (sigap_load)")
    parser.add_argument("--reuse", action="store_true", help="keep a database that already holds the demo")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1,
                        help="gunicorn worker processes (default 2 x CPUs + 1)")
    parser.add_argument("--threads-per-worker", type=int, default=4, help="gunicorn threads per worker (default 4)")
    parser.add_argument("--users", type=int, default=100, help="concurrent connections (default 100)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--duration", type=int, default=30, help="seconds per measured run (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of unmeasured load before each run")
    parser.add_argument("--think-ms", default="500:1500",
                        help="think time of the users scenario, uniform MIN:MAX ms (default 500:1500)")
    parser.add_argument("--scenarios", default="users,saturation", help="users, saturation or both")
    parser.add_argument("--kind-seconds", type=int, default=8,
                        help="then each kind of request alone at saturation for this long (0 = skip; default 8)")
    return parser.parse_args()


def database_url(server: str, name: str) -> str:
    return f"{server.rstrip('/')}/{name}"


def environment(url: str, secret_key: str) -> dict:
    env = dict(os.environ)
    for name in ("SIGAP_HTTPS", "SIGAP_DEBUG"):
        env.pop(name, None)
    env.update({
        "DATABASE_URL": url,
        "SIGAP_VAR_DIR": str(VAR_DIR),
        "SIGAP_DEBUG": "0",
        "SIGAP_SECRET_KEY": secret_key,
        "SIGAP_ALLOWED_HOSTS": "127.0.0.1",
        "SIGAP_LOG_LEVEL": "ERROR",
        # The throttles, raised for the run only (SIGAP's defaults are unchanged).
        "SIGAP_API_USER_RATE": "1000000/m",
        "SIGAP_API_ANON_RATE": "1000000/m",
        "SIGAP_API_TOKEN_RATE": "1000/m",
        "SIGAP_LOGIN_MAX_FAILURES": "1000",
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "PYTHONPATH": str(ROOT),
    })
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(args, env: dict) -> dict:
    import psycopg
    from psycopg import sql

    url = database_url(args.server, args.database)
    started = time.perf_counter()
    holds_demo = False
    if args.reuse:
        try:
            with psycopg.connect(url, connect_timeout=5) as conn:
                holds_demo = bool(conn.execute("SELECT 1 FROM accounts_user WHERE username = %s",
                                               [PARTNER_USER]).fetchone())
        except psycopg.Error:
            holds_demo = False
    if holds_demo:
        print(f"{args.database}: reused, migrating what is new", flush=True)
        manage(env, "migrate", "--no-input", "-v0")
    else:
        print(f"{args.database}: creating (migrate, regions 63 and 31, demo)", flush=True)
        with psycopg.connect(database_url(args.server, "postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(args.database)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.database)))
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "load_regions", "--province", "63", "--province", "31", "--no-progress", "-v0")
        manage(env, "load_demo")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    manage(env, "collectstatic", "--no-input", "-v0")
    with psycopg.connect(url) as conn:
        server = conn.execute("SELECT version()").fetchone()[0].split(" on ")[0]
        codes = [row[0] for row in conn.execute(
            "SELECT verification_code FROM handovers_handover ORDER BY id").fetchall()]
        batches = conn.execute("SELECT count(*) FROM production_batch").fetchone()[0]
        partners = conn.execute("SELECT count(*) FROM partners_partner").fetchone()[0]
    return {"database": args.database, "reused": holds_demo, "seconds": round(time.perf_counter() - started, 1),
            "server": server, "bast_codes": codes, "batches_before": batches, "partners": partners}


# --- The server ----------------------------------------------------------------------------------------------

def start_gunicorn(args, env: dict) -> subprocess.Popen:
    log = open(OUT / "load-gunicorn.log", "w")
    process = subprocess.Popen(
        [GUNICORN, "sigap.wsgi", "--chdir", str(ROOT), "--bind", f"127.0.0.1:{args.port}",
         "--workers", str(args.workers), "--worker-class", "gthread", "--threads", str(args.threads_per_worker),
         "--preload", "--timeout", "60", "--backlog", "2048",
         "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{args.port}"
    for _ in range(120):
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped at start; see {OUT / 'load-gunicorn.log'}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    stop_gunicorn(process)
    sys.exit("gunicorn did not answer /healthz within 60 s")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- Credentials, before the clock starts -----------------------------------------------------------------------

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(base: str, username: str) -> dict:
    """The cookies of a signed-in session, through the login form as a browser does."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    with opener.open(base + "/accounts/login/", timeout=10) as response:
        page = response.read().decode()
    marker = 'name="csrfmiddlewaretoken" value="'
    token = page[page.index(marker) + len(marker):].split('"', 1)[0]
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username,
                                   "password": PASSWORD}).encode()
    request = urllib.request.Request(base + "/accounts/login/", data=body,
                                     headers={"Referer": base + "/accounts/login/"})
    try:
        opener.open(request, timeout=10)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    cookies = {cookie.name: cookie.value for cookie in jar}
    if status != 302 or "sessionid" not in cookies:
        sys.exit(f"signing in as {username} failed (HTTP {status})")
    return cookies


def api(base: str, method: str, path: str, payload=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(base + "/api/v1" + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()[:500]


def credentials(base: str, codes: list[str]) -> dict:
    sessions = {username: sign_in(base, username) for username in OFFICERS}
    status, body = api(base, "POST", "/auth/token", {"username": PARTNER_USER, "password": PASSWORD,
                                                     "name": "load test"})
    if status not in (200, 201):
        sys.exit(f"token for {PARTNER_USER}: HTTP {status} {body}")
    token = body["token"]
    status, body = api(base, "GET", "/partners", token=token)
    if status != 200 or not body["items"]:
        sys.exit(f"the partner of {PARTNER_USER}: HTTP {status} {body}")
    partner_id = body["items"][0]["id"]
    batch = {"partner_id": partner_id, "product": "baju-hazmat", "quantity": 40,
             "produced_on": datetime.date.today().isoformat()}
    status, body = api(base, "POST", "/production/batches", batch, token=token)
    if status != 201:
        sys.exit(f"a production batch as {PARTNER_USER}: HTTP {status} {body}")
    # A partner page each officer may see: the first of the list the API gives the district officer.
    status, body = api(base, "POST", "/auth/token", {"username": "tala", "password": PASSWORD, "name": "load test"})
    officer_token = body["token"]
    status, body = api(base, "GET", "/partners", token=officer_token)
    partner_page = f"/partners/{body['items'][0]['id']}/"
    return {"sessions": sessions, "token": token, "batch": batch, "partner_page": partner_page,
            "bast_codes": codes}


def check_pages(base: str, creds: dict) -> dict:
    """Every page of the mix answers 200 for its user before the load starts."""
    statuses = {}
    for path in ("/partners/", creds["partner_page"], "/dashboard/"):
        for username, cookies in creds["sessions"].items():
            if path == creds["partner_page"] and username != "tala":
                continue
            request = urllib.request.Request(base + path, headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
            opener = urllib.request.build_opener(NoRedirect)
            try:
                with opener.open(request, timeout=30) as response:
                    statuses[f"{username} {path}"] = response.status
            except urllib.error.HTTPError as error:
                statuses[f"{username} {path}"] = error.code
    for path in ("/katalog/", f"/bast/{creds['bast_codes'][0]}/", "/bench/bare/"):
        with urllib.request.urlopen(base + path, timeout=30) as response:
            statuses[path] = response.status
    bad = {k: v for k, v in statuses.items() if v != 200}
    if bad:
        sys.exit(f"pages that do not answer 200 before the load: {bad}")
    return statuses


# --- wrk -----------------------------------------------------------------------------------------------------

LUA = r"""
-- Generated by bench/load_test.py.
local config = __CONFIG__
local kinds, weights, total = {}, {}, 0
for _, entry in ipairs(config.mix) do
  total = total + entry[2]
  table.insert(kinds, entry[1]); table.insert(weights, total)
end
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  sent, bad, statuses = {}, {}, {}
  for _, kind in ipairs(kinds) do sent[kind] = 0 end
  bad["all"] = 0
end

local function cookie(username)
  local parts = {}
  for name, value in pairs(config.sessions[username]) do table.insert(parts, name .. "=" .. value) end
  return table.concat(parts, "; ")
end

local function pick()
  local r = math.random() * total
  for i, limit in ipairs(weights) do if r < limit then return kinds[i] end end
  return kinds[#kinds]
end

local officers = {}
for username, _ in pairs(config.sessions) do table.insert(officers, username) end
table.sort(officers)

function request()
  local kind = pick()
  sent[kind] = sent[kind] + 1
  if kind == "bare" then
    return wrk.format("GET", "/bench/bare/")
  elseif kind == "officer_partner_list" then
    return wrk.format("GET", "/partners/", {Cookie = cookie(officers[math.random(#officers)])})
  elseif kind == "officer_partner_page" then
    return wrk.format("GET", config.partner_page, {Cookie = cookie("tala")})
  elseif kind == "officer_dashboard" then
    return wrk.format("GET", "/dashboard/", {Cookie = cookie(officers[math.random(#officers)])})
  elseif kind == "partner_api_batch" then
    return wrk.format("POST", "/api/v1/production/batches",
      {["Content-Type"] = "application/json", Authorization = "Bearer " .. config.token}, config.batch_json)
  elseif kind == "public_catalogue" then
    return wrk.format("GET", "/katalog/")
  else
    return wrk.format("GET", "/bast/" .. config.bast_codes[math.random(#config.bast_codes)] .. "/")
  end
end

-- Every request of the mix answers 200, or 201 for the API's POST: anything else (a redirect to the login page
-- included) is an error. (One thread's connections interleave, so statuses are counted per code, not per kind.)
function response(status, headers, body)
  if status ~= 200 and status ~= 201 then
    bad["all"] = bad["all"] + 1
    local key = tostring(status)
    statuses[key] = (statuses[key] or 0) + 1
  end
end

__DELAY__
local function encode(t)
  local parts = {}
  for k, v in pairs(t) do table.insert(parts, string.format("%q:%d", k, v)) end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local agg = {sent = {}, bad = {}, statuses = {}}
  for _, thread in ipairs(threads) do
    for _, name in ipairs({"sent", "bad", "statuses"}) do
      for k, v in pairs(thread:get(name)) do agg[name][k] = (agg[name][k] or 0) + v end
    end
  end
  local e = summary.errors
  io.write("RESULT {")
  io.write(string.format('"duration_us":%d,"requests":%d,"bytes":%d,', summary.duration, summary.requests,
                         summary.bytes))
  io.write(string.format('"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},',
                         e.connect, e.read, e.write, e.status, e.timeout))
  io.write(string.format('"latency_us":{"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p90":%d,"p95":%d,"p99":%d},',
                         latency.mean, latency.stdev, latency.max, latency:percentile(50), latency:percentile(90),
                         latency:percentile(95), latency:percentile(99)))
  io.write('"sent":' .. encode(agg.sent) .. ',"bad":' .. encode(agg.bad)
           .. ',"bad_statuses":' .. encode(agg.statuses) .. "}\n")
end
"""


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for ASCII text


def lua_script(creds: dict, mix: dict, think: tuple[int, int]) -> str:
    sessions = ", ".join(
        f"[{lua_string(user)}] = {{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in cookies.items())
        + "}" for user, cookies in creds["sessions"].items())
    config = (
        "{mix = {" + ", ".join(f"{{{lua_string(k)}, {v}}}" for k, v in mix.items()) + "}, "
        f"sessions = {{{sessions}}}, token = {lua_string(creds['token'])}, "
        f"batch_json = {lua_string(json.dumps(creds['batch']))}, partner_page = {lua_string(creds['partner_page'])}, "
        "bast_codes = {" + ", ".join(lua_string(c) for c in creds["bast_codes"]) + "}, "
        f"think_min = {think[0]}, think_max = {think[1]}}}"
    )
    delay = ("function delay()\n  return math.random(config.think_min, config.think_max)\nend"
             if think[1] > 0 else "-- no think time: no delay()")
    return LUA.replace("__CONFIG__", config).replace("__DELAY__", delay)


def run_wrk(args, base: str, script: Path, seconds: int) -> dict:
    command = ["wrk", "-t", str(args.threads), "-c", str(args.users), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", str(script), base]
    load_before = os.getloadavg()[0]
    output = subprocess.run(command, capture_output=True, text=True)
    lines = [line for line in output.stdout.splitlines() if line.startswith("RESULT ")]
    if output.returncode or not lines:
        sys.exit(f"wrk failed ({output.returncode}):\n{output.stdout}\n{output.stderr}")
    raw = json.loads(lines[-1][len("RESULT "):])
    seconds_run = raw["duration_us"] / 1e6
    socket_errors = sum(v for k, v in raw["errors"].items() if k != "status")
    unexpected = sum(raw["bad"].values())
    lat = raw["latency_us"]
    return {
        "seconds": round(seconds_run, 1),
        "requests": raw["requests"],
        "req_per_s": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(lat["p50"] / 1000, 1), "p90_ms": round(lat["p90"] / 1000, 1),
        "p95_ms": round(lat["p95"] / 1000, 1), "p99_ms": round(lat["p99"] / 1000, 1),
        "mean_ms": round(lat["mean"] / 1000, 1), "max_ms": round(lat["max"] / 1000, 1),
        "errors": socket_errors + unexpected,
        "socket_errors": raw["errors"], "unexpected_status": unexpected, "bad_statuses": raw["bad_statuses"],
        "by_kind": raw["sent"], "mb_received": round(raw["bytes"] / 1e6, 1),
        "load_average_before": round(load_before, 2),
    }


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    think = tuple(int(x) for x in args.think_ms.split(":"))
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    OUT.mkdir(parents=True, exist_ok=True)
    env = environment(database_url(args.server, args.database), secrets.token_urlsafe(50))
    data = prepare_database(args, env)
    base = f"http://127.0.0.1:{args.port}"
    server = start_gunicorn(args, env)
    runs, by_kind = {}, {}
    try:
        creds = credentials(base, data["bast_codes"])
        statuses = check_pages(base, creds)
        with tempfile.TemporaryDirectory(prefix="sigap-load-") as tmp:
            for scenario in scenarios:
                scenario_think = think if scenario == "users" else (0, 0)
                for target, mix in (("sigap", MIX), ("bare", {"bare": 1})):
                    script = Path(tmp) / f"{scenario}-{target}.lua"
                    script.write_text(lua_script(creds, mix, scenario_think))
                    if args.warmup:
                        run_wrk(args, base, script, args.warmup)
                    result = run_wrk(args, base, script, args.duration)
                    runs.setdefault(scenario, {})[target] = result
                    print(f"  {scenario:<10} {target:<5} {result['req_per_s']:>8} req/s  p50 {result['p50_ms']} ms"
                          f"  p95 {result['p95_ms']} ms  p99 {result['p99_ms']} ms  errors {result['errors']}",
                          flush=True)
            for kind in [*MIX, "bare"] if args.kind_seconds else []:
                script = Path(tmp) / f"kind-{kind}.lua"
                script.write_text(lua_script(creds, {kind: 1}, (0, 0)))
                result = run_wrk(args, base, script, args.kind_seconds)
                result["cpu_ms_per_request"] = round((os.cpu_count() or 1) * 1000 / result["req_per_s"], 1)
                by_kind[kind] = result
                print(f"  alone      {kind:<22} {result['req_per_s']:>8} req/s  p50 {result['p50_ms']} ms"
                      f"  errors {result['errors']}", flush=True)
    finally:
        stop_gunicorn(server)
    import psycopg

    with psycopg.connect(database_url(args.server, args.database)) as conn:
        batches_after = conn.execute("SELECT count(*) FROM production_batch").fetchone()[0]
    for scenario in runs.values():
        if "sigap" in scenario and "bare" in scenario:
            scenario["ratio"] = round(scenario["sigap"]["req_per_s"] / scenario["bare"]["req_per_s"], 3)
    goals = {"errors": GOAL_ERRORS, "p95_ms": GOAL_P95_MS, "ratio": GOAL_RATIO}
    met = {}
    if "users" in runs:
        met["errors"] = all(r["errors"] == GOAL_ERRORS for s in runs.values() for r in s.values()
                            if isinstance(r, dict)) and all(r["errors"] == GOAL_ERRORS for r in by_kind.values())
        met["p95_ms"] = runs["users"]["sigap"]["p95_ms"] <= GOAL_P95_MS
    if "saturation" in runs:
        met["ratio"] = runs["saturation"]["ratio"] >= GOAL_RATIO
    result = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"), "revision": git_revision(),
        "server": data["server"], "database": {k: v for k, v in data.items() if k != "bast_codes"},
        "bast_codes": len(data["bast_codes"]), "batches_after": batches_after,
        "gunicorn": {"workers": args.workers, "worker_class": "gthread", "threads": args.threads_per_worker, "preload": True, "bind": base},
        "wrk": {"threads": args.threads, "connections": args.users, "duration_s": args.duration,
                "warmup_s": args.warmup, "think_ms": list(think), "version": wrk_version()},
        "mix_percent": MIX, "checked_before": statuses,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "goals": goals, "goals_met": met, "runs": runs, "by_kind": by_kind,
    }
    (OUT / "load.json").write_text(json.dumps(result, indent=2) + "\n")
    print()
    print(report(result))
    print(f"\nwritten to {(OUT / 'load.json').relative_to(ROOT)}")


def wrk_version() -> str:
    output = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return (output.stdout + output.stderr).strip().splitlines()[0] if (output.stdout + output.stderr) else "?"


def report(result: dict) -> str:
    lines = [f"Load test: {result['wrk']['connections']} connections, {result['wrk']['duration_s']} s per run, "
             f"gunicorn {result['gunicorn']['workers']} gthread workers x {result['gunicorn']['threads']} threads, "
             f"{result['server']}", "",
             "| scenario | target | req/s | p50 | p95 | p99 | max | errors |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for scenario, targets in result["runs"].items():
        for target in ("sigap", "bare"):
            if target in targets:
                r = targets[target]
                lines.append(f"| {scenario} | {target} | {r['req_per_s']} | {r['p50_ms']} ms | {r['p95_ms']} ms "
                             f"| {r['p99_ms']} ms | {r['max_ms']} ms | {r['errors']} |")
        if "ratio" in targets:
            lines.append(f"| {scenario} | SIGAP/bare | {targets['ratio']:.0%} | | | | | |")
    if result["by_kind"]:
        lines += ["", "| alone at saturation | req/s | p50 | CPU ms per request | errors |", "|---|---:|---:|---:|---:|"]
        for kind, r in result["by_kind"].items():
            lines.append(f"| {kind} | {r['req_per_s']} | {r['p50_ms']} ms | {r['cpu_ms_per_request']} | {r['errors']} |")
    lines.append("")
    lines.append(f"Goals: {result['goals']} met: {result['goals_met']}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
