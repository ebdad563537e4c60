"""``python -m pora.screening.eval [--seed N] [--entries N] [--queries N]``: the
evaluation set as JSON on standard output (the same seed, the same bytes)."""

from __future__ import annotations

import argparse
import sys

from pora.screening.eval.dataset import ENTRIES, QUERIES, SEED, build


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m pora.screening.eval")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--entries", type=int, default=ENTRIES)
    parser.add_argument("--queries", type=int, default=QUERIES)
    args = parser.parse_args(argv)
    sys.stdout.write(build(seed=args.seed, entries=args.entries, queries=args.queries)
                     .to_json() + "\n")


if __name__ == "__main__":
    main()
