"""Markets and editions: which country storefront and language a request is for.

Owns the `/<edition>/` URL prefix, `g.edition`/`g.market`/`g.language`/`g.languages`, the Babel
locale selector, the negotiation behind `/`, and the hreflang/switcher links. Views never parse
the edition themselves. Web parts: `app.sites.routing` and `app.sites.views`.
"""
