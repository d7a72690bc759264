"""The question families, in the order they are tried (highest weight first; the first that answers wins).

A new family is a module in this package (a `Template` subclass with its weight, family name and example
questions in its docstring), one line here, its trigger words in `lexicon/`, and its tests.
"""

from __future__ import annotations

from budgetqa.families.across import AcrossDocuments
from budgetqa.families.base import Template
from budgetqa.families.breakdown import Breakdown
from budgetqa.families.common import examples
from budgetqa.families.indicator import Indicator
from budgetqa.families.person import MostOwner, People, Person
from budgetqa.families.project import ProjectAmount
from budgetqa.families.project_attribute import ProjectAttribute
from budgetqa.families.project_set import ProjectSet
from budgetqa.families.ratio import Ratio
from budgetqa.families.refusal import Refusal
from budgetqa.families.sangong import SangongYoY
from budgetqa.families.scalar import Scalar
from budgetqa.families.structure import SubjectCount
from budgetqa.families.subject_projects import SubjectProjects
from budgetqa.families.unknown import PersonGuess, Unknown

TEMPLATES: list[Template] = sorted([
    Refusal(),
    PersonGuess(),
    Unknown(),
    Ratio(),
    AcrossDocuments(),
    Breakdown(),
    SubjectCount(),
    SangongYoY(),
    ProjectAttribute(),
    Person(),
    People(),
    MostOwner(),
    Indicator(),
    SubjectProjects(),
    ProjectSet(),
    ProjectAmount(),
    Scalar(),
], key=lambda t: -t.weight)

__all__ = ["TEMPLATES", "examples"]
