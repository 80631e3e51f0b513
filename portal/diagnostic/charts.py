"""The Resultado Global chart: an SVG scatter drawn on the server (no JavaScript; pure).

x = Desempeño Operativo, y = Visión de Largo Plazo y Transparencia, both 0-100; one
point per assessment, joined in date order so the trajectory shows. The quadrant
lines sit at the catalog's first cut-off. Always shown with its data table.
"""
from decimal import Decimal

from markupsafe import Markup, escape

SIZE = 300
PAD_LEFT, PAD_BOTTOM, PAD_TOP, PAD_RIGHT = 52, 40, 12, 16


def _x(value) -> float:
    return PAD_LEFT + float(Decimal(value)) / 100 * (SIZE - PAD_LEFT - PAD_RIGHT)


def _y(value) -> float:
    return PAD_TOP + (1 - float(Decimal(value)) / 100) * (SIZE - PAD_TOP - PAD_BOTTOM)


def trajectory(points, *, title: str, x_label: str, y_label: str, cutoff=80) -> Markup:
    """``points``: (label, x, y) in date order; points missing a coordinate are skipped."""
    drawn = [(label, x, y) for label, x, y in points if x is not None and y is not None]
    parts = [f'<svg class="chart diag-scatter" role="img" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" '
             f'height="{SIZE}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    left, right, top, bottom = _x(0), _x(100), _y(100), _y(0)
    parts.append(f'<rect x="{left:.1f}" y="{top:.1f}" width="{right - left:.1f}" height="{bottom - top:.1f}" '
                 f'fill="none" stroke="#c9d1d9"/>')
    for tick in (0, 20, 40, 60, 80, 100):
        parts.append(f'<text x="{_x(tick):.1f}" y="{bottom + 14:.1f}" text-anchor="middle">{tick}</text>')
        parts.append(f'<text x="{left - 6:.1f}" y="{_y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    parts.append(f'<line x1="{_x(cutoff):.1f}" y1="{top:.1f}" x2="{_x(cutoff):.1f}" y2="{bottom:.1f}" '
                 f'stroke="#4a5561" stroke-dasharray="4 3"/>')
    parts.append(f'<line x1="{left:.1f}" y1="{_y(cutoff):.1f}" x2="{right:.1f}" y2="{_y(cutoff):.1f}" '
                 f'stroke="#4a5561" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{(left + right) / 2:.1f}" y="{SIZE - 6}" text-anchor="middle">{escape(x_label)}</text>')
    parts.append(f'<text transform="translate(11 {(top + bottom) / 2:.1f}) rotate(-90)" '
                 f'text-anchor="middle">{escape(y_label)}</text>')
    if len(drawn) > 1:
        path = " ".join(f"{_x(x):.1f},{_y(y):.1f}" for _, x, y in drawn)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#0b5394" stroke-width="2"/>')
        # An arrowhead on the last segment shows the direction of time.
        (_, x0, y0), (_, x1, y1) = drawn[-2], drawn[-1]
        parts.append(f'<line x1="{_x(x0):.1f}" y1="{_y(y0):.1f}" x2="{_x(x1):.1f}" y2="{_y(y1):.1f}" '
                     f'stroke="#0b5394" stroke-width="2" marker-end="url(#diag-arrow)"/>')
        parts.append('<defs><marker id="diag-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
                     'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#0b5394"/></marker></defs>')
    for index, (label, x, y) in enumerate(drawn):
        last = index == len(drawn) - 1
        cx, cy = _x(x), _y(y)
        parts.append(f'<circle class="diag-point" cx="{cx:.1f}" cy="{cy:.1f}" r="{6 if last else 5}" '
                     f'fill="{"#0b5394" if last else "#fff"}" stroke="#0b5394" stroke-width="2"/>')
        anchor = "end" if cx > SIZE * 0.65 else "start"
        dx = -9 if anchor == "end" else 9
        parts.append(f'<text x="{cx + dx:.1f}" y="{cy - 8:.1f}" text-anchor="{anchor}">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
