"""Colour families: the 188 named colours of the catalogue ("Sierra Blue", "Phantom Black") grouped
into the dozen a shopper filters by, from each colour's hex value.

Hue decides among the chromatic families; lightness and saturation pick black, grey, silver and
white, and split gold from yellow and brown from orange.
"""
from __future__ import annotations

import colorsys

from flask_babel import lazy_pgettext

COLOR_FAMILIES: dict[str, object] = {
    "black": lazy_pgettext("colour", "Black"),
    "grey": lazy_pgettext("colour", "Grey"),
    "silver": lazy_pgettext("colour", "Silver"),
    "white": lazy_pgettext("colour", "White"),
    "gold": lazy_pgettext("colour", "Gold"),
    "yellow": lazy_pgettext("colour", "Yellow"),
    "orange": lazy_pgettext("colour", "Orange"),
    "brown": lazy_pgettext("colour", "Brown"),
    "red": lazy_pgettext("colour", "Red"),
    "pink": lazy_pgettext("colour", "Pink"),
    "purple": lazy_pgettext("colour", "Purple"),
    "blue": lazy_pgettext("colour", "Blue"),
    "green": lazy_pgettext("colour", "Green"),
}
FAMILY_CODES = tuple(COLOR_FAMILIES)


def color_family(hex_value: str) -> str:
    """The family of a ``#rrggbb`` colour."""
    value = hex_value.lstrip("#")
    try:
        r, g, b = (int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return "grey"
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    chroma = max(r, g, b) - min(r, g, b)
    degrees = hue * 360
    if lightness < 0.15 or (lightness < 0.3 and chroma < 0.07):
        return "black"
    if chroma < 0.055:
        if lightness > 0.9:
            return "white"
        return "silver" if lightness > 0.68 else "grey"
    if lightness > 0.9 and chroma < 0.12:
        return "white"
    if degrees < 12 or degrees >= 340:
        return "pink" if lightness > 0.7 else "red"
    if degrees < 45:
        if lightness > 0.72:
            return "pink" if degrees < 25 else "gold"
        return "orange" if lightness > 0.42 and saturation > 0.5 else "brown"
    if degrees < 68:
        return "gold" if saturation < 0.6 and lightness > 0.6 else "yellow"
    if degrees < 165:
        return "green"
    if degrees < 245:
        return "blue"
    if degrees < 300:
        return "purple"
    return "pink"
