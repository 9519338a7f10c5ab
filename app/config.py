"""Default configuration. Every key can be overridden from the environment (see app.settings)."""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class DefaultConfig:
    # "development" serves with a throwaway SECRET_KEY; anything else refuses to start without one.
    ENVIRONMENT = "development"
    SECRET_KEY: str | None = None

    # The embedded default: a SQLite file under instance/, in WAL mode (see app.database).
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # SQLite page cache per connection, in KiB (see app.database.configure_sqlite).
    SQLITE_CACHE_KIB = 65536
    # Rendered shop pages kept per worker (app/web/page_cache.py); 0 seconds turns the cache off.
    PAGE_CACHE_SECONDS = 60
    PAGE_CACHE_ENTRIES = 1000
    # How long a cached home, category or search page may still be served after some product on it
    # changed (its exact price is always on the product page and in the cart); 0: never.
    PAGE_CACHE_LISTING_STALE_SECONDS = 5
    # Listing pages answered from the markets' summaries kept in memory per process
    # (app/search/memory.py); False answers every page in SQL (app/search/engine.py).
    SEARCH_IN_MEMORY = True

    # Babel: catalogs live beside app/, not inside it.
    # The regional catalogs (US English) are merged over their language's (Flask-Babel reads the
    # directories in order, a later one's messages win).
    BABEL_TRANSLATION_DIRECTORIES = f'{PROJECT_ROOT / "translations"};{PROJECT_ROOT / "translations" / "regional"}'
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("en", "fr", "de", "es", "it")

    # Where "/" sends a visitor we know nothing about.
    DEFAULT_EDITION = "en-gb"
    EDITION_COOKIE = "edition"
    EDITION_COOKIE_MAX_AGE = 365 * 24 * 3600

    # Tokens stay valid for the session: a shopper browsing for hours must not hit CSRF errors.
    WTF_CSRF_TIME_LIMIT = None

    # Number of reverse proxies (nginx) in front of the app whose X-Forwarded-* headers are trusted.
    PROXY_HOPS = 0
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SECURE: bool | None = None     # None: true in production (see app.settings)
    SESSION_COOKIE_SAMESITE = "Lax"

    # Uploaded and generated media (product photos, drawn illustrations).
    MEDIA_ROOT: str | None = None          # defaults to instance/media
    MEDIA_MAX_UPLOAD_BYTES = 15 * 1024 * 1024
    PRODUCT_IMAGE_SIZES = (1200, 600, 300)  # longest edge in px, WebP
    # "s3": media in an S3-compatible bucket (app/media/storage.py), for several app hosts.
    MEDIA_STORAGE = "local"
    S3_BUCKET: str | None = None
    S3_ENDPOINT_URL: str | None = None     # empty: AWS itself
    S3_REGION: str | None = None
    S3_ACCESS_KEY_ID: str | None = None
    S3_SECRET_ACCESS_KEY: str | None = None
    S3_PREFIX = ""
    S3_ADDRESSING_STYLE = "auto"           # "path" for stores without virtual-host buckets

    # Accounts. argon2id at argon2-cffi's RFC 9106 "low memory" profile; tests lower it.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536      # KiB
    ARGON2_PARALLELISM = 4
    # Sign-in rate limit, counted in the database (several app processes share it). An e-mail is locked
    # only for the address that failed with it, so nobody can lock another person out.
    LOGIN_WINDOW_SECONDS = 15 * 60
    LOGIN_MAX_FAILURES_PER_EMAIL_AND_IP = 5
    LOGIN_MAX_FAILURES_PER_IP = 30
    # Sensitive actions (password, e-mail, roles, staff) need a sign-in at most this old.
    RECENT_SIGN_IN_SECONDS = 15 * 60
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    # Seller CSV import of listings.
    LISTING_IMPORT_MAX_ROWS = 20000
    LISTING_IMPORT_MAX_BYTES = 8 * 1024 * 1024
    SELLER_LISTINGS_PER_PAGE = 50

    # The platform's commission when no rate is configured for a category or market (basis points).
    COMMISSION_DEFAULT_BP = 1000

    # Payments: the built-in test provider unless Stripe keys are set. TEST_PAYMENTS (None: true in development
    # only) allows that test provider; production without Stripe keys takes no payment (app.checkout.payments).
    TEST_PAYMENTS: bool | None = None
    STRIPE_SECRET_KEY: str | None = None
    STRIPE_WEBHOOK_SECRET: str | None = None
    CARRIER_WEBHOOK_SECRET: str | None = None     # signs carrier delivery events (app.aftersales)

    # Quality (app.quality): the Beta prior's weight, in units, toward the parent cell; and the
    # fewest matured units a failure rate needs before it is shown or used.
    QUALITY_PSEUDO_COUNT = 50
    QUALITY_MIN_UNITS = 30

    # E-mail, sent by `flask worker` from the outbox. With no MAIL_SERVER, messages are written as
    # .eml files under MAIL_FILE_DIR (instance/mail by default): the development sink.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 587
    MAIL_USE_TLS = True          # STARTTLS
    MAIL_USE_SSL = False         # implicit TLS (port 465)
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_FROM = "Refurb <orders@refurb.example>"
    MAIL_FILE_DIR: str | None = None

    # Operations (app/operations): archives written by `flask backup`, how many are kept, and when the
    # operations page raises an alert on the newest backup or restore drill.
    BACKUP_DIR: str | None = None          # defaults to instance/backups
    BACKUP_KEEP = 14
    BACKUP_ALERT_HOURS = 26
    DRILL_ALERT_DAYS = 8
    PG_BIN_DIR: str | None = None          # pg_dump and pg_restore; default: the newest in /usr/lib/postgresql
    WORKER_ALERT_MINUTES = 5
    LOG_FORMAT = "text"                    # "json": one JSON line per request and per log record

    FEATURED_PRODUCTS_ON_HOME = 12
    PRODUCTS_PER_PAGE = 24
