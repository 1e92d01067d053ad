"""Output formats of a report; each module renders a ``Report`` to text."""

from .html import render_html
from .markdown import render_markdown

__all__ = ["render_html", "render_markdown"]
