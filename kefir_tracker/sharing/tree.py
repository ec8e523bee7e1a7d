"""What a shared family tree shows, and nothing more: the lineage's names, generations,
origins and reuse counts, the shared grains' weight, and their batches only if the
owner chose so (date, base and time; never notes or tastings)."""

from dataclasses import dataclass

from kefir_tracker.batches.models import Batch
from kefir_tracker.grains.chart import WeightChart, chart_of
from kefir_tracker.grains.lineage import Lineage, tree_of
from kefir_tracker.grains.models import Culture

BATCHES_SHOWN = 30
# The columns of a batch a shared page may show (duration reads the times).
BATCH_COLUMNS = ("number", "base", "started_at", "strained_at", "discarded")


@dataclass
class SharedTree:
    link: object  # the ShareLink
    lineage: Lineage
    culture: Culture  # the grains the link was made for, in the lineage
    chart: WeightChart
    batches: list[Batch] | None  # None: not shared
    more_batches: bool = False

    @property
    def parent(self) -> Culture | None:
        return next(
            (n.culture for n in self.lineage.nodes if n.culture.pk == self.culture.parent_id),
            None,
        )


def shared_tree(link, now) -> SharedTree:
    """What ``link`` (from ShareLink.objects.opened_by) shows: the tree in its grains'
    kitchen, whichever kitchen the person who made it is in now; raises
    Culture.DoesNotExist when the grains are gone."""
    lineage, culture = tree_of(link.kitchen_id, link.culture_id)
    tree = SharedTree(link, lineage, culture, chart_of(culture, now), None)
    if link.include_batches:
        made = (
            Batch.objects.filter(culture=culture, discarded=False)  # as the reuse count does
            .order_by("-started_at", "-pk")
            .only(*BATCH_COLUMNS)
        )
        rows = list(made[: BATCHES_SHOWN + 1])
        tree.batches, tree.more_batches = rows[:BATCHES_SHOWN], len(rows) > BATCHES_SHOWN
    return tree
