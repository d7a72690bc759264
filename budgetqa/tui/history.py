"""The questions asked in the terminal UI, kept between runs: one question a line in a small UTF-8 file in the
user's data directory (platformdirs' user_data_dir("budgetqa"); BUDGETQA_DATA moves it). History is a nicety:
a file that cannot be read or written never stops the app, it is simply not kept."""

from __future__ import annotations

import os
from pathlib import Path

HISTORY_FILE = "question-history.txt"
MAX_QUESTIONS = 500


def data_dir() -> Path:
    """Where budgetqa keeps what the user made (BUDGETQA_DATA, else the platform's user data directory)."""
    override = os.environ.get("BUDGETQA_DATA")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("budgetqa", appauthor=False))


def default_history_path() -> Path:
    return data_dir() / HISTORY_FILE


class QuestionHistory:
    """The file of past questions: load() the last ones, add() one as it is asked."""

    def __init__(self, path: str | Path, limit: int = MAX_QUESTIONS) -> None:
        self.path = Path(path)
        self.limit = limit
        self.failed: OSError | None = None  # the last error, for a test or a curious user; never raised

    def load(self) -> list[str]:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        except OSError as e:
            self.failed = e
            return []
        questions = [line.strip() for line in text.splitlines() if line.strip()]
        return [q for i, q in enumerate(questions) if i == 0 or q != questions[i - 1]][-self.limit:]

    def add(self, question: str) -> None:
        question = " ".join(question.split())  # one line, whatever was pasted
        if not question:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(question + "\n")
            if self.path.stat().st_size > self.limit * 200:  # now and then, keep only the last `limit`
                self.rewrite(self.load())
        except OSError as e:
            self.failed = e

    def rewrite(self, questions: list[str]) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text("".join(q + "\n" for q in questions[-self.limit:]), encoding="utf-8")
        tmp.replace(self.path)
