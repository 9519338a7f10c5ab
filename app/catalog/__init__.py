"""Catalog: categories, brands, device models, variants and their pictures; the home, category and
product pages. Prices and stock come from app.offers; markets and languages from app.sites.

Blueprints live in `app.catalog.views` (imported by the factory, not here, so that models can be
imported without pulling in the web layer)."""
