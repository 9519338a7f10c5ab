import re
import xml.etree.ElementTree as ET

import pytest

from app.catalog.illustrations import ILLUSTRATIONS, draw

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("name", ILLUSTRATIONS)
@pytest.mark.parametrize("color", ["#1c1c1e", "#F5F5F0", "#2f5d8a"])
def test_draws_valid_self_contained_svg(name, color):
    # when
    svg = draw(name, color, title="A device")

    # then
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("viewBox") == "0 0 600 600"
    assert root.find(f"{SVG}title").text == "A device"
    assert color.lower() in svg
    tags = {el.tag.removeprefix(SVG) for el in root.iter()}
    assert not tags & {"script", "style", "image", "foreignObject", "use", "a"}
    attributes = {name for el in root.iter() for name in el.attrib}
    assert not {a for a in attributes if a.startswith("on") or "href" in a or a == "style"}
    assert re.findall(r"https?://[^\"]*", svg) == ["http://www.w3.org/2000/svg"]


@pytest.mark.parametrize("name", ILLUSTRATIONS)
def test_references_resolve_to_unique_ids(name):
    # when
    root = ET.fromstring(draw(name, "#c8102e"))

    # then
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(f"ill-{name.replace('_', '-')}-c8102e-") for i in ids)
    referenced = {m for el in root.iter() for value in el.attrib.values()
                  for m in re.findall(r"url\(#([^)]+)\)", value)}
    assert referenced <= set(ids)


@pytest.mark.parametrize("name", ILLUSTRATIONS)
def test_is_deterministic_and_follows_the_colour(name):
    assert draw(name, "#1c1c1e") == draw(name, "#1c1c1e")
    assert draw(name, "#1c1c1e") != draw(name, "#f5f5f0")


def test_size_and_escaped_title():
    # when
    svg = draw("phone", "#ffffff", width=300, height=200, title='Tom & "Jerry" <3>')

    # then
    root = ET.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("300", "200")
    assert root.find(f"{SVG}title").text == 'Tom & "Jerry" <3>'


def test_no_title_unless_given():
    assert "<title>" not in draw("tv", "#000000")


@pytest.mark.parametrize("color", ["#fff", "1c1c1e", "#gggggg", "#1c1c1e ", "", "#1c1c1e0", "red", None])
def test_rejects_malformed_colour(color):
    with pytest.raises(ValueError):
        draw("phone", color)


@pytest.mark.parametrize("name", ["toaster", "", "Phone", "../phone"])
def test_rejects_unknown_illustration(name):
    with pytest.raises(ValueError):
        draw(name, "#1c1c1e")


def test_rejects_non_positive_size():
    with pytest.raises(ValueError):
        draw("phone", "#1c1c1e", width=0)
