"""A trace as a waterfall in the terminal: its spans as an indented tree, each with its service,
its name, when it started after the trace did, how long it took, and a bar on a common scale."""

BAR_WIDTH = 40


def render(spans: list[dict], width: int = BAR_WIDTH) -> str:
    start = min(s["start"] for s in spans)
    total = max(max(s["end"] for s in spans) - start, 1)
    rows = [(depth, span) for depth, span in _tree(spans)]
    label_width = max(len(_label(depth, span)) for depth, span in rows)
    lines = [f"{'':<{label_width}}  {'start':>9} {'duration':>9}  {'|' + '-' * width + '|'}"]
    for depth, span in rows:
        offset, duration = span["start"] - start, span["end"] - span["start"]
        lines.append(f"{_label(depth, span):<{label_width}}  {_ms(offset):>9} {_ms(duration):>9}  "
                     f"|{_bar(offset, duration, total, width)}|{_mark(span)}")
    return "\n".join(lines)


def _tree(spans: list[dict]):
    """(depth, span) in the order of a tree walk; a span whose parent is missing is a root."""
    ids = {s["span_id"] for s in spans}
    children: dict[str | None, list[dict]] = {}
    for span in sorted(spans, key=lambda s: s["start"]):
        children.setdefault(span["parent_id"] if span["parent_id"] in ids else None, []).append(span)
    stack = [(0, span) for span in reversed(children.get(None, []))]
    while stack:
        depth, span = stack.pop()
        yield depth, span
        stack.extend((depth + 1, child) for child in reversed(children.get(span["span_id"], [])))


def _label(depth: int, span: dict) -> str:
    return f"{'  ' * depth}{span['service']}  {span['name']}"


def _bar(offset: int, duration: int, total: int, width: int) -> str:
    first = min(width - 1, offset * width // total)
    length = max(1, round(duration * width / total))
    return " " * first + "█" * min(length, width - first) + " " * max(0, width - first - length)


def _mark(span: dict) -> str:
    return "  ERROR" if span["status"] == "error" else ""


def _ms(nanoseconds: int) -> str:
    return f"{nanoseconds / 1e6:.1f}ms"
