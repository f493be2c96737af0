"""`python -m deploy.bench [--users N] [--duration S] ...`: run, write the reports, summarise.

The last line printed is always the summary, `bench: rps=... ratio_p50=...`.
"""

import asyncio
import logging
import sys
from pathlib import Path

import orjson

from deploy.bench.figures import Figures
from deploy.bench.options import parse
from deploy.bench.report import route_table, to_markdown
from deploy.bench.report_json import to_json
from deploy.bench.run import bench, say
from deploy.bench.verdict import summary_line, target_checks


def write_reports(figures: Figures, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    markdown = folder / f"bench-{figures.run_id}.md"
    markdown.write_text(to_markdown(figures))
    data = folder / f"bench-{figures.run_id}.json"
    data.write_bytes(orjson.dumps(to_json(figures), option=orjson.OPT_INDENT_2))
    return markdown, data


def main(argv: list[str]) -> None:
    options = parse(argv)
    # aiokafka logs every reconnect and every deleted topic it still knew; errors still show.
    logging.basicConfig(level=logging.ERROR)
    figures = asyncio.run(bench(options))
    markdown, data = write_reports(figures, options.reports_dir)
    print("\n".join(route_table(figures)))
    for target, measured, met in target_checks(figures):
        say(f"target {target}: {measured} {'(met)' if met else '(NOT met)'}")
    say(f"report: {markdown} (and {data.name})")
    print(summary_line(figures), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
