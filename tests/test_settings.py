"""Settings a user makes once: config.toml, RECAP_* variables, flags; `recap config` shows them."""

from __future__ import annotations

import pytest

from recap.app import cli


@pytest.fixture
def config(tmp_path, monkeypatch):
    """A config.toml of the user's own (platformdirs' folder is under XDG_CONFIG_HOME here)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    for name in ("RECAP_MODEL", "RECAP_DEVICE", "RECAP_PROFILE", "RECAP_CACHE_DIR", "RECAP_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "xdg" / "recap" / "config.toml"
    path.parent.mkdir(parents=True)
    return path


def test_a_flag_beats_the_environment_which_beats_the_file_which_beats_the_default(config, monkeypatch,
                                                                                   tmp_path):
    config.write_text('model = "base"\nbeam_size = 3\nformat = ["md", "json"]\ncache_dir = "/srv/cache"\n')
    monkeypatch.setenv("RECAP_CACHE_DIR", str(tmp_path / "env-cache"))

    from_file = cli.parse_args(["run", "talk.mp4"])
    flagged = cli.parse_args(["run", "talk.mp4", "--model", "small.en", "--cache-dir", "/flag"])

    assert (from_file.model, from_file.beam_size, from_file.format) == ("base", 3, ("md", "json"))
    assert str(from_file.cache_dir) == str(tmp_path / "env-cache")  # the environment over the file
    assert from_file.batch_size == 8  # recap's own default where nobody said anything
    assert (flagged.model, str(flagged.cache_dir)) == ("small.en", "/flag")


def test_a_named_config_file_and_a_link_pages_switch(tmp_path, config, monkeypatch):
    monkeypatch.delenv("RECAP_LINK_PAGES", raising=False)
    mine = tmp_path / "deploy.toml"
    mine.write_text("link_pages = false\nworkers = 3\n")

    args = cli.parse_args(["channel", "https://example.com/feed.xml", "--config", str(mine)])
    on_a_cluster = cli.parse_args(["channel", "https://example.com/feed.xml", "--config", str(mine),
                                   "--cluster", "tcp://127.0.0.1:8786"])

    assert (args.link_pages, args.workers) == (False, 3)
    assert on_a_cluster.workers is None  # --cluster on the command line: the file's workers do not apply


@pytest.mark.parametrize(("text", "message"), [
    ("beam_size = 0\n", "beam_size = 0: "),
    ('device = "tpu"\n', "device = 'tpu': choose from auto, cpu, cuda"),
    ('modle = "base"\n', "line 1: unknown setting 'modle'"),
    ("link_pages = 3\n", "link_pages = 3: expected true or false"),
    ('format = "md,pdf"\n', "format = 'md,pdf': unknown format"),
])
def test_a_bad_value_names_the_file_the_key_and_what_is_allowed(config, capsys, monkeypatch, text, message):
    monkeypatch.delenv("RECAP_LINK_PAGES", raising=False)  # else the environment's value is the one used
    config.write_text(text)

    assert cli.main(["run", "missing.mp4"]) == 1  # before the run looks for its input
    err = capsys.readouterr().err
    assert err.startswith(f"recap: error: {config}") and message in err and err.count("\n") == 1


def test_a_bad_environment_value_names_the_variable(config, monkeypatch, capsys):
    monkeypatch.setenv("RECAP_WORKERS", "many")
    assert cli.main(["channel", "https://example.com/feed.xml", "--list"]) == 1
    assert capsys.readouterr().err.startswith("recap: error: RECAP_WORKERS: workers: ")


def test_recap_config_shows_each_setting_and_where_it_came_from(config, monkeypatch, capsys):
    config.write_text('model = "base"\n')
    monkeypatch.setenv("RECAP_DEVICE", "cpu")

    assert cli.main(["config"]) == 0
    shown = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:] if line.strip()}

    assert shown["model"].split()[1:] == ["base", str(config)]
    assert shown["device"].split()[1:] == ["cpu", "RECAP_DEVICE"]
    assert shown["beam_size"].split()[1:] == ["5", "default"]
    assert "workers" in shown and "jobs" in shown


def test_an_output_root_collects_the_folders_named_after_episodes(config, samples, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config.write_text(f'output_root = "{tmp_path / "shows"}"\n')

    assert cli.main(["render", str(samples / "tensor_weekly_13.txt"), "-q"]) == 0
    assert cli.main(["render", str(samples / "tensor_weekly_14.txt"), "-q", "--output-root", "here"]) == 0

    assert (tmp_path / "shows" / "tensor_weekly_13" / "article.md").exists()
    assert (tmp_path / "here" / "tensor_weekly_14" / "article.md").exists()
