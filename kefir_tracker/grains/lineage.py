"""Lineage views: a culture in its family (bounded), and the forest of every lineage."""

from dataclasses import dataclass, field
from decimal import Decimal

from kefir_tracker.grains.models import Culture

MAX_INDENT = 6  # deeper splits stay at this indent; their generation number tells the rest
ANCESTORS_SHOWN = 3  # the root and the nearest ancestors; the rest are counted, not listed
DESCENDANTS_SHOWN = 20  # the first splits below, depth first (a phone screen); the rest are counted


@dataclass
class Node:
    culture: Culture
    indent: int


@dataclass
class Family:
    """A culture in its family, cut to what a page can show: the first known grains
    and the nearest ancestors above, the first splits below, and counts of the rest
    (the lineage overview lists them all)."""

    culture: Culture
    root: Culture | None
    near_ancestors: list[Culture]
    folded_generations: int
    descendants: list[Node]
    more_descendants: int

    @property
    def parent(self) -> Culture | None:
        return self.near_ancestors[-1] if self.near_ancestors else self.root

    @property
    def has_children(self) -> bool:
        return bool(self.descendants)


def depth_first(rows, top, limit) -> list[tuple[int, int]]:
    """The first ``limit`` (pk, levels below ``top``) of ``rows`` (pk, parent pk, name),
    depth first, siblings by name."""
    children: dict[int, list[tuple[str, int]]] = {}
    for pk, parent_pk, name in rows:
        children.setdefault(parent_pk, []).append((name, pk))
    order, stack = [], [(pk, 1) for _, pk in sorted(children.get(top, []), reverse=True)]
    while stack and len(order) < limit:
        pk, level = stack.pop()
        order.append((pk, level))
        stack.extend((child, level + 1) for _, child in sorted(children.get(pk, []), reverse=True))
    return order


def family_of(owner, pk, retries=2) -> Family:
    """The family of ``owner``'s culture ``pk``; raises Culture.DoesNotExist for others.

    Three queries at any depth or width: the chain of ancestors, the ids of
    every split below, and the figures of the cultures shown.
    """
    chain = Culture.objects.ancestry(
        owner.current_kitchen_id, pk
    )  # pk first, the first known grains last
    if not chain:
        raise Culture.DoesNotExist
    generation = len(chain) - 1
    ancestors = chain[:0:-1]  # root first
    if len(ancestors) > ANCESTORS_SHOWN + 1:
        near = ancestors[-ANCESTORS_SHOWN + 1 :]
    else:
        near = ancestors[1:]
    below = Culture.objects.descendant_rows(owner.current_kitchen_id, pk)
    shown = depth_first(below, pk, DESCENDANTS_SHOWN)

    depths = {a: ancestors.index(a) for a in [*ancestors[:1], *near]}  # the root is generation 0
    depths[pk] = generation
    depths.update({child: generation + level for child, level in shown})
    cultures = Culture.objects.for_user(owner).with_stats().in_bulk(list(depths))
    if len(cultures) < len(depths):  # one was deleted since the walks: walk again
        if retries == 0:
            raise Culture.DoesNotExist
        return family_of(owner, pk, retries - 1)
    for culture_pk, culture in cultures.items():
        culture.tree_depth = depths[culture_pk]
    return Family(
        culture=cultures[pk],
        root=cultures[ancestors[0]] if ancestors else None,
        near_ancestors=[cultures[a] for a in near],
        folded_generations=max(len(ancestors) - 1 - len(near), 0),
        descendants=[Node(cultures[c], min(level, MAX_INDENT)) for c, level in shown],
        more_descendants=len(below) - len(shown),
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


def tree_of(kitchen_id, pk) -> tuple[Lineage, Culture]:
    """The whole lineage that the kitchen's culture ``pk`` belongs to (its first known
    grains and every split below them), and that culture in it; raises
    Culture.DoesNotExist for any other kitchen's. Two queries at any depth or width."""
    chain = Culture.objects.ancestry(kitchen_id, pk)
    if not chain:
        raise Culture.DoesNotExist
    kitchen = Culture.objects.filter(kitchen_id=kitchen_id)
    cultures = kitchen.with_tree_fields().tree_filter(kitchen_id=kitchen_id).with_stats()
    lineages = forest(cultures.descendants(chain[-1], include_self=True))
    nodes = lineages[0].nodes if lineages else []
    here = next((node.culture for node in nodes if node.culture.pk == pk), None)
    if here is None:  # deleted, or moved to another tree, since the walk
        raise Culture.DoesNotExist
    return lineages[0], here


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
