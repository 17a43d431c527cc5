"""`python -m launcher` is the same as the `shop` command."""

from launcher.cli import main

raise SystemExit(main())
