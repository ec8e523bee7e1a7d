"""In-process times of the benchmarked pages, warm and cold: run by bench/run.

The load test asks for the same page again and again, so it measures pages
whose reads are remembered (kefir_tracker/owner_cache.py). A person's first
view after any change to their data is "cold": everything is read and
rendered again. This times both, through Django's test client in one
process (no HTTP, no second worker): the median of --repeat requests, each
cold one right after a new data version is given to the account.
"""

import json
import statistics
import sys
import time

import django

django.setup()

from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402

from kefir_tracker.accounts.models import User  # noqa: E402
from kefir_tracker.owner_cache import data_changed  # noqa: E402


def median_ms(client, path, headers, repeat, before=None) -> float:
    times = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(path, **headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return round(statistics.median(times), 2)


def main(pages: list, repeat: int) -> dict:
    owner = User.objects.get(username="bench")
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(owner)
    results = {}
    for name, path, htmx in pages:
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        median_ms(client, path, headers, 5)  # warm up
        results[name] = {
            "warm_ms": median_ms(client, path, headers, repeat),
            "cold_ms": median_ms(
                client, path, headers, repeat, before=lambda: data_changed(Q(pk=owner.pk))
            ),
        }
    return results


if __name__ == "__main__":
    pages, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
    print(json.dumps(main(pages, repeat)))
