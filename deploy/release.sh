#!/usr/bin/env bash
# Put the code now in place into service without dropping a request:
#   1. compile the translations and apply the migrations (expand only: the old code keeps running on the
#      new schema until step 4; see README "Running in production" for the expand/contract rule);
#   2. USR2 to gunicorn's master: it starts a new master from the new code, which loads the app (preload),
#      reads the search columns and forks its workers, on the same listening socket;
#   3. wait until the new master has its workers (under systemd it has also told systemd it is the main
#      process now, see gunicorn.conf.py);
#   4. TERM to the old master: its workers finish the requests they hold, then exit;
#   5. check /readyz.
#
#   deploy/release.sh                        # the install's paths (/etc/refurb/refurb.env, /run/refurb-web)
#   deploy/release.sh --env FILE --pidfile FILE [--venv DIR] [--user NAME]
set -euo pipefail

APP_DIR=$(cd "$(dirname "$0")/.." && pwd)
ENV_FILE=/etc/refurb/refurb.env
PIDFILE=/run/refurb-web/gunicorn.pid
VENV=$(cd "$APP_DIR/.." && pwd)/venv
USER_NAME=refurb
TIMEOUT=${RELEASE_TIMEOUT:-120}
while [ $# -gt 0 ]; do
  case "$1" in
    --env) ENV_FILE=$2; shift 2 ;;
    --pidfile) PIDFILE=$2; shift 2 ;;
    --venv) VENV=$2; shift 2 ;;
    --user) USER_NAME=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "release.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
say() { echo "=== $(date +%T) $*"; }

vars=()
while IFS= read -r line; do
  case "$line" in ''|'#'*) ;; *=*) vars+=("$line") ;; esac
done < "$ENV_FILE"
as_app() {
  if [ "$(id -u)" = 0 ] && id -u "$USER_NAME" >/dev/null 2>&1; then
    (cd "$APP_DIR" && runuser -u "$USER_NAME" -- env "${vars[@]}" "$@")
  else
    (cd "$APP_DIR" && env "${vars[@]}" "$@")
  fi
}
wait_for() {   # wait_for SECONDS COMMAND...: until the command succeeds
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

# A checkout deployed with git names its commit; install.sh writes REVISION itself.
[ -e "$APP_DIR/.git" ] && git -C "$APP_DIR" rev-parse HEAD > "$APP_DIR/REVISION"
say "translations and migrations"
"$VENV/bin/pybabel" -q compile -d "$APP_DIR/translations"
as_app "$VENV/bin/flask" --app wsgi db upgrade

[ -s "$PIDFILE" ] || { echo "release.sh: no gunicorn master in $PIDFILE (is refurb-web running?)" >&2; exit 1; }
old=$(cat "$PIDFILE")
kill -0 "$old"
say "USR2 to the master $old: a new master from the new code"
rm -f "$PIDFILE.2"
kill -USR2 "$old"
wait_for "$TIMEOUT" test -s "$PIDFILE.2" || { echo "release.sh: no new master after ${TIMEOUT}s" >&2; exit 1; }
new=$(cat "$PIDFILE.2")
workers=$(env "${vars[@]}" sh -c 'echo "${WEB_CONCURRENCY:-$(nproc)}"')
has_workers() { [ "$(pgrep -c -P "$new" || true)" -ge "$workers" ]; }
if ! wait_for "$TIMEOUT" has_workers; then
  echo "release.sh: the new master $new did not start its workers; stopping it, the old one keeps serving" >&2
  kill -TERM "$new" 2>/dev/null || true
  exit 1
fi
say "new master $new has $workers workers; TERM to the old master $old"
kill -TERM "$old"
wait_for "$TIMEOUT" sh -c "! kill -0 $old 2>/dev/null" || { echo "release.sh: old master $old still running" >&2; exit 1; }
wait_for 30 sh -c "[ \"\$(cat '$PIDFILE' 2>/dev/null)\" = '$new' ]" || true
bind=$(env "${vars[@]}" sh -c 'echo "${BIND:-127.0.0.1:8000}"')
if [ "${bind#unix:}" = "$bind" ]; then
  "$VENV/bin/python" -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=30).read().decode())' \
    "http://$bind/readyz"
fi
say "released: master $new"
