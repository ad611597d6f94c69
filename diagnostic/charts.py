"""Geometry of the server-rendered SVG charts.

The templates draw what these functions compute; no chart library runs in the browser.
Every number drawn is also in the data table beside the chart.
"""

import math
from decimal import Decimal

NBSP = "\u00a0"
NNBSP = "\u202f"


def fr_number(value, decimals=0):
    """1234567.8 -> « 1 234 567,8 » (narrow no-break space between thousands)."""
    if value is None:
        return ""
    value = Decimal(value)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NNBSP).replace(".", ",")


def fr_percent(value, decimals=1):
    if value is None:
        return ""
    text = fr_number(value, decimals)
    if decimals and text.endswith("," + "0" * decimals):
        text = text[: -(decimals + 1)]
    return f"{text}{NBSP}%"


def _nice_ceiling(value, step=10):
    return max(step, int(math.ceil(float(value) / step)) * step)


# Revenue bases: two bars per base (territory, France), label above them.
BAR_CHART = {
    "width": 340,
    "label_x": 0,
    "bar_x": 0,
    "bar_max": 240,
    "group_height": 84,
    "top": 66,
    "bar_height": 22,
}


def revenue_bars(rows):
    """Bars for the territory's shares beside the national references.

    rows: RevenueDiagnostic.shares(). Widths are proportional to the percentages on a
    common scale, so the picture and the table tell the same thing.
    """
    values = [row["share"] for row in rows if row["share"] is not None]
    values += [row["reference"] for row in rows]
    scale_max = _nice_ceiling(max(values) if values else 100)
    c = BAR_CHART
    groups = []
    for index, row in enumerate(rows):
        y = c["top"] + index * c["group_height"]
        share = row["share"] or Decimal(0)
        territory_width = float(share) / scale_max * c["bar_max"]
        reference_width = float(row["reference"]) / scale_max * c["bar_max"]
        groups.append(
            {
                "label": row["label"],
                "label_y": y + 16,
                "territory": {
                    "y": y + 24,
                    "width": round(territory_width, 2),
                    "value": row["share"],
                    "text": fr_percent(row["share"]) if row["share"] is not None else "—",
                    "text_x": round(territory_width + 6, 2),
                    "text_y": y + 24 + 17,
                },
                "reference": {
                    "y": y + 50,
                    "width": round(reference_width, 2),
                    "value": row["reference"],
                    "text": fr_percent(row["reference"]),
                    "text_x": round(reference_width + 6, 2),
                    "text_y": y + 50 + 17,
                },
            }
        )
    height = c["top"] + len(rows) * c["group_height"] + 4
    return {
        "width": c["width"],
        "height": height,
        "bar_height": c["bar_height"],
        "scale_max": scale_max,
        "groups": groups,
    }


SPARK = {"width": 340, "height": 160, "left": 60, "right": 64, "top": 18, "bottom": 32}


def sparkline(values, unit=""):
    """A small line chart of an indicator's values in date order."""
    if not values:
        return None
    s = SPARK
    plot_w = s["width"] - s["left"] - s["right"]
    plot_h = s["height"] - s["top"] - s["bottom"]
    numbers = [float(v.value) for v in values]
    low, high = min(numbers), max(numbers)
    if low == high:
        low, high = low - 1, high + 1
    # Leave air above and below the line.
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    count = len(values)
    points = []
    for index, item in enumerate(values):
        x = s["left"] + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)
        y = s["top"] + plot_h * (1 - (float(item.value) - low) / (high - low))
        points.append(
            {
                "x": round(x, 2),
                "y": round(y, 2),
                "value": item.value,
                "text": fr_number(item.value, _decimals(item.value)),
                "date": item.measured_on,
            }
        )
    return {
        "width": s["width"],
        "height": s["height"],
        "left": s["left"],
        "right_x": s["width"] - s["right"],
        "top": s["top"],
        "bottom_y": s["height"] - s["bottom"],
        "label_y": s["height"] - 8,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "first": points[0],
        "last": points[-1],
        "unit": unit,
    }


def _decimals(value):
    value = Decimal(value)
    return 0 if value == value.to_integral_value() else 2 if (value * 10) % 1 else 1


# The BLB compass: four axes at the cardinal points (in their admin order).
COMPASS_POSITIONS = [
    {"x": 210, "y": 28, "anchor": "middle"},
    {"x": 302, "y": 132, "anchor": "start"},
    {"x": 210, "y": 238, "anchor": "middle"},
    {"x": 118, "y": 132, "anchor": "end"},
]


def compass(axes):
    points = []
    for axis, position in zip(axes, COMPASS_POSITIONS, strict=False):
        points.append({"name": axis.name, **position})
    return {"width": 420, "height": 256, "cx": 210, "cy": 126, "r": 84, "points": points}
