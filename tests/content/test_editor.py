"""The country managers' content editor: scope, drafts, publishing, conflicts, revisions, banners."""
import io
from datetime import timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from app.content.models import ContentAudit, ContentRevision, ContentText
from app.content.services import save_text
from app.models_base import utcnow
from tests.builders import make_markets, make_user, sign_in

HX = {"HX-Request": "true"}
FR_SHARED = "/manage/content/fr/fr/shared/about"
BE_OWN = "/manage/content/be/fr/market/about"


def form(version, title="Qui sommes-nous", body="Texte.", action="save", **extra):
    return {"title": title, "body": body, "version": str(version), "action": action, **extra}


def world(session):
    make_markets(session)
    people = {"fr": make_user(session, email="fr@shop.example", markets=("FR",), language="fr"),
              "de": make_user(session, email="de@shop.example", markets=("DE",), language="de"),
              "be": make_user(session, email="be@shop.example", markets=("BE",), language="fr"),
              "fr2": make_user(session, email="fr2@shop.example", markets=("FR",), language="fr")}
    session.commit()
    return people


def latest(session, key="about", language="fr", market=""):
    session.expire_all()
    text = session.scalar(select(ContentText).where(ContentText.key == key, ContentText.language == language,
                                                    ContentText.market == market))
    return text, (text.revisions[-1] if text and text.revisions else None)


def test_managers_edit_only_their_markets_and_belgium_overrides_but_does_not_edit_shared_french(client, session):
    people = world(session)

    sign_in(client, people["de"])
    assert client.get(FR_SHARED).status_code == 403
    assert client.post(FR_SHARED, data=form(0)).status_code == 403
    assert client.get("/manage/content/fr").status_code == 403
    assert client.get("/manage/content/de/de/shared/about").status_code == 200
    assert client.get("/manage/content/de/fr/market/about").status_code == 404     # Germany has no French edition
    assert client.get("/manage/content/xx").status_code == 404

    client.post("/en-gb/account/sign-out")
    sign_in(client, people["be"])
    assert client.get("/manage/content/be/fr/shared/about").status_code == 403     # French is France's to share
    assert client.get(BE_OWN).status_code == 200
    assert client.post(BE_OWN, data=form(0, action="publish")).status_code == 303
    assert latest(session, market="BE")[1].published_at is not None
    assert latest(session)[0] is None                                              # the shared text untouched


def test_draft_then_publish_now(client, session):
    people = world(session)
    sign_in(client, people["fr"])

    # when: a draft
    response = client.post(FR_SHARED, data=form(0, title="Brouillon"))
    # then: saved, not public
    assert response.status_code == 303
    assert client.get("/fr-fr/info/about").status_code == 404

    # when: published
    assert client.post(FR_SHARED, data=form(1, title="Publié", action="publish")).status_code == 303
    # then
    assert "Publié" in client.get("/fr-fr/info/about").text
    actions = [a.action for a in session.scalars(select(ContentAudit).order_by(ContentAudit.id))]
    assert actions == ["saved", "published"]
    audit = client.get("/manage/content/fr/audit").text
    assert "fr@shop.example" in audit and "page:about" in audit


def test_publish_at_a_set_time_in_the_market_time_zone(client, session):
    people = world(session)
    sign_in(client, people["fr"])
    soon = (utcnow() + timedelta(hours=3)).astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))

    response = client.post(FR_SHARED, data=form(0, action="schedule", publish_at=soon.strftime("%Y-%m-%dT%H:%M")))

    assert response.status_code == 303
    assert client.get("/fr-fr/info/about").status_code == 404
    revision = latest(session)[1]
    published_at = revision.published_at.replace(tzinfo=revision.published_at.tzinfo or __import__("datetime").UTC)
    assert abs((published_at - utcnow()) - timedelta(hours=3)) < timedelta(minutes=2)
    # a time in the past, or none, is refused with a message
    past = client.post(FR_SHARED, data=form(1, action="schedule", publish_at="2020-01-01T10:00"))
    assert past.status_code == 422 and "futur" in past.text
    assert client.post(FR_SHARED, data=form(1, action="schedule")).status_code == 422


