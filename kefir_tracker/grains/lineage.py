"""Lineage views built from one recursive query's rows (already in depth-first order)."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from kefir_tracker.grains.models import Culture

MAX_INDENT = 6  # deeper splits stay at this indent; their generation number tells the rest
ANCESTORS_SHOWN = 3  # the root and the nearest ancestors; the rest fold away


@dataclass
class Node:
    culture: Culture
    indent: int


@dataclass
class Family:
    """A culture in its family: the chain of ancestors above, the tree of splits below."""

    culture: Culture
    ancestors: list[Culture]
    descendants: list[Node]
    now: datetime = field(default_factory=timezone.now)

    @property
    def root(self) -> Culture | None:
        return self.ancestors[0] if self.ancestors else None

    @property
    def folded_ancestors(self) -> list[Culture]:
        """Ancestors between the root and the nearest few, shown only on request."""
        if len(self.ancestors) <= ANCESTORS_SHOWN + 1:
            return []
        return self.ancestors[1 : -ANCESTORS_SHOWN + 1]

    @property
    def near_ancestors(self) -> list[Culture]:
        if len(self.ancestors) <= ANCESTORS_SHOWN + 1:
            return self.ancestors[1:]
        return self.ancestors[-ANCESTORS_SHOWN + 1 :]

    @property
    def has_children(self) -> bool:
        return bool(self.descendants)


def family_view(family: list[Culture], node: Culture) -> Family:
    """Split the depth-first rows of ancestors, the culture and its descendants."""
    position = next(i for i, culture in enumerate(family) if culture.pk == node.pk)
    culture = family[position]
    return Family(
        culture=culture,
        ancestors=family[:position],
        descendants=[
            Node(c, min(c.tree_depth - culture.tree_depth, MAX_INDENT))
            for c in family[position + 1 :]
        ],
    )


@dataclass
class Lineage:
    """One tree of the forest: a first known culture and all its splits."""

    root: Culture
    nodes: list[Node] = field(default_factory=list)
    batch_count: int = 0
    volume_ml: Decimal = Decimal(0)

    @property
    def culture_count(self) -> int:
        return len(self.nodes)


def forest(cultures) -> list[Lineage]:
    """Group depth-first rows into lineages, roots in name order, with their totals."""
    lineages: list[Lineage] = []
    for culture in cultures:
        if culture.tree_depth == 0:
            lineages.append(Lineage(culture))
        lineage = lineages[-1]
        lineage.nodes.append(Node(culture, min(culture.tree_depth, MAX_INDENT)))
        lineage.batch_count += culture.reuse_count
        lineage.volume_ml += culture.volume_ml_total
    return lineages
