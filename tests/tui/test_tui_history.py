"""The question history file on its own: where it lives, what it keeps."""

from __future__ import annotations

from pathlib import Path

from budgetqa.tui.history import MAX_QUESTIONS, QuestionHistory, data_dir, default_history_path


def test_data_dir_follows_budgetqa_data_else_the_platform(monkeypatch, tmp_path):
    monkeypatch.setenv("BUDGETQA_DATA", str(tmp_path / "d"))
    assert data_dir() == tmp_path / "d"
    assert default_history_path() == tmp_path / "d" / "question-history.txt"
    monkeypatch.delenv("BUDGETQA_DATA")
    from platformdirs import user_data_dir

    assert data_dir() == Path(user_data_dir("budgetqa", appauthor=False))


def test_questions_are_added_one_a_line_and_loaded_in_order(tmp_path):
    h = QuestionHistory(tmp_path / "deeper" / "h.txt")
    assert h.load() == []
    for q in ["总支出多少", "  电费\n多少 ", "", "电费 多少", "水费呢"]:
        h.add(q)
    assert (tmp_path / "deeper" / "h.txt").read_text(encoding="utf-8") == "总支出多少\n电费 多少\n电费 多少\n水费呢\n"
    assert QuestionHistory(tmp_path / "deeper" / "h.txt").load() == ["总支出多少", "电费 多少", "水费呢"]  # repeats in a row once


def test_only_the_last_questions_are_kept(tmp_path):
    h = QuestionHistory(tmp_path / "h.txt", limit=5)
    for i in range(2000):
        h.add(f"问题{i}")
    assert h.load() == [f"问题{i}" for i in range(1995, 2000)]
    assert len((tmp_path / "h.txt").read_text(encoding="utf-8").splitlines()) < 2000  # the file is trimmed now and then
    assert MAX_QUESTIONS >= 100


def test_a_damaged_file_still_loads(tmp_path):
    path = tmp_path / "h.txt"
    path.write_bytes("总支出多少\n".encode() + b"\xff\xfe\x00bad\n" + "电费多少\n".encode())
    questions = QuestionHistory(path).load()
    assert questions[0] == "总支出多少" and questions[-1] == "电费多少"
