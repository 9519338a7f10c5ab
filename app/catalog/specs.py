"""Labels and units of the language-neutral spec keys stored on `Product.specs`."""
from decimal import Decimal, InvalidOperation

from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _l

SPEC_LABELS = {
    "screen_in": _l("Screen size"),
    "resolution": _l("Resolution"),
    "refresh_hz": _l("Refresh rate"),
    "chip": _l("Processor"),
    "gpu": _l("Graphics"),
    "ram_gb": _l("Memory (RAM)"),
    "storage_type": _l("Storage type"),
    "camera_mp": _l("Main camera"),
    "battery_mah": _l("Battery capacity"),
    "battery_h": _l("Battery life"),
    "weight_g": _l("Weight"),
    "os": _l("Operating system"),
    "connectivity": _l("Connectivity"),
    "noise_cancelling": _l("Active noise cancelling"),
    "power_w": _l("Power"),
    "pressure_bar": _l("Pump pressure"),
    "capacity_l": _l("Capacity"),
}

_UNITS = {"screen_in": "″", "refresh_hz": " Hz", "camera_mp": " MP", "battery_mah": " mAh",
          "battery_h": " h", "weight_g": " g", "power_w": " W", "pressure_bar": " bar", "capacity_l": " l"}


def spec_rows(specs: dict) -> list[tuple[str, str]]:
    """(label, value) pairs in a stable order, numbers formatted for the page's locale."""
    rows = []
    for key, label in SPEC_LABELS.items():
        if key not in specs or specs[key] in (None, ""):
            continue
        value = str(specs[key])
        if key == "noise_cancelling":
            value = str(_l("Yes") if value == "yes" else _l("No"))
        elif key == "ram_gb" and value.replace(".", "", 1).isdigit():
            # the same localized unit as storage: "8 Go" beside "128 Go" on a French page
            value = gettext("%(num)s GB", num=format_decimal(Decimal(value)))
        elif key in _UNITS:
            try:
                value = format_decimal(Decimal(value)) + _UNITS[key]
            except InvalidOperation:
                value = value + _UNITS[key]
        rows.append((str(label), value))
    return rows
