"""Country-site content: pages and home-page blocks per market and language, with drafts, revisions,
scheduled publishing and an audit log; the country managers' editor; catalog translation tools.

Owns `content_*` tables. Asks `app.accounts.permissions` who may edit which market, `app.catalog`
for the texts it helps translate, and `app.media` where banner files live.
"""
