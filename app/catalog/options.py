"""How a variant's options read to a shopper: "256 GB · 8 GB RAM · Wi‑Fi + Cellular · 41 mm"."""
import re

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

CONNECTIVITY_LABELS = {
    "wifi": _l("Wi-Fi"),
    "cellular": _l("Wi-Fi + Cellular"),
    "gps": _l("GPS"),
    "gps-cellular": _l("GPS + Cellular"),
}


def storage_label(gb: int) -> str:
    if gb >= 1024 and gb % 1024 == 0:
        return _l("%(num)s TB", num=format_decimal(gb // 1024))
    return _l("%(num)s GB", num=format_decimal(gb))


def size_label(size: str) -> str:
    """`41mm` → "41 mm", `55in` → "55″", `13in` → "13″"; anything else unchanged."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(mm|in)", size)
    if not match:
        return size
    number, unit = match.groups()
    return f"{number}\u00a0mm" if unit == "mm" else f"{number}″"


def option_label(storage_gb: int | None, ram_gb: int | None, connectivity: str | None, size: str | None) -> str:
    parts = []
    if size:
        parts.append(size_label(size))
    if storage_gb:
        parts.append(str(storage_label(storage_gb)))
    if ram_gb:
        parts.append(str(_l("%(num)s GB RAM", num=format_decimal(ram_gb))))
    if connectivity:
        parts.append(str(CONNECTIVITY_LABELS.get(connectivity, connectivity)))
    return " · ".join(parts) or str(_l("Standard"))
