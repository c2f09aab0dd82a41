"""What the bundle runs: the same entry point as the installed ``neural-playground`` command."""

from playground.app.main import main

raise SystemExit(main())
