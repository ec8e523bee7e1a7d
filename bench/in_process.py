"""In-process time of each benchmarked page: run by bench/run.

Every request renders the page from the database (nothing of anyone's data is
cached), so one number per page: the median of --repeat requests through
Django's test client in one process (no HTTP, no second worker), each right
after a change to the account's data, as a person meets it (log, then look).
"""

import json
import statistics
import sys
import time

import django

django.setup()

from django.test import Client  # noqa: E402

from kefir_tracker.accounts.models import User  # noqa: E402
from kefir_tracker.batches.models import Batch  # noqa: E402


def median_ms(client, path, headers, repeat, before) -> float:
    times = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        response = client.get(path, **headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return round(statistics.median(times), 2)


def main(pages: list, repeat: int) -> dict:
    owner = User.objects.get(username="bench")
    latest = Batch.objects.filter(owner=owner).latest("started_at")
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(owner)

    def change():
        latest.notes = f"changed {time.perf_counter()}"
        latest.save(update_fields=["notes"])

    results = {}
    for name, path, htmx in pages:
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        median_ms(client, path, headers, 5, change)  # warm up the process
        results[name] = {"ms": median_ms(client, path, headers, repeat, change)}
    return results


if __name__ == "__main__":
    pages, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
    print(json.dumps(main(pages, repeat)))
