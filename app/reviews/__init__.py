"""Verified reviews of devices (model × grade) and of sellers, written only from delivered order
lines, moderated, with their disclosures; see `models` for the tables and README "Reviews"."""


def init_app(app) -> None:
    from . import labels
    from .views import buyer, platform, public, seller_office
    for blueprint in (buyer, public, platform, seller_office):
        app.register_blueprint(blueprint)
    labels.init_app(app)
