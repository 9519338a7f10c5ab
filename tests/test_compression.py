"""Static files travel gzipped to browsers that accept it, and as they are to the others."""
import gzip
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parent.parent / "app" / "static"


@pytest.mark.parametrize("filename", ["css/site.css", "vendor/htmx-4.0.1/htmx.min.js", "js/combobox.js"])
def test_a_static_file_is_gzipped_for_a_browser_that_accepts_it(client, filename):
    # when
    zipped = client.get(f"/static/{filename}?v=1", headers={"Accept-Encoding": "gzip, deflate, br"})
    plain = client.get(f"/static/{filename}?v=1")

    # then: the same bytes, a quarter to a third of the size over the wire
    original = (STATIC / filename).read_bytes()
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == original
    assert len(zipped.data) < len(original) / 2
    assert "Accept-Encoding" in zipped.headers["Vary"] and "immutable" in zipped.headers["Cache-Control"]
    assert "Content-Encoding" not in plain.headers and plain.data == original
    assert zipped.headers.get("ETag") != plain.headers.get("ETag")
