#!/bin/sh
# certbot --deploy-hook: link the renewed certificate where the nginx site reads it, then reload nginx.
# Set by deploy/install.sh's advice: certbot certonly --webroot -w @ACME_ROOT@ -d DOMAIN --deploy-hook THIS
set -eu
TLS_DIR=${TLS_DIR:-/etc/refurb/tls}
[ -n "${RENEWED_LINEAGE:-}" ] || { echo "run by certbot: RENEWED_LINEAGE is not set" >&2; exit 1; }
ln -sfn "$RENEWED_LINEAGE/fullchain.pem" "$TLS_DIR/fullchain.pem"
ln -sfn "$RENEWED_LINEAGE/privkey.pem" "$TLS_DIR/privkey.pem"
nginx -t && systemctl reload nginx
