"""Catalog translations: completeness per market and language, editing, CSV and XLIFF round trips."""
import io

from sqlalchemy import select

from app.catalog.models import CategoryTranslation, ProductTranslation
from app.offers.models import GradeDescription, GradeDescriptionTranslation
from tests.builders import make_listing, make_markets, make_user, sign_in


def world(session):
    make_markets(session)
    listing = make_listing(session, prices={"FR": 30000, "DE": 30000})
    product = listing.variant.product
    for t in product.translations:
        t.description = f"Description {t.language}" if t.language != "de" else None
    grade = GradeDescription(grade="good", category=product.category)
    grade.translations.append(GradeDescriptionTranslation(language="en", summary="Light scratches"))
    session.add(grade)
    session.flush()
    people = {"fr": make_user(session, markets=("FR",), language="fr"),
              "de": make_user(session, markets=("DE",), language="de"),
              "be": make_user(session, markets=("BE",), language="fr")}
    session.commit()
    return product, grade, people


def test_dashboard_shows_completeness_and_what_is_missing(client, session):
    product, _grade, people = world(session)
    sign_in(client, people["de"])

    page = client.get("/manage/content/de/translations").text

    assert "(0/1)" in page and product.key in page            # the German description is missing
    assert f"{product.category.key}:good" in page            # and the German grade explanation
    assert client.get("/manage/content/fr/translations").status_code == 403


def test_csv_export_then_import_with_a_report_per_line(client, session):
    product, _grade, people = world(session)
    sign_in(client, people["de"])

    exported = client.get("/manage/content/de/de/export.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    lines = exported.text.lstrip("\ufeff").splitlines()
    assert lines[0] == "kind,key,field,status,source_language,source,text"
    assert f"product,{product.key},description,missing,en,Description en," in lines

    filled = "\n".join([lines[0], f"product,{product.key},description,missing,en,x,Beschreibung auf Deutsch",
                        f"grade,{product.category.key}:good,summary,missing,en,x,Leichte Kratzer",
                        f"category,{product.category.key},description,missing,en,x,"])
    report = client.post("/manage/content/de/de/import", data={"file": (io.BytesIO(filled.encode()), "de.csv")},
                         content_type="multipart/form-data")

    assert report.status_code == 200 and "2" in report.text
    session.expire_all()
    assert session.scalar(select(ProductTranslation.description).where(
        ProductTranslation.product_id == product.id, ProductTranslation.language == "de")) == "Beschreibung auf Deutsch"
    assert session.scalar(select(GradeDescriptionTranslation.summary).where(
        GradeDescriptionTranslation.language == "de")) == "Leichte Kratzer"
    assert client.get("/manage/content/de/translations").text.count("(1/1)") == 3   # products, categories, grades


def test_a_wrong_line_changes_nothing_and_is_reported(client, session):
    product, _grade, people = world(session)
    sign_in(client, people["de"])
    bad = "kind,key,field,text\nproduct,{k},description,Gut\nproduct,no-such-product,description,X\nshoe,{k},name,Y\n"
    response = client.post("/manage/content/de/de/import",
                           data={"file": (io.BytesIO(bad.format(k=product.key).encode()), "de.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "no-such-product" in response.text and "import-error" in response.text
    session.expire_all()
    assert session.scalar(select(ProductTranslation.description).where(
        ProductTranslation.product_id == product.id, ProductTranslation.language == "de")) is None
    not_csv = client.post("/manage/content/de/de/import", data={"file": (io.BytesIO(b"\xff\xfe\x00bad"), "x.csv")},
                          content_type="multipart/form-data")
    assert not_csv.status_code == 422


def test_xliff_round_trip(client, session):
    product, _grade, people = world(session)
    sign_in(client, people["de"])
    exported = client.get("/manage/content/de/de/export.xlf")
    assert exported.status_code == 200 and b'version="1.2"' in exported.data
    assert f'id="product/{product.key}/description"'.encode() in exported.data
    filled = exported.data.replace(b'<target state="needs-translation" />', b"<target>Auf Deutsch</target>", 1)
    response = client.post("/manage/content/de/de/import", data={"file": (io.BytesIO(filled), "de.xlf")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><xliff/>'
    assert client.post("/manage/content/de/de/import", data={"file": (io.BytesIO(evil), "x.xlf")},
                       content_type="multipart/form-data").status_code == 422


def test_edit_a_category_translation_and_scope(client, session):
    product, _grade, people = world(session)
    category = product.category
    sign_in(client, people["be"])
    # Belgium's manager does not write France's (shared) French catalog texts
    assert client.get(f"/manage/content/be/fr/categories/{category.key}").status_code == 403
    client.post("/en-gb/account/sign-out")
    sign_in(client, people["fr"])
    response = client.post(f"/manage/content/fr/fr/categories/{category.key}",
                           data={"name": "Téléphones", "description": "Des téléphones"})
    assert response.status_code == 303
    session.expire_all()
    row = session.scalar(select(CategoryTranslation).where(CategoryTranslation.category_id == category.id,
                                                           CategoryTranslation.language == "fr"))
    assert (row.name, row.description) == ("Téléphones", "Des téléphones")
    assert client.post(f"/manage/content/fr/fr/categories/{category.key}", data={"name": ""}).status_code == 422
    assert client.get("/manage/content/fr/fr/products/nothing").status_code == 404


def test_a_translation_whose_source_changed_comes_back_into_the_export(client, session):
    # given: the German description written by a manager, from the English one
    product, _grade, people = world(session)
    sign_in(client, people["de"])
    client.post(f"/manage/content/de/de/products/{product.key}", data={"name": "Telefon", "description": "Auf Deutsch"})
    assert product.key not in client.get("/manage/content/de/de/export.csv").text

    # when: the English description changes
    english = session.scalar(select(ProductTranslation).where(ProductTranslation.product_id == product.id,
                                                              ProductTranslation.language == "en"))
    english.description = "A better English description"
    session.commit()

    # then: the German text is exported again as changed, with the new source and the current text
    exported = client.get("/manage/content/de/de/export.csv").text
    assert f"product,{product.key},description,changed,en,A better English description,Auf Deutsch" in exported
    assert 'state="needs-review-translation"' in client.get("/manage/content/de/de/export.xlf").text
