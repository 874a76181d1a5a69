"""The one exception type the command line turns into a one-line message."""


class RecapError(Exception):
    """A problem the user can fix: bad input, unreachable URL, unwritable output."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class UnsupportedSource(RecapError):
    """A URL or path recap cannot read (exit code 2, like a usage error)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=2)
