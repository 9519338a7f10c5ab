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
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

ILLUSTRATIONS: tuple[str, ...] = (
    "phone", "tablet", "laptop", "watch", "console", "headphones",
    "tv", "coffee_machine", "vacuum", "camera", "speaker", "desktop",
)

_HEX = re.compile(r"#[0-9a-fA-F]{6}")

# Fixed, colour-independent parts: the lit screen, glass, chrome.
_SCREEN_TOP = "#2c3a55"
_SCREEN_BOTTOM = "#0c1018"
_GLOW = "#6f8dff"
_INK = "#0b0c0f"          # camera holes, lens barrels, bezels: black on every device


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

    canvas = _Canvas(prefix=f"ill-{illustration.replace('_', '-')}-{color_hex[1:].lower()}",
                     palette=_Palette.from_hex(color_hex))
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


def _rgb(hex_: str) -> tuple[int, int, int]:
    return int(hex_[1:3], 16), int(hex_[3:5], 16), int(hex_[5:7], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def _mix(a: str, b: str, t: float) -> str:
    """`a` moved a fraction `t` towards `b`."""
    ra, rb = _rgb(a), _rgb(b)
    return _hex(tuple(x + (y - x) * t for x, y in zip(ra, rb)))


def _luminance(hex_: str) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in _rgb(hex_))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@dataclass(frozen=True)
class _Palette:
    body: str
    top: str        # body gradient, lit side
    bottom: str     # body gradient, shaded side
    edge: str       # outline: always darker than the body, so a white device still reads on white
    dark: str       # recessed parts: buttons, cushions, bands
    light: str      # highlights
    detail: str     # grilles, seams, keys: contrasts with the body whichever way it leans
    glow: str       # the wallpaper glow on screens, a hint of the body colour

    @classmethod
    def from_hex(cls, hex_: str) -> _Palette:
        body = hex_.lower()
        lum = _luminance(body)
        # Near-black bodies need lighter details to show at all; light ones need darker.
        detail = _mix(body, "#000000", 0.30) if lum > 0.30 else _mix(body, "#ffffff", 0.22)
        dark = _mix(body, "#000000", 0.22) if lum > 0.05 else _mix(body, "#ffffff", 0.07)
        edge = _mix(body, "#000000", 0.38 if lum > 0.5 else 0.5)
        return cls(body=body, top=_mix(body, "#ffffff", 0.12), bottom=_mix(body, "#000000", 0.10),
                   edge=edge, dark=dark, light=_mix(body, "#ffffff", 0.45), detail=detail,
                   glow=_mix(body, _GLOW, 0.6))


