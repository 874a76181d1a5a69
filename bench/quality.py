"""Segmentation and article quality on what users feed in: ASR transcripts and flat text.

    python bench/quality.py [--quick]

Runs the shared scorer (../shared/tools/score.py, from the checkout with recap installed) and
prints its MEAN line for each set beside its targets (issues 12 and 23), each show on its own:
- segments on devdata/asr (12 Changelog News episodes spoken by espeak-ng, heard by tiny.en);
- segments --flat on devdata/changelog (110 one-host episodes) and on the optech files (two hosts);
- article on devdata/asr (headings, link placement, channel links inside stories);
- segments and article on devdata/pythonbytes (10 two-host episodes, ASR) and its text --flat.
Held out: where bench/models.py has left its transcripts (--held-out, default its --out folder:
other Changelog episodes spoken and heard by each model, never used to tune the rules), segments
and article on each model's folder too: the check that a rule fitted on devdata/asr generalises.
Text with its paragraph breaks and headline lines is never scored here: they give the cuts away.
--quick scores every fifth Changelog episode instead of all 110.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from common import DEVDATA, SCORE, mean_line

TARGETS = {
    "segments": "target Pk <= 0.15, F1 >= 0.75, count 0.85-1.2",
    "segments --flat": "target Pk <= 0.15 (Optech <= 0.12)",
    "article": "target headings >= 0.85, links >= 0.90, boilerplate 0",
    "discussion": "target Pk <= 0.20, F1 >= 0.65, count 0.85-1.2",
    "discussion article": "target headings >= 0.60, links >= 0.90",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every fifth Changelog episode only")
    parser.add_argument("--held-out", type=Path, default=Path("/tmp/recap-bench-models"),
                        help="bench/models.py's --out folder (one folder of transcripts per model)")
    args = parser.parse_args()
    if not SCORE.exists():
        print(f"no scorer at {SCORE}: this bench needs the shared dev data beside the checkout")
        return 1
    changelog = sorted((DEVDATA / "changelog").glob("changelog_news_*.json"))
    changelog = [p for p in changelog if not p.name.endswith(".links.json")]
    if args.quick:
        changelog = changelog[::5]
    optech = sorted(DEVDATA.glob("optech_*.json"))
    runs = [
        ("ASR, segments", "segments", [DEVDATA / "asr"]),
        (f"flat Changelog ({len(changelog)}), segments", "segments --flat", changelog),
        (f"flat Optech ({len(optech)}), segments", "segments --flat", optech),
        ("ASR, article", "article", [DEVDATA / "asr"]),
        ("Python Bytes ASR, segments", "segments", [DEVDATA / "pythonbytes"], "discussion"),
        ("Python Bytes ASR, article", "article", [DEVDATA / "pythonbytes"], "discussion article"),
        ("Python Bytes text, segments", "segments --flat", [DEVDATA / "pythonbytes" / "text"], "discussion"),
        ("Python Bytes text, article", "article --flat", [DEVDATA / "pythonbytes" / "text"],
         "discussion article"),
    ]
    for model in sorted(p for p in args.held_out.glob("*") if any(p.glob("*.transcript.json"))):
        runs += [(f"held out ({model.name}), segments", "segments", [model]),
                 (f"held out ({model.name}), article", "article", [model])]
    for name, mode, episodes, *target in runs:
        print(f"{name:<34} {mean_line(mode, episodes)}   ({TARGETS[target[0] if target else mode]})",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
