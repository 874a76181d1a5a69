"""How well the article names its stories and places its links. Prints figures, asserts nothing.

    python bench/article.py            # gold story texts: samples and ../shared/devdata
    python bench/article.py --asr      # also the samples' audio through the whole pipeline

Headings: the share that contain a content word of the true story title (stop words aside).
On the samples also the share that contain the title's name ("Falcon" of "The Falcon chip from
Cobalt"). Devdata stories are fed as gold texts, so this measures headings, not segmentation.
Links: the share of the description's story links placed under their true story (by order of
the description for gold texts; by time overlap for the pipeline's own stories), beside a
baseline that sends each link to the story sharing most of its words.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spacy.lang.en.stop_words import STOP_WORDS  # noqa: E402

from recap.core.document import Episode, Story  # noqa: E402
from recap.language.description import read_description  # noqa: E402
from recap.stages.render import build_article  # noqa: E402
from recap.stages.segment import outline  # noqa: E402
from recap.stages.segment.anchors import heard_by_part  # noqa: E402

SAMPLES = ROOT / "samples"
DEVDATA = ROOT.parent / "shared" / "devdata"
SAMPLE_NUMBERS = (12, 13, 14)
UNTITLED = {"intro", "outro"}


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9#]+(?:[.-][a-z0-9]+)*", text.lower()) if w not in STOP_WORDS}


def names_it(heading: str, title: str) -> bool:
    return bool(content_words(heading) & content_words(title))


def true_name(title: str) -> str:
    words = title.split(",")[0].split()
    words = words[1:] if words and words[0] == "The" else words
    name: list[str] = []
    for i, word in enumerate(words):
        joins = name and word.islower() and i + 1 < len(words) and words[i + 1][0].isupper()
        if word[0].isupper() or joins:
            name.append(word)
        elif name:
            break
    return " ".join(name)


def sample_truth(number: int) -> tuple[str, dict, str]:
    text = (SAMPLES / f"tensor_weekly_{number}.txt").read_text()
    truth = json.loads((SAMPLES / f"tensor_weekly_{number}.truth.json").read_text())
    description = SAMPLES / f"tensor_weekly_{number}.description.txt"
    return text, truth, description.read_text() if description.exists() else ""


def gold_stories(text: str, truth: dict) -> list[Story]:
    return [Story("", text[s["span"][0]:s["span"][1]], tuple(s["span"]), s["start"], s["end"], kind=s["kind"])
            for s in truth["stories"]]


def body(article) -> list:
    return [story for section in article.sections for story in section.stories]


def share(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.0%}" if total else "n/a"


def build_article_of(episode: Episode, stories: list[Story]):
    """The article as the pipeline makes it from segmented stories: outlined, then built."""
    return build_article(episode, outline(stories, episode.description))


# -- headings ---------------------------------------------------------------------------------
def sample_headings() -> None:
    word_hits = name_hits = total = 0
    for number in SAMPLE_NUMBERS:
        text, truth, description = sample_truth(number)
        article = build_article_of(Episode(id=str(number), title="", description=description),
                                   gold_stories(text, truth))
        titles = [s["title"] for s in truth["stories"] if s["kind"] not in UNTITLED]
        for story, title in zip(body(article), titles):
            word_hits += names_it(story.title, title)
            name_hits += true_name(title) in story.title
            total += 1
    print(f"  samples, gold text: heading shares a title word  {share(word_hits, total)}")
    print(f"  samples, gold text: heading holds the name       {share(name_hits, total)}")


def devdata_headings() -> None:
    if not DEVDATA.is_dir():
        print(f"  devdata: {DEVDATA} not found")
        return
    per_show: dict[str, list[int]] = {}
    started = time.perf_counter()
    count = 0
    for path in sorted(DEVDATA.glob("*.json")):
        data = json.loads(path.read_text())
        stories, offset = [], 0
        for s in data["stories"]:
            kind = s["title"].lower() if s["title"].lower() in UNTITLED else "story"
            stories.append(Story("", s["text"], (offset, offset + len(s["text"])), kind=kind))
            offset += len(s["text"]) + 1
        article = build_article_of(Episode(id=path.stem, title=data["title"]), stories)
        titles = [s["title"] for s in data["stories"] if s["title"].lower() not in UNTITLED]
        show = path.stem.split("_")[0]
        hits = per_show.setdefault(show, [0, 0])
        for story, title in zip(body(article), titles):
            hits[0] += names_it(story.title, title)
            hits[1] += 1
        count += len(stories)
    seconds = time.perf_counter() - started
    for show, (hit, total) in per_show.items():
        print(f"  devdata {show:<12} heading shares a title word  {share(hit, total)}")
    hit, total = (sum(v[i] for v in per_show.values()) for i in (0, 1))
    print(f"  devdata, all:        heading shares a title word  {share(hit, total)}")
    per_story = 1000 * seconds / max(count, 1)
    print(f"  devdata: {count} stories built in {seconds:.1f} s ({per_story:.0f} ms a story)")


# -- links ------------------------------------------------------------------------------------
def sample_links() -> None:
    """Sample 12's description lists one link per story in the episode's order: that is its truth."""
    text, truth, description = sample_truth(12)
    stories = [s for s in gold_stories(text, truth) if s.kind == "story"]
    content = [d for d in read_description(description) if not d.boilerplate]
    article = build_article_of(Episode(id="12", title="", description=description), stories)
    placed = {link.url: i for i, story in enumerate(body(article)) for link in story.links}
    right = sum(placed.get(d.link.url) == i for i, d in enumerate(content))
    starts = [sum(len(s.text) + 1 for s in stories[:k]) for k in range(len(stories))]
    evidence = heard_by_part(" ".join(s.text for s in stories), starts, [d.link for d in content])
    naive = sum(max(row) > 0 and row.index(max(row)) == i for i, row in enumerate(evidence))
    total = len(content)
    print(f"  sample 12, gold text: links placed right (alignment)  {share(right, total)}")
    print(f"  sample 12, gold text: links placed right (best words) {share(naive, total)}")
    footer = [link.url for link in article.footer_links]
    channel = [d.link.url for d in read_description(description) if d.boilerplate]
    in_footer = len(set(footer) & set(channel))
    print(f"  sample 12: channel links in the footer               {share(in_footer, len(channel))}")


# -- the whole pipeline on audio ----------------------------------------------------------------
def pipeline_samples(cache_dir: Path) -> None:
    from recap.app.pipeline import Pipeline
    from recap.core.options import Overrides, RunOptions

    word_hits = total = link_right = link_total = 0
    for number in SAMPLE_NUMBERS:
        _, truth, _ = sample_truth(number)
        description = SAMPLES / f"tensor_weekly_{number}.description.txt"
        with tempfile.TemporaryDirectory() as out:
            overrides = Overrides(description_file=description if description.exists() else None)
            options = RunOptions(out_dir=Path(out), formats=("json",), cache_dir=cache_dir,
                                 overrides=overrides)
            article = Pipeline(options).run(str(SAMPLES / f"tensor_weekly_{number}.mp3")).article
        stories = body(article)
        true = [s for s in truth["stories"] if s["kind"] == "story"]
        for t in true:
            holder = max(stories, key=lambda s: _overlap(s, t), default=None)
            word_hits += holder is not None and names_it(holder.title, t["title"])
            total += 1
        if description.exists():
            content = [d for d in read_description(description.read_text()) if not d.boilerplate]
            for d, t in zip(content, true):
                holder = next((s for s in stories if d.link.url in [link.url for link in s.links]), None)
                link_right += holder is not None and _overlap(holder, t) >= 0.5 * (t["end"] - t["start"])
                link_total += 1
        print(f"    {number}: " + " | ".join(s.title for s in stories))
    print(f"  samples, ASR + segmenter: heading shares a title word  {share(word_hits, total)}")
    print(f"  sample 12, ASR + segmenter: links placed right         {share(link_right, link_total)}")


def _overlap(story, true: dict) -> float:
    if story.start is None or story.end is None:
        return 0.0
    return max(0.0, min(story.end, true["end"]) - max(story.start, true["start"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asr", action="store_true", help="also run the samples' audio through the pipeline")
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "recap-bench-cache")
    args = parser.parse_args()
    print("headings")
    sample_headings()
    devdata_headings()
    print("links")
    sample_links()
    if args.asr:
        print("pipeline (tiny.en on the samples' audio)")
        pipeline_samples(args.cache_dir)


if __name__ == "__main__":
    main()