@dataclass
class _Canvas:
    prefix: str
    palette: _Palette

    def __post_init__(self) -> None:
        self.defs: list[str] = []
        self._clips = 0
        p = self.palette
        self.defs += [
            f'<radialGradient id="{self.id("shadow")}">'
            '<stop offset="0" stop-color="#000000" stop-opacity="0.28"/>'
            '<stop offset="0.6" stop-color="#000000" stop-opacity="0.10"/>'
            '<stop offset="1" stop-color="#000000" stop-opacity="0"/></radialGradient>',
            f'<linearGradient id="{self.id("body")}" x1="0" y1="0" x2="0" y2="1">'
            # The true colour sits in the middle; the ends only suggest light from above.
            f'<stop offset="0" stop-color="{p.top}"/><stop offset="0.45" stop-color="{p.body}"/>'
            f'<stop offset="1" stop-color="{p.bottom}"/></linearGradient>',
            f'<linearGradient id="{self.id("screen")}" x1="0" y1="0" x2="1" y2="1">'
            f'<stop offset="0" stop-color="{_SCREEN_TOP}"/><stop offset="1" stop-color="{_SCREEN_BOTTOM}"/>'
            "</linearGradient>",
            f'<radialGradient id="{self.id("glow")}">'
            f'<stop offset="0" stop-color="{p.glow}" stop-opacity="0.75"/>'
            f'<stop offset="1" stop-color="{p.glow}" stop-opacity="0"/></radialGradient>',
            f'<linearGradient id="{self.id("glass")}" x1="0" y1="0" x2="1" y2="1">'
            '<stop offset="0" stop-color="#3d4f73"/><stop offset="0.5" stop-color="#121826"/>'
            '<stop offset="1" stop-color="#27324a"/></linearGradient>',
            f'<linearGradient id="{self.id("metal")}" x1="0" y1="0" x2="1" y2="0">'
            '<stop offset="0" stop-color="#9aa0a8"/><stop offset="0.45" stop-color="#e4e7eb"/>'
            '<stop offset="1" stop-color="#8d939b"/></linearGradient>',
        ]

    def id(self, name: str) -> str:
        return f"{self.prefix}-{name}"

    def url(self, name: str) -> str:
        return f"url(#{self.id(name)})"

    def shadow(self, cx: float, cy: float, rx: float, ry: float) -> str:
        return f'<ellipse cx="{_n(cx)}" cy="{_n(cy)}" rx="{_n(rx)}" ry="{_n(ry)}" fill="{self.url("shadow")}"/>'

    def body_rect(self, x: float, y: float, w: float, h: float, r: float, *, stroke: float = 3) -> str:
        return _rect(x, y, w, h, r, fill=self.url("body"), stroke=self.palette.edge, stroke_width=stroke)

    def screen(self, x: float, y: float, w: float, h: float, r: float) -> str:
        """A lit screen: dark gradient, a soft glow tinted by the body colour, and a glare band."""
        self._clips += 1
        clip = self.id(f"clip{self._clips}")
        self.defs.append(f'<clipPath id="{clip}">{_rect(x, y, w, h, r)}</clipPath>')
        glare = (f'<path d="M{_n(x + w * 0.55)} {_n(y)}H{_n(x + w)}V{_n(y + h * 0.35)}'
                 f'L{_n(x + w * 0.15)} {_n(y + h)}H{_n(x)}V{_n(y + h * 0.8)}Z" '
                 'fill="#ffffff" fill-opacity="0.06"/>')
        return (
            _rect(x, y, w, h, r, fill=self.url("screen"))
            + f'<g clip-path="url(#{clip})">'
            + f'<circle cx="{_n(x + w * 0.22)}" cy="{_n(y + h * 0.78)}" r="{_n(max(w, h) * 0.55)}" '
              f'fill="{self.url("glow")}"/>'
            + f'<circle cx="{_n(x + w * 0.95)}" cy="{_n(y + h * 0.1)}" r="{_n(max(w, h) * 0.35)}" '
              f'fill="{self.url("glow")}" fill-opacity="0.6"/>'
            + glare + "</g>"
        )


