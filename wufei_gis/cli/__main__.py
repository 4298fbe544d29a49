"""``python -m wufei_gis.cli``: the same as the ``wufei`` command."""

import sys

from . import main

sys.exit(main())
