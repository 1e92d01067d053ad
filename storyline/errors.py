"""The errors a user can cause. The CLI prints their message as one line."""


class StorylineError(Exception):
    """Base class: the message is meant for a person and fits on one line."""


class InputError(StorylineError):
    """An input cannot be used: missing path, nothing readable, empty corpus."""


class SkippedInput(StorylineError):
    """One file, line or URL was unusable; the run goes on without it."""
