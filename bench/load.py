"""Load benchmark: the app as deployed (gunicorn, 2 workers, production settings, PostgreSQL, Redis) under wrk.

    source .ci/services.sh   # or any PostgreSQL and Redis you may scratch
    .venv/bin/python bench/load.py [--users 20] [--duration 20] [--mentors 5000 --mentees 20000]

Needs Debian's wrk (apt-get install wrk). It loads the demo program at the given size (`seed_demo --mentors
--mentees`) into a database of its own beside DATABASE_URL's (`bench_load_seed`, rebuilt unless --reuse finds
the same size there), copies it to `bench_load` for this run to write to, collects static files, starts
gunicorn exactly as the Dockerfile does (2 sync workers, production settings; the only additions are two
reference views, bench/load_urls.py: the floors that Django and a signed-in API call cost), and then, for each
scenario, runs wrk in a second process with --users connections, each sending its next request as soon as the
last one answered:

  bare             GET /bench/bare/ (anonymous): a constant JSON object from a plain Django view
  bare api         GET /bench/bare-api/ as mentees (token): the same from a DRF view, signed in
  directory api    GET /api/v1/mentors/ pages, skill/industry filters, searches, as mentees (token)
  directory page   the same queries on /mentors/, the HTML page, as mentees (session cookie)
  mentor page      GET /mentors/<id>/ of random mentors, as mentees (session cookie)
  recommendations  GET /api/v1/mentors/recommended/?limit=10 as the 200 browsing mentees (token): their rankings
                   are kept between calls, as for a mentee coming back to the home page
  recommendations cold  the same, each call by a mentee not seen before (the ranking computed every time)
  request          POST /api/v1/requests/ (mentees without a mentor ask mentors with room)
  accept           POST /api/v1/requests/<id>/accept/ of the requests just sent, by their mentors

Each scenario is warmed up (--warmup seconds, not counted) before it is measured. Last, the capacity check:
one mentor with capacity 3 and 50 pending requests; 50 threads accept all 50 at the same instant through
gunicorn; exactly 3 must succeed (the rest 409) and the database must hold exactly 3 active mentorships.
Prints a table (p50/p95/p99 in ms, requests per second, the ratio to the signed-in floor `bare api` and to the
bare view's, statuses) and the targets (directory ≥ 0.8 of bare api with p95 ≤ 50 ms, mentor page ≥ 0.25 of bare
api, recommendations p95 ≤ 100 ms, no error, exactly-capacity), and writes the figures as JSON to --json if given.
The machine is noted in the output.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
DATABASE = "bench_load"  # this run's copy of the seeded demo
SEED_DATABASE = "bench_load_seed"
CAPACITY_CHECK = {"capacity": 3, "accepts": 50}
SCENARIOS = (
    "bare",
    "bare api",
    "directory api",
    "directory page",
    "mentor page",
    "recommendations",
    "recommendations cold",
    "request",
    "accept",
)


# --- Setting up the database and the server ---------------------------------------------------------------


def database_url(base: str, name: str) -> str:
    return base.rsplit("/", 1)[0] + "/" + name


def prepare_database(base_url: str, mentors: int, mentees: int, reuse: bool) -> str:
    """A fresh copy of the seeded demo for this run. The demo is built once into SEED_DATABASE (again unless
    --reuse finds the same size there) and copied, as a template, into DATABASE: the run writes (requests, accepts,
    the capacity check) to the copy only, so every run starts from the same program."""
    import psycopg2

    seed_url = database_url(base_url, SEED_DATABASE)
    marker = f"{mentors}x{mentees}"
    admin = psycopg2.connect(base_url)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [SEED_DATABASE]
        )
        found = cursor.fetchone()
        if reuse and found and found[0] == marker:
            print(f"Reusing the {marker} demo in {SEED_DATABASE}.")
            manage("migrate", "--noinput", "-v0", env=_setup_env(seed_url))
        else:
            cursor.execute(f"DROP DATABASE IF EXISTS {SEED_DATABASE} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {SEED_DATABASE}")
            _seed(seed_url, mentors, mentees)
            cursor.execute(f"COMMENT ON DATABASE {SEED_DATABASE} IS %s", [marker])
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {DATABASE} TEMPLATE {SEED_DATABASE}")
    admin.close()
    return database_url(base_url, DATABASE)


def _seed(url: str, mentors: int, mentees: int) -> None:
    import psycopg2

    env = _setup_env(url)
    started = time.perf_counter()
    manage("migrate", "--noinput", "-v0", env=env)
    manage("seed_demo", "--mentors", str(mentors), "--mentees", str(mentees), env=env)
    print(f"Demo loaded ({mentors} mentors, {mentees} mentees) in {time.perf_counter() - started:.0f} s.")
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # statistics, as a database in use has them (a template copy keeps them)
    conn.close()


def _setup_env(url: str) -> dict:
    return {**os.environ, "DATABASE_URL": url, "REDIS_URL": "", "DJANGO_SETTINGS_MODULE": "config.settings.local"}


def manage(*args: str, env: dict) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(url: str, redis_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }


def start_gunicorn(env: dict, port: int, extra: list[str]) -> subprocess.Popen:
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    # The Dockerfile's command, on loopback; its access log is left out (one line per request to a pipe).
    server = subprocess.Popen(
        [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(ROOT / "bench" / ".gunicorn.log", "w"),  # noqa: SIM115 - lives as long as the server
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
                if answer.status == 200:
                    return server
        except OSError:  # not listening yet, or still booting
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz in 60 s: see bench/.gunicorn.log")


def worker_peak_rss_mb(server: subprocess.Popen) -> list[float]:
    """The high-water resident memory of each gunicorn worker (children of the master)."""
    peaks = []
    for child in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split():
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(round(int(line.split()[1]) / 1024, 1))
    return peaks


# --- The plans: one request per line, for wrk ----------------------------------------------------------------


def build_plans(url: str, workdir: Path, rng: random.Random, secret_key: str) -> dict:
    """Write each scenario's requests to a file; returns {scenario: (plan path, mode)} and what the flow needs.
    Sessions are signed with the server's secret key, so this process uses the same one."""
    os.environ.update(
        {
            "DATABASE_URL": url,
            "REDIS_URL": "",
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "SECRET_KEY": secret_key,
        }
    )
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from knox.models import AuthToken, get_digest_token
    from knox.settings import CONSTANTS

    from accounts.models import Industry, Skill, User
    from mentorship.models import Mentorship, MentorshipRequest
    from programs.models import Membership, Program

    # The default program's people: the flat API and pages act on it.
    members = Membership.objects.in_program(Program.objects.default()).active()
    mentees = list(User.objects.filter(pk__in=members.mentees().values("user_id")).order_by("pk"))
    mentor_ids = list(members.mentors().order_by("user_id").values_list("user_id", flat=True))

    # One knox token per person, made in bulk as accounts.services.api_token_create makes them one by one.
    AuthToken.objects.all().delete()
    expiry = timezone.now() + dt.timedelta(days=1)
    tokens, rows = {}, []
    for user_id in User.objects.values_list("pk", flat=True):
        digest, tokens[user_id] = get_digest_token()
        key = tokens[user_id][: CONSTANTS.TOKEN_KEY_LENGTH]
        rows.append(AuthToken(digest=digest, token_key=key, user_id=user_id, expiry=expiry))
    AuthToken.objects.bulk_create(rows, batch_size=5000)

    def session_for(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    browsing = rng.sample(mentees, 200)  # 200 signed-in mentees browse the pages
    sessions = {u.pk: session_for(u) for u in browsing}

    skills = list(Skill.objects.approved().values_list("name", flat=True))  # what the filters offer
    industries = list(Industry.objects.values_list("name", flat=True))
    pages = -(-len(mentor_ids) // 20)
    words = ["leadership", "product", "years", "help", "design", "finance", "research", "strategy"]

    def directory_query() -> str:
        kind = rng.random()
        if kind < 0.4:
            return f"?page={rng.randint(1, min(pages, 50))}"
        if kind < 0.7:
            return f"?skill={quote(rng.choice(skills))}&accepting=true"
        if kind < 0.9:
            return f"?industry={quote(rng.choice(industries))}&ordering=-years_experience"
        return f"?q={rng.choice(words)}"

    def write(name: str, lines: list[str]) -> Path:
        path = workdir / f"{name}.plan"
        path.write_text("".join(line + "\n" for line in lines))
        return path

    n = 20_000
    plans = {
        "bare": write("bare", ["GET\t/bench/bare/\t-\t-"] * 100),
        "bare api": write(
            "bare-api", [f"GET\t/bench/bare-api/\ttoken:{tokens[rng.choice(mentees).pk]}\t-" for _ in range(n)]
        ),
        "directory api": write(
            "directory-api",
            [f"GET\t/api/v1/mentors/{directory_query()}\ttoken:{tokens[rng.choice(mentees).pk]}\t-" for _ in range(n)],
        ),
        "directory page": write(
            "directory-page",
            [f"GET\t/mentors/{directory_query()}\tsession:{sessions[rng.choice(browsing).pk]}\t-" for _ in range(n)],
        ),
        "mentor page": write(
            "mentor-page",
            [
                f"GET\t/mentors/{rng.choice(mentor_ids)}/\tsession:{sessions[rng.choice(browsing).pk]}\t-"
                for _ in range(n)
            ],
        ),
        "recommendations": write(
            "recommendations",
            [
                f"GET\t/api/v1/mentors/recommended/?limit=10\ttoken:{tokens[rng.choice(browsing).pk]}\t-"
                for _ in range(n)
            ],
        ),
        "recommendations cold": write(
            "recommendations-cold",
            [
                f"GET\t/api/v1/mentors/recommended/?limit=10\ttoken:{tokens[u.pk]}\t-"
                for u in rng.sample(mentees, min(n, len(mentees)))
            ],
        ),
    }

    # The flow: mentees with no mentor and nothing pending ask mentors with room (never more requests than a
    # mentor has open slots, so that every accept can succeed). One mentee and one mentor are kept aside for the
    # capacity check.
    busy = set(Mentorship.objects.filter(status="active", program__slug="main").values_list("mentee_id", flat=True))
    busy |= set(MentorshipRequest.objects.pending().filter(program__slug="main").values_list("mentee_id", flat=True))
    free = [u for u in mentees if u.pk not in busy]
    rng.shuffle(free)
    check_mentees, free = free[: CAPACITY_CHECK["accepts"]], free[CAPACITY_CHECK["accepts"] :]
    room = [(m.user_id, m.open_slots, m.capacity) for m in _mentors_with_room() if m.accepting_requests]
    rng.shuffle(room)
    check_mentor = next(mentor for mentor, open_slots, capacity in room if open_slots == capacity)  # no mentee
    room = [(mentor, open_slots) for mentor, open_slots, _ in room if mentor != check_mentor and open_slots > 0]
    slots = [mentor for mentor, open_slots in room for _ in range(open_slots)]
    rng.shuffle(slots)
    pairs = list(zip(free, slots, strict=False))
    body = '{{"mentor": {mentor}, "message": "Hello from the load benchmark."}}'
    plans["request"] = write(
        "request",
        [
            f"POST\t/api/v1/requests/\ttoken:{tokens[mentee.pk]}\t{body.format(mentor=mentor)}"
            for mentee, mentor in pairs
        ],
    )
    return {
        "plans": plans,
        "tokens": tokens,
        "check": {"mentor": check_mentor, "mentees": [u.pk for u in check_mentees]},
    }


def _mentors_with_room():
    from mentorship import selectors
    from programs.models import Program

    return (
        selectors.mentor_directory(Program.objects.default())
        .select_related(None)
        .prefetch_related(None)
        .only("user_id", "accepting_requests", "capacity")
    )


def quote(text: str) -> str:
    from urllib.parse import quote as url_quote

    return url_quote(text)


def accept_plan(workdir: Path, tokens: dict) -> Path:
    """The requests the request scenario created, each accepted by its mentor."""
    from mentorship.models import MentorshipRequest

    sent = MentorshipRequest.objects.pending().filter(message="Hello from the load benchmark.")
    lines = [
        f"POST\t/api/v1/requests/{pk}/accept/\ttoken:{tokens[mentor]}\t-"
        for pk, mentor in sent.order_by("?").values_list("pk", "mentor_id")
    ]
    path = workdir / "accept.plan"
    path.write_text("".join(line + "\n" for line in lines))
    return path


# --- Running ----------------------------------------------------------------------------------------------


def wrk(port: int, plan: Path, mode: str, users: int, seconds: float) -> dict:
    threads = min(2, users)
    command = [
        "wrk", "-t", str(threads), "-c", str(users), "-d", f"{round(seconds)}s", "--timeout", "10s",
        "-s", str(ROOT / "bench" / "load.lua"), f"http://127.0.0.1:{port}", "--", str(plan), mode, str(threads),
    ]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode:
        raise SystemExit(f"wrk failed: {finished.stderr or finished.stdout}")
    out = finished.stdout
    result = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
    result["rps"] = round(result["requests"] / result["seconds"], 1)
    result["errors"] = (
        result["socket_errors"]
        + result["timeouts"]
        + sum(n for status, n in result["statuses"].items() if not status.startswith("2"))
    )
    return result


def capacity_check(port: int, tokens: dict, check: dict) -> dict:
    """50 accepts at one instant for a mentor with room for 3: exactly 3 succeed."""
    from django.db import transaction

    from mentorship.models import Mentorship, MentorshipRequest
    from programs.models import Membership, Program

    mentor_id = check["mentor"]
    with transaction.atomic():  # a mentor with no mentee (chosen so) and nothing pending
        Membership.objects.in_program(Program.objects.default()).mentors().filter(user_id=mentor_id).update(
            capacity=CAPACITY_CHECK["capacity"]
        )
        MentorshipRequest.objects.filter(mentor_id=mentor_id, status="pending").update(status="withdrawn")
    # The requests go through the API too, as the mentees would send them.
    ids = []
    for mentee in check["mentees"]:
        status, body = post(port, "/api/v1/requests/", tokens[mentee], {"mentor": mentor_id, "message": "Please?"})
        assert status == 201, (status, body)
        ids.append(body["id"])

    barrier = threading.Barrier(len(ids))
    statuses = []

    def accept(request_id: int) -> None:
        barrier.wait()
        statuses.append(post(port, f"/api/v1/requests/{request_id}/accept/", tokens[mentor_id], None)[0])

    workers = [threading.Thread(target=accept, args=(pk,)) for pk in ids]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    active = Mentorship.objects.filter(mentor_id=mentor_id, status="active").count()
    counts = {str(s): statuses.count(s) for s in sorted(set(statuses))}
    exact = counts.get("200", 0) == CAPACITY_CHECK["capacity"] == active and len(statuses) == len(ids)
    return {"accepts": len(ids), "capacity": CAPACITY_CHECK["capacity"], "statuses": counts, "active": active,
            "exact": exact and counts.get("409", 0) == len(ids) - CAPACITY_CHECK["capacity"]}  # fmt: skip


def post(port: int, path: str, token: str, payload: dict | None) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(payload or {}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json", "X-Forwarded-Proto": "https"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.machine(),
    )  # fmt: skip
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    return f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20, help="concurrent connections (default 20)")
    parser.add_argument("--duration", type=int, default=20, help="seconds measured per scenario")
    parser.add_argument("--warmup", type=int, default=5, help="seconds run first and not counted")
    parser.add_argument("--mentors", type=int, default=5000)
    parser.add_argument("--mentees", type=int, default=20000)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded demo if it has this size")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--only", type=lambda names: names.split(","), default=list(SCENARIOS), help="comma-separated scenarios"
    )
    args = parser.parse_args()

    base_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not base_url.startswith("postgres") or not redis_url:
        raise SystemExit("Needs DATABASE_URL (PostgreSQL) and REDIS_URL: `source .ci/services.sh` starts both.")
    if not shutil.which("wrk"):
        raise SystemExit("Needs wrk: apt-get install wrk")

    url = prepare_database(base_url, args.mentors, args.mentees, args.reuse)
    workdir = ROOT / "bench" / ".load"
    workdir.mkdir(exist_ok=True)
    env = server_env(url, redis_url)
    setup = build_plans(url, workdir, random.Random(7), env["SECRET_KEY"])
    manage("collectstatic", "--noinput", "-v0", env=env)
    port = free_port()
    server = start_gunicorn(env, port, os.environ.get("BENCH_GUNICORN_ARGS", "").split())
    results = {}
    try:
        for name, plan in setup["plans"].items():
            if name in args.only:
                once = name in ("request", "recommendations cold")  # each line's answer may be made once only
                results[name] = run(port, name, plan, "once" if once else "cycle", args)
        if "accept" in args.only:
            results["accept"] = run(port, "accept", accept_plan(workdir, setup["tokens"]), "once", args)
        capacity = capacity_check(port, setup["tokens"], setup["check"])
        peaks = worker_peak_rss_mb(server)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    report(results, capacity, peaks, args)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "results": results, "capacity": capacity,
                                         "worker_peak_rss_mb": peaks}, indent=2))  # fmt: skip


