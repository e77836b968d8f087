"""The people picker's JSON endpoint (participants/pickers.py): one page of the people
a user may choose in a place, found by name, PESEL or year of birth, or the people of
an activity's group ("add the whole group")."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from kis.lib.http import SignedInRequest
from participants.access import activities_for
from participants.pickers import (
    GROUP_LIMIT,
    PAGE_SIZE,
    offered_people,
    people_page,
    people_search,
)


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) <= 18 else None


@require_GET
def people_pick(request: SignedInRequest, scope: str, ref: int | None = None) -> JsonResponse:
    """`?q=` words (a year of four digits), `&project=`, `&page=`; or `?group=<activity>`:
    the whole group (at most GROUP_LIMIT people, PAGE_SIZE a page all the same). Refused
    (403/404) where the user may not choose people; only those he or she may see and
    whose data may still be processed are offered."""
    offered = offered_people(request.user, scope, ref)
    group = _number(request.GET.get("group"))
    if group is not None:
        activity = activities_for(request.user).filter(pk=group).first()
        if activity is None:
            return JsonResponse({"error": "not found"}, status=404)
        people = people_search(offered, group=activity.pk)
    else:
        people = people_search(
            offered,
            request.GET.get("q", "")[:100],
            project=_number(request.GET.get("project")),
        )
    number = min(_number(request.GET.get("page")) or 1, GROUP_LIMIT // PAGE_SIZE + 1)
    page = people_page(people, number)
    return JsonResponse(
        {
            "results": [p.as_json() for p in page.people],
            "page": page.number,
            "has_next": page.has_next,
        }
    )
