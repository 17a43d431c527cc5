"""A line chart as SVG text, log-log: no charting library is among the project's dependencies,
and twenty lines of SVG do for a break-even picture."""

import math

WIDTH, HEIGHT, MARGIN = 640, 360, 60
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]


def log_lines(title: str, x_label: str, y_label: str, series: dict[str, list[tuple[float, float]]]) -> str:
    points = [p for line in series.values() for p in line]
    x0, x1 = (math.log10(f([x for x, _ in points])) for f in (min, max))
    y0, y1 = (math.log10(f([max(y, 0.01) for _, y in points])) for f in (min, max))

    def at(x: float, y: float) -> str:
        px = MARGIN + (math.log10(x) - x0) / ((x1 - x0) or 1) * (WIDTH - 2 * MARGIN)
        py = HEIGHT - MARGIN - (math.log10(max(y, 0.01)) - y0) / ((y1 - y0) or 1) * (HEIGHT - 2 * MARGIN)
        return f"{px:.1f},{py:.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" font-size="12">',  # noqa: E501
             f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="14">{title}</text>',
             f'<text x="{WIDTH / 2}" y="{HEIGHT - 15}" text-anchor="middle">{x_label}</text>',
             f'<text x="15" y="{HEIGHT / 2}" transform="rotate(-90 15 {HEIGHT / 2})" text-anchor="middle">{y_label}</text>',  # noqa: E501
             f'<rect x="{MARGIN}" y="{MARGIN}" width="{WIDTH - 2 * MARGIN}" height="{HEIGHT - 2 * MARGIN}" fill="none" stroke="#999"/>']  # noqa: E501
    for i, (name, line) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(at(x, y) for x, y in line)}"/>')  # noqa: E501
        parts += [f'<text x="{at(x, y).split(",")[0]}" y="{float(at(x, y).split(",")[1]) - 6}" fill="{colour}" '  # noqa: E501
                  f'text-anchor="middle">{y:,.0f}</text>' for x, y in line]
        parts.append(f'<text x="{MARGIN + 10}" y="{MARGIN + 16 + 16 * i}" fill="{colour}">{name}</text>')
    return "\n".join(parts + ["</svg>"]) + "\n"