def run(port: int, name: str, plan: Path, mode: str, args) -> dict:
    if mode == "cycle" and args.warmup:  # the flow's plans are used once: its first seconds are its warm-up
        wrk(port, plan, mode, args.users, args.warmup)
    result = wrk(port, plan, mode, args.users, args.duration)
    print(f"  {name:<16} {result['rps']:>8.1f} req/s  p95 {result['p95']:>7.1f} ms  {result['statuses']}")
    return result


def report(results: dict, capacity: dict, peaks: list, args) -> None:
    bare = results.get("bare", {}).get("rps")
    bare_api = results.get("bare api", {}).get("rps")
    print(f"\n{machine()}; gunicorn 2 sync workers, {args.users} connections, {args.duration:g} s per scenario")
    print(
        f"{'scenario':<21}{'req/s':>9}{'÷ bare api':>12}{'÷ bare':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses"
    )
    for name, r in results.items():
        ratio = f"{r['rps'] / bare:>8.2f}" if bare else f"{'':>8}"
        ratio_api = f"{r['rps'] / bare_api:>12.2f}" if bare_api else f"{'':>12}"
        ran_out = "  (plan used up before the end)" if r["ran_out"] else ""
        print(f"{name:<21}{r['rps']:>9.1f}{ratio_api}{ratio}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}  "
              f"{r['statuses']}{ran_out}")  # fmt: skip
    print(f"gunicorn workers' peak memory: {', '.join(f'{mb:.0f} MB' for mb in peaks)}")
    print(f"capacity check: {capacity['accepts']} accepts at once for {capacity['capacity']} slots → "
          f"{capacity['statuses']}, {capacity['active']} active mentorships")  # fmt: skip

    targets = [
        ("no error under load", all(r["errors"] == 0 for r in results.values()),
         f"{sum(r['errors'] for r in results.values())} errors"),
        ("exactly capacity under 50 concurrent accepts", capacity["exact"], str(capacity["statuses"])),
    ]  # fmt: skip
    # Measured against the signed-in floor (`bare api`): every scenario but `bare` signs its caller in.
    for name, share in (("directory api", 0.8), ("mentor page", 0.25)):
        if bare_api and name in results:
            ratio = results[name]["rps"] / bare_api
            targets.append((f"{name} throughput ≥ {share:g} of bare api", ratio >= share, f"{ratio:.2f}"))
    for name, p95 in (("directory api", 50), ("directory page", 50), ("recommendations", 100)):
        if name in results:
            r = results[name]
            targets.append((f"{name} p95 ≤ {p95} ms", r["p95"] <= p95, f"{r['p95']:.1f} ms"))
    print("\ntargets:")
    for label, met, figure in targets:
        print(f"  {'met ' if met else 'MISSED'} {label}: {figure}")


if __name__ == "__main__":
    main()