def test_two_managers_cannot_silently_overwrite_each_other(app, session):
    people = world(session)
    first, second = app.test_client(), app.test_client()
    sign_in(first, people["fr"])
    sign_in(second, people["fr2"])
    # both open the editor on version 0
    assert 'name="version" value="0"' in first.get(FR_SHARED).text
    assert 'name="version" value="0"' in second.get(FR_SHARED).text

    # when: the first saves, then the second saves from the same version
    assert first.post(FR_SHARED, data=form(0, title="Titre de Léa", body="Texte de Léa")).status_code == 303
    conflict = second.post(FR_SHARED, data=form(0, title="Titre de Marc", body="Texte de Marc"))

    # then: refused with both texts shown, and the first text kept
    assert conflict.status_code == 409
    assert "Texte de Léa" in conflict.text and "Texte de Marc" in conflict.text
    assert 'name="version" value="1"' in conflict.text
    assert latest(session)[1].title == "Titre de Léa"
    # saving again, having seen the conflict, is a deliberate choice and goes through
    assert second.post(FR_SHARED, data=form(1, title="Titre de Marc")).status_code == 303
    assert latest(session)[1].title == "Titre de Marc"


def test_restore_a_revision_as_a_new_draft(client, session):
    people = world(session)
    sign_in(client, people["fr"])
    client.post(FR_SHARED, data=form(0, title="Version une", body="Un", action="publish"))
    client.post(FR_SHARED, data=form(1, title="Version deux", body="Deux", action="publish"))

    history = client.get(f"{FR_SHARED}/history").text
    assert "diff-removed" in history and "diff-added" in history and "Version une" in history

    # when
    response = client.post(f"{FR_SHARED}/revisions/1/restore", data={"version": "2"})

    # then: revision 3 is revision 1's text, as a draft; the public still sees "Version deux"
    assert response.status_code == 303
    _text, revision = latest(session)
    assert (revision.number, revision.title, revision.restored_from, revision.published_at) == (3, "Version une", 1, None)
    assert "Version deux" in client.get("/fr-fr/info/about").text
    # a restore from a stale page is refused
    assert client.post(f"{FR_SHARED}/revisions/2/restore", data={"version": "2"}).status_code == 303
    assert latest(session)[1].number == 3


