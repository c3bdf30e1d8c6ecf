"""A national roll-up sketch: many provinces' submission files read by DuckDB, not by plan57.

Each province checks its own repository with `plan57 check` (on every pull request, so what
lands is valid). A roll-up over all 34 provinces reads the same files into DuckDB, which is
columnar, multi-threaded and spills to disk, and sums each indicator per period and province.
The benchmark runs it on the 1,000,000-row corpus to show what such an engine costs here.

Usage: python benchmarks/rollup.py ROOT [ROOT ...]   (each ROOT a data repository)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROLLUP = """
SELECT province,
       regexp_extract(filename, '/([^/]+)\\.csv$', 1) AS period,
       indicator,
       count(*) AS reports,
       sum(TRY_CAST(value AS DOUBLE)) AS total
FROM (
    SELECT *, ? AS province
    FROM read_csv(?, filename = true, header = true, all_varchar = true)
)
GROUP BY ALL
"""


def main(roots: list[str]) -> int:
    import duckdb

    start = time.perf_counter()
    connection = duckdb.connect()
    groups = 0
    for root in roots:
        files = str(Path(root) / "data" / "submissions" / "*" / "*.csv")
        groups += len(connection.execute(ROLLUP, [Path(root).name, files]).fetchall())
    print(f"{groups} (province, period, indicator) groups in {time.perf_counter() - start:.2f} s")
    return 0 if groups else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["."]))
