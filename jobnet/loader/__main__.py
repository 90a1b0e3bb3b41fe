"""``python -m jobnet.loader FILE --db PATH``."""
from __future__ import annotations

import sys

from jobnet.loader.cli import main

sys.exit(main())
