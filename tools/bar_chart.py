"""A small bar chart as inline SVG, drawn by the server (no chart library in the browser).

Used for the monthly seasonality indices of the decomposition preview: one bar a month,
a dashed line at the reference (100 = an average month), the value above each bar.
"""

from html import escape

WIDTH, HEIGHT = 480, 180
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_SIDE = 18, 22, 6


def bars_svg(values, labels, reference=100.0, title="", value_labels=None):
    """An ``<svg>`` string of one bar per value, labelled below by ``labels`` and above by
    ``value_labels`` (the values rounded by default), with a dashed line at ``reference``.
    Every text is escaped.

    >>> svg = bars_svg([50, 150], ["Jan", "<Feb>"], title="Indices")
    >>> svg.count("<rect"), "&lt;Feb&gt;" in svg, "<title>Indices</title>" in svg
    (2, True, True)
    >>> 'y1="64.7"' in svg  # the reference line: 18 + 140 px × (1 − 100 / 150)
    True
    """
    if len(values) != len(labels):
        raise ValueError("one label per value")
    value_labels = value_labels or [f"{v:.0f}" for v in values]
    top = max([*values, reference, 1e-9])
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = (WIDTH - 2 * MARGIN_SIDE) / max(len(values), 1)
    bar_w = slot * 0.7

    def y(value):
        return round(MARGIN_TOP + plot_h * (1 - max(value, 0) / top), 1)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
             f'style="max-width:{WIDTH}px" role="img" aria-label="{escape(title)}" class="o_sales_target_bars">',
             f"<title>{escape(title)}</title>"]
    for i, (value, label, shown) in enumerate(zip(values, labels, value_labels)):
        x = round(MARGIN_SIDE + i * slot + (slot - bar_w) / 2, 1)
        centre = round(MARGIN_SIDE + (i + 0.5) * slot, 1)
        colour = "#017e84" if value >= reference else "#9aa5b1"
        parts.append(f'<rect x="{x}" y="{y(value)}" width="{round(bar_w, 1)}" '
                     f'height="{round(y(0) - y(value), 1)}" fill="{colour}"/>')
        parts.append(f'<text x="{centre}" y="{round(y(value) - 3, 1)}" font-size="10" text-anchor="middle" '
                     f'fill="#374151">{escape(shown)}</text>')
        parts.append(f'<text x="{centre}" y="{HEIGHT - 6}" font-size="10" text-anchor="middle" '
                     f'fill="#374151">{escape(label)}</text>')
    parts.append(f'<line x1="{MARGIN_SIDE}" y1="{y(reference)}" x2="{WIDTH - MARGIN_SIDE}" y2="{y(reference)}" '
                 'stroke="#d9534f" stroke-dasharray="4 3"/>')
    parts.append(f'<line x1="{MARGIN_SIDE}" y1="{y(0)}" x2="{WIDTH - MARGIN_SIDE}" y2="{y(0)}" stroke="#6b7280"/>')
    parts.append("</svg>")
    return "".join(parts)
