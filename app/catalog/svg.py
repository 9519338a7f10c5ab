"""A small SVG toolkit for the product illustrations: colour arithmetic, a palette derived from a
body colour, a canvas that owns gradient and clip definitions, and element builders that write
presentation attributes only (the files are served under a CSP without inline styles)."""
from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

# Fixed, colour-independent parts: the lit screen, glass, chrome.
SCREEN_TOP = "#2c3a55"
SCREEN_BOTTOM = "#0c1018"
GLOW = "#6f8dff"
INK = "#0b0c0f"          # camera holes, lens barrels, bezels: black on every device


def rgb(hex_: str) -> tuple[int, int, int]:
    return int(hex_[1:3], 16), int(hex_[3:5], 16), int(hex_[5:7], 16)


def hex_of(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def mix(a: str, b: str, t: float) -> str:
    """`a` moved a fraction `t` towards `b`."""
    ra, rb = rgb(a), rgb(b)
    return hex_of(tuple(x + (y - x) * t for x, y in zip(ra, rb)))


def luminance(hex_: str) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb(hex_))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@dataclass(frozen=True)
class Palette:
    body: str
    top: str        # body gradient, lit side
    bottom: str     # body gradient, shaded side
    edge: str       # outline: always darker than the body, so a white device still reads on white
    dark: str       # recessed parts: buttons, cushions, bands
    light: str      # highlights
    detail: str     # grilles, seams, keys: contrasts with the body whichever way it leans
    glow: str       # the wallpaper glow on screens, a hint of the body colour

    @classmethod
    def from_hex(cls, hex_: str) -> Palette:
        body = hex_.lower()
        lum = luminance(body)
        # Near-black bodies need lighter details to show at all; light ones need darker.
        detail = mix(body, "#000000", 0.30) if lum > 0.30 else mix(body, "#ffffff", 0.22)
        dark = mix(body, "#000000", 0.22) if lum > 0.05 else mix(body, "#ffffff", 0.07)
        edge = mix(body, "#000000", 0.38 if lum > 0.5 else 0.5)
        return cls(body=body, top=mix(body, "#ffffff", 0.12), bottom=mix(body, "#000000", 0.10),
                   edge=edge, dark=dark, light=mix(body, "#ffffff", 0.45), detail=detail,
                   glow=mix(body, GLOW, 0.6))


@dataclass
class Canvas:
    prefix: str
    palette: Palette

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
            f'<stop offset="0" stop-color="{SCREEN_TOP}"/><stop offset="1" stop-color="{SCREEN_BOTTOM}"/>'
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
        return f'<ellipse cx="{num(cx)}" cy="{num(cy)}" rx="{num(rx)}" ry="{num(ry)}" fill="{self.url("shadow")}"/>'

    def body_rect(self, x: float, y: float, w: float, h: float, r: float, *, stroke: float = 3) -> str:
        return rect(x, y, w, h, r, fill=self.url("body"), stroke=self.palette.edge, stroke_width=stroke)

    def screen(self, x: float, y: float, w: float, h: float, r: float) -> str:
        """A lit screen: dark gradient, a soft glow tinted by the body colour, and a glare band."""
        self._clips += 1
        clip = self.id(f"clip{self._clips}")
        self.defs.append(f'<clipPath id="{clip}">{rect(x, y, w, h, r)}</clipPath>')
        glare = (f'<path d="M{num(x + w * 0.55)} {num(y)}H{num(x + w)}V{num(y + h * 0.35)}'
                 f'L{num(x + w * 0.15)} {num(y + h)}H{num(x)}V{num(y + h * 0.8)}Z" '
                 'fill="#ffffff" fill-opacity="0.06"/>')
        return (
            rect(x, y, w, h, r, fill=self.url("screen"))
            + f'<g clip-path="url(#{clip})">'
            + f'<circle cx="{num(x + w * 0.22)}" cy="{num(y + h * 0.78)}" r="{num(max(w, h) * 0.55)}" '
              f'fill="{self.url("glow")}"/>'
            + f'<circle cx="{num(x + w * 0.95)}" cy="{num(y + h * 0.1)}" r="{num(max(w, h) * 0.35)}" '
              f'fill="{self.url("glow")}" fill-opacity="0.6"/>'
            + glare + "</g>"
        )


def num(value: float) -> str:
    """A coordinate, without float noise, so the output stays byte-stable."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def attributes(**attrs: object) -> str:
    out = []
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, float):
            value = num(value)
        out.append(f"{key.replace('_', '-')}={quoteattr(str(value))}")
    return " ".join(out)


def rect(x: float, y: float, w: float, h: float, r: float = 0, **attrs: object) -> str:
    return (f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}"'
            + (f' rx="{num(r)}"' if r else "") + (" " + attributes(**attrs) if attrs else "") + "/>")


def circle(cx: float, cy: float, r: float, **attrs: object) -> str:
    return f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}" {attributes(**attrs)}/>'


def path(d: str, **attrs: object) -> str:
    return f'<path d="{d}" {attributes(**attrs)}/>'


def lens(cx: float, cy: float, r: float, c: Canvas) -> str:
    """A small camera lens: black barrel, tinted glass, a glint."""
    return (circle(cx, cy, r, fill=INK, stroke=c.palette.detail, stroke_width=max(2.0, r * 0.22))
            + circle(cx, cy, r * 0.55, fill=c.url("glass"))
            + circle(cx - r * 0.2, cy - r * 0.22, r * 0.16, fill="#ffffff", fill_opacity=0.55))
