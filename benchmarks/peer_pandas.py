"""What a user would otherwise write: a plain pandas script over a wide survey export.

It reads the CSV, turns the item columns into numbers ("na", "unknown" and blanks become
missing), and computes what a quality officer would want from it: each item's mean, each
respondent's own domain means, and the mean of those per group. It is the peer that
``benchmarks/bench_score.py`` times ``tra-assess score`` against (SPEC section 10), and it is
deliberately ordinary pandas, the way a competent analyst writes it in an afternoon, not tuned.

    python benchmarks/peer_pandas.py EXPORT.csv [--group-by role]

Needs pandas (not a dependency of tra-assess: ``pip install pandas`` to run it).
"""

from __future__ import annotations

import argparse
import json
import sys

import pandas as pd


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv")
    parser.add_argument("--group-by", default="role")
    args = parser.parse_args(argv)

    frame = pd.read_csv(args.csv, dtype=str, keep_default_na=False)
    # item columns are headed "item.id: question text"; the domain is the id's first part
    items = {col: col.split(":", 1)[0].strip() for col in frame.columns if "." in col.split(":")[0]}
    values = frame[list(items)].apply(pd.to_numeric, errors="coerce")
    values.columns = list(items.values())
    item_means = values.mean()
    domains: dict[str, list[str]] = {}
    for item_id in values.columns:
        domains.setdefault(item_id.split(".", 1)[0], []).append(item_id)
    own = pd.DataFrame({d: values[cols].mean(axis=1) for d, cols in domains.items()})
    by = frame[args.group_by].replace("", "(unspecified)")
    group_domains = own.groupby(by).mean()
    group_items = values.groupby(by).mean()
    json.dump(
        {
            "respondents": len(frame),
            "item_means": {k: round(float(v), 6) for k, v in item_means.items()},
            "domain_means": {k: round(float(v), 6) for k, v in own.mean().items()},
            "domain_sd": {k: round(float(v), 6) for k, v in own.std().items()},
            "groups": {
                str(g): {k: round(float(v), 6) for k, v in row.items()}
                for g, row in group_domains.iterrows()
            },
            "group_items": len(group_items),
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
