#!/usr/bin/env bash
# Install the shop on one Debian or Ubuntu server, as root: packages, a system user, the code and its venv,
# the data and log folders, the environment file, the systemd units and timers, the nginx site, log rotation.
# Safe to run again: it brings everything to the same state and never overwrites the environment file.
#
#   sudo deploy/install.sh --domain shop.example.com
#   deploy/install.sh --prefix /tmp/tree --venv .venv --no-packages   # a self-contained tree (tests, images)
#
# Options:
#   --domain NAME      the site's host name (default: this machine's)
#   --prefix DIR       install every path under DIR, the files naming those prefixed paths; no apt, no user,
#                      no systemctl (default: /, a real install)
#   --source DIR       the checkout to install (default: the one this script is in)
#   --venv DIR         use this existing virtualenv instead of making one and installing requirements.txt
#   --user NAME        the system user the services run as (default: refurb)
#   --bind ADDR        where gunicorn listens, nginx's upstream (default: 127.0.0.1:8000)
#   --no-packages      do not apt-get install anything
set -euo pipefail

DOMAIN=$(hostname -f 2>/dev/null || hostname)
PREFIX=/
SOURCE=$(cd "$(dirname "$0")/.." && pwd)
VENV_FROM=""
USER_NAME=refurb
BIND=127.0.0.1:8000
PACKAGES=yes
while [ $# -gt 0 ]; do
  case "$1" in
    --domain) DOMAIN=$2; shift 2 ;;
    --prefix) PREFIX=$2; shift 2 ;;
    --source) SOURCE=$(cd "$2" && pwd); shift 2 ;;
    --venv) VENV_FROM=$(cd "$2" && pwd); shift 2 ;;
    --user) USER_NAME=$2; shift 2 ;;
    --bind) BIND=$2; shift 2 ;;
    --no-packages) PACKAGES=no; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

REAL=no
[ "$PREFIX" = / ] && REAL=yes
if [ "$REAL" = yes ] && [ "$(id -u)" != 0 ]; then
  echo "install.sh: run as root (or with --prefix DIR for a tree of your own)" >&2
  exit 1
fi
mkdir -p "$PREFIX"
P=$(cd "$PREFIX" && pwd); [ "$P" = / ] && P=""

BASE=$P/opt/refurb
APP_DIR=$BASE/app
VENV=$BASE/venv
DATA_DIR=$P/var/lib/refurb
LOG_DIR=$P/var/log/refurb
ETC=$P/etc/refurb
ENV_FILE=$ETC/refurb.env
TLS_DIR=$ETC/tls
ACME_ROOT=$P/var/www/letsencrypt
NGINX_DIR=$P/etc/nginx
UNIT_DIR=$P/etc/systemd/system
MAX_BODY=16m
say() { echo "=== $*"; }

# --- packages -------------------------------------------------------------------------------------------------
if [ "$REAL" = yes ] && [ "$PACKAGES" = yes ]; then
  missing=""
  for pkg in python3 python3-venv nginx certbot postgresql-client openssl logrotate; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  if [ -n "$missing" ]; then
    say "apt-get install$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade $missing >/dev/null
  fi
fi

# --- user and folders -----------------------------------------------------------------------------------------
if [ "$REAL" = yes ] && ! id -u "$USER_NAME" >/dev/null 2>&1; then
  say "system user $USER_NAME"
  useradd --system --home-dir "$DATA_DIR" --shell /usr/sbin/nologin --user-group "$USER_NAME"
fi
# nginx serves the photos straight from the data folder: its user joins the shop's group (the folder is 0750,
# the services' files 0640 through UMask=0027).
if [ "$REAL" = yes ] && id -u www-data >/dev/null 2>&1; then usermod -a -G "$USER_NAME" www-data; fi
mkdir -p "$BASE" "$DATA_DIR/media" "$DATA_DIR/backups" "$LOG_DIR" "$ETC" "$TLS_DIR" "$ACME_ROOT" \
         "$NGINX_DIR/sites-available" "$NGINX_DIR/sites-enabled" "$NGINX_DIR/snippets" "$UNIT_DIR" \
         "$P/etc/logrotate.d"
chmod 0750 "$DATA_DIR" "$DATA_DIR/backups"

# --- code -----------------------------------------------------------------------------------------------------
say "code: $SOURCE -> $APP_DIR"
rm -rf "$APP_DIR.new"
mkdir -p "$APP_DIR.new"
(cd "$SOURCE" && tar --exclude=./.git --exclude=./.venv --exclude=./node_modules --exclude=./instance \
   --exclude=./test-results --exclude='*.pyc' --exclude=__pycache__ -cf - .) | tar -xf - -C "$APP_DIR.new"
if [ -f "$SOURCE/REVISION" ]; then cp "$SOURCE/REVISION" "$APP_DIR.new/REVISION"
elif git -C "$SOURCE" rev-parse HEAD >/dev/null 2>&1; then git -C "$SOURCE" rev-parse HEAD > "$APP_DIR.new/REVISION"; fi
ln -sfn "$DATA_DIR" "$APP_DIR.new/instance"          # the app's instance/ folder is the data folder
rm -rf "$APP_DIR.old"
[ -d "$APP_DIR" ] && mv "$APP_DIR" "$APP_DIR.old"
mv "$APP_DIR.new" "$APP_DIR"
rm -rf "$APP_DIR.old"

