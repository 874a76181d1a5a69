"""`recap learn`: a show's own profile, read off its episodes, and used on its next ones."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import TOPICS, assert_one_line_error, discussion_episode, run_recap

from recap.app.learning import LEARNED_MARK, learn_profile
from recap.core.document import Episode, Segment, TimedText, Transcript
from recap.language.profile import default_profile, load_profile, profile_text
from recap.stages.segment import segment
from recap.stages.segment.learn import learn

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

HAND_OFF = "All right, ping pong time, Ana."  # this show's own hand-off: no profile knows it


def episodes(count: int) -> list[str]:
    """``count`` episodes of one show: the same greeting and hand-off, the subjects in turn."""
    return [discussion_episode(HAND_OFF, [TOPICS[(n + k) % 4] for k in range(4)])[0] for n in range(count)]


def write_episode_folders(root: Path, texts: list[str]) -> list[Path]:
    """Episode folders as a run leaves them: transcript.json and episode.json."""
    folders = []
    for n, text in enumerate(texts):
        folder = root / f"episode-{n}"
        folder.mkdir(parents=True)
        segments = [Segment(float(i), float(i + 1), sentence) for i, sentence in enumerate(text.split(". "))]
        (folder / "transcript.json").write_text(json.dumps(Transcript(segments=segments).to_dict()))
        (folder / "episode.json").write_text(json.dumps(Episode(id=str(n), title=f"Byte Show {n}").to_dict()))
        folders.append(folder)
    return folders


def test_learning_a_show_finds_its_own_hand_off_greeting_and_shape():
    learned = learn([(TimedText(text), "") for text in episodes(4)], default_profile())
    tables = {(entry.table, entry.key): entry for entry in learned.entries}
    hand_offs = [entry for (table, _), entry in tables.items() if table == "handoff"]
    assert any("ping" in entry.pattern and "pong" in entry.pattern for entry in hand_offs)
    assert all("of 4 episodes" in entry.comment for entry in hand_offs)
    assert "byte" in tables[("greeting", "learned_greeting")].pattern
    assert 6 <= learned.shape["stories"] <= 7 and learned.shape["story_words"] > 300


def test_a_learned_profile_cuts_the_shows_next_episode_at_its_hand_offs(tmp_path):
    learned = learn([(TimedText(text), "") for text in episodes(4)], default_profile())
    path = tmp_path / "byte.toml"
    path.write_text(profile_text("byte", "learned", "news",
                                 [(e.table, e.key, e.pattern, e.comment) for e in learned.entries],
                                 [(k, v, learned.shape_comments[k]) for k, v in learned.shape.items()]))
    text, openings = discussion_episode(HAND_OFF, [TOPICS[5], TOPICS[1], TOPICS[3], TOPICS[0]])
    expected = [text.index(opening) for opening in dict.fromkeys(openings)]
    hand_offs = [i for i in range(len(text)) if text.startswith(HAND_OFF, i)]
    stories = segment(TimedText(text), profile=load_profile(str(path)))
    assert set(hand_offs) <= {story.span[0] for story in stories}
    assert len(stories) == 6 and set(expected) <= {story.span[0] for story in stories} | {0}
    assert stories[-1].title == "Extras"


def test_only_the_segment_that_closes_the_show_learns_how_early_it_opens():
    """The joke that ends every episode is promised ahead ("I have a joke, but first..."): the
    profile learns how early it may open. The extras open wherever the items before them end."""
    from conftest import discussed_item

    def with_a_joke(text: str) -> str:
        more_extras = discussed_item("And one more thing about it.", TOPICS[4], 25)
        return " ".join([text, more_extras, discussed_item("Are you ready for a joke?", TOPICS[5], 30)])

    learned = learn([(TimedText(with_a_joke(text)), "") for text in episodes(4)], default_profile())
    assert 0.5 < learned.shape["Joke from"] < 1 and "Extras from" not in learned.shape


def test_too_few_episodes_teach_nothing():
    with pytest.raises(ValueError, match="at least 3 episodes"):
        learn([(TimedText(text), "") for text in episodes(2)], default_profile())


def test_learning_writes_a_profile_that_reads_back_and_keeps_a_persons_file(tmp_path):
    folders = write_episode_folders(tmp_path / "show", episodes(3))
    out = tmp_path / "byte.toml"
    result = learn_profile([f / "transcript.json" for f in folders], out)
    text = out.read_text()
    assert text.startswith(f"# {LEARNED_MARK} from 3 episodes")
    data = tomllib.loads(text)
    assert data["extends"] == "news" and data["shape"]["stories"] >= 6
    assert load_profile(str(out)).files[-1] == out.resolve()
    assert result.episodes == 3 and any(line.startswith("[handoff]") for line in result.lines)
    learn_profile([f / "transcript.json" for f in folders], out)  # its own file: learned again

    mine = tmp_path / "mine.toml"
    mine.write_text("# my show\n")
    from recap.core.errors import RecapError

    with pytest.raises(RecapError, match="was not written by `recap learn`"):
        learn_profile([f / "transcript.json" for f in folders], mine)
    assert mine.read_text() == "# my show\n"


def test_a_channel_learns_its_show_once_enough_episodes_are_done(tmp_path):
    from recap.app.channel import LEARN_AFTER, PROFILE_FILE, learn_show, remember_profile

    out = tmp_path / "channel"
    write_episode_folders(out, episodes(LEARN_AFTER - 1))
    assert learn_show(out, None) is None  # too few yet
    write_episode_folders(tmp_path / "more", episodes(1))
    (tmp_path / "more" / "episode-0").rename(out / "episode-late")
    remember_profile(out, "news")  # the folder remembers --profile news: a pointer recap wrote
    learned = learn_show(out, str(out / PROFILE_FILE))
    assert learned is not None and learned.episodes == LEARN_AFTER
    profile = (out / PROFILE_FILE).read_text()
    assert LEARNED_MARK in profile and 'extends = "news"' in profile
    assert learn_show(out, str(out / PROFILE_FILE)) is None  # learned once; `recap learn` learns again


@pytest.mark.slow
def test_recap_learn_on_the_command_line(tmp_path):
    folders = write_episode_folders(tmp_path / "show", episodes(3))
    done = run_recap("learn", str(tmp_path / "show"))
    assert done.returncode == 0, done.stderr
    assert f"learned from 3 episodes -> {tmp_path / 'show' / 'profile.toml'}" in done.stdout
    assert "[handoff]" in done.stdout and "[shape] stories = " in done.stdout
    segmented = run_recap("segment", str(folders[0] / "transcript.json"), "--profile",
                          str(tmp_path / "show" / "profile.toml"))
    assert segmented.returncode == 0, segmented.stderr

    few = run_recap("learn", str(folders[0]), str(folders[1]), "-o", str(tmp_path / "few.toml"))
    assert few.returncode == 1
    assert "at least 3 episodes, found 2" in assert_one_line_error(few)
    assert not (tmp_path / "few.toml").exists()
