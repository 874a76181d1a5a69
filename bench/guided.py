"""Description-guided transcription: do names from the title and description help Whisper?

    python bench/guided.py [--episodes 106,126,133,153] [--scratch /tmp/guided] [--modes ...]
                           [--batch-size N [--guide-windows]] [--guidance-chars N]

Needs espeak-ng, sox and ffmpeg (`apt-get install espeak-ng sox ffmpeg`) and ../shared: for each
Changelog News episode of ../shared/devdata/changelog the story texts are joined (markdown marks
dropped) into the spoken text, spoken by ../shared/tools/speak.sh into the scratch folder (once;
the audio is reused), and transcribed by recap's WhisperTranscriber (the bundled tiny.en, its
default decoding: batched clips plus sequential re-decodes of flagged clips; --batch-size 0 for
the sequential decoder, which recap runs unguided over whole windows: --guide-windows guides those
decodes too, to measure why) in each mode:
  none            no guidance
  initial_prompt  the guidance string as Whisper's previous text (every batched clip, each re-decode)
  hotwords        the guidance string as faster-whisper's hotwords (the same clips)
The guidance string is what recap passes: recap.stages.transcribe.transcription_guidance(title, description),
built from the episode title and the links.json description (--guidance-chars: its length cap).

Figures, per episode and mode, then the mean over episodes per mode:
  WER     word error rate against the spoken text (lower case, words of [a-z0-9'], hyphens split).
  names   of the description's name words (link_words of every non-boilerplate link) that occur in
          the spoken text, the share of their occurrences the transcript has: sum over those words
          of min(said, heard) / sum of said. `extra`: name words heard more often than said (a
          prompt leaking into the words).
  sent    sentence ends (. ? !) in the transcript over those in the spoken text: Whisper copies
          the prompt's style, and a prompt without full stops gives a transcript without them.
  s       wall seconds of transcribe() with the model already loaded (2 cores: +-20% noise).
  stories the article's story count (`recap render TRANSCRIPT.json --description D --format json`)
          over the gold count.
  links   link accuracy of that article: the gold stories' character ranges in the spoken text are
          carried to the transcript by aligning its words to the spoken words (difflib); each article
          story stands for the gold story its span overlaps most, and a gold link counts as placed
          right when an article story that lists it stands for the link's gold story.
Every transcript is kept in the scratch folder (NAME.MODE.transcript.json). Asserts nothing.
README's 14 episodes: --episodes 106,126,133,153,132,178,154,79,94,150,123,157,99,141
--modes none,initial_prompt (about 25 minutes here, speaking included).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from pathlib import Path

from recap.core.document import TimedText, Transcript
from recap.core.options import TranscribeOptions
from recap.language.description import read_description
from recap.language.links import link_words
from recap.stages.transcribe import GUIDANCE_CHARS, WhisperTranscriber, transcription_guidance
from recap.stages.transcribe.engine import shift, speech_clips

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEVDATA = SHARED / "devdata" / "changelog"
sys.path.insert(0, str(ROOT / "tests"))
from conftest import word_error_rate  # noqa: E402 - the tests' own scorer, as bench/decoding.py uses

SPEAK = SHARED / "tools" / "speak.sh"
MODES = ("none", "initial_prompt", "hotwords")
_MARKS = re.compile(r"[*`#_>|]")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")
_NAME_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE_END = re.compile(r"[.?!](?=\s|$)")


class Episode:
    """One devdata episode: its spoken text, the gold stories' character starts in it, its
    description, title and gold links."""

    def __init__(self, name: str) -> None:
        data = json.loads((DEVDATA / f"{name}.json").read_text(encoding="utf-8"))
        links = json.loads((DEVDATA / f"{name}.links.json").read_text(encoding="utf-8"))
        self.name = name
        self.title = data["title"].splitlines()[0]
        self.description = links["description"]
        self.gold_links = links["links"]
        texts = [_spoken(story["text"]) for story in data["stories"]]
        self.starts, offset = [], 0
        for text in texts:
            self.starts.append(offset)
            offset += len(text) + 2
        self.text = "\n\n".join(texts)

    def speak(self, scratch: Path) -> Path:
        media = scratch / f"{self.name}.mp3"
        if not media.exists():
            script = scratch / f"{self.name}.txt"
            wrapped = "\n".join(textwrap.fill(p, 80) for p in self.text.split("\n\n"))
            script.write_text(wrapped + "\n", encoding="utf-8")
            subprocess.run(["bash", str(SPEAK), str(script), str(scratch), self.name], check=True,
                           capture_output=True)
        return media

    def name_words(self) -> Counter:
        """How often each description name word is said in the episode."""
        names = {w for d in read_description(self.description) if not d.boilerplate
                 for w in link_words(d.link)}
        said = Counter(_NAME_WORD.findall(self.text.lower()))
        return Counter({w: said[w] for w in names if said[w]})


def _spoken(text: str) -> str:
    text = _URL.sub("", _MD_LINK.sub(r"\1", text))
    return "\n\n".join(" ".join(_MARKS.sub(" ", p).split()) for p in text.split("\n\n") if p.strip())


def names_heard(episode: Episode, hypothesis: str) -> tuple[float, int]:
    said = episode.name_words()
    heard = Counter(_NAME_WORD.findall(hypothesis.lower()))
    found = sum(min(n, heard[w]) for w, n in said.items())
    extra = sum(max(0, heard[w] - n) for w, n in said.items())
    return found / max(1, sum(said.values())), extra


def article_scores(episode: Episode, transcript_path: Path, transcript: Transcript) -> tuple[float, float]:
    """(story count / gold count, link accuracy) of `recap render` with the description."""
    with tempfile.TemporaryDirectory() as tmp:
        description = Path(tmp) / "description.txt"
        description.write_text(episode.description, encoding="utf-8")
        subprocess.run([sys.executable, "-m", "recap", "render", str(transcript_path), "--description",
                        str(description), "--title", episode.title, "--format", "json", "-o",
                        f"{tmp}/out"], check=True, capture_output=True)
        article = json.loads(Path(f"{tmp}/out/article.json").read_text(encoding="utf-8"))
    return article_figures(episode, article, TimedText.from_transcript(transcript).text)


def article_figures(episode: Episode, article: dict, text: str) -> tuple[float, float]:
    """(story count / gold count, link accuracy) of an article made from a transcript of ``text``:
    a link is right under a story whose text overlaps its gold story most."""
    stories = [s for section in article.get("sections", []) for s in section.get("stories", [])]
    starts = _gold_starts(episode, text)
    ends = starts[1:] + [len(text)]

    def stands_for(story: dict) -> int:
        a, b = story["span"]
        return max(range(len(starts)), key=lambda i: min(b, ends[i]) - max(a, starts[i]))

    placed: dict[str, list[int]] = {}
    for story in stories:
        for link in story.get("links", []):
            placed.setdefault(link["url"].rstrip("/"), []).append(stands_for(story))
    right = sum(1 for g in episode.gold_links if g["story"] in placed.get(g["url"].rstrip("/"), []))
    return len(stories) / len(episode.starts), right / max(1, len(episode.gold_links))


def _gold_starts(episode: Episode, text: str) -> list[int]:
    """Each gold story's start, as a character offset into the transcript text."""
    ref = [(m.group(), m.start()) for m in _NAME_WORD.finditer(episode.text.lower())]
    hyp = [(m.group(), m.start()) for m in _NAME_WORD.finditer(text.lower())]
    matcher = difflib.SequenceMatcher(None, [w for w, _ in ref], [w for w, _ in hyp], autojunk=False)
    to_hyp: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            to_hyp[block.a + k] = block.b + k
    starts = []
    for char in episode.starts:
        first = next((i for i, (_, at) in enumerate(ref) if at >= char), len(ref))
        matched = next((to_hyp[i] for i in range(first, len(ref)) if i in to_hyp), len(hyp))
        starts.append(hyp[matched][1] if matched < len(hyp) else len(text))
    starts[0] = 0
    return starts


