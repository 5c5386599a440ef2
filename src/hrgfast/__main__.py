"""``python -m hrgfast`` runs the command line."""

from hrgfast.cli import main

raise SystemExit(main())