def _n(value: float) -> str:
    """A coordinate, without float noise, so the output stays byte-stable."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attrs(**attrs: object) -> str:
    out = []
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = _n(value)
        out.append(f"{key.replace('_', '-')}={quoteattr(str(value))}")
    return " ".join(out)


def _rect(x: float, y: float, w: float, h: float, r: float = 0, **attrs: object) -> str:
    return (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}"'
            + (f' rx="{_n(r)}"' if r else "") + (" " + _attrs(**attrs) if attrs else "") + "/>")


def _circle(cx: float, cy: float, r: float, **attrs: object) -> str:
    return f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" {_attrs(**attrs)}/>'


def _path(d: str, **attrs: object) -> str:
    return f'<path d="{d}" {_attrs(**attrs)}/>'


def _lens(cx: float, cy: float, r: float, c: _Canvas) -> str:
    """A small camera lens: black barrel, tinted glass, a glint."""
    return (_circle(cx, cy, r, fill=_INK, stroke=c.palette.detail, stroke_width=max(2.0, r * 0.22))
            + _circle(cx, cy, r * 0.55, fill=c.url("glass"))
            + _circle(cx - r * 0.2, cy - r * 0.22, r * 0.16, fill="#ffffff", fill_opacity=0.55))


def _phone(c: _Canvas) -> list[str]:
    p = c.palette
    return [
        c.shadow(300, 528, 190, 16),
        # Back, showing the colour and the camera block, behind and left of the front.
        _rect(145, 160, 6, 40, 2, fill=p.dark),
        c.body_rect(150, 78, 196, 404, 36),
        _rect(168, 96, 88, 88, 24, fill=p.dark, stroke=p.edge, stroke_width=2),
        _lens(193, 121, 16, c),
        _lens(193, 159, 16, c),
        _lens(231, 140, 16, c),
        _circle(232, 109, 5, fill="#f4e7c2"),
        # Front.
        _rect(451, 212, 6, 60, 2, fill=p.dark),
        c.body_rect(256, 118, 196, 404, 36),
        c.screen(266, 128, 176, 384, 27),
        _rect(327, 142, 54, 16, 8, fill="#030405"),
    ]


def _tablet(c: _Canvas) -> list[str]:
    p = c.palette
    return [
        c.shadow(300, 524, 220, 18),
        # Back.
        c.body_rect(92, 84, 300, 400, 30),
        _rect(112, 104, 62, 62, 18, fill=p.dark, stroke=p.edge, stroke_width=2),
        _lens(134, 126, 13, c),
        _circle(156, 148, 5, fill="#f4e7c2"),
        # Front: the frame shows the colour, the bezel is black.
        c.body_rect(208, 120, 300, 400, 30),
        _rect(216, 128, 284, 384, 23, fill=_INK),
        c.screen(230, 142, 256, 356, 12),
        _circle(358, 135, 3, fill="#2a3550"),
    ]


def _laptop(c: _Canvas) -> list[str]:
    p = c.palette
    return [
        c.shadow(300, 432, 250, 18),
        # Lid.
        c.body_rect(118, 118, 364, 248, 18),
        _rect(126, 126, 348, 232, 12, fill=_INK),
        c.screen(138, 138, 324, 208, 4),
        _circle(300, 132, 2.5, fill="#2a3550"),
        # Base, seen edge-on, with the thumb notch.
        _path("M70 366H530V378C530 392 518 404 500 404H100C82 404 70 392 70 378Z",
              fill=c.url("body"), stroke=p.edge, stroke_width=3, stroke_linejoin="round"),
        _path("M258 366H342V371C342 375 339 378 335 378H265C261 378 258 375 258 371Z", fill=p.dark),
        _path("M72 380H528", stroke=p.light, stroke_width=2, stroke_opacity=0.6),
    ]


def _watch(c: _Canvas) -> list[str]:
    p = c.palette
    strap = p.dark
    holes = "".join(_circle(300, y, 5, fill=p.edge, fill_opacity=0.55) for y in (462, 486, 510))
    # Activity rings: three arcs in fixed, saturated colours so they read on any case colour.
    rings = "".join(
        _circle(300, 300, r, fill="none", stroke=colour, stroke_width=12, stroke_opacity=0.25)
        + _circle(300, 300, r, fill="none", stroke=colour, stroke_width=12, stroke_linecap="round",
                  stroke_dasharray=f"{_n(6.2832 * r * share)} 999", transform="rotate(-90 300 300)")
        for r, colour, share in ((56, "#ff375f", 0.78), (40, "#9cff3a", 0.6), (24, "#25d4f5", 0.45)))
    return [
        c.shadow(300, 556, 120, 12),
        _rect(236, 40, 128, 190, 30, fill=strap, stroke=p.edge, stroke_width=3),
        _rect(236, 370, 128, 180, 30, fill=strap, stroke=p.edge, stroke_width=3),
        holes,
        _rect(384, 252, 14, 40, 5, fill=p.dark, stroke=p.edge, stroke_width=2),
        _rect(386, 312, 8, 40, 3, fill=p.dark),
        c.body_rect(206, 190, 188, 220, 52),
        _rect(218, 202, 164, 196, 42, fill=_INK),
        c.screen(226, 210, 148, 180, 36),
        rings,
    ]


def _console(c: _Canvas) -> list[str]:
    p = c.palette
    vents = "".join(_path(f"M{x} 160V232", stroke=p.detail, stroke_width=4, stroke_linecap="round")
                    for x in range(380, 441, 12))
    pad = ("M196 330C220 314 256 310 300 310C344 310 380 314 404 330C436 352 466 430 470 478"
           "C474 514 440 530 414 506L372 464C362 454 346 450 300 450C254 450 238 454 228 464"
           "L186 506C160 530 126 514 130 478C134 430 164 352 196 330Z")
    buttons = "".join(_circle(x, y, 11, fill=p.dark, stroke=p.detail, stroke_width=2.5)
                      for x, y in ((398, 356), (424, 380), (398, 404), (372, 380)))
    return [
        c.shadow(300, 290, 240, 14),
        c.shadow(300, 520, 190, 16),
        # The console box behind, lying flat.
        c.body_rect(70, 130, 460, 150, 22),
        _path("M70 242H530", stroke=p.detail, stroke_width=3),
        _rect(96, 152, 150, 8, 4, fill=p.detail, fill_opacity=0.7),
        vents,
        _circle(500, 262, 5, fill="#5fc8ff"),
        # The controller in front.
        _path(pad, fill=c.url("body"), stroke=p.edge, stroke_width=3, stroke_linejoin="round"),
        _path("M202 366h22v-22h20v22h22v20h-22v22h-20v-22h-22z", fill=p.dark, stroke=p.detail,
              stroke_width=2.5, stroke_linejoin="round"),
        buttons,
        _circle(262, 428, 24, fill=_INK, stroke=p.edge, stroke_width=2),
        _circle(262, 428, 14, fill="#242833"),
        _circle(338, 428, 24, fill=_INK, stroke=p.edge, stroke_width=2),
        _circle(338, 428, 14, fill="#242833"),
        _rect(284, 334, 32, 10, 5, fill=p.detail),
    ]


def _headphones(c: _Canvas) -> list[str]:
    p = c.palette

    def cup(x: float) -> str:
        # x is the outer edge's centre line; cups face inwards.
        return (_rect(x - 42, 278, 84, 176, 38, fill=c.url("body"), stroke=p.edge, stroke_width=3)
                + _rect(x - 30, 296, 60, 140, 28, fill=p.dark, fill_opacity=0.55)
                + _path(f"M{x} 300V432", stroke=p.light, stroke_width=3, stroke_linecap="round",
                        stroke_opacity=0.5))

    return [
        c.shadow(300, 488, 200, 14),
        # Headband: an outer arc in the body colour over a darker cushion.
        _path("M150 320C150 140 210 86 300 86C390 86 450 140 450 320", fill="none", stroke=p.edge,
              stroke_width=34, stroke_linecap="round"),
        _path("M150 320C150 140 210 86 300 86C390 86 450 140 450 320", fill="none", stroke=c.url("body"),
              stroke_width=28, stroke_linecap="round"),
        _path("M178 236C190 150 236 120 300 120C364 120 410 150 422 236", fill="none", stroke=p.dark,
              stroke_width=16, stroke_linecap="round"),
        # Ear cushions peeking out towards the middle.
        _rect(176, 292, 46, 148, 22, fill=_mix(p.dark, "#000000", 0.25), stroke=p.edge, stroke_width=2),
        _rect(378, 292, 46, 148, 22, fill=_mix(p.dark, "#000000", 0.25), stroke=p.edge, stroke_width=2),
        cup(150),
        cup(450),
        # Yokes: the joints between band and cups.
        _rect(138, 256, 24, 34, 8, fill=p.dark, stroke=p.edge, stroke_width=2),
        _rect(438, 256, 24, 34, 8, fill=p.dark, stroke=p.edge, stroke_width=2),
    ]


def _tv(c: _Canvas) -> list[str]:
    p = c.palette
    return [
        c.shadow(300, 506, 170, 12),
        # Pedestal stand.
        _path("M282 410H318L324 470H276Z", fill=c.url("body"), stroke=p.edge, stroke_width=3,
              stroke_linejoin="round"),
        _rect(190, 468, 220, 24, 10, fill=c.url("body"), stroke=p.edge, stroke_width=3),
        # Panel.
        c.body_rect(48, 104, 504, 314, 12),
        _rect(56, 112, 488, 290, 6, fill=_INK),
        c.screen(62, 118, 476, 278, 3),
        # A soft landscape on the screen, so it reads as a television rather than a monitor.
        _path("M62 340L160 262L240 318L330 236L450 330L538 282V396H62Z", fill="#ffffff", fill_opacity=0.07),
        _path("M62 370L190 318L300 360L420 310L538 352V396H62Z", fill="#ffffff", fill_opacity=0.06),
        _circle(420, 188, 22, fill="#ffffff", fill_opacity=0.14),
        _circle(300, 410, 3, fill=p.detail),
    ]


def _coffee_machine(c: _Canvas) -> list[str]:
    p = c.palette
    grille = "".join(_path(f"M{x} 462V478", stroke=p.detail, stroke_width=4, stroke_linecap="round")
                     for x in range(232, 371, 14))
    return [
        c.shadow(300, 536, 190, 16),
        c.body_rect(160, 90, 280, 430, 26),
        # Control panel with a small display and two buttons.
        _rect(196, 120, 208, 64, 14, fill=_INK),
        _rect(210, 134, 96, 36, 6, fill=c.url("screen")),
        _path("M222 152H262", stroke="#9fd0ff", stroke_width=4, stroke_linecap="round"),
        _path("M222 160H248", stroke="#9fd0ff", stroke_width=3, stroke_linecap="round", stroke_opacity=0.6),
        _circle(340, 152, 13, fill=p.dark, stroke=p.detail, stroke_width=3),
        _circle(380, 152, 13, fill=p.dark, stroke=p.detail, stroke_width=3),
        # The brewing recess, the spout and a cup on the drip tray.
        _rect(196, 210, 208, 282, 18, fill=_mix(p.dark, "#000000", 0.35)),
        _rect(258, 210, 84, 36, 10, fill=p.dark, stroke=p.edge, stroke_width=2),
        _rect(276, 244, 14, 22, 4, fill=c.url("metal")),
        _rect(310, 244, 14, 22, 4, fill=c.url("metal")),
        _path("M283 270V340M317 270V340", stroke="#6b4226", stroke_width=4, stroke_linecap="round",
              stroke_opacity=0.9),
        _path("M250 360H350L342 436C341 446 334 452 324 452H276C266 452 259 446 258 436Z",
              fill="#fbfbf8", stroke="#b9b9b4", stroke_width=3, stroke_linejoin="round"),
        _path("M350 376C378 376 378 420 346 420", fill="none", stroke="#b9b9b4", stroke_width=8,
              stroke_linecap="round"),
        _path("M350 376C378 376 378 420 346 420", fill="none", stroke="#fbfbf8", stroke_width=4,
              stroke_linecap="round"),
        _path("M256 372H344", stroke="#6b4226", stroke_width=8, stroke_linecap="round"),
        _rect(212, 454, 176, 30, 8, fill=p.dark, stroke=p.edge, stroke_width=2),
        grille,
    ]


def _vacuum(c: _Canvas) -> list[str]:
    """A cordless stick vacuum, leaning back on its floor head."""
    p = c.palette
    bands = "".join(_path(f"M{x} 150V236", stroke="#ffffff", stroke_width=3, stroke_opacity=0.4)
                    for x in (286, 300, 314))
    handle = "M368 150C372 186 374 214 366 244"
    # The wand is a rect, not a stroked line: a gradient on a zero-width line's stroke is not painted.
    wand = _rect(289, 200, 22, 272, 11, fill=c.url("metal"), stroke=p.edge, stroke_width=3)
    unit = [
        # Handle and battery behind the bin.
        _path(handle, fill="none", stroke=p.edge, stroke_width=30, stroke_linecap="round"),
        _path(handle, fill="none", stroke=c.url("body"), stroke_width=24, stroke_linecap="round"),
        _path("M346 172L356 168L358 196L348 198Z", fill=p.dark, stroke=p.edge, stroke_width=2,
              stroke_linejoin="round"),
        _rect(326, 236, 72, 52, 12, fill=p.dark, stroke=p.edge, stroke_width=3),
        _circle(346, 262, 3, fill="#7dd87d"),
        _circle(360, 262, 3, fill="#7dd87d"),
        _circle(374, 262, 3, fill="#7dd87d", fill_opacity=0.35),
        # Clear bin with its cyclone bands, then the cyclone shroud and the motor with its filter cap.
        _rect(270, 136, 60, 120, 16, fill="#e3e9f0", fill_opacity=0.92, stroke=p.edge, stroke_width=3),
        bands,
        _path("M272 220H328", stroke="#9aa4b2", stroke_width=3),
        _rect(262, 110, 76, 40, 14, fill=c.url("body"), stroke=p.edge, stroke_width=3),
        _rect(318, 100, 92, 52, 24, fill=c.url("body"), stroke=p.edge, stroke_width=3),
        _circle(398, 126, 22, fill=p.dark, stroke=p.edge, stroke_width=3),
        _circle(398, 126, 10, fill=p.detail),
    ]
    return [
        c.shadow(276, 520, 170, 14),
        '<g transform="translate(-24 0)">',
        '<g transform="rotate(14 300 470)">' + wand,
        '<g transform="translate(0 -44)">' + "".join(unit) + "</g></g>",
        # Floor head, flat on the floor: a clear window over the brush bar, a wheel, the neck joint.
        _path("M150 512C150 486 168 470 194 470H392C414 470 430 484 430 504V516H150Z",
              fill=c.url("body"), stroke=p.edge, stroke_width=3, stroke_linejoin="round"),
        _rect(164, 484, 128, 24, 12, fill=_INK, fill_opacity=0.85),
        "".join(_path(f"M{x} 487L{x - 10} 505", stroke="#d9463b", stroke_width=4, stroke_linecap="round")
                for x in range(184, 290, 16)),
        _circle(398, 510, 10, fill="#2a2d33", stroke=p.edge, stroke_width=2),
        _circle(398, 510, 3.5, fill="#8d939b"),
        _circle(300, 472, 20, fill=p.dark, stroke=p.edge, stroke_width=3),
        _circle(300, 472, 7, fill=p.detail),
        "</g>",
    ]


def _camera(c: _Canvas) -> list[str]:
    p = c.palette
    return [
        c.shadow(300, 456, 230, 16),
        # Top plate: viewfinder hump, shutter button and dial.
        _path("M236 176L254 124H346L364 176Z", fill=c.url("body"), stroke=p.edge, stroke_width=3,
              stroke_linejoin="round"),
        _rect(140, 158, 54, 22, 6, fill=p.dark, stroke=p.edge, stroke_width=2),
        _rect(406, 150, 64, 30, 8, fill=p.dark, stroke=p.edge, stroke_width=2),
        _rect(152, 150, 30, 10, 4, fill=c.url("metal")),
        c.body_rect(96, 174, 408, 264, 30),
        # Grip and leatherette band, darker than the body.
        _path("M96 222H504V392H96Z", fill=p.dark, fill_opacity=0.45),
        _rect(110, 196, 70, 224, 26, fill=p.dark, stroke=p.edge, stroke_width=2),
        _circle(446, 204, 8, fill=p.detail),
        # Lens: mount ring, barrel rings, glass.
        _circle(310, 306, 112, fill=c.url("metal"), stroke=p.edge, stroke_width=3),
        _circle(310, 306, 100, fill=_INK),
        _circle(310, 306, 86, fill="#1b1f27", stroke="#2f3644", stroke_width=6),
        _circle(310, 306, 62, fill=c.url("glass")),
        _circle(310, 306, 30, fill="#0a0d14", stroke="#34405c", stroke_width=3),
        _path("M268 270A58 58 0 0 1 324 250", fill="none", stroke="#ffffff", stroke_width=7,
              stroke_linecap="round", stroke_opacity=0.35),
        _circle(334, 282, 6, fill="#ffffff", fill_opacity=0.5),
    ]


def _speaker(c: _Canvas) -> list[str]:
    p = c.palette
    rings = "".join(_circle(300, 362, r, fill="none", stroke="#ffffff", stroke_width=1.5, stroke_opacity=0.12)
                    for r in (52, 66))
    return [
        c.shadow(300, 530, 160, 14),
        c.body_rect(176, 70, 248, 444, 24),
        _rect(176, 480, 248, 34, 0, fill=p.dark, fill_opacity=0.35),
        # Tweeter.
        _circle(300, 172, 48, fill=p.dark, stroke=p.edge, stroke_width=3),
        _circle(300, 172, 34, fill=_INK),
        _circle(300, 172, 16, fill="#2a303c", stroke="#3b4354", stroke_width=2),
        _circle(294, 166, 4, fill="#ffffff", fill_opacity=0.45),
        # Woofer.
        _circle(300, 362, 98, fill=p.dark, stroke=p.edge, stroke_width=3),
        _circle(300, 362, 84, fill=_INK),
        _circle(300, 362, 76, fill="#1c2029", stroke="#2e3442", stroke_width=6),
        rings,
        _circle(300, 362, 30, fill="#272c37", stroke="#3b4354", stroke_width=2),
        _path("M280 346A26 26 0 0 1 304 336", fill="none", stroke="#ffffff", stroke_width=4,
              stroke_linecap="round", stroke_opacity=0.3),
        _circle(300, 496, 4, fill="#5fc8ff"),
    ]


def _desktop(c: _Canvas) -> list[str]:
    p = c.palette
    keys = "".join(
        _rect(x, y, 20, 8, 2, fill=p.detail)
        for y in (454, 466) for x in range(125, 380, 26))
    return [
        c.shadow(236, 498, 200, 12),
        c.shadow(496, 500, 70, 10),
        # Tower.
        c.body_rect(446, 168, 104, 322, 14),
        _rect(462, 190, 72, 10, 4, fill=p.dark),
        _rect(462, 208, 72, 10, 4, fill=p.dark),
        _circle(498, 252, 11, fill=p.dark, stroke=p.detail, stroke_width=3),
        _circle(498, 252, 3, fill="#5fc8ff"),
        "".join(_path(f"M470 {y}H526", stroke=p.detail, stroke_width=3, stroke_linecap="round")
                for y in range(392, 465, 12)),
        # Monitor and stand.
        _path("M220 368H256L264 430H212Z", fill=c.url("body"), stroke=p.edge, stroke_width=3,
              stroke_linejoin="round"),
        _rect(168, 426, 140, 14, 7, fill=c.url("body"), stroke=p.edge, stroke_width=3),
        c.body_rect(50, 100, 376, 274, 14),
        _rect(58, 108, 360, 244, 6, fill=_INK),
        c.screen(66, 116, 344, 228, 3),
        # Windows, so it reads as a computer screen rather than a television.
        _rect(90, 140, 150, 100, 6, fill="#ffffff", fill_opacity=0.12),
        _rect(90, 140, 150, 16, 6, fill="#ffffff", fill_opacity=0.14),
        _rect(200, 190, 170, 116, 6, fill="#ffffff", fill_opacity=0.16),
        _rect(200, 190, 170, 16, 6, fill="#ffffff", fill_opacity=0.18),
        _circle(238, 362, 3, fill=p.detail),
        # Keyboard and mouse.
        _path("M120 448H384L392 480H112Z", fill=c.url("body"), stroke=p.edge, stroke_width=3,
              stroke_linejoin="round"),
        keys,
        _path("M410 470C410 456 418 448 430 448C442 448 450 456 450 470V476C450 486 442 492 430 492"
              "C418 492 410 486 410 476Z", fill=c.url("body"), stroke=p.edge, stroke_width=3),
        _path("M430 450V464", stroke=p.edge, stroke_width=2),
    ]


_DRAWERS: dict[str, Callable[[_Canvas], list[str]]] = {
    "phone": _phone, "tablet": _tablet, "laptop": _laptop, "watch": _watch, "console": _console,
    "headphones": _headphones, "tv": _tv, "coffee_machine": _coffee_machine, "vacuum": _vacuum,
    "camera": _camera, "speaker": _speaker, "desktop": _desktop,
}
assert tuple(_DRAWERS) == ILLUSTRATIONS
