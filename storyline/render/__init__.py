"""Output formats of a report; each module renders a ``Report`` to text."""

from .markdown import render_markdown

__all__ = ["render_markdown"]
