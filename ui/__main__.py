"""`python -m ui` is the same as the `alignment-workbench` command."""

from ui.cli import main

raise SystemExit(main())
