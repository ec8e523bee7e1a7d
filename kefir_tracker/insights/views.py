"""The Insights page: charts of the signed-in person's own batches, grains and tastings."""

from datetime import timedelta

from django.utils import timezone
from django.views.decorators.http import require_safe

from kefir_tracker.forecast.model import model_for
from kefir_tracker.insights import bars, figures, scatter
from kefir_tracker.templating import render


@require_safe
def insights(request):
    user = request.user
    today = timezone.localdate()
    year_ago = figures.local_midnight(today - timedelta(days=365))
    times = figures.ferment_times(user, year_ago)
    model = model_for(user) if times.points else None
    growths = figures.grains_growth(user, today)
    context = {
        "ferment": scatter.ferment_chart(times, model, user.temperature_unit),
        "by_base": bars.rating_chart(figures.ratings_by_base(user), lambda r: f"base-{r.key}"),
        "by_grains": bars.rating_chart(figures.ratings_by_grains(user)),
        "per_month": bars.volume_chart(figures.volume_by_month(user, today), user.volume_unit),
        "growth": [bars.growth_panel(growth) for growth in growths],
        "growth_takeaway": bars.growth_takeaway(growths, figures.GROWTH_WEEKS),
        "growth_weeks": figures.GROWTH_WEEKS,
    }
    return render(request, "insights/insights.html", context)
