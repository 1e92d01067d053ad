"""storyline: what many news articles about the same events actually say.

    >>> import storyline
    >>> report = storyline.analyze(["examples/corpus"])
    >>> storyline.to_json(report)
"""

from .errors import InputError, StorylineError
from .model import Article, Report, Story
from .pipeline import analyze, load_articles, prepare_article
from .report import to_dict, to_json, validate
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Article", "InputError", "Report", "Settings", "Story", "StorylineError",
    "analyze", "load_articles", "prepare_article", "to_dict", "to_json", "validate",
]
