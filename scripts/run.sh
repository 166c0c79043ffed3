#!/usr/bin/env bash
# make run: embedded services, migrate, import MovieLens and train once, then web + worker.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
export PATH="$PWD/.venv/bin:$PATH"
export HOST="${HOST:-127.0.0.1}" PORT="${PORT:-8000}"

python manage.py services start
python manage.py migrate --no-input
# Hashing and precompressing ~500 files takes most of a minute: only when the
# product's static files or the pinned packages (admin, API docs) changed.
manifest="${STATIC_ROOT:-${OTT_VAR_DIR:-var}/staticfiles}/staticfiles.json"
if [ ! -f "$manifest" ] || [ -n "$(find static requirements.txt -newer "$manifest" -print -quit)" ]; then
    echo "Collecting static files (hashed, compressed)..."
    python manage.py collectstatic --no-input -v 0
fi
python manage.py bootstrap

stop_services() { python manage.py services stop || true; }
trap stop_services EXIT

echo
echo "  ottsite is running at http://${HOST}:${PORT}/   (admin: http://${HOST}:${PORT}/admin/)"
echo "  Create an admin with: .venv/bin/python manage.py createsuperuser. Ctrl-C stops everything."
echo
honcho start -f Procfile
