"""Public content: pages and home blocks per edition, the language fallback, and the managers' badge."""
from datetime import UTC, datetime, timedelta

from app.content.models import SHARED
from app.content.services import save_text
from app.models_base import utcnow
from tests.builders import make_markets, make_user, sign_in

PAST = datetime(2026, 1, 1, tzinfo=UTC)


def publish(session, key, language, title, body="", market=SHARED, at=PAST):
    from app.content.queries import find_text
    text = find_text(session, key, language=language, market=market)
    return save_text(session, key=key, language=language, market=market, expected_version=text.version if text else 0,
                     title=title, body=body, publish_at=at)


def test_french_text_serves_france_and_belgium_until_belgium_overrides_it(client, session):
    # given
    make_markets(session)
    publish(session, "about", "fr", "Qui sommes-nous", "Texte **français**.")
    session.commit()

    # when / then: the shared French text on both French-speaking editions
    for edition in ("fr-fr", "fr-be"):
        html = client.get(f"/{edition}/info/about").get_data(as_text=True)
        assert "Qui sommes-nous" in html and "<strong>français</strong>" in html

    # given: Belgium overrides it
    publish(session, "about", "fr", "À propos (Belgique)", "Texte belge.", market="BE")
    session.commit()

    # then
    assert "Texte belge." in client.get("/fr-be/info/about").text
    assert "Texte belge." not in client.get("/fr-fr/info/about").text
    assert "Texte **français**" not in client.get("/fr-fr/info/about").text


def test_german_belgium_falls_back_to_french_quietly_and_the_manager_sees_a_badge(client, session):
    # given: a French text only
    make_markets(session)
    publish(session, "faq", "fr", "Questions fréquentes", "Réponse.")
    manager = make_user(session, markets=("BE",))
    session.commit()

    # when
    public = client.get("/de-be/info/faq").get_data(as_text=True)

    # then: the French text marked as French, with no badge for the public
    assert 'lang="fr"' in public and "Réponse." in public and "content-badge" not in public
    sign_in(client, manager, edition="de-be")
    assert "content-badge" in client.get("/de-be/info/faq").text
    assert "content-badge" not in client.get("/fr-be/info/faq").text     # French is that edition's own


def test_a_page_without_text_is_a_404_and_unknown_keys_too(client, session):
    make_markets(session)
    session.commit()
    assert client.get("/fr-fr/info/about").status_code == 404
    assert client.get("/fr-fr/info/no-such-page").status_code == 404


def test_scheduled_text_shows_only_once_its_time_has_come(client, session):
    # given: published now, and a new version scheduled in an hour
    make_markets(session)
    publish(session, "warranty", "en", "Warranty v1", at=utcnow() - timedelta(minutes=1))
    publish(session, "warranty", "en", "Warranty v2", at=utcnow() + timedelta(hours=1))
    session.commit()

    # then: v1 now; v2 when read after its time (publishing resolves at read time, no job runs)
    assert "Warranty v1" in client.get("/en-gb/info/warranty").text
    from app.content.queries import public_text
    later = public_text(session, "warranty", market="GB", languages=("en",), now=utcnow() + timedelta(hours=2))
    assert later.revision.title == "Warranty v2"


def test_drafts_stay_private(client, session):
    make_markets(session)
    publish(session, "legal-notice", "en", "Legal v1")
    save_text(session, key="legal-notice", language="en", expected_version=1, title="Legal draft", body="")
    session.commit()
    html = client.get("/en-gb/info/legal-notice").text
    assert "Legal v1" in html and "Legal draft" not in html


def test_home_blocks_replace_the_built_in_text(client, session):
    # given
    make_markets(session)
    publish(session, "home-hero", "fr", "Bienvenue chez Refurb", "Des appareils *garantis*.")
    publish(session, "home-reassurance", "fr", "Confiance", "- Garantie")
    session.commit()

    # when
    html = client.get("/fr-fr/").get_data(as_text=True)

    # then
    assert "Bienvenue chez Refurb" in html and "<em>garantis</em>" in html and "Confiance" in html
    assert "Bienvenue chez Refurb" not in client.get("/de-de/").text     # German has its own (built-in) text


def test_script_and_event_handlers_in_markdown_are_neutralised(client, session):
    make_markets(session)
    publish(session, "about", "en", "About", '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n'
            '[click](javascript:alert(3)) <a href="#" onclick="alert(4)">x</a>')
    session.commit()
    html = client.get("/en-gb/info/about").get_data(as_text=True)
    tags = elements(html.split('class="prose"', 1)[1].split("</article>", 1)[0])
    assert not [t for t in tags if t[0] in ("script", "img", "iframe")]
    assert not [t for t in tags if any(name.startswith("on") for name, _ in t[1])]
    assert not [t for t in tags if any((value or "").lower().startswith("javascript") for _, value in t[1])]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html           # shown as the text that was typed


def elements(html):
    """Every start tag of the page as (name, attributes): what a browser would build."""
    from html.parser import HTMLParser
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))
    Collector().feed(html)
    return found


def test_footer_links_the_published_pages(client, session):
    make_markets(session)
    publish(session, "delivery-returns", "it", "Spedizione e resi")
    session.commit()
    html = client.get("/it-it/").text
    assert "/it-it/info/delivery-returns" in html and "Spedizione e resi" in html


def test_home_block_in_a_fallback_language_is_marked_and_badged_for_managers_only(client, session):
    # given: a hero in French only
    make_markets(session)
    publish(session, "home-hero", "fr", "Bienvenue en Belgique")
    manager = make_user(session, markets=("BE",))
    session.commit()

    # when / then: German Belgium shows it as French, quietly for the public
    public = client.get("/de-be/").get_data(as_text=True)
    assert "Bienvenue en Belgique" in public and 'lang="fr"' in public and "content-badge" not in public
    sign_in(client, manager, edition="de-be")
    assert "content-badge" in client.get("/de-be/").text


def test_featured_blocks_choose_categories_products_and_the_promotion_link(client, session):
    # given: two products on sale in France, and blocks naming one of each and a promotion to a category
    from tests.builders import make_listing, make_product
    make_markets(session)
    chosen = make_product(session, key="chosen-phone", names={"fr": "Téléphone choisi"})
    other = make_product(session, key="other-phone", names={"fr": "Autre téléphone"})
    for product in (chosen, other):
        make_listing(session, variant=product.variants[0], prices={"FR": 20000})
    make_listing(session, variant=other.variants[0], prices={"FR": 21000})      # the most offered one
    save_text(session, key="home-products", language="fr", expected_version=0, title="Nos choix", body="",
              items="no-such-product\nchosen-phone", publish_at=PAST)
    save_text(session, key="home-categories", language="fr", expected_version=0, title="Rayons", body="",
              items=chosen.category.key, publish_at=PAST)
    save_text(session, key="home-promotion-1", language="fr", expected_version=0, title="Promo", body="",
              items=chosen.category.key, publish_at=PAST)
    session.commit()

    # when
    html = client.get("/fr-fr/").get_data(as_text=True)

    # then
    products = html.split('id="featured-title"', 1)[1]
    assert "Nos choix" in products and "Téléphone choisi" in products and "Autre téléphone" not in products
    categories = html.split('id="categories-title"', 1)[1].split("</section>", 1)[0]
    assert categories.count('class="category-tile"') == 1
    slug = next(t.slug for t in chosen.category.translations if t.language == "fr")
    assert f'<a href="/fr-fr/c/{slug}">Promo</a>' in html
