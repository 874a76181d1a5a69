"""The errors a user can cause and fix. Each says what went wrong; the command line turns it into
one line, adds the advice that names its own flags and commands, and picks the exit code."""


class RecapError(Exception):
    """A problem the user can fix: bad input, unreachable URL, unwritable output."""


class UnsupportedSource(RecapError):
    """A URL or path recap cannot read at all."""


class SignInRequired(UnsupportedSource):
    """The site refused the download until someone signs in (or thought recap a bot)."""


class DownloadStalled(UnsupportedSource):
    """The server kept the connection open but sent (almost) nothing for too long."""

    def __init__(self, message: str, window: float | None = None) -> None:
        super().__init__(message)
        self.window = window  # the seconds without progress that ended it


class NotAnEpisode(RecapError):
    """An episode was expected and the URL lists many (a playlist, channel or feed)."""

    def __init__(self, url: str) -> None:
        super().__init__(f"{url} is a playlist or channel")
        self.url = url


class NotAChannel(RecapError):
    """A channel was expected and the URL is one episode."""

    def __init__(self, url: str) -> None:
        super().__init__(f"{url} is a single episode, not a channel, playlist or feed")
        self.url = url


class EditedSinceWritten(RecapError):
    """A file recap wrote was changed by someone since: recap will not write over it."""


class ModelUnavailable(RecapError):
    """The Whisper model asked for is neither on this machine nor downloadable."""

    def __init__(self, message: str, bundled: str) -> None:
        super().__init__(message)
        self.bundled = bundled  # the model that works offline


class ProfileError(RecapError):
    """A show profile (or another data file) that cannot be read or used: the message names the
    file, the line and the problem."""