# --- virtualenv -----------------------------------------------------------------------------------------------
if [ -n "$VENV_FROM" ]; then
  ln -sfn "$VENV_FROM" "$VENV"
else
  [ -x "$VENV/bin/python" ] || { say "virtualenv $VENV"; python3 -m venv "$VENV"; }
  say "pip install -r requirements.txt"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$APP_DIR/requirements.txt"
fi

# --- files from templates -------------------------------------------------------------------------------------
render() {   # render TEMPLATE TARGET [MODE]: the @NAME@ placeholders replaced by this install's values
  sed -e "s|@USER@|$USER_NAME|g" -e "s|@APP_DIR@|$APP_DIR|g" -e "s|@VENV@|$VENV|g" -e "s|@DATA_DIR@|$DATA_DIR|g" \
      -e "s|@LOG_DIR@|$LOG_DIR|g" -e "s|@ENV_FILE@|$ENV_FILE|g" -e "s|@TLS_DIR@|$TLS_DIR|g" \
      -e "s|@ACME_ROOT@|$ACME_ROOT|g" -e "s|@NGINX_DIR@|$NGINX_DIR|g" -e "s|@MEDIA_ROOT@|$DATA_DIR/media|g" \
      -e "s|@DOMAIN@|$DOMAIN|g" -e "s|@BIND@|$BIND|g" -e "s|@MAX_BODY@|$MAX_BODY|g" \
      -e "s|@SECRET_KEY@|${SECRET_KEY:-}|g" "$1" > "$2.tmp"
  chmod "${3:-0644}" "$2.tmp"
  mv "$2.tmp" "$2"
}

if [ ! -f "$ENV_FILE" ]; then
  say "environment file $ENV_FILE (new SECRET_KEY)"
  SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')
  render "$APP_DIR/deploy/refurb.env.example" "$ENV_FILE" 0640
  unset SECRET_KEY
else
  say "environment file $ENV_FILE kept"
fi

say "systemd units in $UNIT_DIR"
for unit in refurb-web.service refurb-worker.service refurb-backup.service refurb-backup.timer \
            refurb-drill.service refurb-drill.timer; do
  render "$APP_DIR/deploy/systemd/$unit" "$UNIT_DIR/$unit"
done

say "nginx site for $DOMAIN"
render "$APP_DIR/deploy/nginx/refurb.conf" "$NGINX_DIR/sites-available/refurb"
render "$APP_DIR/deploy/nginx/refurb-proxy.conf" "$NGINX_DIR/snippets/refurb-proxy.conf"
ln -sfn "$NGINX_DIR/sites-available/refurb" "$NGINX_DIR/sites-enabled/refurb"
if [ ! -e "$TLS_DIR/fullchain.pem" ]; then
  say "self-signed placeholder certificate in $TLS_DIR (until certbot's)"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$DOMAIN" \
    -keyout "$TLS_DIR/privkey.pem" -out "$TLS_DIR/fullchain.pem" >/dev/null 2>&1
  chmod 0600 "$TLS_DIR/privkey.pem"
fi
render "$APP_DIR/deploy/logrotate.conf" "$P/etc/logrotate.d/refurb"

# --- ownership, schema, services ------------------------------------------------------------------------------
as_app() {   # run a command as the service user with the environment file's settings, as the units do
  local vars=() line
  while IFS= read -r line; do
    case "$line" in ''|'#'*) ;; *=*) vars+=("$line") ;; esac
  done < "$ENV_FILE"
  runuser -u "$USER_NAME" -- env "${vars[@]}" "$@"
}
if [ "$REAL" = yes ]; then
  chown root:"$USER_NAME" "$ENV_FILE"
  chown -R "$USER_NAME":"$USER_NAME" "$DATA_DIR" "$LOG_DIR"
  say "translations, migrations, markets"
  "$VENV/bin/pybabel" -q compile -d "$APP_DIR/translations"
  (cd "$APP_DIR" && as_app "$VENV/bin/flask" --app wsgi db upgrade && as_app "$VENV/bin/flask" --app wsgi sites sync)
  if [ -d /run/systemd/system ]; then
    say "systemctl enable --now"
    systemctl daemon-reload
    systemctl enable --now refurb-web.service refurb-worker.service refurb-backup.timer refurb-drill.timer
    rm -f /etc/nginx/sites-enabled/default
    nginx -t && systemctl reload nginx
  else
    echo "systemd is not running here: start the units yourself once it is (systemctl enable --now refurb-web ...)"
  fi
fi

cat <<EOF

Installed under ${P:-/}. What is left to do:
  1. DNS: point $DOMAIN (A and AAAA records) at this server; open ports 80 and 443.
  2. Settings: edit $ENV_FILE (DATABASE_URL for PostgreSQL, MAIL_*, STRIPE_*), then
     systemctl restart refurb-web refurb-worker
  3. Certificate, once DNS answers:
     certbot certonly --webroot -w $ACME_ROOT -d $DOMAIN --deploy-hook $APP_DIR/deploy/certbot-deploy-hook.sh
  4. Catalog: load yours, or the demo (runuser -u $USER_NAME -- $VENV/bin/flask --app wsgi demo load).
  5. Check: curl -fsS https://$DOMAIN/readyz ; the Operations page in the back office; the first
     backup (systemctl start refurb-backup) and drill (systemctl start refurb-drill).
  Code updates: copy the new code in place with this script, then run $APP_DIR/deploy/release.sh.
EOF
