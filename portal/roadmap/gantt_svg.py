"""Draw a Gantt :class:`~portal.roadmap.gantt.Layout` as SVG markup (no JavaScript).

Status shows three ways: the label written after the bar, a fill pattern (solid done,
stripes in progress, cross-hatch delayed, outline not started, grey struck cancelled)
and a colour. Milestones are diamonds, evaluation points downward triangles, today a
dashed line.
"""
from markupsafe import Markup, escape

from portal.roadmap.gantt import Layout

FILLS = {
    "done": "#1a6b2f",
    "in_progress": "url(#g-stripes)",
    "delayed": "url(#g-cross)",
    "not_started": "#ffffff",
    "cancelled": "url(#g-cancel)",
}
STROKES = {"done": "#1a6b2f", "in_progress": "#0b5394", "delayed": "#a4161a",
           "not_started": "#4a5561", "cancelled": "#6b7785"}

DEFS = (
    '<defs>'
    '<pattern id="g-stripes" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#dbe8f5"/><rect width="3" height="6" fill="#0b5394"/></pattern>'
    '<pattern id="g-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#f8dada"/><path d="M0 0L6 6M6 0L0 6" stroke="#a4161a" stroke-width="1.2"/></pattern>'
    '<pattern id="g-cancel" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#e6e9ed"/><path d="M0 3H6" stroke="#6b7785" stroke-width="1"/></pattern>'
    '</defs>'
)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _diamond(x: float, y: float, size: float = 7) -> str:
    return f"{x:.1f},{y - size:.1f} {x + size:.1f},{y:.1f} {x:.1f},{y + size:.1f} {x - size:.1f},{y:.1f}"


def _triangle(x: float, y: float, size: float = 7) -> str:
    return f"{x - size:.1f},{y - size:.1f} {x + size:.1f},{y - size:.1f} {x:.1f},{y + size:.1f}"


def draw(layout: Layout, *, title: str, today_label: str, month_names: list[str] | None = None) -> Markup:
    """The SVG for a layout; ``month_names`` (12 short names) label month columns."""
    w, h = layout.width, layout.height
    out = [f'<svg class="gantt" role="group" aria-labelledby="gantt-title" viewBox="0 0 {w:.0f} {h:.0f}" '
           f'width="{w:.0f}" height="{h:.0f}" xmlns="http://www.w3.org/2000/svg">'
           f'<title id="gantt-title">{escape(title)}</title>', DEFS]
    top = layout.rows[0].y if layout.rows else 40
    for index, column in enumerate(layout.columns):
        if index % 2 == 0:
            out.append(f'<rect x="{column.x:.1f}" y="{top - 18}" width="{column.width:.1f}" '
                       f'height="{h - top + 18:.1f}" fill="#f3f5f7"/>')
        if column.year is not None:
            out.append(f'<text class="g-year" x="{column.x + 2:.1f}" y="14">{column.year}</text>'
                       f'<line x1="{column.x:.1f}" y1="2" x2="{column.x:.1f}" y2="{h:.1f}" stroke="#6b7785"/>')
        label = column.label
        if month_names and column.label.isdigit() and len(month_names) == 12 and column.width >= 28:
            label = month_names[column.starts_on.month - 1][:3]
        out.append(f'<text class="g-col" x="{column.x + column.width / 2:.1f}" y="32" '
                   f'text-anchor="middle">{escape(label)}</text>')
    for row in layout.rows:
        if row.kind in ("horizon", "action"):
            fill = "#083d6e" if row.kind == "horizon" else "#dbe8f5"
            ink = "#ffffff" if row.kind == "horizon" else "#1b1f24"
            out.append(f'<rect x="0" y="{row.y:.1f}" width="{w:.1f}" height="{row.height - 2:.1f}" fill="{fill}"/>'
                       f'<text class="g-{row.kind}" x="4" y="{row.y + 15:.1f}" fill="{ink}">'
                       f'{escape(_short(row.label, 60))}</text>')
            continue
        if row.kind == "markers":
            out.append(f'<text class="g-markers" x="4" y="{row.y + 16:.1f}">{escape(_short(row.label, 28))}</text>')
            continue
        if row.kind != "activity":
            continue
        bar = row.bar
        label = escape(_short(bar.label, 27))
        # The whole row of the label column is the link's target (24 px tall, WCAG 2.5.8),
        # not only the 14 px of its text.
        link_open = (f'<a class="g-link" href="{escape(bar.url)}"><rect class="g-target" x="0" y="{row.y:.1f}" '
                     f'width="{layout.label_width - 2:.1f}" height="{row.height:.1f}" fill="transparent"/>'
                     if bar.url else "")
        link_close = "</a>" if bar.url else ""
        out.append(f'{link_open}<text class="g-label" x="4" y="{row.y + 16:.1f}">{label}'
                   f'<title>{escape(bar.label)}</title></text>{link_close}')
        out.append(f'<line x1="0" y1="{row.y + row.height:.1f}" x2="{w:.1f}" y2="{row.y + row.height:.1f}" '
                   f'stroke="#e6e9ed"/>')
        if row.x is None:
            continue
        state = bar.state if bar.state in FILLS else "not_started"
        out.append(f'<rect class="g-bar g-{state}" x="{row.x:.1f}" y="{row.y + 5:.1f}" width="{row.width:.1f}" '
                   f'height="{row.height - 10:.1f}" rx="2" fill="{FILLS[state]}" stroke="{STROKES[state]}" '
                   f'stroke-width="1.5"><title>{escape(bar.label)}: {escape(bar.status_label)}</title></rect>')
        if state == "cancelled":
            mid = row.y + row.height / 2
            out.append(f'<line x1="{row.x:.1f}" y1="{mid:.1f}" x2="{row.x + row.width:.1f}" y2="{mid:.1f}" '
                       f'stroke="#1b1f24" stroke-width="1.5"/>')
        out.append(f'<text class="g-status g-s-{state}" x="{row.x + row.width + 4:.1f}" y="{row.y + 16:.1f}">'
                   f'{escape(bar.status_label)}</text>')
    for placed in layout.markers:
        marker = placed.marker
        if marker.kind == "evaluation":
            shape = f'<polygon points="{_triangle(placed.x, placed.y)}" fill="#8a5300" stroke="#1b1f24"/>'
        else:
            shape = f'<polygon points="{_diamond(placed.x, placed.y)}" fill="#ffbf47" stroke="#1b1f24"/>'
        out.append(f'<g class="g-marker g-m-{escape(marker.kind)}">{shape}<title>{escape(marker.label)}</title></g>')
    if layout.today_x is not None:
        out.append(f'<line class="g-today" x1="{layout.today_x:.1f}" y1="18" x2="{layout.today_x:.1f}" '
                   f'y2="{h:.1f}" stroke="#a4161a" stroke-width="2" stroke-dasharray="4 3"/>'
                   f'<text class="g-today-label" x="{layout.today_x + 3:.1f}" y="{h - 2:.1f}" '
                   f'fill="#a4161a">{escape(today_label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
