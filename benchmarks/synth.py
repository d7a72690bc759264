"""Synthetic budgets for scale tests: N documents in the published text format, made from the bundled one.

Each copy gets another department (district × bureau, its own code), another year (the 三公 table's two
years and the years in project names move with it), the district in names replaced, and every amount
multiplied by a whole factor (1 or 2) so that all published totals stay exactly consistent.

    python benchmarks/synth.py 100 /tmp/budgets      # writes 100 files
"""

from __future__ import annotations

import random
import re
import sys
from decimal import Decimal
from pathlib import Path

DISTRICTS = ["东城区", "西城区", "海淀区", "丰台区", "石景山区", "门头沟区", "房山区", "通州区", "顺义区", "昌平区",
             "大兴区", "怀柔区", "平谷区", "密云区", "延庆区", "朝阳区"]
BUREAUS = ["应急管理局", "民政局", "财政局", "司法局", "生态环境局", "市场监督管理局", "统计局", "审计局", "体育局", "水务局",
           "商务局", "城市管理委员会", "教育委员会", "卫生健康委员会", "文化和旅游局", "人力资源和社会保障局",
           "住房和城乡建设委员会", "交通委员会", "科学技术和信息化局", "农业农村局"]
YEARS = list(range(2016, 2031))
AMOUNT_CELL = re.compile(r"^(<b>)?(-?[\d,]+\.\d+)(</b>)?$")


def scale_cell(cell: str, k: int) -> str:
    m = AMOUNT_CELL.match(cell.strip())
    if not m or k == 1:
        return cell
    raw = m.group(2)
    places = len(raw.split(".")[1])
    value = Decimal(raw.replace(",", "")) * k
    text = f"{value:,.{places}f}" if "," in raw or value >= 1000 and "," in raw else f"{value:.{places}f}"
    return (m.group(1) or "") + text + (m.group(3) or "")


def variant(text: str, i: int, seed: int = 0) -> tuple[str, str, int]:
    """The i-th synthetic document: (text, department name, year)."""
    rng = random.Random(seed * 100003 + i)
    combos = [(d, b, y) for d in DISTRICTS for b in BUREAUS for y in YEARS]
    district, bureau, year = combos[(i * 7919) % len(combos)]
    dept = f"北京市{district}{bureau}"
    code = str(200 + (i * 7919) % len(combos) // len(YEARS))
    k = rng.choice([1, 2])
    out_lines = []
    in_perf = False
    for line in text.split("\n"):
        if "项目支出绩效表" in line:
            in_perf = True
        cells = line.split("\t")
        if not in_perf:
            cells = [scale_cell(c, k) for c in cells]
        elif len(cells) > 5 and "成本指标" in cells[1]:
            cells[5] = scale_cell(cells[5] if "." in cells[5] else cells[5] + ".0", k).removesuffix(".0")
        out_lines.append("\t".join(cells))
    out = "\n".join(out_lines)
    out = out.replace("北京市朝阳区应急管理局", dept).replace("105001-", f"{code}001-")
    out = re.sub(r"(?m)^105001\t", f"{code}001\t", out)
    out = re.sub(r"(?m)^105\t", f"{code}\t", out)
    out = out.replace("朝阳区", district).replace("朝阳", district[:-1])
    out = re.sub(r"20(2[34])年?", lambda m: str(year - (2024 - int("20" + m.group(1)))) + ("年" if m.group(0).endswith("年") else ""), out)
    return out, dept, year


def write(n: int, out_dir: Path, source: Path, seed: int = 0) -> list[Path]:
    text = source.read_text(encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        doc, dept, year = variant(text, i, seed)
        p = out_dir / f"synthetic-{i:05d}-{year}.txt"
        p.write_text(doc, encoding="utf-8")
        paths.append(p)
    return paths


if __name__ == "__main__":
    from budgetqa.lexicon_files import bundled_document

    files = write(int(sys.argv[1]), Path(sys.argv[2]), bundled_document())
    print(f"{len(files)} documents in {sys.argv[2]}")
