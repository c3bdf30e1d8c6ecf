"""The submission contract's grammar: how a cell's text reads as a value, and its bounds.

One module owns it so that the commands agree: `check` accepts exactly what this grammar
reads, `fix` writes only what it reads, `status` reads files with its sniffer, and the
catalogue's numbers keep to the same bounds.
"""

from __future__ import annotations

# Every number plan57 reads (a value, a numerator, a baseline, a target) is finite and at most
# this large in magnitude: a trillion is far above any count the plan sets (its largest are
# thousands of enterprises), and far below where a float loses whole units or a chart's
# scale overflows.
MAX_VALUE = 1e12
# Years the plan (2025-2045) and its baseline (2024) can name, in periods and the catalogue.
FIRST_YEAR = 2000
LAST_YEAR = 2099
# Settings of the catalogue.
MAX_DEADLINE_DAYS = 366
MAX_STALE_MONTHS = 240
