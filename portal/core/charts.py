"""Small SVG charts drawn on the server (no JavaScript). Always put the data table
beside a chart; the SVG carries ``role="img"`` and a title for screen readers."""
from decimal import Decimal

from markupsafe import Markup, escape


def hbars(items, *, title: str, max_value=None, fmt=str, width: int = 320, bar_height: int = 22,
          label_width: int = 120, classes=None) -> Markup:
    """Horizontal bars: ``items`` is a list of (label, value or None).

    ``classes`` optionally maps an item index to a CSS class (e.g. a band)."""
    items = list(items)
    values = [Decimal(v) for _, v in items if v is not None]
    top = Decimal(max_value) if max_value is not None else (max(values) if values else Decimal(1))
    top = top if top > 0 else Decimal(1)
    gap = 6
    height = len(items) * (bar_height + gap) + gap
    room = width - label_width - 70
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for index, (label, value) in enumerate(items):
        y = gap + index * (bar_height + gap)
        text = str(label)
        if len(text) > 18:
            text = text[:17] + "…"
        parts.append(f'<text x="0" y="{y + bar_height * 0.7:.1f}">{escape(text)}</text>')
        css = f' class="{escape(classes[index])}"' if classes and index in classes else ""
        if value is None:
            parts.append(f'<text x="{label_width}" y="{y + bar_height * 0.7:.1f}">—</text>')
            continue
        length = max(Decimal(0), min(Decimal(value) / top, Decimal(1))) * room
        parts.append(f'<rect{css} x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="#0b5394"/>')
        parts.append(f'<text x="{label_width + float(length) + 4:.1f}" y="{y + bar_height * 0.7:.1f}">{escape(fmt(value))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
