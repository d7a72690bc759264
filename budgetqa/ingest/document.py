"""Reading one published budget document: bytes -> text -> sections -> typed, linked, reconciled records."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from budgetqa.ingest import tables as T
from budgetqa.ingest.coverage import missing_sections
from budgetqa.ingest.linking import join_project_lines, link_all
from budgetqa.ingest.reconcile import reconcile
from budgetqa.ingest.sections import find_sections
from budgetqa.ingest.subjects import subject_rows
from budgetqa.ingest.text import parse_amount

REQUIRED = ("01", "02", "03")
STANDARD = tuple(f"{i:02d}" for i in range(1, 13))  # every department publishes all twelve


class DocumentError(ValueError):
    """A file that cannot be loaded as a budget; the message names the file (and line and table)."""


@dataclass
class Document:
    doc_id: str
    dept_code: str
    dept_name: str
    year: int
    source_file: str
    checksum: str
    parsed: T.Parsed
    sections: list[str] = field(default_factory=list)
    template: str = "北京12表"  # which published format the document follows
    doc_kind: str = "部门预算"  # 部门预算 or 单位预算
    source_unit: str = "万元"  # the unit the document's tables print amounts in
    pages: int | None = None  # a PDF's page count

    @property
    def errors(self) -> list[T.Issue]:
        return [i for i in self.parsed.issues if i.severity == "error"]


def decode(data: bytes, name: str) -> str:
    """UTF-8, UTF-16 (with BOM) or GBK/GB18030; anything that is not text is refused."""
    if not data.strip():
        raise DocumentError(f"{name}: 文件是空的")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM shows NULs in every other byte
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if "预算" in text:
                return text
        raise DocumentError(f"{name}: 这是二进制文件，不是预算文本")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError as e:
            if e.start >= len(data) - 3 and e.reason == "unexpected end of data":  # a file cut inside its last character
                return data[:e.start].decode(enc)
            continue
    raise DocumentError(f"{name}: 无法识别文件编码（支持 UTF-8、UTF-16、GBK）")


def read_document(path: str | Path, data: bytes | None = None, year: int | None = None) -> Document:
    path = Path(path)
    name = path.name
    if data is None:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise DocumentError(f"{path}: 文件不存在") from None
        except IsADirectoryError:
            raise DocumentError(f"{path}: 是目录，不是文件") from None
        except OSError as e:
            raise DocumentError(f"{path}: 无法读取（{e.strerror}）") from None
    from budgetqa.ingest.pdf import is_pdf

    if is_pdf(data):
        return read_pdf_document(path, data, year)
    text = decode(data, name)
    sections = find_sections(text)
    kinds = [s.kind for s in sections]
    if not any(k in kinds for k in REQUIRED):
        raise DocumentError(f"{name}: 找不到预算01表/02表/03表，不像是部门预算公开文件")
    missing = [k for k in STANDARD if k not in kinds]
    if missing:
        raise DocumentError(f"{name}: 缺少" + "、".join(f"预算{k}表" for k in missing) + "（文件可能被截断）")
    out = T.Parsed()
    try:
        parse_sections(sections, out)
    except T.TableError as e:
        raise DocumentError(f"{name}: {e}") from None
    dept_code, dept_name = department(out, name)
    doc_year = year or budget_year(out, name)
    if doc_year is None:
        raise DocumentError(f"{name}: 无法确定预算年度（三公经费表和文件名里都没有年份），请用 --year 指定")
    doc = Document(f"{dept_code}-{doc_year}", dept_code, dept_name, doc_year, str(path),
                   hashlib.sha256(data).hexdigest(), out, kinds)
    for s in sections:
        out.found.append({"table_no": s.kind, "title": s.title, "first_line": s.line, "row_count": len(s.rows)})
    out.tables["subjects"] = subject_rows(out)
    reconcile(out)
    out.tables["missing_sections"] = missing_sections(kinds, out.tables)
    return doc


def read_pdf_document(path: Path, data: bytes, year: int | None = None) -> Document:
    """A published PDF: its pages' text tells the template (today: Shanghai's 9 tables) and which pages hold
    tables; only those pages are read cell by cell."""
    from budgetqa.ingest import shanghai
    from budgetqa.ingest.pdf import PdfError, page_tables, page_texts
    from budgetqa.ingest.reconcile import reconcile_shanghai

    name = path.name
    try:
        texts = page_texts(data)
    except PdfError as e:
        raise DocumentError(f"{name}: {e}") from None
    if not any(t.strip() for t in texts):
        raise DocumentError(f"{name}: PDF里没有可读的文字（可能是扫描件），无法加载")
    if shanghai.is_final_accounts(texts):
        raise DocumentError(f"{name}: 这是决算（部门决算/单位决算），不是预算，未加载")
    try:
        r = shanghai.read(texts, lambda pages: page_tables(data, pages), name, year)
    except (shanghai.TemplateError, T.TableError) as e:
        msg = str(e)
        raise DocumentError(msg if msg.startswith(name) else f"{name}: {msg}") from None
    out = r.parsed
    out.tables["subjects"] = subject_rows_from(r)
    reconcile_shanghai(r)
    return Document(f"{r.dept_code}-{r.year}", r.dept_code, r.dept_name, r.year, str(path),
                    hashlib.sha256(data).hexdigest(), out, [f["table_no"] for f in out.found],
                    template=shanghai.TEMPLATE, doc_kind=r.doc_kind, source_unit="元", pages=len(texts))


def subject_rows_from(r) -> list[T.Record]:
    """Subjects named by the document itself: Shanghai prints the 类 and 款 rows with their names."""
    from budgetqa.ingest.subjects import level, parent

    found: dict[tuple[str, str], str] = {}
    for kind, rows in r.coded.items():
        scheme = "部门经济分类" if "经济分类" in kind else "功能分类"
        for c in rows:
            if c.code != "合计":
                found.setdefault((scheme, c.code), c.name)
    rows_out = [{"scheme": s, "code": c, "name": n, "level": level(s, c), "parent_code": parent(s, c)}
                for (s, c), n in found.items()]
    return sorted(rows_out, key=lambda x: (x["scheme"], x["code"]))


def parse_sections(sections, out: T.Parsed) -> None:
    names: list[T.Record] = []
    amounts: list[T.Record] = []
    owners: list[T.Record] = []
    blocks: list[T.Block] = []
    for sec in sections:
        k = sec.kind
        if k in ("01", "06"):
            T.parse_summary(sec, out)
        elif k == "02":
            T.parse_income(sec, out)
        elif k == "03":
            T.parse_expenditure(sec, out)
        elif k in ("09", "10"):
            T.parse_expenditure(sec, out, table="fund_expenditure")
        elif k == "project_list":
            names += T.parse_project_list(sec, out)
        elif k == "04":
            amounts += T.parse_project_amounts(sec, out)
        elif k == "05":
            T.parse_procurement(sec, out)
        elif k == "07":
            T.parse_fiscal(sec, out)
        elif k == "08":
            T.parse_basic(sec, out)
        elif k == "11":
            T.parse_sangong(sec, out)
        elif k == "12":
            T.parse_services(sec, out)
        elif k == "owners":
            owners += T.parse_owners(sec, out)
        elif k == "perf":
            blocks += T.parse_perf(sec, out)
    for b in blocks:
        for r in b.rows:
            r["value_num"] = indicator_number(r["value"])
    lines = join_project_lines(names, amounts, out)
    for ln in lines:
        ln["payment"] = T.payment_kind(ln["name"])
    link_all(lines, owners, blocks, out)
    out.tables["projects"] = lines
    out.tables["project_owners"] = owners
    out.tables["perf_blocks"] = [
        {"block_no": i, "goal": b.goal, "project": b.project, "link_method": b.method,  # type: ignore[attr-defined]
         "confidence": b.confidence, "cost_wan": _cost(b), "line": b.line}  # type: ignore[attr-defined]
        for i, b in enumerate(blocks, start=1)]
    out.tables["perf_indicators"] = [{"block_no": i, "seq": j, **r} for i, b in enumerate(blocks, start=1)
                                     for j, r in enumerate(b.rows, start=1)]


def _cost(b: T.Block) -> Decimal | None:
    if getattr(b, "cost", None) is not None:
        return b.cost  # type: ignore[attr-defined]
    for r in b.rows:
        if r["level1"] == "成本指标" and r["value_num"] and r["unit"] in ("元", "万元"):
            return r["value_num"] / 10000 if r["unit"] == "元" else r["value_num"]
    return None


def indicator_number(value: str) -> Decimal | None:
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*%?\s*", value.replace(",", ""))
    return Decimal(m.group(1)) if m else None


def department(out: T.Parsed, name: str) -> tuple[str, str]:
    """The department is the first unit row of 预算02表 (its code has no unit suffix)."""
    units = {(r["unit_code"], r["unit_name"]) for r in out.tables.get("income", [])}
    if not units:
        raise DocumentError(f"{name}: 预算02表没有单位行，无法确定部门")
    code, dept = min(units, key=lambda u: (len(u[0]), u[0]))
    return code, dept


def budget_year(out: T.Parsed, name: str) -> int | None:
    years = [r["year"] for r in out.tables.get("sangong", [])]
    if years:
        return max(years)
    m = re.search(r"(20\d\d)", name)
    return int(m.group(1)) if m else None


__all__ = ["Document", "DocumentError", "read_document", "parse_amount"]


def _read_one(args: tuple[str, int | None]) -> Document:
    return read_document(args[0], year=args[1])


def read_many(paths, year: int | None = None, workers: int | None = None):
    """Read documents in order, on every core when there are many (a document reads in ~40 ms)."""
    import os

    paths = [str(p) for p in paths]
    workers = workers or min(os.cpu_count() or 1, 8)
    pdfs = sum(1 for p in paths if p.lower().endswith(".pdf"))  # a PDF reads in ~0.5 s: worth a process
    if len(paths) < 2 or workers < 2 or (len(paths) < 8 and pdfs < 2):
        for p in paths:
            yield read_document(p, year=year)
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_quiet_worker)
    try:
        yield from pool.map(_read_one, [(p, year) for p in paths], chunksize=1 if pdfs else 8)
    except BaseException:  # Ctrl-C, an unreadable file, or the consumer stopped: drop the queued work at once
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _quiet_worker() -> None:
    """Workers leave Ctrl-C to the main process (which stops them), so they print no tracebacks."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
