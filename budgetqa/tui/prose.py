"""Text that wraps the way Chinese is set: no line starts with "，" "。" "）" or ends with "（" "“", and numbers are not
split across lines. Textual's own wrapping breaks anywhere in a run of Chinese characters; `Prose` (a Static) breaks
the text itself (formatting.wrap_offsets) for the width it is given, so each line already fits."""

from __future__ import annotations

from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RulesMap, Visual
from textual.widgets import Static

from budgetqa.tui.formatting import wrap_offsets


def lstrip(content: Content) -> Content:
    """The content without the spaces it starts with (a line that a break after spaces begins)."""
    text = content.plain
    return content[len(text) - len(text.lstrip()):]


def wrap_content(content: Content, width: int) -> Content:
    """The content with line breaks where wrap_offsets puts them (styles kept)."""
    lines: list[Content] = []
    for line in content.split("\n", allow_blank=True):
        offsets = wrap_offsets(line.plain, width)
        pieces = line.divide(offsets) if offsets else [line]
        lines.extend(piece.rstrip() if i == 0 else lstrip(piece).rstrip() for i, piece in enumerate(pieces))
    return Content("\n").join(lines)


class Wrapped(Visual):
    """A Content that is broken into lines by wrap_content before Textual lays it out."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self._cache: tuple[int, Content] | None = None

    def __str__(self) -> str:
        return str(self.content)

    def lines(self, width: int) -> Content:
        if self._cache is None or self._cache[0] != width:
            self._cache = (width, wrap_content(self.content, width))
        return self._cache[1]

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return self.lines(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.lines(width).get_height(rules, width)


class Prose(Static):
    """A Static whose text (a Content) wraps like Chinese text."""

    def render(self):
        visual = self.visual
        return Wrapped(visual) if isinstance(visual, Content) else visual
