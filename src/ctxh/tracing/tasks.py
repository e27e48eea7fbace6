"""Background work of family tracing (Django tasks API).

``run_matching`` scores one request's candidates. The services enqueue it
inside their transaction: with the database backend (production) the task row
commits or rolls back together with the request, so a worker never picks up a
request that does not exist yet and no saved request is left unmatched; with
the immediate backend (tests, a laptop) it runs at once on the same data.
"""

from __future__ import annotations

from django_tasks import task

from ctxh.tracing.matching import match_request


@task()
def run_matching(request_id: int) -> dict[str, int]:
    return match_request(request_id).as_dict()


def enqueue_matching(request_id: int) -> None:
    run_matching.enqueue(request_id)
