"""The README stays true: its commands are the Makefile's and CI's, and docker-compose runs what it documents."""

import json
import re
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _make_dry_run(target: str) -> str:
    """What `make TARGET` would run on a fresh clone (-B: as if nothing were built yet)."""
    return subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_readme_gives_the_two_commands_in_order():
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    assert blocks[0].strip() == "make run"
    assert blocks[1].strip() == "make test"


def test_make_run_sets_up_migrates_seeds_and_serves_on_port_8000():
    steps = _make_dry_run("run")
    assert "-m venv .venv" in steps
    assert "pip install --quiet -r requirements.txt" in steps
    assert "manage.py migrate" in steps
    assert "manage.py seed_demo" in steps
    assert "runserver 127.0.0.1:8000" in steps


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, flags=re.M)


def test_compose_file_names_the_four_services_and_the_scheduler():
    assert set(_compose()["services"]) == {"web", "worker", "db", "redis", "beat"}


def test_compose_images_are_postgresql_16_and_redis_7():
    services = _compose()["services"]
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"


def test_compose_web_serves_with_gunicorn_and_the_worker_runs_the_documented_command():
    services = _compose()["services"]
    assert "gunicorn config.wsgi" in services["web"]["command"]
    makefile = (ROOT / "Makefile").read_text()
    for name in ("worker", "beat"):
        command = services[name]["command"].split(" --schedule")[0]
        assert command in README
        assert f"$(VENV)/bin/{command}" in makefile


def test_compose_app_services_are_configured_by_the_documented_variables():
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        for variable in services[name]["environment"]:
            assert f"`{variable}`" in README, f"{variable} is not documented in the README"


def test_dockerfile_installs_the_pinned_requirements_and_runs_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    assert "collectstatic" in dockerfile
    assert '"gunicorn", "config.wsgi"' in dockerfile


def test_every_requirement_is_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r")):
                assert "==" in line, f"{name}: {line} is not pinned"


def test_ci_proves_the_production_install_from_requirements_alone():
    ci = (ROOT / ".ci" / "run").read_text()
    smoke = (ROOT / ".ci" / "smoke.sh").read_text()
    assert re.search(r"^bash \.ci/smoke\.sh$", ci, flags=re.M)
    installs = re.findall(r"pip install .*", smoke)
    assert installs and all("requirements-dev" not in line for line in installs)
    assert "-r requirements.txt" in installs[-1]
    for proof in ("check --deploy", 'celery" -A config worker', 'gunicorn" config.wsgi', ".ci/smoke.py"):
        assert proof in smoke


def test_npm_packages_are_pinned_exactly_and_installed_for_the_tests():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for name, version in package["devDependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"package.json: {name} {version} is not pinned"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, f"package-lock.json: {name}"
    assert "npm ci" in _make_dry_run("test")
    assert re.search(r"^make node_modules/\.installed$", (ROOT / ".ci" / "run").read_text(), flags=re.M)
