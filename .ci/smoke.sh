#!/usr/bin/env bash
# The production install, proved: a virtual environment from requirements.txt ALONE (none of the test tools,
# which pull in packages the app may silently need), production settings, gunicorn and a real Celery worker on
# PostgreSQL and Redis; `check --deploy` clean; the report's PDF made; then .ci/smoke.py drives a sign-up (its email
# through the worker), a request and an accept.
#
# Needs DATABASE_URL and REDIS_URL (source .ci/services.sh first). Uses its own database and Redis database.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?source .ci/services.sh first}" "${REDIS_URL:?source .ci/services.sh first}"
VENV=${SMOKE_VENV:-.venv-prod}
WORK=$(mktemp -d /tmp/mentorship-smoke.XXXXXX)
PY="$VENV/bin/python"

python3 -m venv "$VENV"
"$PY" -m pip install --quiet --upgrade pip
"$PY" -m pip install --quiet -r requirements.txt

psql "$DATABASE_URL" -q -c "DROP DATABASE IF EXISTS mentorship_smoke" -c "CREATE DATABASE mentorship_smoke"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

export DJANGO_SETTINGS_MODULE=config.settings.production
export SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')"
export DATABASE_URL="${DATABASE_URL%/*}/mentorship_smoke" REDIS_URL="${REDIS_URL%/*}/1"
export ALLOWED_HOSTS=127.0.0.1 DEBUG=false
export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend EMAIL_FILE_PATH="$WORK/emails"

"$PY" manage.py check --deploy --fail-level WARNING
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py collectstatic --noinput -v 0
# The report's PDF from the production install (WeasyPrint and the system's Pango), not only the test venv's.
"$PY" manage.py shell -c "from evaluation.report_pdf import pdf_render; assert pdf_render('<h1>Report</h1>').startswith(b'%PDF-')"
echo "ok   the production install makes the report's PDF"

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT

"$VENV/bin/celery" -A config worker --loglevel=INFO --concurrency 1 >"$WORK/worker.log" 2>&1 &
pids+=($!)
"$VENV/bin/gunicorn" config.wsgi --bind "127.0.0.1:$port" --workers 2 >"$WORK/gunicorn.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf -o /dev/null -H 'X-Forwarded-Proto: https' "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done

if ! "$PY" .ci/smoke.py "http://127.0.0.1:$port" "$WORK/emails" "$WORK/worker.log"; then
  echo "--- gunicorn log"; tail -n 60 "$WORK/gunicorn.log"
  echo "--- worker log"; tail -n 60 "$WORK/worker.log"
  exit 1
fi
if grep -E "Traceback|Could not (queue|send)" "$WORK/gunicorn.log"; then
  echo "FAIL the app logged an error (above) while answering"; exit 1
fi
rm -rf "$WORK"
echo "Production smoke test passed."
