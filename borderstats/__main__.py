"""python -m borderstats: the same as the `borderstats` command."""
import sys

from borderstats.cli import main

sys.exit(main())
