"""A cumulative line chart (target against actual) as inline SVG, drawn by the server.

The evaluation pack is printed by wkhtmltopdf, which runs no chart library: the chart is
plain SVG markup (two polylines, axis labels, a legend), every text escaped.
"""

from html import escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 30, 14, 40  # room for the last label
COLORS = {"target": "#6c757d", "actual": "#1f77b4"}


def cumulate(values):
    """Running totals.

    >>> cumulate([1, 2, 3.5])
    [1, 3, 6.5]
    """
    total, result = 0, []
    for value in values:
        total += value
        result.append(total)
    return result


def _points(values, top, n):
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(n - 1, 1)
    return " ".join(f"{LEFT + i * step:.1f},{TOP + plot_h * (1 - v / top):.1f}" for i, v in enumerate(values))


def line_chart_svg(labels, target, actual, legend=("Target", "Actual"), value_format="{:,.0f}"):
    """An ``<svg>`` string with the cumulative ``target`` (dashed grey) and ``actual``
    (blue) series, one point per label (a month), four horizontal grid lines labelled with
    ``value_format``, and a ``legend`` (two already translated labels).

    >>> svg = line_chart_svg(["Jan", "Feb", "<Mar>"], [100, 200, 300], [50, 250, 310])
    >>> svg.count("<polyline"), "&lt;Mar&gt;" in svg, svg.startswith("<svg")
    (2, True, True)
    >>> 'points="64.0,138.5 337.0,97.0 610.0,55.5"' in svg  # target: 300 of a 400 scale
    True
    >>> line_chart_svg([], [], []) == ""
    True
    """
    n = len(labels)
    if not n or len(target) != n or len(actual) != n:
        return ""
    top = max([*target, *actual, 0])
    top = _nice(top) if top > 0 else 1
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="10">']
    for i in range(5):
        y = TOP + plot_h * i / 4
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end" fill="#555">'
                     f'{escape(value_format.format(top * (4 - i) / 4))}</text>')
    step = (WIDTH - LEFT - RIGHT) / max(n - 1, 1)
    for i, label in enumerate(labels):
        parts.append(f'<text x="{LEFT + i * step:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" '
                     f'fill="#555">{escape(str(label))}</text>')
    parts.append(f'<polyline fill="none" stroke="{COLORS["target"]}" stroke-width="2" stroke-dasharray="6,4" '
                 f'points="{_points(target, top, n)}"/>')
    parts.append(f'<polyline fill="none" stroke="{COLORS["actual"]}" stroke-width="2.5" '
                 f'points="{_points(actual, top, n)}"/>')
    y = HEIGHT - 8
    for i, (key, label) in enumerate(zip(("target", "actual"), legend)):
        x = LEFT + i * 140
        parts.append(f'<line x1="{x}" y1="{y - 3}" x2="{x + 24}" y2="{y - 3}" stroke="{COLORS[key]}" '
                     f'stroke-width="2.5"/>')
        parts.append(f'<text x="{x + 30}" y="{y}" fill="#333">{escape(str(label))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _nice(value):
    """The smallest 1, 2, 2.5, 4 or 5 × 10^k at least ``value``: round grid lines.

    >>> [_nice(v) for v in (0.7, 3, 9.9, 310, 12_000)]
    [1, 4, 10, 400, 20000]
    """
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    while magnitude > value and magnitude > 1e-9:
        magnitude /= 10
    for factor in (1, 2, 2.5, 4, 5, 10):
        if factor * magnitude >= value:
            nice = factor * magnitude
            return int(nice) if nice == int(nice) else nice
    return 10 * magnitude