class WindowGuided(WhisperTranscriber):
    """The sequential decoder with the guidance on its whole-window decodes too."""

    def transcribe_window(self, window, guidance=None):
        clips = speech_clips(window.samples)
        if not clips:
            return [], []
        prompt = self._prompt(guidance)
        segments = self._decode_sequential(window.samples, **prompt)
        segments, repairs = self.repair(window.samples, clips, segments, prompt)
        return [shift(s, window.offset) for s in segments], repairs


def prompt_tokens(transcriber: WhisperTranscriber, text: str) -> int:
    from faster_whisper.tokenizer import Tokenizer

    model = transcriber.whisper()
    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                          language="en")
    return len(tokenizer.encode(" " + text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--episodes", default="106,126,133,153", help="Changelog News numbers")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/guided"))
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--batch-size", type=int, default=TranscribeOptions().batch_size)
    parser.add_argument("--guide-windows", action="store_true", help="with --batch-size 0")
    parser.add_argument("--guidance-chars", type=int, default=GUIDANCE_CHARS)
    args = parser.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    modes = args.modes.split(",")
    episodes = [Episode(f"changelog_news_{n}") for n in args.episodes.split(",")]
    kind = WindowGuided if args.guide_windows and args.batch_size == 0 else WhisperTranscriber
    transcriber = kind(TranscribeOptions(batch_size=args.batch_size))
    rows: dict[str, list[dict]] = {mode: [] for mode in modes}
    print(f"{'episode':<20} {'mode':<15} {'WER':>6} {'names':>6} {'extra':>5} {'sent':>5} {'s':>6} "
          f"{'stories':>7} {'links':>6}")
    for episode in episodes:
        media = episode.speak(args.scratch)
        guidance = transcription_guidance(episode.title, episode.description, limit=args.guidance_chars)
        print(f"# {episode.name}: {len(episode.text.split())} words, {sum(episode.name_words().values())} "
              f"name words said; guidance {len(guidance or '')} chars, "
              f"{prompt_tokens(transcriber, guidance or '')} tokens: {guidance!r}")
        transcriber.transcribe(media)  # warm: the first decode pays for loading and caches
        for mode in modes:
            if mode != "none":
                transcriber.guide_with = mode
            start = time.perf_counter()
            transcript = transcriber.transcribe(media, guidance=None if mode == "none" else guidance)
            seconds = time.perf_counter() - start
            path = args.scratch / f"{episode.name}.{mode}.transcript.json"
            path.write_text(json.dumps(transcript.to_dict(), indent=1), encoding="utf-8")
            hypothesis = " ".join(s.text for s in transcript.segments)
            names, extra = names_heard(episode, hypothesis)
            stories, links = article_scores(episode, path, transcript)
            said_ends = len(_SENTENCE_END.findall(episode.text))
            sentences = len(_SENTENCE_END.findall(hypothesis)) / max(1, said_ends)
            row = {"WER": word_error_rate(episode.text, hypothesis), "names": names,
                   "extra": extra, "sent": sentences, "s": seconds, "stories": stories, "links": links}
            rows[mode].append(row)
            print(f"{episode.name:<20} {mode:<15} {row['WER']:6.1%} {names:6.1%} {extra:5d} "
                  f"{sentences:5.2f} {seconds:6.1f} {stories:7.2f} {links:6.2f}", flush=True)
    print("# mean over episodes")
    for mode, found in rows.items():
        mean = {k: sum(r[k] for r in found) / len(found) for k in found[0]}
        print(f"{'MEAN':<20} {mode:<15} {mean['WER']:6.1%} {mean['names']:6.1%} {mean['extra']:5.1f} "
              f"{mean['sent']:5.2f} {mean['s']:6.1f} {mean['stories']:7.2f} {mean['links']:6.2f}")


if __name__ == "__main__":
    main()