def test_live_preview_and_public_preview_of_a_draft(client, session):
    people = world(session)
    sign_in(client, people["fr"])

    fragment = client.post(f"{FR_SHARED}/preview", data={"body": "**gras** <script>alert(1)</script>"}, headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "<strong>gras</strong>" in fragment.text and "<script>" not in fragment.text

    client.post(FR_SHARED, data=form(0, title="Mon brouillon", body="Texte du *brouillon*"))
    draft = client.get(f"{FR_SHARED}/draft").text
    assert '<html lang="fr-FR"' in draft and "<em>brouillon</em>" in draft and "Mon brouillon" in draft
    assert client.get("/fr-fr/info/about").status_code == 404


def png(width=1200, height=600, *, exif=True) -> bytes:
    picture = Image.new("RGB", (width, height), (30, 90, 160))
    out = io.BytesIO()
    if exif:
        info = Image.Exif()
        info[0x010F] = "SecretCam"          # Make
        picture.save(out, "PNG", exif=info)
    else:
        picture.save(out, "PNG")
    return out.getvalue()


def test_banner_upload_is_checked_stripped_resized_and_stored_as_webp(app, client, session):
    people = world(session)
    sign_in(client, people["fr"])
    url = "/manage/content/fr/fr/shared/home-hero"
    name = "<img src=x onerror=alert(1)>.png"

    response = client.post(url, data={**form(0, title="Bienvenue", action="publish"),
                                      "banner": (io.BytesIO(png(3000, 1000)), name, "image/png")},
                           content_type="multipart/form-data")

    assert response.status_code == 303
    key = latest(session, key="home-hero")[1].image_key
    stored = Path(app.config["MEDIA_ROOT"]) / f"{key}.webp"
    with Image.open(stored) as picture:
        assert picture.format == "WEBP" and picture.size == (1600, 533)
        assert not picture.getexif() and "exif" not in picture.info
    assert f"/media/{key}.webp" in client.get("/fr-fr/").text
    audit = client.get("/manage/content/fr/audit").text
    assert "<img src=x" not in audit and "&lt;img src=x onerror=alert(1)&gt;" in audit
    assert name not in str(stored)


def test_a_fake_or_oversized_picture_is_refused_with_a_clear_message(client, session):
    people = world(session)
    sign_in(client, people["fr"])                                  # works in French
    url = "/manage/content/fr/fr/shared/home-hero"

    fake = client.post(url, data={**form(0), "banner": (io.BytesIO(b"<?php echo 1; ?>"), "photo.png", "image/png")},
                       content_type="multipart/form-data")
    assert fake.status_code == 422 and "Ce format de fichier n&#39;est pas accepté" in fake.text

    big = client.post(url, data={**form(0), "banner": (io.BytesIO(b"\x89PNG" + b"0" * (6 * 1024 * 1024)), "big.png",
                                                         "image/png")}, content_type="multipart/form-data")
    assert big.status_code == 422 and "Cette image est trop lourde" in big.text

    wrong_type = client.post(url, data={**form(0), "banner": (io.BytesIO(png()), "a.gif", "image/gif")},
                             content_type="multipart/form-data")
    assert wrong_type.status_code == 422
    assert session.scalar(select(ContentRevision.id)) is None       # nothing saved


def test_market_overview_shows_fallbacks_to_the_manager(client, session):
    people = world(session)
    save_text(session, key="faq", language="fr", expected_version=0, title="FAQ", body="", publish_at=utcnow())
    session.commit()
    sign_in(client, people["be"])
    page = client.get("/manage/content/be").text
    assert "/manage/content/be/de/market/faq" in page and "content-badge" in page
    assert "/manage/content/be/fr/shared/faq" not in page


def test_bad_editor_input_gets_a_message_never_a_500(client, session):
    people = world(session)
    sign_in(client, people["fr"])
    for data in ({"title": "", "body": "x", "version": "0"}, {"title": "T", "version": "abc"},
                 {"title": "T", "version": "-1"}, {"title": "T", "version": "99999999999999999999"},
                 {"title": "T", "version": "0", "action": "schedule", "publish_at": "not a date"},
                 {"title": "x" * 201, "version": "0"}, {"title": "T", "body": "x" * 50001, "version": "0"}):
        response = client.post(FR_SHARED, data=data)
        assert response.status_code == 422, data
    assert client.post(f"{FR_SHARED}/revisions/99999999999999999999/restore", data={"version": "0"}).status_code == 404
    assert client.post(f"{FR_SHARED}/revisions/1/restore", data={"version": "x"}).status_code == 404
    assert client.get("/manage/content/fr/fr/shared/no-such-key").status_code == 404
    assert client.get("/manage/content/fr/xx/shared/about").status_code == 404
    assert client.post("/manage/content/fr/fr/import", data={}).status_code == 422


def test_two_managers_creating_the_same_text_at_once_get_a_conflict_not_an_error(app, session, monkeypatch):
    """The second editor looked for the text before the first one's commit: its insert breaks the unique
    key, the savepoint takes the failure alone, and the editor gets the conflict (the first text stands)."""
    import app.content.services as services

    world(session)
    save_text(session, key="about", language="fr", market="", expected_version=0, title="Titre de Léa",
              body="Texte de Léa")
    session.commit()
    looked = []
    real_find = services.find_text

    def found_before_the_commit(*args, **kwargs):
        looked.append(args)
        return None if len(looked) == 1 else real_find(*args, **kwargs)

    monkeypatch.setattr(services, "find_text", found_before_the_commit)
    try:
        save_text(session, key="about", language="fr", market="", expected_version=0, title="Titre de Marc",
                  body="Texte de Marc")
    except services.EditConflict as conflict:
        assert conflict.current.title == "Titre de Léa"
    else:
        raise AssertionError("the second creation went through")
    session.rollback()
    assert len(looked) == 2 and latest(session)[1].title == "Titre de Léa"
