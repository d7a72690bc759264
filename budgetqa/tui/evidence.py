"""The evidence of the selected answer: result table, bar chart, linked terms (under the question as the engine
understood it, when it says) and SQL, one tab each."""

from __future__ import annotations

from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import TabbedContent, TabPane

from budgetqa.answer import Answer
from budgetqa.tui.bar_chart import BarChart
from budgetqa.tui.exchange import understood_line
from budgetqa.tui.formatting import chart_series, wants_chart
from budgetqa.tui.links_table import LinksTable
from budgetqa.tui.prose import Prose
from budgetqa.tui.result_table import ResultTable
from budgetqa.tui.sql_view import SqlView

TABS = ("tab-result", "tab-chart", "tab-links", "tab-sql")


class EvidencePane(Vertical):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.answer: Answer | None = None
        self.border_title = "依据"

    def compose(self):
        with TabbedContent(id="evidence-tabs"):
            with TabPane("结果", id="tab-result"):
                yield ResultTable(id="result-table")
            with TabPane("图表", id="tab-chart"):
                with VerticalScroll(id="chart-scroll"):
                    yield BarChart(id="chart")
            with TabPane("链接", id="tab-links"):
                with Vertical(id="links-box"):
                    yield Prose(Content(""), id="links-understood")
                    yield Prose(Content(""), id="links-sources")
                    yield LinksTable(id="links-table")
            with TabPane("SQL", id="tab-sql"):
                yield SqlView(id="sql-view")

    @property
    def tabs(self) -> TabbedContent:
        return self.query_one(TabbedContent)

    def show(self, answer: Answer | None) -> None:
        self.answer = answer
        self.query_one(ResultTable).show(answer)
        series = chart_series(answer) if answer is not None else []
        self.query_one(BarChart).show(series, answer.unit if answer is not None else None)
        self.query_one(LinksTable).show(answer)
        understood = self.query_one("#links-understood", Prose)
        understood.display = bool(answer is not None and answer.understood)
        understood.update(understood_line(answer.understood) if understood.display else Content(""))
        sources = self.query_one("#links-sources", Prose)  # where the rows stand in the document
        sources.display = bool(answer is not None and answer.sources)
        sources.update(Content.assemble(("来源：", "$text-muted"), ("；".join(answer.sources[:12]) + (
            "……" if len(answer.sources) > 12 else ""), "$text-muted")) if sources.display else Content(""))
        self.query_one(SqlView).show(answer.sql if answer is not None else None)
        tabs = self.tabs
        n_rows = len(answer.rows) if answer is not None else 0
        n_links = len(answer.links) if answer is not None else 0
        tabs.get_tab("tab-result").label = f"结果 {n_rows}" if n_rows else "结果"
        tabs.get_tab("tab-links").label = f"链接 {n_links}" if n_links else "链接"
        self.border_subtitle = answer.question if answer is not None else ""
        if answer is None:
            return
        if answer.rows and wants_chart(answer):
            tabs.active = "tab-chart"
        elif answer.rows:
            tabs.active = "tab-result"
        elif answer.links and answer.status != "ok":
            tabs.active = "tab-links"
        elif answer.sql:
            tabs.active = "tab-sql"

    def next_tab(self) -> str:
        tabs = self.tabs
        i = TABS.index(tabs.active) if tabs.active in TABS else -1
        tabs.active = TABS[(i + 1) % len(TABS)]
        return tabs.active

    @property
    def result_table(self) -> ResultTable:
        return self.query_one(ResultTable)
