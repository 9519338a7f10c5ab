"""Flat product illustrations, drawn as SVG in a device's body colour.

They stand in for photos until a seller uploads real ones, so every product has a picture in every
colour it was sold in. The drawing is a pure function of its arguments: the same illustration,
colour and size always give the same bytes, which lets the file be cached and rewritten freely.

The SVG is served from our own origin under a strict CSP (``default-src 'none'; sandbox``), so it
uses presentation attributes only: no <style>, no script, no external reference.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from xml.sax.saxutils import escape

from .svg import (
    INK,
    Canvas,
    Palette,
    circle,
    lens,
    mix,
    num,
    path,
    rect,
)

ILLUSTRATIONS: tuple[str, ...] = (
    "phone", "tablet", "laptop", "watch", "console", "headphones",
    "tv", "coffee_machine", "vacuum", "camera", "speaker", "desktop",
)

_HEX = re.compile(r"#[0-9a-fA-F]{6}")

def draw(illustration: str, color_hex: str, *, width: int = 600, height: int = 600,
         title: str | None = None) -> str:
    """An SVG document of `illustration` in body colour `color_hex` (``#rrggbb``).

    Drawn on a 600×600 canvas scaled to `width`×`height`. Gradient and clip ids embed the
    illustration and colour, so several drawings inlined in one page do not collide (identical
    ids only ever carry identical definitions).
    """
    if illustration not in _DRAWERS:
        raise ValueError(f"unknown illustration {illustration!r}; expected one of {', '.join(ILLUSTRATIONS)}")
    if not isinstance(color_hex, str) or not _HEX.fullmatch(color_hex):
        raise ValueError(f"colour must be #rrggbb, not {color_hex!r}")
    if width <= 0 or height <= 0:
        raise ValueError("width and height must be positive")

    canvas = Canvas(prefix=f"ill-{illustration.replace('_', '-')}-{color_hex[1:].lower()}",
                     palette=Palette.from_hex(color_hex))
    body = _DRAWERS[illustration](canvas)

    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 600 600" role="img">')
    parts = [head]
    if title is not None:
        parts.append(f"<title>{escape(title)}</title>")
    parts.append("<defs>" + "".join(canvas.defs) + "</defs>")
    parts.extend(body)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _phone(c: Canvas) -> list[str]:
    p = c.palette
    return [
        c.shadow(300, 528, 190, 16),
        # Back, showing the colour and the camera block, behind and left of the front.
        rect(145, 160, 6, 40, 2, fill=p.dark),
        c.body_rect(150, 78, 196, 404, 36),
        rect(168, 96, 88, 88, 24, fill=p.dark, stroke=p.edge, stroke_width=2),
        lens(193, 121, 16, c),
        lens(193, 159, 16, c),
        lens(231, 140, 16, c),
        circle(232, 109, 5, fill="#f4e7c2"),
        # Front.
        rect(451, 212, 6, 60, 2, fill=p.dark),
        c.body_rect(256, 118, 196, 404, 36),
        c.screen(266, 128, 176, 384, 27),
        rect(327, 142, 54, 16, 8, fill="#030405"),
    ]


def _tablet(c: Canvas) -> list[str]:
    p = c.palette
    return [
        c.shadow(300, 524, 220, 18),
        # Back.
        c.body_rect(92, 84, 300, 400, 30),
        rect(112, 104, 62, 62, 18, fill=p.dark, stroke=p.edge, stroke_width=2),
        lens(134, 126, 13, c),
        circle(156, 148, 5, fill="#f4e7c2"),
        # Front: the frame shows the colour, the bezel is black.
        c.body_rect(208, 120, 300, 400, 30),
        rect(216, 128, 284, 384, 23, fill=INK),
        c.screen(230, 142, 256, 356, 12),
        circle(358, 135, 3, fill="#2a3550"),
    ]


def _laptop(c: Canvas) -> list[str]:
    p = c.palette
    return [
        c.shadow(300, 432, 250, 18),
        # Lid.
        c.body_rect(118, 118, 364, 248, 18),
        rect(126, 126, 348, 232, 12, fill=INK),
        c.screen(138, 138, 324, 208, 4),
        circle(300, 132, 2.5, fill="#2a3550"),
        # Base, seen edge-on, with the thumb notch.
        path("M70 366H530V378C530 392 518 404 500 404H100C82 404 70 392 70 378Z",
              fill=c.url("body"), stroke=p.edge, stroke_width=3, stroke_linejoin="round"),
        path("M258 366H342V371C342 375 339 378 335 378H265C261 378 258 375 258 371Z", fill=p.dark),
        path("M72 380H528", stroke=p.light, stroke_width=2, stroke_opacity=0.6),
    ]


def _watch(c: Canvas) -> list[str]:
    p = c.palette
    strap = p.dark
    holes = "".join(circle(300, y, 5, fill=p.edge, fill_opacity=0.55) for y in (462, 486, 510))
    # Activity rings: three arcs in fixed, saturated colours so they read on any case colour.
    rings = "".join(
        circle(300, 300, r, fill="none", stroke=colour, stroke_width=12, stroke_opacity=0.25)
        + circle(300, 300, r, fill="none", stroke=colour, stroke_width=12, stroke_linecap="round",
                  stroke_dasharray=f"{num(6.2832 * r * share)} 999", transform="rotate(-90 300 300)")
        for r, colour, share in ((56, "#ff375f", 0.78), (40, "#9cff3a", 0.6), (24, "#25d4f5", 0.45)))
    return [
        c.shadow(300, 556, 120, 12),
        rect(236, 40, 128, 190, 30, fill=strap, stroke=p.edge, stroke_width=3),
        rect(236, 370, 128, 180, 30, fill=strap, stroke=p.edge, stroke_width=3),
        holes,
        rect(384, 252, 14, 40, 5, fill=p.dark, stroke=p.edge, stroke_width=2),
        rect(386, 312, 8, 40, 3, fill=p.dark),
        c.body_rect(206, 190, 188, 220, 52),
        rect(218, 202, 164, 196, 42, fill=INK),
        c.screen(226, 210, 148, 180, 36),
        rings,
    ]


def _console(c: Canvas) -> list[str]:
    p = c.palette
    vents = "".join(path(f"M{x} 160V232", stroke=p.detail, stroke_width=4, stroke_linecap="round")
                    for x in range(380, 441, 12))
    pad = ("M196 330C220 314 256 310 300 310C344 310 380 314 404 330C436 352 466 430 470 478"
           "C474 514 440 530 414 506L372 464C362 454 346 450 300 450C254 450 238 454 228 464"
           "L186 506C160 530 126 514 130 478C134 430 164 352 196 330Z")
    buttons = "".join(circle(x, y, 11, fill=p.dark, stroke=p.detail, stroke_width=2.5)
                      for x, y in ((398, 356), (424, 380), (398, 404), (372, 380)))
    return [
        c.shadow(300, 290, 240, 14),
        c.shadow(300, 520, 190, 16),
        # The console box behind, lying flat.
        c.body_rect(70, 130, 460, 150, 22),
        path("M70 242H530", stroke=p.detail, stroke_width=3),
        rect(96, 152, 150, 8, 4, fill=p.detail, fill_opacity=0.7),
        vents,
        circle(500, 262, 5, fill="#5fc8ff"),
        # The controller in front.
        path(pad, fill=c.url("body"), stroke=p.edge, stroke_width=3, stroke_linejoin="round"),
        path("M202 366h22v-22h20v22h22v20h-22v22h-20v-22h-22z", fill=p.dark, stroke=p.detail,
              stroke_width=2.5, stroke_linejoin="round"),
        buttons,
        circle(262, 428, 24, fill=INK, stroke=p.edge, stroke_width=2),
        circle(262, 428, 14, fill="#242833"),
        circle(338, 428, 24, fill=INK, stroke=p.edge, stroke_width=2),
        circle(338, 428, 14, fill="#242833"),
        rect(284, 334, 32, 10, 5, fill=p.detail),
    ]


def _headphones(c: Canvas) -> list[str]:
    p = c.palette

    def cup(x: float) -> str:
        # x is the outer edge's centre line; cups face inwards.
        return (rect(x - 42, 278, 84, 176, 38, fill=c.url("body"), stroke=p.edge, stroke_width=3)
                + rect(x - 30, 296, 60, 140, 28, fill=p.dark, fill_opacity=0.55)
                + path(f"M{x} 300V432", stroke=p.light, stroke_width=3, stroke_linecap="round",
                        stroke_opacity=0.5))

    return [
        c.shadow(300, 488, 200, 14),
        # Headband: an outer arc in the body colour over a darker cushion.
        path("M150 320C150 140 210 86 300 86C390 86 450 140 450 320", fill="none", stroke=p.edge,
              stroke_width=34, stroke_linecap="round"),
        path("M150 320C150 140 210 86 300 86C390 86 450 140 450 320", fill="none", stroke=c.url("body"),
              stroke_width=28, stroke_linecap="round"),
        path("M178 236C190 150 236 120 300 120C364 120 410 150 422 236", fill="none", stroke=p.dark,
              stroke_width=16, stroke_linecap="round"),
        # Ear cushions peeking out towards the middle.
        rect(176, 292, 46, 148, 22, fill=mix(p.dark, "#000000", 0.25), stroke=p.edge, stroke_width=2),
        rect(378, 292, 46, 148, 22, fill=mix(p.dark, "#000000", 0.25), stroke=p.edge, stroke_width=2),
        cup(150),
        cup(450),
        # Yokes: the joints between band and cups.
        rect(138, 256, 24, 34, 8, fill=p.dark, stroke=p.edge, stroke_width=2),
        rect(438, 256, 24, 34, 8, fill=p.dark, stroke=p.edge, stroke_width=2),
    ]


def _tv(c: Canvas) -> list[str]:
    p = c.palette
    return [
        c.shadow(300, 506, 170, 12),
        # Pedestal stand.
        path("M282 410H318L324 470H276Z", fill=c.url("body"), stroke=p.edge, stroke_width=3,
              stroke_linejoin="round"),
        rect(190, 468, 220, 24, 10, fill=c.url("body"), stroke=p.edge, stroke_width=3),
        # Panel.
        c.body_rect(48, 104, 504, 314, 12),
        rect(56, 112, 488, 290, 6, fill=INK),
        c.screen(62, 118, 476, 278, 3),
        # A soft landscape on the screen, so it reads as a television rather than a monitor.
        path("M62 340L160 262L240 318L330 236L450 330L538 282V396H62Z", fill="#ffffff", fill_opacity=0.07),
        path("M62 370L190 318L300 360L420 310L538 352V396H62Z", fill="#ffffff", fill_opacity=0.06),
        circle(420, 188, 22, fill="#ffffff", fill_opacity=0.14),
        circle(300, 410, 3, fill=p.detail),
    ]


def _coffee_machine(c: Canvas) -> list[str]:
    p = c.palette
    grille = "".join(path(f"M{x} 462V478", stroke=p.detail, stroke_width=4, stroke_linecap="round")
                     for x in range(232, 371, 14))
    return [
        c.shadow(300, 536, 190, 16),
        c.body_rect(160, 90, 280, 430, 26),
        # Control panel with a small display and two buttons.
        rect(196, 120, 208, 64, 14, fill=INK),
        rect(210, 134, 96, 36, 6, fill=c.url("screen")),
        path("M222 152H262", stroke="#9fd0ff", stroke_width=4, stroke_linecap="round"),
        path("M222 160H248", stroke="#9fd0ff", stroke_width=3, stroke_linecap="round", stroke_opacity=0.6),
        circle(340, 152, 13, fill=p.dark, stroke=p.detail, stroke_width=3),
        circle(380, 152, 13, fill=p.dark, stroke=p.detail, stroke_width=3),
        # The brewing recess, the spout and a cup on the drip tray.
        rect(196, 210, 208, 282, 18, fill=mix(p.dark, "#000000", 0.35)),
        rect(258, 210, 84, 36, 10, fill=p.dark, stroke=p.edge, stroke_width=2),
        rect(276, 244, 14, 22, 4, fill=c.url("metal")),
        rect(310, 244, 14, 22, 4, fill=c.url("metal")),
        path("M283 270V340M317 270V340", stroke="#6b4226", stroke_width=4, stroke_linecap="round",
              stroke_opacity=0.9),
        path("M250 360H350L342 436C341 446 334 452 324 452H276C266 452 259 446 258 436Z",
              fill="#fbfbf8", stroke="#b9b9b4", stroke_width=3, stroke_linejoin="round"),
        path("M350 376C378 376 378 420 346 420", fill="none", stroke="#b9b9b4", stroke_width=8,
              stroke_linecap="round"),
        path("M350 376C378 376 378 420 346 420", fill="none", stroke="#fbfbf8", stroke_width=4,
              stroke_linecap="round"),
        path("M256 372H344", stroke="#6b4226", stroke_width=8, stroke_linecap="round"),
        rect(212, 454, 176, 30, 8, fill=p.dark, stroke=p.edge, stroke_width=2),
        grille,
    ]


def _vacuum(c: Canvas) -> list[str]:
    """A cordless stick vacuum, leaning back on its floor head."""
    p = c.palette
    bands = "".join(path(f"M{x} 150V236", stroke="#ffffff", stroke_width=3, stroke_opacity=0.4)
                    for x in (286, 300, 314))
    handle = "M368 150C372 186 374 214 366 244"
    # The wand is a rect, not a stroked line: a gradient on a zero-width line's stroke is not painted.
    wand = rect(289, 200, 22, 272, 11, fill=c.url("metal"), stroke=p.edge, stroke_width=3)
    unit = [
        # Handle and battery behind the bin.
        path(handle, fill="none", stroke=p.edge, stroke_width=30, stroke_linecap="round"),
        path(handle, fill="none", stroke=c.url("body"), stroke_width=24, stroke_linecap="round"),
        path("M346 172L356 168L358 196L348 198Z", fill=p.dark, stroke=p.edge, stroke_width=2,
              stroke_linejoin="round"),
        rect(326, 236, 72, 52, 12, fill=p.dark, stroke=p.edge, stroke_width=3),
        circle(346, 262, 3, fill="#7dd87d"),
        circle(360, 262, 3, fill="#7dd87d"),
        circle(374, 262, 3, fill="#7dd87d", fill_opacity=0.35),
        # Clear bin with its cyclone bands, then the cyclone shroud and the motor with its filter cap.
        rect(270, 136, 60, 120, 16, fill="#e3e9f0", fill_opacity=0.92, stroke=p.edge, stroke_width=3),
        bands,
        path("M272 220H328", stroke="#9aa4b2", stroke_width=3),
        rect(262, 110, 76, 40, 14, fill=c.url("body"), stroke=p.edge, stroke_width=3),
        rect(318, 100, 92, 52, 24, fill=c.url("body"), stroke=p.edge, stroke_width=3),
        circle(398, 126, 22, fill=p.dark, stroke=p.edge, stroke_width=3),
        circle(398, 126, 10, fill=p.detail),
    ]
    return [
        c.shadow(276, 520, 170, 14),
        '<g transform="translate(-24 0)">',
        '<g transform="rotate(14 300 470)">' + wand,
        '<g transform="translate(0 -44)">' + "".join(unit) + "</g></g>",
        # Floor head, flat on the floor: a clear window over the brush bar, a wheel, the neck joint.
        path("M150 512C150 486 168 470 194 470H392C414 470 430 484 430 504V516H150Z",
              fill=c.url("body"), stroke=p.edge, stroke_width=3, stroke_linejoin="round"),
        rect(164, 484, 128, 24, 12, fill=INK, fill_opacity=0.85),
        "".join(path(f"M{x} 487L{x - 10} 505", stroke="#d9463b", stroke_width=4, stroke_linecap="round")
                for x in range(184, 290, 16)),
        circle(398, 510, 10, fill="#2a2d33", stroke=p.edge, stroke_width=2),
        circle(398, 510, 3.5, fill="#8d939b"),
        circle(300, 472, 20, fill=p.dark, stroke=p.edge, stroke_width=3),
        circle(300, 472, 7, fill=p.detail),
        "</g>",
    ]


def _camera(c: Canvas) -> list[str]:
    p = c.palette
    return [
        c.shadow(300, 456, 230, 16),
        # Top plate: viewfinder hump, shutter button and dial.
        path("M236 176L254 124H346L364 176Z", fill=c.url("body"), stroke=p.edge, stroke_width=3,
              stroke_linejoin="round"),
        rect(140, 158, 54, 22, 6, fill=p.dark, stroke=p.edge, stroke_width=2),
        rect(406, 150, 64, 30, 8, fill=p.dark, stroke=p.edge, stroke_width=2),
        rect(152, 150, 30, 10, 4, fill=c.url("metal")),
        c.body_rect(96, 174, 408, 264, 30),
        # Grip and leatherette band, darker than the body.
        path("M96 222H504V392H96Z", fill=p.dark, fill_opacity=0.45),
        rect(110, 196, 70, 224, 26, fill=p.dark, stroke=p.edge, stroke_width=2),
        circle(446, 204, 8, fill=p.detail),
        # Lens: mount ring, barrel rings, glass.
        circle(310, 306, 112, fill=c.url("metal"), stroke=p.edge, stroke_width=3),
        circle(310, 306, 100, fill=INK),
        circle(310, 306, 86, fill="#1b1f27", stroke="#2f3644", stroke_width=6),
        circle(310, 306, 62, fill=c.url("glass")),
        circle(310, 306, 30, fill="#0a0d14", stroke="#34405c", stroke_width=3),
        path("M268 270A58 58 0 0 1 324 250", fill="none", stroke="#ffffff", stroke_width=7,
              stroke_linecap="round", stroke_opacity=0.35),
        circle(334, 282, 6, fill="#ffffff", fill_opacity=0.5),
    ]


def _speaker(c: Canvas) -> list[str]:
    p = c.palette
    rings = "".join(circle(300, 362, r, fill="none", stroke="#ffffff", stroke_width=1.5, stroke_opacity=0.12)
                    for r in (52, 66))
    return [
        c.shadow(300, 530, 160, 14),
        c.body_rect(176, 70, 248, 444, 24),
        rect(176, 480, 248, 34, 0, fill=p.dark, fill_opacity=0.35),
        # Tweeter.
        circle(300, 172, 48, fill=p.dark, stroke=p.edge, stroke_width=3),
        circle(300, 172, 34, fill=INK),
        circle(300, 172, 16, fill="#2a303c", stroke="#3b4354", stroke_width=2),
        circle(294, 166, 4, fill="#ffffff", fill_opacity=0.45),
        # Woofer.
        circle(300, 362, 98, fill=p.dark, stroke=p.edge, stroke_width=3),
        circle(300, 362, 84, fill=INK),
        circle(300, 362, 76, fill="#1c2029", stroke="#2e3442", stroke_width=6),
        rings,
        circle(300, 362, 30, fill="#272c37", stroke="#3b4354", stroke_width=2),
        path("M280 346A26 26 0 0 1 304 336", fill="none", stroke="#ffffff", stroke_width=4,
              stroke_linecap="round", stroke_opacity=0.3),
        circle(300, 496, 4, fill="#5fc8ff"),
    ]


def _desktop(c: Canvas) -> list[str]:
    p = c.palette
    keys = "".join(
        rect(x, y, 20, 8, 2, fill=p.detail)
        for y in (454, 466) for x in range(125, 380, 26))
    return [
        c.shadow(236, 498, 200, 12),
        c.shadow(496, 500, 70, 10),
        # Tower.
        c.body_rect(446, 168, 104, 322, 14),
        rect(462, 190, 72, 10, 4, fill=p.dark),
        rect(462, 208, 72, 10, 4, fill=p.dark),
        circle(498, 252, 11, fill=p.dark, stroke=p.detail, stroke_width=3),
        circle(498, 252, 3, fill="#5fc8ff"),
        "".join(path(f"M470 {y}H526", stroke=p.detail, stroke_width=3, stroke_linecap="round")
                for y in range(392, 465, 12)),
        # Monitor and stand.
        path("M220 368H256L264 430H212Z", fill=c.url("body"), stroke=p.edge, stroke_width=3,
              stroke_linejoin="round"),
        rect(168, 426, 140, 14, 7, fill=c.url("body"), stroke=p.edge, stroke_width=3),
        c.body_rect(50, 100, 376, 274, 14),
        rect(58, 108, 360, 244, 6, fill=INK),
        c.screen(66, 116, 344, 228, 3),
        # Windows, so it reads as a computer screen rather than a television.
        rect(90, 140, 150, 100, 6, fill="#ffffff", fill_opacity=0.12),
        rect(90, 140, 150, 16, 6, fill="#ffffff", fill_opacity=0.14),
        rect(200, 190, 170, 116, 6, fill="#ffffff", fill_opacity=0.16),
        rect(200, 190, 170, 16, 6, fill="#ffffff", fill_opacity=0.18),
        circle(238, 362, 3, fill=p.detail),
        # Keyboard and mouse.
        path("M120 448H384L392 480H112Z", fill=c.url("body"), stroke=p.edge, stroke_width=3,
              stroke_linejoin="round"),
        keys,
        path("M410 470C410 456 418 448 430 448C442 448 450 456 450 470V476C450 486 442 492 430 492"
              "C418 492 410 486 410 476Z", fill=c.url("body"), stroke=p.edge, stroke_width=3),
        path("M430 450V464", stroke=p.edge, stroke_width=2),
    ]


_DRAWERS: dict[str, Callable[[Canvas], list[str]]] = {
    "phone": _phone, "tablet": _tablet, "laptop": _laptop, "watch": _watch, "console": _console,
    "headphones": _headphones, "tv": _tv, "coffee_machine": _coffee_machine, "vacuum": _vacuum,
    "camera": _camera, "speaker": _speaker, "desktop": _desktop,
}
assert tuple(_DRAWERS) == ILLUSTRATIONS
