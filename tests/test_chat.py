"""`budgetqa chat`: a clarification's choices picked by number, ordinal or a distinguishing word; piped input gives
one line per answer; interactive input has an opening line saying how to quit, and a kept history."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from budgetqa import cli as cli_module
from budgetqa.answer import Answer
from budgetqa.choosing import pick, question_for
from budgetqa.cli import cli

ENTRUSTED = "委托业务费多少"  # two subjects of that name, with different figures: the engine asks back


def chat(db_path, text, *extra):
    return CliRunner().invoke(cli, ["chat", "--db", str(db_path), *extra], input=text)


@pytest.mark.parametrize(("reply", "value"), [
    ("1", 1874.35022), ("2", 1861.44022), ("２", 1861.44022), ("第一个", 1874.35022), ("第二个", 1861.44022),
    ("第2项", 1861.44022), ("后者", 1861.44022), ("政府经济分类", 1874.35022), ("部门经济分类的", 1861.44022),
    ("30227", 1861.44022),
])
def test_a_choice_is_picked_by_number_ordinal_or_word(db_path, reply, value):
    r = chat(db_path, f"{ENTRUSTED}\n{reply}\n", "--json")
    first, second = (json.loads(x) for x in r.stdout.strip().splitlines())
    assert first["status"] == "clarify" and len(first["candidates"]) == 2
    assert second["status"] == "ok" and second["value"] == value
    assert r.exit_code == 0


def test_a_reply_that_is_no_choice_is_a_question_of_its_own(db_path):
    r = chat(db_path, f"{ENTRUSTED}\n电费多少\n3\n", "--json")
    first, second, third = (json.loads(x) for x in r.stdout.strip().splitlines())
    assert second["question"] == "电费多少" and second["status"] == "ok"
    assert third["question"] == "3"  # no clarification pending: "3" is not a choice


def test_a_corrected_name_is_picked_by_number(db_path):
    r = chat(db_path, "姚瑶负责哪些项目\n1\n总金额多少\n", "--json")
    answers = [json.loads(x) for x in r.stdout.strip().splitlines()]
    assert answers[0]["status"] == "clarify" and answers[1]["question"] == "姚遥负责哪些项目"
    assert answers[2]["value"] == 321.48832  # and the conversation goes on from the chosen question


def test_piped_text_is_one_line_per_answer_choices_inside_it(db_path):
    r = chat(db_path, f"{ENTRUSTED}\n1\n")
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("1. 政府经济分类50205委托业务费；2. 部门经济分类30227委托业务费")
    assert "1874.35022万元" in lines[1]


def test_interactive_chat_says_how_to_quit_and_keeps_history(db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETQA_DATA", str(tmp_path))
    monkeypatch.setattr(cli_module, "is_interactive", lambda: True)
    saved = []
    monkeypatch.setattr("atexit.register", lambda f, *a: saved.append(f))
    r = CliRunner().invoke(cli, ["chat", "--db", str(db_path)], input=f"{ENTRUSTED}\n第一个\n/quit\n")
    assert r.exit_code == 0
    opening = r.stdout.splitlines()[0]
    assert "/quit" in opening and "Ctrl-D" in opening and "结束" in opening
    assert "  1. 政府经济分类50205委托业务费" in r.stdout and "1874.35022万元" in r.stdout
    import readline

    readline.add_history(ENTRUSTED)
    for f in saved:
        f()
    assert ENTRUSTED in (tmp_path / "chat_history").read_text(encoding="utf-8")


def test_pick_never_guesses():
    a = Answer("委托业务费多少", "clarify", "…", candidates=["政府经济分类50205委托业务费", "部门经济分类30227委托业务费"])
    assert [pick(a, x) for x in ("3", "0", "第三个", "委托业务费", "的", "")] == [None] * 6
    assert pick(Answer("总支出多少", "ok", "…", candidates=["x"]), "1") is None
    assert question_for(Answer("帮我写诗", "unsupported", "…", candidates=["总支出多少"]), 0) == "总支出多少"
