"""A national roll-up sketch: many provinces' submission files read by DuckDB, not by plan57.

Each province checks its own repository with `plan57 check` (on every pull request, so what
lands is valid). A roll-up over all 34 provinces reads the same files into DuckDB, which is
columnar, multi-threaded and spills to disk, and sums each indicator per period and province.
The benchmark runs it on the 1,000,000-row corpus to show what such an engine costs here.

With `--exports FOLDER` it runs the national picture instead (issue 24): the query of
docs/performance.md (between its rollup markers, so the benchmark runs what the document
shows) over every province's `scores.parquet` in FOLDER/*/, and the national sums of every
province's `observations.parquet`.

Usage: python benchmarks/rollup.py ROOT [ROOT ...]   (each ROOT a data repository)
       python benchmarks/rollup.py --exports FOLDER  (FOLDER/<province>/*.parquet)
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
SUMS = """
SELECT regexp_extract(filename, '([^/]+)/observations\\.parquet$', 1) AS province,
       indicator, period, count(*) AS rows, sum(value) AS total
FROM read_parquet(?, filename = true)
GROUP BY ALL
"""

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


def national(folder: Path) -> int:
    """The documented per-quarter count of provinces by verdict, and the national sums."""
    import duckdb

    text = DOC.read_text("utf-8")
    match = re.search(r"<!-- rollup:begin -->\s*```sql\n(.*?)```", text, re.DOTALL)
    if match is None:
        print("rollup: no query between the rollup markers of docs/performance.md")
        return 2
    start = time.perf_counter()
    connection = duckdb.connect()
    query = match.group(1).replace("exports/", f"{folder.as_posix()}/")
    verdicts = connection.execute(query).fetchall()
    files = f"{folder.as_posix()}/*/observations.parquet"
    sums = connection.execute(SUMS, [files]).fetchall()
    rows = sum(row[3] for row in sums)
    seconds = time.perf_counter() - start
    print(f"{len(verdicts)} (quarter, indicator) counts; {rows:,} rows in {len(sums):,} sums")
    print(f"{seconds:.2f} s")
    return 0 if verdicts and rows else 1


def main(roots: list[str]) -> int:
    if roots[:1] == ["--exports"] and len(roots) == 2:
        return national(Path(roots[1]))
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
