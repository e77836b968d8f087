"""`/healthz`: is this instance able to serve? For the proxy and monitoring.

No login and no personal data: only whether each check passed. The database must
answer and have every migration of this code applied (a deploy that forgot `migrate`
answers 503 instead of failing on the first page that needs the new column). The
background worker (`db_worker`, kis-worker.service) must be taking the queued tasks: a
task waiting longer than KIS_WORKER_LATE_SECONDS (600) means no worker runs ("tasks").
"""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _tasks() -> bool:
    """No background task has waited for a worker longer than KIS_WORKER_LATE_SECONDS."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return True
    from django_tasks_db.models import DBTaskResult

    late = timezone.now() - timedelta(seconds=settings.KIS_WORKER_LATE_SECONDS)
    try:
        return not DBTaskResult.objects.ready().filter(enqueued_at__lt=late).exists()
    except DatabaseError:
        return False


def _migrations() -> bool:
    try:
        executor = MigrationExecutor(connection)
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False


@login_not_required
@require_safe
@never_cache
def healthz(request):
    checks = {"database": _database()}
    checks["migrations"] = checks["database"] and _migrations()
    checks["tasks"] = checks["migrations"] and _tasks()
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "checks": {name: "ok" if passed else "error" for name, passed in checks.items()},
        },
        status=200 if healthy else 503,
    )
