"""The `shop experiment` command: run one experiment (or all in turn), print its table, and
write its result as JSON (and a chart as SVG, where the experiment draws one)."""

import sys
import time
from pathlib import Path

from launcher.experiments import MODULES, load, results
from launcher.variants import VARIANTS


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "experiment", help="measure a claim of the course on the variants (docs/tradeoffs.md)")
    parser.add_argument("name", choices=[*MODULES, "all"])
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS),
                        help="the variants to compare (default: those the experiment needs)")
    parser.add_argument("--json", type=Path, help="where to write the result "
                        "(default: $SHOP_DATA_DIR/experiments/NAME.json, .data/ when unset)")
    parser.add_argument("--quick", action="store_true",
                        help="tiny durations: checks that it runs, its numbers mean little")
    parser.set_defaults(command=experiment_command)


def experiment_command(args) -> int:
    if args.name == "all" and args.json:
        sys.exit("shop: --json names one file; `all` writes one per experiment in the default place")
    names = list(MODULES) if args.name == "all" else [args.name]
    for name in names:
        module = load(name)
        variants = [v for v in (args.variants or module.DEFAULT_VARIANTS) if v in module.DEFAULT_VARIANTS]
        print(f"shop: experiment {name} on {', '.join(variants)} ...", file=sys.stderr, flush=True)
        start = time.monotonic()
        document = module.run(variants, args.quick) | {"quick": args.quick,
                                                       "seconds": round(time.monotonic() - start, 1)}
        path = args.json or results.default_dir() / f"{name}.json"
        if svg := document.pop("svg_text", None):
            document["svg"] = str(path.with_suffix(".svg"))
            path.with_suffix(".svg").parent.mkdir(parents=True, exist_ok=True)
            path.with_suffix(".svg").write_text(svg)
        results.write(document, path)
        print(results.render(document) + f"\n(written to {path})\n", flush=True)
    return 0
